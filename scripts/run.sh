#!/usr/bin/env bash
# One-command dev run (make run): install, migrate, seed the demo, start every service with honcho
# on the embedded defaults (SQLite + filesystem bus under var/). Ctrl-C stops everything.
# Arguments are passed to scripts/devrun.py (e.g. `scripts/run.sh start` to skip migrate/seed).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
"$ROOT/scripts/install.sh"
mkdir -p var
exec "${VENV:-.venv}/bin/python" "$ROOT/scripts/devrun.py" "${@:-all}"
