#!/usr/bin/env bash
# `make up` / `make down` / `make logs` / `make shell`: the compose stack of docker-compose.yml on
# the images of `make image` (build/images.env), with Docker or with Podman.
#
#   deploy/podman/stack.sh up        start and wait until every healthcheck passes
#   deploy/podman/stack.sh down      stop, and remove the containers, volumes and networks
#   deploy/podman/stack.sh ps|logs [service]|shell <service>|container <service>
#
# Host ports bind to 127.0.0.1 only; the defaults avoid the ports of `make run` and of the local
# servers (TROC_GATEWAY_PUBLISHED_PORT=18000, TROC_MAILPIT_PUBLISHED_PORT=18025,
# TROC_RABBITMQ_MANAGEMENT_PUBLISHED_PORT=18672). TROC_COMPOSE_PROJECT names the stack (troc-actif).
#
# Docker Compose v2 waits for the healthchecks itself (--wait). podman-compose 1.0.3 ignores the
# conditions of depends_on and Podman runs no healthcheck without systemd, so on Podman this script
# follows the order of the compose file itself: backends, `podman healthcheck run` until healthy,
# the migrations (each must exit 0), the gateway (healthy), then every other process (healthy).
set -euo pipefail
# shellcheck source=deploy/podman/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$TROC_ROOT"

ENGINE=$(troc_engine)
read -r -a COMPOSE <<< "$(troc_compose "$ENGINE")"
PROJECT=${TROC_COMPOSE_PROJECT:-troc-actif}
export TROC_GATEWAY_PUBLISHED_PORT=${TROC_GATEWAY_PUBLISHED_PORT:-18000}
export TROC_MAILPIT_PUBLISHED_PORT=${TROC_MAILPIT_PUBLISHED_PORT:-18025}
export TROC_RABBITMQ_MANAGEMENT_PUBLISHED_PORT=${TROC_RABBITMQ_MANAGEMENT_PUBLISHED_PORT:-18672}
# Seconds each wait may take (a backend's first start, a migration, a web process).
WAIT=${TROC_UP_TIMEOUT:-300}

BACKENDS=(postgres rabbitmq mailpit)

compose() { "${COMPOSE[@]}" -p "$PROJECT" -f docker-compose.yml "$@"; }

load_images() {
  [ -s "$TROC_IMAGES_ENV" ] || die "no $TROC_IMAGES_ENV: run \`make image\` first"
  set -a
  # shellcheck disable=SC1090
  . "$TROC_IMAGES_ENV"
  set +a
}

# Services of the compose file (default profile, backends aside), in the file's order:
# `services migrate` the migrations, `services run` the rest, `services health` those with a
# healthcheck.
services() {
  local py="$TROC_ROOT/.venv/bin/python"
  [ -x "$py" ] || py=python3
  "$py" - "$1" <<'PY'
import sys

import yaml

kind = sys.argv[1]
with open("docker-compose.yml") as file:
    services = yaml.safe_load(file)["services"]
for name, svc in services.items():
    if svc.get("profiles") or name in ("postgres", "rabbitmq", "mailpit"):
        continue
    if (kind == "migrate") == name.endswith("-migrate") and (
            kind != "health" or "healthcheck" in svc):
        print(name)
PY
}

# The container of a service: podman-compose names it <project>_<service>_1.
container() {
  if [ "$ENGINE" = podman ]; then echo "${PROJECT}_$1_1"
  else compose ps -q "$1"; fi
}

wait_healthy() {  # wait_healthy <service>...
  local service name deadline
  for service in "$@"; do
    name=$(container "$service")
    deadline=$((SECONDS + WAIT))
    until podman healthcheck run "$name" >/dev/null 2>&1; do
      if [ $SECONDS -ge "$deadline" ]; then
        podman logs --tail 40 "$name" >&2 || true
        die "$service not healthy after ${WAIT}s"
      fi
      sleep 1
    done
    log "$service healthy"
  done
}

