#!/usr/bin/env bash
# Local PostgreSQL and RabbitMQ for integration/e2e tests (what CI uses; `make backends`).
#
# Usage: scripts/backends.sh [start|databases|all]   (default: all)
#   start      make sure PostgreSQL (127.0.0.1:5432, user postgres, trust) and RabbitMQ
#              (127.0.0.1:5672, guest/guest, management plugin on 15672) answer, starting them
#              with this machine's commands if not; exits non-zero if they still do not answer.
#   databases  (re)create troc_<service> and troc_<service>_test for each service (tests create
#              their per-worker databases themselves; the role may CREATEDB).
# Environment: PGHOST (127.0.0.1) PGPORT (5432) PGUSER (postgres), WAIT_SECONDS (90).
set -euo pipefail

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export PGCONNECT_TIMEOUT=5
WAIT_SECONDS=${WAIT_SECONDS:-90}
SERVICES="gateway listings ledger invoices notifications"

say() { printf '==> %s\n' "$*"; }
die() { printf 'backends.sh: ERROR: %s\n' "$*" >&2; exit 1; }

# Poll "$@" once a second until it succeeds or WAIT_SECONDS pass.
wait_for() {
  local what=$1; shift
  local deadline=$((SECONDS + WAIT_SECONDS))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 1
  done
  say "$what answers"
}

pg_answers() { pg_isready -q -h "$PGHOST" -p "$PGPORT"; }
pg_login() { psql -X -q -d postgres -Atc 'select 1' | grep -qx 1; }

start_postgres() {
  command -v psql >/dev/null || die "psql is missing (apt-get install postgresql-client)"
  if ! pg_answers; then
    local version
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1 || true)
    [ -n "$version" ] || die "PostgreSQL does not answer on $PGHOST:$PGPORT and no local cluster" \
      "exists (/etc/postgresql is empty): apt-get install postgresql"
    say "starting PostgreSQL $version (pg_ctlcluster)"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start \
      || echo "pg_ctlcluster returned non-zero; waiting anyway" >&2
  fi
  wait_for "PostgreSQL on $PGHOST:$PGPORT" pg_answers \
    || die "PostgreSQL still does not answer on $PGHOST:$PGPORT after ${WAIT_SECONDS}s" \
           "(see /var/log/postgresql/)"
  if ! pg_login; then
    # A stock Debian cluster asks loopback clients for a password; CI machines are throwaway,
    # so there we trust loopback as the developers' machines do. Elsewhere we only explain.
    local hba
    hba=$(ls /etc/postgresql/*/main/pg_hba.conf 2>/dev/null | sort -V | tail -1 || true)
    if [ "${CI:-}" = true ] && [ -n "$hba" ] && [ "$(id -u)" = 0 ]; then
      say "trusting loopback connections in $hba (CI only)"
      sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
      runuser -u postgres -- psql -X -q -c 'select pg_reload_conf()' >/dev/null
      sleep 1
    fi
    pg_login || die "cannot log in as $PGUSER on $PGHOST:$PGPORT without a password:" \
      "the tests expect 'host all all 127.0.0.1/32 trust' in pg_hba.conf"
  fi
  say "PostgreSQL: $(psql -X -d postgres -Atc 'show server_version') as $PGUSER"
}

rabbit_answers() {
  rabbitmq-diagnostics -q ping && (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null
}

management_answers() {
  if command -v curl >/dev/null; then
    curl -fsS -o /dev/null -u guest:guest http://127.0.0.1:15672/api/overview
  else
    (exec 3<>/dev/tcp/127.0.0.1/15672) 2>/dev/null
  fi
}

start_rabbitmq() {
  command -v rabbitmq-server >/dev/null || die "RabbitMQ is not installed (apt-get install rabbitmq-server)"
  if ! rabbit_answers >/dev/null 2>&1; then
    say "starting RabbitMQ (rabbitmq-server -detached)"
    rabbitmq-server -detached || echo "rabbitmq-server returned non-zero; waiting anyway" >&2
  fi
  wait_for "RabbitMQ on 127.0.0.1:5672" rabbit_answers \
    || die "RabbitMQ still does not answer on 127.0.0.1:5672 after ${WAIT_SECONDS}s" \
           "(see /var/log/rabbitmq/)"
  rabbitmqctl -q authenticate_user guest guest >/dev/null \
    || die "RabbitMQ does not accept guest/guest (the tests' TROC_BROKER_URL)"
  # The bus tests may create a vhost per test through the HTTP API; enabling is idempotent.
  rabbitmq-plugins -q enable rabbitmq_management >/dev/null
  wait_for "RabbitMQ management on 127.0.0.1:15672" management_answers \
    || die "RabbitMQ management plugin does not answer on 127.0.0.1:15672"
  say "RabbitMQ: $(rabbitmqctl -q version 2>/dev/null || echo '?')"
}

databases() {
  local psql=(env PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d postgres)
  # Superusers can already; a non-superuser PGUSER needs it for per-worker test databases.
  "${psql[@]}" -c "ALTER ROLE \"$PGUSER\" CREATEDB" >/dev/null 2>&1 || true
  # In CI nothing else runs, so sessions left over from an earlier run are cut off; on a shared
  # machine a database in use makes this fail instead of pulling it from under someone.
  local force=""
  [ "${CI:-}" = true ] && force=" WITH (FORCE)"
  local db created=()
  for svc in $SERVICES; do
    for db in "troc_$svc" "troc_${svc}_test"; do
      "${psql[@]}" -c "DROP DATABASE IF EXISTS \"$db\"$force" \
        || die "cannot drop $db (in use? CI=true forces it)"
      "${psql[@]}" -c "CREATE DATABASE \"$db\""
      created+=("$db")
    done
  done
  say "databases: ${created[*]}"
}

case ${1:-all} in
  start) start_postgres; start_rabbitmq ;;
  databases) databases ;;
  all) start_postgres; start_rabbitmq; databases ;;
  *) die "usage: scripts/backends.sh [start|databases|all]" ;;
esac
