#!/usr/bin/env bash
# make bench: the ledger benchmark (bench/ledger_bench.py) with the PostgreSQL reference
# (bench/pgbench_reference.sh) in the same run, then the end-to-end benchmark (bench/e2e_bench.py,
# which reuses that reference). About 15 minutes, loopback only.
#
# Usage: bench/run_all.sh [--quick] [ledger_bench.py options]   (--help lists them)
#   --quick    short forms of both (about 7 minutes on a busy machine; figures indicative only)
#   E2E_ARGS="..." passes options to e2e_bench.py (bench/e2e_bench.py --help)
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, no password), RabbitMQ on 127.0.0.1:5672
# (guest/guest, rabbitmqctl or the management API to create a vhost), wrk and pgbench.
# Writes bench/results/ledger.json and e2e.json (+ PNG plots); logs under bench/out/<name>/<time>/.
#
# ledger_bench.py cleans up after itself (processes, database troc_ledger_bench, vhost
# troc_ledger_bench). The trap below is the safety net for when it is killed outright.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
cd "$ROOT"
PY=${VENV:-.venv}/bin/python
[ -x "$PY" ] || { echo "run_all.sh: $PY is missing (make install)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "run_all.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

safety_net() {
  local status=$?
  # Processes the benchmark started (one process group each), if they outlived it.
  local pidfile
  for pidfile in bench/out/ledger/*/pids; do
    [ -f "$pidfile" ] || continue
    while read -r pid; do
      if [ -n "$pid" ] && grep -qs -e ledger -e gunicorn "/proc/$pid/cmdline"; then
        kill -TERM -- "-$pid" 2>/dev/null || true
      fi
    done <"$pidfile"
    rm -f "$pidfile"
  done
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS troc_ledger_bench WITH (FORCE)" \
    >/dev/null 2>&1 || true
  # The end-to-end benchmark's databases, which it lists while they exist.
  local list db
  for list in bench/out/e2e/*/databases; do
    [ -f "$list" ] || continue
    while read -r db; do
      [ -n "$db" ] && psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" \
        >/dev/null 2>&1 || true
    done <"$list"
    rm -f "$list"
  done
  if command -v rabbitmqctl >/dev/null && rabbitmqctl -q list_vhosts 2>/dev/null \
      | grep -qx troc_ledger_bench; then
    rabbitmqctl -q delete_vhost troc_ledger_bench >/dev/null 2>&1 || true
  fi
  exit "$status"
}
trap safety_net EXIT
trap 'exit 130' INT TERM

ledger_args=() e2e_args=() help=
read -r -a e2e_args <<<"${E2E_ARGS:-}"
for arg in "$@"; do
  case "$arg" in
    --quick)
      ledger_args+=(--duration 5 --tune-duration 3 --web sync:2 --bus-messages 5000
                    --relay-wait 20 --quiet-wait 0)
      e2e_args+=(--quick) ;;
    -h|--help) help=1; ledger_args+=("$arg") ;;
    *) ledger_args+=("$arg") ;;
  esac
done
if [ -z "$help" ]; then
  # The servers, found as `make test` finds them (chassis.testing.local): the environment's, else
  # those answering at the default local addresses. A benchmark needs both: none is a failure.
  while IFS= read -r line; do export "${line?}"; done < <("$PY" -m chassis.testing.local)
  case "${TROC_DATABASE_URL:-}" in
    postgresql*) ;;
    *) echo "run_all.sh: FAILED: no PostgreSQL (127.0.0.1:5432, user postgres, trust) and" \
            "TROC_DATABASE_URL is not PostgreSQL: start it (make backends)" >&2; exit 2 ;;
  esac
  case "${TROC_BROKER_URL:-}" in
    amqp*) ;;
    *) echo "run_all.sh: FAILED: no RabbitMQ (amqp://guest:guest@127.0.0.1:5672//) and" \
            "TROC_BROKER_URL is not amqp://: start it (make backends)" >&2; exit 2 ;;
  esac
fi
status=0
"$PY" bench/ledger_bench.py "${ledger_args[@]}" || status=$?
if [ -n "$help" ]; then
  "$PY" bench/e2e_bench.py --help
  exit "$status"
fi
"$PY" bench/e2e_bench.py "${e2e_args[@]}" || status=$?
exit "$status"
