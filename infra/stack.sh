#!/usr/bin/env bash
# The local data stack (DESIGN.md §4): Postgres (plain), Redis and NATS with
# JetStream on their default ports, plus the TLS-only Postgres that
# infra/postgres-tls.sh manages.
#
#   bash infra/stack.sh up      make everything available (idempotent, fast when already running)
#   bash infra/stack.sh down    stop only what this script started (pid files under .data/pids)
#   bash infra/stack.sh status  show what answers and who started it; non-zero if something is down
#   bash infra/stack.sh env     print the connection URLs as KEY=VALUE lines (stdout only)
#
# For each server: whatever already answers on the port is used as is.
# Otherwise, when the binaries are missing, root on Debian installs them with
# apt-get; then a local instance is started with its data under .data/.
# Anyone else gets the instructions for infra/compose.yaml (Docker).
#
# Overrides (mainly for trying the script beside running servers):
#   BURSARY_PG_PORT (5432) BURSARY_REDIS_PORT (6379) BURSARY_NATS_PORT (4222)
#   BURSARY_DATA_DIR (<repo>/.data)

# The probes pass host and port as "$0"/"$1" to `bash -c '…'` on purpose:
# shellcheck disable=SC2016
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${BURSARY_DATA_DIR:-$ROOT/.data}"
PIDS="$DATA/pids"
LOGS="$DATA/logs"
HOST=127.0.0.1
PG_PORT="${BURSARY_PG_PORT:-5432}"
REDIS_PORT="${BURSARY_REDIS_PORT:-6379}"
NATS_PORT="${BURSARY_NATS_PORT:-4222}"
TLS_SCRIPT="$ROOT/infra/postgres-tls.sh"
PG_ADMIN_URL="postgres://postgres@$HOST:$PG_PORT/postgres"
PATH="$PATH:/usr/sbin:/sbin"

log() { printf '[stack] %s\n' "$*" >&2; }
die() {
  printf '[stack] error: %s\n' "$*" >&2
  exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [[ "$(id -u)" == 0 ]]; }

# ---------------------------------------------------------------- probes ----

tcp_open() {
  timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null
}

# 0 = accepting connections, 1 = answering but not ready (starting/stopping), 2 = nothing there.
pg_state() {
  if have pg_isready; then
    local rc=0
    pg_isready -q -h "$HOST" -p "$PG_PORT" -t 2 || rc=$?
    case "$rc" in
      0) return 0 ;;
      1) return 1 ;;
      *) return 2 ;;
    esac
  fi
  tcp_open "$PG_PORT" && return 0
  return 2
}

# The admin URL must work as printed (trust auth for `postgres` over TCP, as on
# the project's machines); checked only when psql is available.
pg_admin_login_ok() {
  have psql || return 0
  PGCONNECT_TIMEOUT=3 psql -X -q -w "$PG_ADMIN_URL" -tAc 'select 1' >/dev/null 2>&1
}

redis_ok() {
  timeout 2 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "PING\r\n" >&3
    IFS= read -r -t 1 reply <&3 || exit 1
    [[ "$reply" == "+PONG"* ]]' "$HOST" "$REDIS_PORT" 2>/dev/null
}

# A NATS server greets every TCP client with an INFO line; no client library needed.
nats_info() {
  timeout 2 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    IFS= read -r -t 1 line <&3 || exit 1
    printf "%s\n" "$line"' "$HOST" "$NATS_PORT" 2>/dev/null
}
nats_ok() {
  local info
  info="$(nats_info)" || return 1
  [[ "$info" == INFO* ]]
}
nats_has_jetstream() { [[ "$(nats_info)" == *'"jetstream":true'* ]]; }

wait_for() { # wait_for <seconds> <description> <command...>
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    ((SECONDS < deadline)) || die "$what did not come up within ${seconds}s (logs: $LOGS)"
    sleep 0.2
  done
}

pid_alive() { # pid_alive <pidfile> <expected command substring>
  local pid
  [[ -f "$1" ]] || return 1
  pid="$(tr -dc '0-9' <"$1")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)" == *"$2"* ]]
}

# ------------------------------------------------------------ installing ----

can_apt() { is_root && [[ -f /etc/debian_version ]] && have apt-get; }

