#!/usr/bin/env bash
# PostgreSQL reference for the ledger benchmark: the fixed pgbench suite of ../shared/bench,
# scenarios fn-uniform and fn-hot at 4 clients, against the running server (127.0.0.1:5432).
#
# Usage: bench/pgbench_reference.sh [OUTPUT_JSON]   (default bench/out/pgbench_reference.json)
# Prints and writes {"pgbench_tps_uniform": N, "pgbench_tps_hot": N, ...}; exits non-zero if a
# scenario is missing, failed, or broke an invariant. Takes about a minute (2 x 20 s + loading).
# Environment: SHARED_BENCH (default <repo>/../shared/bench), PGHOST/PGPORT/PGUSER
# (127.0.0.1/5432/postgres), DURATION (run.sh's default: 20 s; keep it for comparable figures).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(git -C "$HERE" rev-parse --show-toplevel 2>/dev/null || dirname "$HERE")
# ../shared/bench beside the checkout; a worktree one level deeper finds it one level up.
if [ -z "${SHARED_BENCH:-}" ]; then
  SHARED_BENCH=$ROOT/../shared/bench
  [ -f "$SHARED_BENCH/run.sh" ] || [ ! -f "$ROOT/../../shared/bench/run.sh" ] \
    || SHARED_BENCH=$ROOT/../../shared/bench
fi
OUTPUT_JSON=${1:-$ROOT/bench/out/pgbench_reference.json}
SCENARIOS=(fn-uniform fn-hot)

die() { echo "pgbench_reference.sh: $*" >&2; exit 1; }

[ -x "$SHARED_BENCH/run.sh" ] || [ -f "$SHARED_BENCH/run.sh" ] \
  || die "reference benchmark not found at $SHARED_BENCH (set SHARED_BENCH)"
SHARED_BENCH=$(cd "$SHARED_BENCH" && pwd)
command -v pgbench >/dev/null || die "pgbench is missing (apt-get install postgresql-contrib or postgresql)"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
pg_isready -q -h "$PGHOST" -p "$PGPORT" \
  || die "PostgreSQL does not answer on $PGHOST:$PGPORT (scripts/backends.sh start)"

# run.sh writes only under OUT, so the read-only shared folder is used in place with an
# absolute OUT. Each run gets its own folder so raw outputs are kept side by side.
OUT=$ROOT/bench/out/pgbench-reference/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT" "$(dirname "$OUTPUT_JSON")"
OUTPUT_JSON=$(cd "$(dirname "$OUTPUT_JSON")" && pwd)/$(basename "$OUTPUT_JSON")

echo "==> pgbench reference: ${SCENARIOS[*]} at 4 clients on $PGHOST:$PGPORT (raw output: $OUT)"
CLIENTS=4 OUT="$OUT" bash "$SHARED_BENCH/run.sh" "${SCENARIOS[@]}"

TSV=$OUT/results.tsv
[ -f "$TSV" ] || die "run.sh wrote no $TSV"
awk -F'\t' -v out="$OUTPUT_JSON" -v raw="$OUT" -v dur="${DURATION:-20}" '
  NR == 1 { next }
  $2 == 4 && $3 == "on" {
    key = ($1 == "fn-uniform") ? "uniform" : ($1 == "fn-hot") ? "hot" : ""
    if (key == "") next
    tps[key] = $4; lat[key] = $5; failed[key] = $7; inv[key] = $9; load[key] = $10
  }
  END {
    bad = ""
    split("uniform hot", keys, " ")
    for (i = 1; i <= 2; i++) {
      k = keys[i]
      if (!(k in tps)) bad = bad " fn-" k ": no result;"
      else if (tps[k] + 0 <= 0) bad = bad " fn-" k ": tps 0 (see raw output);"
      else if (inv[k] != "ok") bad = bad " fn-" k ": invariants " inv[k] ";"
      else if (failed[k] != "0" && failed[k] != "NA") bad = bad " fn-" k ": " failed[k] " failed;"
    }
    json = sprintf("{\"pgbench_tps_uniform\": %d, \"pgbench_tps_hot\": %d, " \
                   "\"pgbench_latency_ms_uniform\": %s, \"pgbench_latency_ms_hot\": %s, " \
                   "\"pgbench_clients\": 4, \"pgbench_duration_s\": %d, " \
                   "\"pgbench_load1_before\": [%s, %s], \"pgbench_raw\": \"%s\"}",
                   tps["uniform"], tps["hot"], lat["uniform"] + 0, lat["hot"] + 0, dur,
                   load["uniform"] + 0, load["hot"] + 0, raw)
    print json > out
    print json
    if (bad != "") { print "pgbench_reference.sh:" bad > "/dev/stderr"; exit 1 }
  }' "$TSV"
echo "==> wrote $OUTPUT_JSON"
