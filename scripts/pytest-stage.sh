#!/usr/bin/env bash
# Run one stage of `make test` (unit | integration | e2e | security | chaos) with pytest, plus extra
# pytest arguments. "No tests in this stage" (pytest exit 5) is reported and counts as success, so a
# stage can exist before its tests do. A JUnit report goes to build/test-reports/<stage>.xml.
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
  echo "(no $stage tests collected yet: nothing to run in this stage)"
  rc=0
fi
exit "$rc"