APT_UPDATED=0
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [[ "$APT_UPDATED" == 0 ]]; then
    log "apt-get update"
    apt-get update -qq >&2
    APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  apt-get install -y -qq --no-install-recommends "$@" >&2
}

compose_help() {
  cat >&2 <<EOF
[stack] error: $1
[stack] This script installs missing servers only as root on Debian/Ubuntu. Either:
[stack]   - install them yourself (Debian: apt-get install postgresql redis-server nats-server)
[stack]     and run this again: it starts local instances under .data/; or
[stack]   - with Docker: docker compose -f infra/compose.yaml up -d
[stack]     (see infra/README.md; it also runs the TLS Postgres on 5433).
EOF
  exit 1
}

pg_bindir() {
  local dirs=() d
  shopt -s nullglob
  for d in /usr/lib/postgresql/*/bin; do dirs+=("$d"); done
  shopt -u nullglob
  if ((${#dirs[@]})); then
    while IFS= read -r d; do
      if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
        printf '%s\n' "$d"
        return 0
      fi
    done < <(printf '%s\n' "${dirs[@]}" | sort -V -r)
  fi
  if have initdb && have pg_ctl; then
    dirname "$(command -v initdb)"
    return 0
  fi
  return 1
}

# Debian creates and starts a "main" cluster when postgresql is installed; it
# would take port 5432 with password auth over TCP. As the official postgres
# image does, switch that off before installing, so our own cluster under
# .data/ (trust auth on 127.0.0.1) gets the port.
install_postgres() {
  local conf=/etc/postgresql-common/createcluster.conf
  if ! dpkg -s postgresql-common >/dev/null 2>&1; then apt_install postgresql-common; fi
  if [[ -f "$conf" ]] && ! grep -Eq '^[[:space:]]*create_main_cluster[[:space:]]*=[[:space:]]*false' "$conf"; then
    log "setting create_main_cluster = false in $conf (no auto-created cluster on 5432)"
    sed -ri 's/^[#[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' "$conf"
    grep -Eq '^create_main_cluster = false' "$conf" || echo 'create_main_cluster = false' >>"$conf"
  fi
  apt_install postgresql postgresql-client
}

# ------------------------------------------------------------- postgres ----

as_postgres() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A Debian cluster (pg_lsclusters) configured for our port: "<version> <name> <status>".
debian_cluster_on_port() {
  have pg_lsclusters || return 1
  pg_lsclusters -h 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2, $4; found = 1; exit } END { exit !found }'
}

# Where our own cluster lives: .data/postgres, unless the postgres user can't
# reach the repository (a clone under /root): then under its home directory.
pg_datadir() {
  if [[ -f "$PIDS/postgres.datadir" ]]; then
    cat "$PIDS/postgres.datadir"
    return 0
  fi
  if is_root && ! runuser -u postgres -- test -x "$DATA" 2>/dev/null; then
    local home
    home="$(getent passwd postgres | cut -d: -f6)"
    printf '%s/bursary-%s\n' "${home:-/var/lib/postgresql}" "$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
  else
    printf '%s\n' "$DATA/postgres"
  fi
}

start_own_postgres() {
  local bindir pgdata
  bindir="$(pg_bindir)" || die "Postgres binaries (initdb, pg_ctl) not found"
  pgdata="$(pg_datadir)"
  if is_root && ! id postgres >/dev/null 2>&1; then die "the 'postgres' system user is missing (initdb refuses to run as root)"; fi
  if [[ ! -f "$pgdata/PG_VERSION" ]]; then
    log "initdb $pgdata"
    mkdir -p "$pgdata"
    if is_root; then chown postgres: "$pgdata"; fi
    chmod 700 "$pgdata"
    as_postgres "$bindir/initdb" -D "$pgdata" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$LOGS/initdb.log" 2>&1 ||
      die "initdb failed (see $LOGS/initdb.log)"
    # Throwaway development instance: TCP on 127.0.0.1 only, no Unix socket
    # (so it never collides with a system cluster's socket), room for tests
    # that clone a database per test file.
    as_postgres tee -a "$pgdata/postgresql.conf" >/dev/null <<EOF

# --- added by infra/stack.sh ---
port = $PG_PORT
listen_addresses = '$HOST'
unix_socket_directories = ''
max_connections = 300
synchronous_commit = off
EOF
  fi
  printf '%s\n' "$pgdata" >"$PIDS/postgres.datadir"
  log "starting Postgres ($pgdata) on $HOST:$PG_PORT"
  # setsid: a Ctrl-C in the terminal that ran `npm start` must not reach it.
  as_postgres setsid "$bindir/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start >/dev/null 9>&- ||
    die "Postgres did not start (see $pgdata/server.log)"
}

ensure_postgres() {
  local state=0 cluster version name
  pg_state || state=$?
  if [[ "$state" == 1 ]]; then
    wait_for 30 "Postgres on $HOST:$PG_PORT" pg_state
    state=0
  fi
  if [[ "$state" == 2 ]] && tcp_open "$PG_PORT"; then
    die "port $PG_PORT answers but not as Postgres; stop whatever uses it"
  fi
  if [[ "$state" == 2 ]]; then
    if cluster="$(debian_cluster_on_port)"; then
      # A Debian cluster set up for this port exists but is stopped: start it
      # rather than creating a second, different cluster on the same port.
      read -r version name _ <<<"$cluster"
      log "starting the Debian cluster $version/$name on port $PG_PORT"
      pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start >&2 9>&- ||
        die "pg_ctlcluster $version $name start failed"
      printf '%s %s\n' "$version" "$name" >"$PIDS/postgres.cluster"
    else
      start_own_postgres
    fi
    wait_for 30 "Postgres on $HOST:$PG_PORT" pg_state
    PG_NOTE="started"
  else
    PG_NOTE="running"
  fi
  pg_admin_login_ok || die "Postgres on $HOST:$PG_PORT refuses '$PG_ADMIN_URL'.
[stack] The scripts expect trust authentication for the postgres user from 127.0.0.1; add to its pg_hba.conf
[stack]   host all postgres 127.0.0.1/32 trust
[stack] and reload it, or stop that server so this script starts its own."
}

# ---------------------------------------------------------------- redis ----

start_own_redis() {
  mkdir -p "$DATA/redis"
  log "starting redis-server on $HOST:$REDIS_PORT (data: $DATA/redis)"
  redis-server --port "$REDIS_PORT" --bind "$HOST" --save '' --appendonly no --daemonize yes \
    --dir "$DATA/redis" --pidfile "$PIDS/redis.pid" --logfile "$LOGS/redis.log" >&2 9>&- ||
    die "redis-server did not start (see $LOGS/redis.log)"
  wait_for 10 "Redis on $HOST:$REDIS_PORT" redis_ok
}

ensure_redis() {
  if redis_ok; then
    REDIS_NOTE="running"
    return 0
  fi
  tcp_open "$REDIS_PORT" && die "port $REDIS_PORT answers but not with +PONG to PING (a Redis with a password?); stop it or free the port"
  start_own_redis
  REDIS_NOTE="started"
}

# ----------------------------------------------------------------- nats ----

start_own_nats() {
  mkdir -p "$DATA/nats"
  log "starting nats-server -js on $HOST:$NATS_PORT (store: $DATA/nats)"
  # setsid + nohup: the server outlives this script and ignores the terminal's Ctrl-C.
  setsid nohup nats-server -a "$HOST" -p "$NATS_PORT" -js -sd "$DATA/nats" \
    -P "$PIDS/nats.pid" -l "$LOGS/nats.log" </dev/null >/dev/null 2>&1 9>&- &
  wait_for 10 "NATS on $HOST:$NATS_PORT" nats_ok
}

ensure_nats() {
  if nats_ok; then
    nats_has_jetstream || die "NATS on $HOST:$NATS_PORT runs without JetStream; restart it with -js (or free the port)"
    NATS_NOTE="running"
    return 0
  fi
  tcp_open "$NATS_PORT" && die "port $NATS_PORT answers but not as a NATS server; stop whatever uses it"
  start_own_nats
  nats_has_jetstream || die "the NATS server started without JetStream (see $LOGS/nats.log)"
  NATS_NOTE="started"
}

# ------------------------------------------------------------------ tls ----

# A TLS Postgres of your own (e.g. the compose file's) wins: export both
# PG_TLS_ADMIN_URL and PG_TLS_CA_FILE and infra/postgres-tls.sh is not run.
tls_from_environment() { [[ -n "${PG_TLS_ADMIN_URL:-}" && -n "${PG_TLS_CA_FILE:-}" ]]; }

tls_up() {
  if tls_from_environment; then
    TLS_NOTE="from PG_TLS_ADMIN_URL"
  elif [[ -f "$TLS_SCRIPT" ]]; then
    bash "$TLS_SCRIPT" up >&2 9>&- || die "bash infra/postgres-tls.sh up failed (see above)"
    TLS_NOTE="ok"
  else
    log "warning: infra/postgres-tls.sh is missing, so the TLS Postgres (verify-full, port 5433) was not started;"
    log "         services with a database cannot start and TLS tests cannot run until it exists"
    log "         (or export PG_TLS_ADMIN_URL and PG_TLS_CA_FILE for a TLS Postgres of your own)."
    TLS_NOTE="missing"
  fi
}

tls_env() {
  if tls_from_environment; then
    printf 'PG_TLS_ADMIN_URL=%s\nPG_TLS_CA_FILE=%s\n' "$PG_TLS_ADMIN_URL" "$PG_TLS_CA_FILE"
  elif [[ -f "$TLS_SCRIPT" ]]; then
    bash "$TLS_SCRIPT" env | grep -E '^PG_TLS_[A-Z_]+=' || die "bash infra/postgres-tls.sh env printed no PG_TLS_* lines"
  else
    log "warning: infra/postgres-tls.sh is missing: no PG_TLS_ADMIN_URL / PG_TLS_CA_FILE"
  fi
}

# -------------------------------------------------------------- commands ----

cmd_up() {
  mkdir -p "$PIDS" "$LOGS"
  # Two `npm test` runs at once must not both start a server.
  # Servers started below get `9>&-` so they don't inherit (and keep) the lock.
  if have flock; then
    exec 9>"$DATA/stack.lock"
    flock -w 120 9 || die "another infra/stack.sh holds $DATA/stack.lock"
  fi

  # What is neither answering nor installed, installed in one go.
  local need_pg=0 others=() state=0
  pg_state || state=$?
  if [[ "$state" == 2 ]] && ! debian_cluster_on_port >/dev/null && ! pg_bindir >/dev/null; then need_pg=1; fi
  if ! redis_ok && ! have redis-server; then others+=(redis-server); fi
  if ! nats_ok && ! have nats-server; then others+=(nats-server); fi
  if ((need_pg || ${#others[@]})); then
    local missing="${others[*]}"
    if ((need_pg)); then missing="postgresql $missing"; fi
    can_apt || compose_help "not running and not installed: $missing"
    if ((need_pg)); then install_postgres; fi
    if ((${#others[@]})); then apt_install "${others[@]}"; fi
  fi

  ensure_postgres
  ensure_redis
  ensure_nats
  tls_up
  log "postgres $HOST:$PG_PORT $PG_NOTE · redis $HOST:$REDIS_PORT $REDIS_NOTE · nats+jetstream $HOST:$NATS_PORT $NATS_NOTE · postgres-tls $TLS_NOTE"
}

stop_pidfile() { # stop_pidfile <name> <pidfile> <expected command substring>
  local pid
  if pid_alive "$2" "$3"; then
    pid="$(tr -dc '0-9' <"$2")"
    log "stopping $1 (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 15))
    while kill -0 "$pid" 2>/dev/null; do
      if ((SECONDS >= deadline)); then
        log "$1 did not stop within 15s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.2
    done
  fi
  rm -f "$2"
}

cmd_down() {
  local stopped=0
  if ! tls_from_environment && [[ -f "$TLS_SCRIPT" ]]; then
    bash "$TLS_SCRIPT" down >&2 || log "warning: bash infra/postgres-tls.sh down failed"
  fi
  if [[ -f "$PIDS/nats.pid" ]]; then
    stop_pidfile "nats-server" "$PIDS/nats.pid" nats-server
    stopped=1
  fi
  if [[ -f "$PIDS/redis.pid" ]]; then
    stop_pidfile "redis-server" "$PIDS/redis.pid" redis-server
    stopped=1
  fi
  if [[ -f "$PIDS/postgres.cluster" ]]; then
    local version name
    read -r version name <"$PIDS/postgres.cluster"
    log "stopping the Debian cluster $version/$name"
    pg_ctlcluster --skip-systemctl-redirect "$version" "$name" stop >&2 || log "warning: pg_ctlcluster $version $name stop failed"
    rm -f "$PIDS/postgres.cluster"
    stopped=1
  fi
  if [[ -f "$PIDS/postgres.datadir" ]]; then
    local pgdata bindir
    pgdata="$(cat "$PIDS/postgres.datadir")"
    if [[ -f "$pgdata/postmaster.pid" ]] && bindir="$(pg_bindir)"; then
      log "stopping Postgres ($pgdata)"
      as_postgres "$bindir/pg_ctl" -D "$pgdata" -m fast -w -t 30 stop >/dev/null || log "warning: pg_ctl stop failed"
    fi
    rm -f "$PIDS/postgres.datadir"
    stopped=1
  fi
  ((stopped)) || log "nothing to stop: this script started no server (running ones belong to the system)"
}

cmd_status() {
  local ok=0 owner
  row() { printf '%-14s %-22s %-5s %s\n' "$1" "$2" "$3" "$4"; }
  row SERVER ADDRESS STATE "STARTED BY"

  owner="system / someone else"
  [[ -f "$PIDS/postgres.datadir" ]] && owner="stack.sh ($(cat "$PIDS/postgres.datadir"))"
  [[ -f "$PIDS/postgres.cluster" ]] && owner="stack.sh (pg_ctlcluster $(cat "$PIDS/postgres.cluster"))"
  if pg_state; then row postgres "$HOST:$PG_PORT" up "$owner"; else
    row postgres "$HOST:$PG_PORT" down "-"
    ok=1
  fi

  owner="system / someone else"
  pid_alive "$PIDS/redis.pid" redis-server && owner="stack.sh (pid $(tr -dc '0-9' <"$PIDS/redis.pid"))"
  if redis_ok; then row redis "$HOST:$REDIS_PORT" up "$owner"; else
    row redis "$HOST:$REDIS_PORT" down "-"
    ok=1
  fi

  owner="system / someone else"
  pid_alive "$PIDS/nats.pid" nats-server && owner="stack.sh (pid $(tr -dc '0-9' <"$PIDS/nats.pid"))"
  if nats_ok; then
    if nats_has_jetstream; then row nats "$HOST:$NATS_PORT" up "$owner"; else
      row nats "$HOST:$NATS_PORT" no-js "$owner (JetStream disabled)"
      ok=1
    fi
  else
    row nats "$HOST:$NATS_PORT" down "-"
    ok=1
  fi

  local tls_url="" tls_hostport tls_owner="infra/postgres-tls.sh"
  if tls_from_environment; then
    tls_url="$PG_TLS_ADMIN_URL"
    tls_owner="PG_TLS_ADMIN_URL (yours)"
  elif [[ -f "$TLS_SCRIPT" ]]; then
    tls_url="$(bash "$TLS_SCRIPT" env 2>/dev/null | sed -n 's/^PG_TLS_ADMIN_URL=//p' | head -n1 || true)"
  fi
  if [[ -z "$tls_url" ]]; then
    if [[ -f "$TLS_SCRIPT" ]]; then row postgres-tls "-" "?" "not set up yet (bash infra/stack.sh up)"; else
      row postgres-tls "-" "?" "infra/postgres-tls.sh missing"
    fi
    ok=1
  else
    tls_hostport="$(printf '%s' "$tls_url" | sed -E 's#^[a-z]+://([^@/]*@)?([^/?]+).*#\2#')"
    if timeout 1 bash -c 'exec 3<>"/dev/tcp/${0%:*}/${0##*:}"' "$tls_hostport" 2>/dev/null; then
      row postgres-tls "$tls_hostport" up "$tls_owner"
    else
      row postgres-tls "$tls_hostport" down "$tls_owner"
      ok=1
    fi
  fi
  return "$ok"
}

cmd_env() {
  printf 'PG_ADMIN_URL=%s\n' "$PG_ADMIN_URL"
  printf 'REDIS_URL=redis://%s:%s\n' "$HOST" "$REDIS_PORT"
  printf 'NATS_URL=nats://%s:%s\n' "$HOST" "$NATS_PORT"
  tls_env
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *)
    echo "usage: bash infra/stack.sh up|down|status|env" >&2
    exit 2
    ;;
esac
