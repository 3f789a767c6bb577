#!/usr/bin/env bash
# Run one stage of `make test` (unit | integration | e2e | security | chaos) with pytest, plus extra
# pytest arguments. A JUnit report goes to build/test-reports/<stage>.xml. A stage that ran nothing
# fails: no test collected (pytest exit 5), or every test skipped or deselected.
# The backends are chosen by the chassis' pytest plugin (chassis.testing.local): the environment's,
# else PostgreSQL/RabbitMQ found at their default local addresses, else SQLite + the filesystem bus.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
stage=${1:?usage: pytest-stage.sh unit|integration|e2e|security|chaos [pytest args...]}
shift
mkdir -p build/test-reports
printf '\n===== pytest: %s tests =====\n' "$stage"
PYTHONPATH="$ROOT/scripts${PYTHONPATH:+:$PYTHONPATH}" "${VENV:-.venv}/bin/python" -m pytest \
  -p pytest_troc_stages --troc-stage="$stage" \
  --junitxml="build/test-reports/$stage.xml" -o junit_family=xunit2 "$@"
rc=$?
if [ "$rc" = 5 ]; then
  echo "pytest-stage: FAILED: no $stage test collected: the stage ran nothing" >&2
  exit 1
fi
if [ "$rc" = 0 ]; then
  "${VENV:-.venv}/bin/python" scripts/test_summary.py build/test-reports --ran "$stage" || rc=1
fi
exit "$rc"
