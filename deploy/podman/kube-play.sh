#!/usr/bin/env bash
# `make kube-play`: the Kubernetes manifests of deploy/k8s run by `podman kube play` on the images
# of `make image`, checked, and taken down again. What Podman cannot run is rendered around
# (deploy/podman/kube_render.py says how; deploy/README.md section 11 lists it): PostgreSQL and
# RabbitMQ as Pods, the migration Jobs and the health CronJob as Pods, Services as network
# aliases, every containerPort on 127.0.0.1 only.
#
# Order as in the runbook: backends, the migrations (each Pod must exit 0), the gateway, the other
# Deployments (every web process ready), then the health command's Pod (must exit 0).
set -euo pipefail
# shellcheck source=deploy/podman/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$TROC_ROOT"

[ "$(troc_engine)" = podman ] || die "podman kube play needs Podman (TROC_ENGINE=podman)"
[ -s "$TROC_IMAGES_ENV" ] || die "no $TROC_IMAGES_ENV: run \`make image\` first"
set -a
# shellcheck disable=SC1090
. "$TROC_IMAGES_ENV"
set +a
NET=${TROC_KUBE_NETWORK:-troc-kube}
OUT="$TROC_ROOT/build/kube"
WAIT=${TROC_UP_TIMEOUT:-300}
PY="$TROC_ROOT/.venv/bin/python"
[ -x "$PY" ] || PY=python3
T0=$SECONDS

quiet() { "$@" 2> >(grep -v 'systemd' >&2); }

cleanup() {
  local f
  for f in 30-health 20-services 10-migrate 00-backends; do
    [ -f "$OUT/$f.yaml" ] && podman kube down "$OUT/$f.yaml" >/dev/null 2>&1 || true
  done
  podman secret rm troc-secrets >/dev/null 2>&1 || true
  podman volume rm -f gateway-keys >/dev/null 2>&1 || true
  podman network rm -f "$NET" >/dev/null 2>&1 || true
}

until_ok() {  # until_ok <what> <command...>: retry for WAIT seconds
  local what=$1 deadline=$((SECONDS + WAIT)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt "$deadline" ] || die "$what: not ready after ${WAIT}s"
    sleep 2
  done
  log "$what ready"
}

exited_ok() {  # exited_ok <container>: it ran to exit status 0
  local rc
  rc=$(timeout "$WAIT" podman wait "$1" 2>/dev/null | tail -1) || rc=timeout
  if [ "$rc" != 0 ]; then
    podman logs --tail 40 "$1" >&2 || true
    die "$1 exited with $rc"
  fi
  log "$1 exited 0"
}

ready() {  # ready <container> <port>: /readyz answers 200 inside the pod
  podman exec "$1" python -c "import urllib.request as r; r.urlopen('http://127.0.0.1:$2/readyz', timeout=4)"
}

cleanup
trap cleanup EXIT
trap 'exit 143' TERM INT
rm -rf "$OUT"
mapfile -t ALIASES < <("$PY" deploy/podman/kube_render.py "$OUT" "$TROC_IMAGE" \
                        "$TROC_POSTGRES_IMAGE" "$TROC_RABBITMQ_IMAGE")
podman network create "$NET" >/dev/null
podman secret create troc-secrets "$OUT/secret.yaml" >/dev/null

quiet podman kube play --network "$NET" "$OUT/00-backends.yaml" >/dev/null
until_ok postgres podman exec -e PGPASSWORD=troc postgres-postgres \
  psql -h 127.0.0.1 -U troc -d troc_notifications -tAc 'select 1'
until_ok rabbitmq podman exec rabbitmq-rabbitmq rabbitmq-diagnostics -q check_port_connectivity

quiet podman kube play --network "$NET" --configmap "$OUT/config.yaml" "$OUT/10-migrate.yaml" >/dev/null
for pod in $(podman pod ps --filter label=app.kubernetes.io/component=migrate --format '{{.Name}}'); do
  exited_ok "$pod-migrate"
done

# The Deployments' pods are created stopped, given their Service's name, then started.
quiet podman kube play --start=false --network "$NET" --configmap "$OUT/config.yaml" \
  "$OUT/20-services.yaml" >/dev/null
for line in "${ALIASES[@]}"; do
  read -r alias pod _ _ <<< "$line"
  infra=$(podman pod inspect "$pod" --format '{{.InfraContainerID}}')
  podman network disconnect "$NET" "$infra" >/dev/null
  podman network connect --alias "$alias" "$NET" "$infra" >/dev/null
done
quiet podman pod start gateway-pod-0 >/dev/null
until_ok "gateway (kube)" ready gateway-pod-0-web 8000
quiet podman pod start $(podman pod ps --filter status=created --format '{{.Name}}' | grep -- '-pod-0$') >/dev/null
for line in "${ALIASES[@]}"; do
  read -r alias pod port host_port <<< "$line"
  until_ok "$alias (kube)" ready "$pod-web" "$port"
  [ "$alias" = gateway ] && gateway_port=$host_port
done
until_ok "gateway on 127.0.0.1:$gateway_port" curl -fsS "http://127.0.0.1:$gateway_port/readyz"

quiet podman kube play --network "$NET" --configmap "$OUT/config.yaml" "$OUT/30-health.yaml" >/dev/null
exited_ok troc-health-health
podman logs troc-health-health
log "deploy/k8s ran under podman kube play and passed its health command in $((SECONDS - T0))s"
