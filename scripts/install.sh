#!/usr/bin/env bash
# Create .venv (Python 3.11+) and install the platform's packages (editable) plus the dev tools.
#
# Usage: scripts/install.sh [--lock] [--force]
#   --force  reinstall even if the stamp says the venv is up to date
#   --lock   install without requirements/constraints.txt, then rewrite it from `pip freeze`
# Environment: PYTHON (interpreter used to create the venv), VENV (default .venv).
# Idempotent: a stamp under the venv records a hash of every pyproject.toml, the requirement
# files and the interpreter, so a second run with nothing changed returns in well under a second.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VENV=${VENV:-.venv}
STAMP="$VENV/.troc-install.stamp"
CONSTRAINTS=requirements/constraints.txt
DEV_REQUIREMENTS=requirements/dev.txt
FORCE=0
LOCK=0
for arg in "$@"; do
  case $arg in
    --force) FORCE=1 ;;
    --lock) LOCK=1; FORCE=1 ;;
    *) echo "install.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

say() { printf '==> %s\n' "$*"; }
is_py311() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }

# --- the interpreter -------------------------------------------------------------------------
if [ -x "$VENV/bin/python" ] && ! is_py311 "$VENV/bin/python"; then
  echo "install.sh: $VENV exists but its Python is not 3.11+ (or is broken);" \
       "remove it (make distclean) and rerun." >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  PY=""
  for candidate in ${PYTHON:-} python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && is_py311 "$candidate"; then
      PY=$(command -v "$candidate"); break
    fi
  done
  if [ -z "$PY" ]; then
    echo "install.sh: no Python 3.11+ found (tried \$PYTHON, python3.13, python3.12, python3.11," \
         "python3); install one or set PYTHON=/path/to/python3.11" >&2
    exit 1
  fi
  say "creating $VENV with $PY ($("$PY" --version 2>&1))"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi
VPY="$VENV/bin/python"

# --- what to install -------------------------------------------------------------------------
# chassis, contracts and the ledger are the core; the gateway and the other services join as
# soon as their folder holds a pyproject.toml. A missing core package is reported, not fatal,
# so that a clone taken while the platform is being built still installs what it has.
PACKAGES=()
for dir in chassis contracts services/ledger ops; do
  if [ -f "$dir/pyproject.toml" ]; then PACKAGES+=("$dir")
  else echo "install.sh: WARNING: $dir/pyproject.toml is missing; $dir is not installed" >&2; fi
done
for pyproject in gateway/pyproject.toml services/*/pyproject.toml; do
  [ -f "$pyproject" ] || continue
  dir=$(dirname "$pyproject")
  [ "$dir" = services/ledger ] && continue
  PACKAGES+=("$dir")
done
# The generated client of the public API (`make client`): the end-to-end tests drive it.
[ -f clients/python/setup.py ] && PACKAGES+=(clients/python)

fingerprint() {
  {
    "$VPY" --version 2>&1
    printf '%s\n' "${PACKAGES[@]}"
    for dir in "${PACKAGES[@]}"; do cat "$dir/pyproject.toml"; done
    cat "$DEV_REQUIREMENTS"
    [ -f "$CONSTRAINTS" ] && cat "$CONSTRAINTS"
    true
  } | sha256sum | cut -d' ' -f1
}

WANT=$(fingerprint)
if [ "$FORCE" = 0 ] && [ -f "$STAMP" ] && [ "$(head -1 "$STAMP")" = "$WANT" ]; then
  touch "$STAMP"   # so that make sees the stamp as newer than the pyproject files
  say "$VENV is up to date (${PACKAGES[*]})"
  exit 0
fi

# --- install ---------------------------------------------------------------------------------
PIP_ARGS=(install --quiet --disable-pip-version-check)
if [ "$LOCK" = 0 ] && [ -f "$CONSTRAINTS" ]; then
  PIP_ARGS+=(--constraint "$CONSTRAINTS")
fi
# "compat" editable installs put each package's folder on sys.path (a .pth line): the checkout's
# folders chassis/, contracts/ and gateway/ would otherwise shadow the packages inside them as
# empty namespace packages when Python runs from the repository root.
PIP_ARGS+=(--config-settings editable_mode=compat)
for dir in "${PACKAGES[@]}"; do PIP_ARGS+=(--editable "$dir"); done
PIP_ARGS+=(--requirement "$DEV_REQUIREMENTS")

say "installing into $VENV: ${PACKAGES[*]} + dev tools ($DEV_REQUIREMENTS)"
if ! "$VPY" -m pip "${PIP_ARGS[@]}"; then
  echo "install.sh: pip install failed. If a package now needs a version that" \
       "$CONSTRAINTS forbids, run 'make lock' to re-pin." >&2
  exit 1
fi
"$VPY" -m pip check

# --- the constraints file --------------------------------------------------------------------
FROZEN=$("$VPY" -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^-e ' | LC_ALL=C sort -f)
if [ "$LOCK" = 1 ] || [ ! -f "$CONSTRAINTS" ]; then
  {
    echo "# Versions installed by 'make install' (pip freeze --exclude-editable; the project's own"
    echo "# packages are installed editable and are not listed). Regenerate with 'make lock'."
    echo "$FROZEN"
  } > "$CONSTRAINTS"
  say "wrote $CONSTRAINTS ($(grep -vc '^#' "$CONSTRAINTS") pins)"
else
  # A dependency added by a pyproject since the last lock is installed unpinned: say so.
  unpinned=$(comm -23 \
    <(echo "$FROZEN" | sed 's/==.*//' | tr 'A-Z_.' 'a-z--' | LC_ALL=C sort -u) \
    <(grep -v '^#' "$CONSTRAINTS" | sed 's/==.*//' | tr 'A-Z_.' 'a-z--' | LC_ALL=C sort -u))
  if [ -n "$unpinned" ]; then
    echo "install.sh: NOTE: not pinned in $CONSTRAINTS yet (run 'make lock'):" $unpinned >&2
  fi
fi

fingerprint > "$STAMP"
say "done: $("$VPY" --version 2>&1) in $VENV with ${PACKAGES[*]}"
