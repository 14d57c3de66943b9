#!/usr/bin/env bash
# The TLS-only Postgres the verify-full tests and services connect to (R-DB-1,
# DESIGN.md §4, §6): a second Debian cluster "bursary-tls" on 127.0.0.1:5433
# that accepts only `hostssl` + scram-sha-256 (TLS ≥ 1.2), with a server
# certificate from the local CA of infra/certs/generate.sh. The machine's main
# cluster (5432) is never touched.
#
#   bash infra/postgres-tls.sh up      create/configure/start (idempotent; fast when already up)
#   bash infra/postgres-tls.sh down    stop the cluster (data is kept)
#   bash infra/postgres-tls.sh status  non-zero unless a verify-full login works
#   bash infra/postgres-tls.sh env     PG_TLS_ADMIN_URL=… and PG_TLS_CA_FILE=… lines (stdout only)
#
# Certificate rotation (R-DB-4, runbook): `up` re-runs generate.sh, which
# re-issues a leaf that expires within 30 days; a changed certificate is copied
# in and Postgres is *reloaded* (no restart), so clients pick it up on their
# next connection.
#
# Needs root on Debian with PostgreSQL installed (postgresql-common's
# pg_createcluster / pg_ctlcluster). Overrides: BURSARY_PG_TLS_PORT (5433),
# BURSARY_PG_TLS_CLUSTER (bursary-tls), BURSARY_DATA_DIR (<repo>/.data).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${BURSARY_DATA_DIR:-$ROOT/.data}"
CERTS="$ROOT/infra/certs/generated"
PORT="${BURSARY_PG_TLS_PORT:-5433}"
CLUSTER="${BURSARY_PG_TLS_CLUSTER:-bursary-tls}"
PASSWORD_FILE="$DATA/pg-tls-admin-password"
HOST=127.0.0.1
PATH="$PATH:/usr/sbin:/sbin"

log() { printf '[postgres-tls] %s\n' "$*" >&2; }
die() {
  printf '[postgres-tls] error: %s\n' "$*" >&2
  exit 1
}

# The newest installed major version, e.g. 15 (Debian: /usr/lib/postgresql/<major>/bin).
detect_version() {
  local v
  v="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | grep -E '^[0-9]+$' | sort -n | tail -n1 || true)"
  [[ -n "$v" && -x "/usr/lib/postgresql/$v/bin/postgres" ]] || return 1
  printf '%s' "$v"
}

require_tools() {
  [[ "$(id -u)" == 0 ]] || die "must run as root (it creates and configures a Postgres cluster); try: sudo bash infra/postgres-tls.sh ${1:-up}"
  VERSION="$(detect_version)" || die "no PostgreSQL server binaries under /usr/lib/postgresql (Debian: apt-get install postgresql)"
  local tool
  for tool in pg_createcluster pg_ctlcluster pg_lsclusters runuser openssl; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (Debian: apt-get install postgresql-common openssl util-linux)"
  done
  BIN="/usr/lib/postgresql/$VERSION/bin"
  CONF_DIR="/etc/postgresql/$VERSION/$CLUSTER"
}

# The status column of pg_lsclusters for our cluster: online, down, … or empty when it does not exist.
cluster_status() {
  pg_lsclusters --no-header 2>/dev/null | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { print $4 }'
}

as_postgres() { runuser -u postgres -- "$@"; }