wait_exited_ok() {  # wait_exited_ok <service>...: each container ran to exit status 0
  local service name rc
  for service in "$@"; do
    name=$(container "$service")
    rc=$(timeout "$WAIT" podman wait "$name" 2>/dev/null | tail -1) || rc=timeout
    if [ "$rc" != 0 ]; then
      podman logs --tail 40 "$name" >&2 || true
      die "$service exited with $rc"
    fi
    log "$service done"
  done
}

up_podman() {
  local migrations others rest=() web s log="$TROC_ROOT/build/compose-up.log"
  mapfile -t migrations < <(services migrate)
  mapfile -t others < <(services run)
  mapfile -t web < <(services health)
  for s in "${others[@]}"; do [ "$s" = gateway ] || rest+=("$s"); done
  # podman-compose creates every container, volume and network (and starts nothing): starting a
  # service with it would start its dependencies again, migrations included.
  mkdir -p "$(dirname "$log")"
  if ! compose up --no-build --no-start > "$log" 2>&1; then
    cat "$log" >&2
    die "podman-compose could not create the stack (above)"
  fi
  start "${BACKENDS[@]}"
  wait_healthy "${BACKENDS[@]}"
  start "${migrations[@]}"
  wait_exited_ok "${migrations[@]}"
  start gateway
  wait_healthy gateway
  start "${rest[@]}"
  wait_healthy "${web[@]}"
}

start() {  # start <service>...: their containers, as created by podman-compose
  local service names=()
  for service in "$@"; do names+=("$(container "$service")"); done
  podman start "${names[@]}" > /dev/null 2> >(no_systemd_noise >&2)
}

# Podman without systemd says at every start and removal that it cannot set a healthcheck timer.
no_systemd_noise() { grep -v 'unable to get systemd connection' || true; }

up() {
  local t0=$SECONDS
  load_images
  log "starting $PROJECT with $ENGINE: gateway on http://127.0.0.1:$TROC_GATEWAY_PUBLISHED_PORT"
  if [ "$ENGINE" = docker ]; then
    if [ "${COMPOSE[*]}" = "docker compose" ]; then
      compose up -d --no-build --wait --wait-timeout "$WAIT"
    else
      compose up -d --no-build
    fi
  else
    up_podman
  fi
  log "$PROJECT up in $((SECONDS - t0))s: http://127.0.0.1:$TROC_GATEWAY_PUBLISHED_PORT (API, /docs, /app)," \
      "mail http://127.0.0.1:$TROC_MAILPIT_PUBLISHED_PORT"
}

down() {
  load_images 2>/dev/null || true
  if [ "$ENGINE" = docker ]; then
    compose --profile observability down --volumes --remove-orphans
    return
  fi
  # The containers first, with their anonymous volumes (podman-compose 1.0.3 leaves those), then
  # what podman-compose made by name, then anything of the project's label that is left.
  local label="io.podman.compose.project=$PROJECT" ids
  ids=$(podman ps -aq --filter "label=$label")
  [ -z "$ids" ] || podman rm -f -v -t 10 $ids > /dev/null 2> >(no_systemd_noise >&2)
  compose down -v -t 10 >/dev/null 2>&1 || true
  ids=$(podman volume ls -q --filter "label=$label")
  [ -z "$ids" ] || podman volume rm -f $ids >/dev/null
  ids=$(podman network ls -q --filter "label=$label")
  [ -z "$ids" ] || podman network rm -f $ids >/dev/null
  podman pod rm -f "pod_$PROJECT" >/dev/null 2>&1 || true
  log "$PROJECT down (containers, volumes and networks removed)"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  ps) load_images; compose ps ;;
  logs) load_images; shift; compose logs -f "$@" ;;
  shell) load_images; $ENGINE exec -it "$(container "${2:?which service?}")" sh ;;
  container) container "${2:?which service?}" ;;
  *) die "usage: $0 up|down|ps|logs [service]|shell <service>|container <service>" ;;
esac
