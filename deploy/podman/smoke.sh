#!/usr/bin/env bash
# `make container-smoke` (CI's container stage, after `make test`): build the images, boot the
# compose stack on free loopback ports under a project of its own, drive the barter flow through
# the containers' gateway with faults (tests/containers/smoke.py), and always take the stack down
# again (containers, volumes, networks). Installs Podman & co from Debian if no engine is here.
# Exit status: the test's (non-zero on any failure; nothing is skipped).
set -euo pipefail
# shellcheck source=deploy/podman/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$TROC_ROOT"

T0=$SECONDS
declare -a TIMES=()
mark() { TIMES+=("$(printf '%-22s %4ss' "$1" $((SECONDS - $2)))"); }

# --- the engine: Docker if one answers, else Podman (installed from Debian if missing) --------
t=$SECONDS
if ! { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }; then
  missing=()
  for tool in podman:podman buildah:buildah mmdebstrap:mmdebstrap runc:runc \
              podman-compose:podman-compose netavark:/usr/lib/podman/netavark \
              aardvark-dns:/usr/lib/podman/aardvark-dns iptables:iptables; do
    command -v "${tool#*:}" >/dev/null 2>&1 || missing+=("${tool%%:*}")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
ENGINE=$(troc_engine)
mark "engine ($ENGINE)" "$t"

# --- the stack's own name and ports ------------------------------------------------------------
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export TROC_COMPOSE_PROJECT=${TROC_COMPOSE_PROJECT:-troc-smoke}
export TROC_GATEWAY_PUBLISHED_PORT=${TROC_GATEWAY_PUBLISHED_PORT:-$(free_port)}
export TROC_MAILPIT_PUBLISHED_PORT=${TROC_MAILPIT_PUBLISHED_PORT:-$(free_port)}
export TROC_RABBITMQ_MANAGEMENT_PUBLISHED_PORT=${TROC_RABBITMQ_MANAGEMENT_PUBLISHED_PORT:-$(free_port)}
# The test's webhook receiver listens on the host's side of the stack's own network.
export TROC_WEBHOOKS_ALLOW_PRIVATE_TARGETS=1

t=$SECONDS
deploy/podman/images.sh all
mark "make image" "$t"

cleanup() {
  local rc=$?
  deploy/podman/stack.sh down || true
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM INT  # a timeout still takes the stack down
deploy/podman/stack.sh down >/dev/null 2>&1 || true  # what a killed run may have left

t=$SECONDS
deploy/podman/stack.sh up
mark "make up" "$t"

t=$SECONDS
mkdir -p build/test-reports
set +e
TROC_SMOKE_ENGINE=$ENGINE TROC_SMOKE_PROJECT=$TROC_COMPOSE_PROJECT \
TROC_SMOKE_GATEWAY_URL="http://127.0.0.1:$TROC_GATEWAY_PUBLISHED_PORT" \
  "${VENV:-.venv}/bin/python" -m pytest tests/containers/smoke.py -p no:cacheprovider -n 0 \
  --junitxml=build/test-reports/containers.xml -o junit_family=xunit2 -v
rc=$?
set -e
mark "smoke test" "$t"
[ "$rc" = 0 ] || deploy/podman/stack.sh ps || true

t=$SECONDS
deploy/podman/stack.sh down
trap - EXIT
mark "make down" "$t"

echo "===== container stage ($ENGINE) ====="
for line in "${TIMES[@]}"; do echo "  $line"; done
echo "  total                  $((SECONDS - T0))s"
echo "  images:"
$ENGINE images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E 'troc-(actif|postgres|rabbitmq|mailsink):' \
  | sed 's/^/    /' || true
exit "$rc"