# psql as the postgres superuser over the cluster's Unix socket (peer auth, no password).
admin_psql() { as_postgres "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h /var/run/postgresql -p "$PORT" -d postgres; }

# The end-to-end check: a verify-full TLS login with the stored password.
tls_login_ok() {
  [[ -s "$PASSWORD_FILE" ]] || return 1
  PGPASSWORD="$(cat "$PASSWORD_FILE")" PGCONNECT_TIMEOUT=3 "$BIN/psql" -X -q -w \
    "host=localhost hostaddr=$HOST port=$PORT dbname=postgres user=postgres sslmode=verify-full sslrootcert=$CERTS/ca.crt" \
    -tAc 'select 1' >/dev/null 2>&1
}

# install_file SRC DEST MODE: copies only when the content differs; sets CHANGED.
install_file() {
  local src="$1" dest="$2" mode="$3"
  if [[ -f "$dest" ]] && cmp -s "$src" "$dest"; then
    return 0
  fi
  install -o postgres -g postgres -m "$mode" "$src" "$dest"
  CHANGED=1
}

# write_file DEST MODE <<<content: like install_file, for generated text.
write_file() {
  local dest="$1" mode="$2" tmp
  tmp="$(mktemp)"
  cat >"$tmp"
  install_file "$tmp" "$dest" "$mode"
  rm -f "$tmp"
}

ensure_password() {
  mkdir -p "$DATA"
  if [[ ! -s "$PASSWORD_FILE" ]]; then
    (umask 077 && openssl rand -hex 24 >"$PASSWORD_FILE")
    log "generated the admin password in ${PASSWORD_FILE#"$ROOT"/}"
  fi
}

port_taken_by_other() {
  pg_lsclusters --no-header 2>/dev/null | awk -v v="$VERSION" -v c="$CLUSTER" -v p="$PORT" '$3 == p && !($1 == v && $2 == c) { found = 1 } END { exit !found }'
}

up() {
  require_tools up
  bash "$ROOT/infra/certs/generate.sh"
  ensure_password

  # Fast path: running, and nothing to rotate.
  local status
  status="$(cluster_status)"
  if [[ "$status" == online* ]] && cmp -s "$CERTS/server.crt" "$CONF_DIR/server.crt" 2>/dev/null && tls_login_ok; then
    log "cluster $VERSION/$CLUSTER already up on $HOST:$PORT (TLS verify-full login ok)"
    return 0
  fi

  if [[ -z "$status" ]]; then
    port_taken_by_other && die "port $PORT is used by another cluster (pg_lsclusters); set BURSARY_PG_TLS_PORT"
    log "creating cluster $VERSION/$CLUSTER on port $PORT"
    pg_createcluster "$VERSION" "$CLUSTER" -p "$PORT" -- --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  fi

  CHANGED=0
  install_file "$CERTS/server.crt" "$CONF_DIR/server.crt" 644
  install_file "$CERTS/server.key" "$CONF_DIR/server.key" 600
  local cert_changed="$CHANGED"
  mkdir -p "$CONF_DIR/conf.d"
  # conf.d is included last by Debian's postgresql.conf, so these win over the defaults.
  write_file "$CONF_DIR/conf.d/bursary-tls.conf" 644 <<CONF
# Managed by infra/postgres-tls.sh: TLS-only cluster for verify-full (R-DB-1).
listen_addresses = '$HOST'
port = $PORT
ssl = on
ssl_cert_file = '$CONF_DIR/server.crt'
ssl_key_file = '$CONF_DIR/server.key'
ssl_min_protocol_version = 'TLSv1.2'
password_encryption = 'scram-sha-256'
CONF
  # No plain `host` line exists, so a non-TLS TCP login is refused by the server itself.
  write_file "$CONF_DIR/pg_hba.conf" 640 <<HBA
# Managed by infra/postgres-tls.sh: TLS only over TCP; the superuser's peer login is for this script.
# TYPE   DATABASE  USER      ADDRESS        METHOD
local    all       postgres                 peer
hostssl  all       all       $HOST/32   scram-sha-256
HBA

  status="$(cluster_status)"
  if [[ "$status" == online* ]]; then
    if [[ "$CHANGED" == 1 ]]; then
      # SSL files, pg_hba and these settings (except listen_addresses/port, which never change) reload without a restart.
      log "configuration or certificate changed: reloading (cert rotated: $([[ "$cert_changed" == 1 ]] && echo yes || echo no))"
      pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" reload
    fi
  else
    log "starting cluster $VERSION/$CLUSTER"
    pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" start ||
      die "start failed; see /var/log/postgresql/postgresql-$VERSION-$CLUSTER.log"
  fi

  local deadline=$((SECONDS + 30))
  until "$BIN/pg_isready" -q -h "$HOST" -p "$PORT" -t 1; do
    ((SECONDS < deadline)) || die "cluster did not accept connections within 30 s; see /var/log/postgresql/postgresql-$VERSION-$CLUSTER.log"
    sleep 0.2
  done

  # Setting the password every time we got here is cheap and repairs a lost one.
  # Through stdin, not argv, so the password never shows in `ps`; psql's :'pw' quotes it.
  admin_psql >/dev/null <<SQL
\\set pw '$(cat "$PASSWORD_FILE")'
alter role postgres with password :'pw';
SQL
  tls_login_ok || die "cluster is up but a verify-full login fails; see /var/log/postgresql/postgresql-$VERSION-$CLUSTER.log"
  log "cluster $VERSION/$CLUSTER up on $HOST:$PORT (TLS ≥ 1.2, verify-full ok)"
}

down() {
  require_tools down
  if [[ "$(cluster_status)" == online* ]]; then
    pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" stop
    log "cluster $VERSION/$CLUSTER stopped"
  else
    log "cluster $VERSION/$CLUSTER is not running"
  fi
}

status() {
  require_tools status
  local s
  s="$(cluster_status)"
  if [[ -z "$s" ]]; then
    log "cluster $VERSION/$CLUSTER does not exist (run: bash infra/postgres-tls.sh up)"
    return 1
  fi
  if tls_login_ok; then
    log "cluster $VERSION/$CLUSTER $s on $HOST:$PORT; verify-full login ok"
    return 0
  fi
  log "cluster $VERSION/$CLUSTER $s on $HOST:$PORT; verify-full login FAILS"
  return 1
}

env_lines() {
  [[ -r "$PASSWORD_FILE" && -s "$PASSWORD_FILE" ]] || die "no admin password in $PASSWORD_FILE (run as root: bash infra/postgres-tls.sh up)"
  [[ -s "$CERTS/ca.crt" ]] || die "no CA in $CERTS (run as root: bash infra/postgres-tls.sh up)"
  printf 'PG_TLS_ADMIN_URL=postgres://postgres:%s@localhost:%s/postgres\n' "$(cat "$PASSWORD_FILE")" "$PORT"
  printf 'PG_TLS_CA_FILE=%s\n' "$CERTS/ca.crt"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) env_lines ;;
  *) die "usage: bash infra/postgres-tls.sh up|down|status|env" ;;
esac
