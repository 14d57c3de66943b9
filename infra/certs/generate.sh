#!/usr/bin/env bash
# Local certificate material for the TLS Postgres (R-DB-1, R-DB-4) and for the
# negative TLS tests. Idempotent: an existing file is kept while it is valid for
# at least another 30 days, so a second run changes nothing; a leaf that is
# about to expire is re-issued (that is the rotation the runbook describes:
# re-run, then `bash infra/postgres-tls.sh up` reloads Postgres without a restart).
#
#   bash infra/certs/generate.sh
#       ca.key/ca.crt               the local CA that DATABASE_CA_FILE points at
#       server.key/server.crt       DNS:localhost, IP:127.0.0.1, signed by the CA
#       other-ca.key/other-ca.crt   an unrelated CA (negative test: unknown CA)
#       wrong-host.key/.crt         DNS:wrong.invalid only, signed by the CA (negative test: hostname)
#
#   bash infra/certs/generate.sh issue NAME SAN DAYS [OUT_DIR]
#       issues NAME.key/NAME.crt signed by the local CA, e.g. a short-lived
#       certificate for the expiry check: issue short 'DNS:localhost,IP:127.0.0.1' 10 /tmp/x
#
# Output: infra/certs/generated/ (gitignored), or BURSARY_CERTS_DIR.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${BURSARY_CERTS_DIR:-$HERE/generated}"
CA_DAYS=3650
LEAF_DAYS=397 # the CA/Browser Forum ceiling; keeps the local setup honest about rotation
RENEW_BEFORE_S=$((30 * 24 * 3600))

log() { printf '[certs] %s\n' "$*" >&2; }
die() {
  printf '[certs] error: %s\n' "$*" >&2
  exit 1
}

command -v openssl >/dev/null 2>&1 || die "openssl is not installed (Debian: apt-get install openssl)"

# A certificate is reused only if it exists and is still valid for 30 days.
fresh() { [[ -s "$1" ]] && openssl x509 -in "$1" -noout -checkend "$RENEW_BEFORE_S" >/dev/null 2>&1; }

new_key() {
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null)
}

# make_ca NAME CN
make_ca() {
  local name="$1" cn="$2"
  new_key "$OUT/$name.key"
  openssl req -x509 -new -key "$OUT/$name.key" -sha256 -days "$CA_DAYS" -subj "/O=Bursary local/CN=$cn" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" \
    -out "$OUT/$name.crt" 2>/dev/null
  log "issued $name.crt ($cn, $CA_DAYS days)"
}

# issue NAME SAN DAYS DIR: a server certificate signed by the local CA.
issue() {
  local name="$1" san="$2" days="$3" dir="$4" cn
  cn="$(printf '%s' "$san" | sed -E 's/^(DNS|IP):([^,]*).*/\2/')"
  mkdir -p "$dir"
  new_key "$dir/$name.key"
  local ext
  ext="$(mktemp)"
  # The trap only covers this function's temp file; `set -e` aborts on any openssl failure.
  # shellcheck disable=SC2064
  trap "rm -f '$ext'" RETURN
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' "$san" >"$ext"
  openssl req -new -key "$dir/$name.key" -subj "/O=Bursary local/CN=$cn" 2>/dev/null |
    openssl x509 -req -CA "$OUT/ca.crt" -CAkey "$OUT/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
      -sha256 -days "$days" -extfile "$ext" -out "$dir/$name.crt" 2>/dev/null
  chmod 644 "$dir/$name.crt"
  log "issued $dir/$name.crt ($san, $days days)"
}

ensure_all() {
  mkdir -p "$OUT"
  chmod 755 "$OUT"
  local renewed_ca=0
  if ! fresh "$OUT/ca.crt" || [[ ! -s "$OUT/ca.key" ]]; then
    make_ca ca "Bursary Local Dev CA"
    renewed_ca=1
  fi
  if ! fresh "$OUT/other-ca.crt"; then
    make_ca other-ca "Unrelated CA (negative tests)"
  fi
  if [[ "$renewed_ca" == 1 ]] || ! fresh "$OUT/server.crt" || ! openssl verify -CAfile "$OUT/ca.crt" "$OUT/server.crt" >/dev/null 2>&1; then
    issue server "DNS:localhost,IP:127.0.0.1" "$LEAF_DAYS" "$OUT"
  fi
  if [[ "$renewed_ca" == 1 ]] || ! fresh "$OUT/wrong-host.crt" || ! openssl verify -CAfile "$OUT/ca.crt" "$OUT/wrong-host.crt" >/dev/null 2>&1; then
    issue wrong-host "DNS:wrong.invalid" "$LEAF_DAYS" "$OUT"
  fi
}

mkdir -p "$OUT"
# Test files may call `issue` in parallel; one writer at a time keeps the CA consistent.
exec 8>"$OUT/.lock"
command -v flock >/dev/null 2>&1 && flock 8

case "${1:-all}" in
  all)
    ensure_all
    ;;
  issue)
    [[ $# -ge 4 ]] || die "usage: generate.sh issue NAME SAN DAYS [OUT_DIR]"
    [[ "$2" =~ ^[A-Za-z0-9_.-]+$ ]] || die "NAME must be a plain file name, got '$2'"
    [[ "$4" =~ ^[0-9]+$ && "$4" -ge 1 ]] || die "DAYS must be a positive integer, got '$4'"
    ensure_all
    issue "$2" "$3" "$4" "${5:-$OUT}"
    ;;
  *)
    die "usage: generate.sh [all | issue NAME SAN DAYS [OUT_DIR]]"
    ;;
esac
