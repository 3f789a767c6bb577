#!/usr/bin/env bash
# `make image`: the project's image and the images of its backends, built from Debian packages
# only (no container registry is needed), with Docker when an engine answers and Podman otherwise.
#
#   deploy/podman/images.sh [all]     bases (cached), backends, the project's image (default)
#   deploy/podman/images.sh bases     only the Debian bases
#   deploy/podman/images.sh lock      rebuild the bases from the mirror's current packages and
#                                     rewrite deploy/podman/lock/*.txt (then commit them)
#
# Reproducible: each base is an `mmdebstrap --variant=minbase` tarball of exactly the package
# versions of its lock file (apt fails when the mirror no longer has one: run `lock`), built with
# SOURCE_DATE_EPOCH; tags carry versions and a hash of the lock, never `latest`. Every image gets
# the OCI labels version (git describe), revision (commit) and source.
# Writes build/images.env: the image references `make up` hands to docker-compose.yml.
set -euo pipefail
# shellcheck source=deploy/podman/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$TROC_ROOT"

ENGINE=$(troc_engine)
MODE=${1:-all}
VERSION=$(troc_version)
REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)
SOURCE=${TROC_IMAGE_SOURCE:-https://git.trocactif.org/troc-actif/platform}
# Image timestamps: the commit's, so two builds of one commit give the same image metadata.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
export SOURCE_DATE_EPOCH

# What each base holds besides Debian's minbase (the lock adds every dependency, pinned).
declare -A PACKAGES=(
  # The project's processes; aiosmtpd for the mail sink of the compose stack (same base).
  [python]="python3 python3-venv python-is-python3 passwd ca-certificates fonts-dejavu-core python3-aiosmtpd"
  [postgres]="postgresql-15 postgresql-client-15 passwd"
  [rabbitmq]="rabbitmq-server passwd"
)
# The package whose upstream version names the image (troc-postgres:15.13-<lock hash>).
declare -A MAIN_PACKAGE=([python]=python3 [postgres]=postgresql-15 [rabbitmq]=rabbitmq-server)

customize_hook() {
  case "$1" in
    python) # pip inside builds trusts the system CA bundle (the host's, mounted at build time).
      echo 'printf "[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n" > "$1/etc/pip.conf"' ;;
    postgres) # The entrypoint creates the cluster in PGDATA; drop the one the package made.
      echo 'rm -rf "$1/var/lib/postgresql/15" "$1/etc/postgresql/15"' ;;
    rabbitmq) # The management UI/API and the Prometheus endpoint, as in rabbitmq:3-management.
      echo 'echo "[rabbitmq_management,rabbitmq_prometheus]." > "$1/etc/rabbitmq/enabled_plugins"; rm -rf "$1/var/lib/rabbitmq/mnesia" "$1/var/lib/rabbitmq/.erlang.cookie"' ;;
  esac
}

lock_file() { echo "$TROC_PODMAN_DIR/lock/$1.txt"; }

# A short hash of everything a base is made of: its lock, its package list and its hook.
base_key() {
  { cat "$(lock_file "$1")"; echo "${PACKAGES[$1]}"; customize_hook "$1"; echo "$TROC_DEBIAN_SUITE"; } \
    | sha256sum | cut -c1-12
}

# The tag's hash of a backend image: its base and every file of its folder (deploy/podman/$2).
image_key() {
  { base_key "$1"; cat "$TROC_PODMAN_DIR/$2"/*; } | sha256sum | cut -c1-8
}

upstream_version() {  # 15.13-0+deb12u1 -> 15.13 ; 3.11.2-1+b1 -> 3.11.2
  local v
  v=$(grep -m1 "^$2=" "$(lock_file "$1")" | cut -d= -f2)
  v=${v#*:}; v=${v%%-*}; v=${v%%+*}
  echo "${v//[^A-Za-z0-9_.]/.}"
}

# mmdebstrap a base into a tarball. $3 = pinned (every package at its lock version) or lock.
debootstrap_base() {
  local name=$1 tar=$2 how=$3 manifest includes
  command -v mmdebstrap >/dev/null || die "mmdebstrap is missing: apt-get install -y mmdebstrap"
  manifest=$(mktemp)
  if [ "$how" = pinned ]; then
    includes=$(paste -sd, "$(lock_file "$name")")
  else
    includes=${PACKAGES[$name]// /,}
  fi
  log "mmdebstrap $name ($how) -> $tar"
  mmdebstrap --quiet --variant=minbase --mode=root --format=tar \
    --aptopt='Acquire::Retries "3"' \
    --include="$includes" \
    --customize-hook="$(customize_hook "$name")" \
    --customize-hook="chroot \"\$1\" dpkg-query -W -f '\${Package}=\${Version}\n' | LC_ALL=C sort > $manifest" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/cache/ldconfig/aux-cache "$1"/var/log/*.log "$1"/var/log/apt/*' \
    "$TROC_DEBIAN_SUITE" "$tar.part" \
    "deb $TROC_DEBIAN_MIRROR $TROC_DEBIAN_SUITE main" \
    "deb $TROC_DEBIAN_MIRROR $TROC_DEBIAN_SUITE-updates main" \
    "deb $TROC_DEBIAN_SECURITY $TROC_DEBIAN_SUITE-security main" \
    || { rm -f "$tar.part" "$manifest"; die "mmdebstrap of the $name base failed$([ "$how" = pinned ] && echo ': if a locked version left the mirror, run deploy/podman/images.sh lock')"; }
  if [ "$how" = lock ]; then
    cp "$manifest" "$(lock_file "$name")"
    log "wrote $(lock_file "$name") ($(wc -l < "$manifest") packages)"
  elif ! diff -u "$(lock_file "$name")" "$manifest" >&2; then
    rm -f "$tar.part" "$manifest"
    die "the $name base differs from its lock (above): run deploy/podman/images.sh lock"
  fi
  rm -f "$manifest"
  mv "$tar.part" "$tar"
}

image_exists() { $ENGINE image inspect "$1" >/dev/null 2>&1; }

# The base image of $1 (built or taken from the cache); prints its reference.
base_image() {
  local name=$1 key ref tar
  [ -s "$(lock_file "$name")" ] || die "no lock file for the $name base: run deploy/podman/images.sh lock"
  key=$(base_key "$name")
  ref="localhost/troc-base-$name:$TROC_DEBIAN_SUITE-$key"
  if ! image_exists "$ref"; then
    mkdir -p "$TROC_IMAGE_CACHE"
    tar="$TROC_IMAGE_CACHE/troc-base-$name-$TROC_DEBIAN_SUITE-$key.tar"
    [ -s "$tar" ] || debootstrap_base "$name" "$tar" pinned
    log "import $tar as $ref"
    $ENGINE import --message "Debian $TROC_DEBIAN_SUITE minbase + ${PACKAGES[$name]}" "$tar" "$ref" >/dev/null
  fi
  echo "$ref"
}

build() {  # build <tag> <Containerfile> <context> [extra build args...]
  local tag=$1 file=$2 context=$3; shift 3
  local args=(-f "$file" -t "$tag"
    --build-arg "VERSION=$VERSION" --build-arg "REVISION=$REVISION" --build-arg "SOURCE=$SOURCE"
    --label "org.opencontainers.image.version=$VERSION"
    --label "org.opencontainers.image.revision=$REVISION"
    --label "org.opencontainers.image.source=$SOURCE")
  if [ "$ENGINE" = podman ]; then
    # HTTPS from inside the build (pip) trusts what the host trusts; no build-host label, fixed
    # timestamps.
    args+=(--identity-label=false --timestamp "$SOURCE_DATE_EPOCH"
           -v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro)
  fi
  log "build $tag"
  $ENGINE build "${args[@]}" "$@" "$context"
}

lock() {
  local name tar
  local pids=() rc=0
  for name in "${!PACKAGES[@]}"; do
    tar=$(mktemp -u "/tmp/troc-base-$name.XXXXXX.tar")
    ( debootstrap_base "$name" "$tar" lock && rm -f "$tar" ) & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  return "$rc"
}

# The missing base tarballs, built side by side (mostly downloads and dpkg).
prefetch_bases() {
  local name key tar pids=() rc=0
  mkdir -p "$TROC_IMAGE_CACHE"
  for name in python postgres rabbitmq; do
    [ -s "$(lock_file "$name")" ] || die "no lock file for the $name base: run deploy/podman/images.sh lock"
    key=$(base_key "$name")
    image_exists "localhost/troc-base-$name:$TROC_DEBIAN_SUITE-$key" && continue
    tar="$TROC_IMAGE_CACHE/troc-base-$name-$TROC_DEBIAN_SUITE-$key.tar"
    [ -s "$tar" ] && continue
    debootstrap_base "$name" "$tar" pinned & pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  [ "$rc" = 0 ] || die "a base could not be built (above)"
}

all() {
  local t0=$SECONDS python postgres rabbitmq key tag
  prefetch_bases
  python=$(base_image python)
  postgres=$(base_image postgres)
  rabbitmq=$(base_image rabbitmq)
  log "bases ready in $((SECONDS - t0))s"
  [ "$MODE" = bases ] && return

  key=$(image_key postgres postgres)
  TROC_POSTGRES_IMAGE="localhost/troc-postgres:$(upstream_version postgres postgresql-15)-$key"
  build "$TROC_POSTGRES_IMAGE" deploy/podman/postgres/Containerfile deploy/podman/postgres \
    --build-arg "BASE=$postgres"
  key=$(image_key rabbitmq rabbitmq)
  TROC_RABBITMQ_IMAGE="localhost/troc-rabbitmq:$(upstream_version rabbitmq rabbitmq-server)-$key"
  build "$TROC_RABBITMQ_IMAGE" deploy/podman/rabbitmq/Containerfile deploy/podman/rabbitmq \
    --build-arg "BASE=$rabbitmq"
  key=$(image_key python mailsink)
  TROC_MAILPIT_IMAGE="localhost/troc-mailsink:$(upstream_version python python3)-$key"
  build "$TROC_MAILPIT_IMAGE" deploy/podman/mailsink/Containerfile deploy/podman/mailsink \
    --build-arg "BASE=$python"

  tag=${VERSION//[^A-Za-z0-9_.-]/-}
  TROC_IMAGE="localhost/troc-actif:$tag"
  # BuildKit reads deploy/Dockerfile.dockerignore by itself; Podman is told.
  local ignore=()
  [ "$ENGINE" = podman ] && ignore=(--ignorefile deploy/Dockerfile.dockerignore)
  build "$TROC_IMAGE" deploy/Dockerfile . "${ignore[@]}" --build-arg "PYTHON_IMAGE=$python"

  mkdir -p "$(dirname "$TROC_IMAGES_ENV")"
  cat > "$TROC_IMAGES_ENV" <<ENV
TROC_IMAGE=$TROC_IMAGE
TROC_POSTGRES_IMAGE=$TROC_POSTGRES_IMAGE
TROC_RABBITMQ_IMAGE=$TROC_RABBITMQ_IMAGE
TROC_MAILPIT_IMAGE=$TROC_MAILPIT_IMAGE
ENV
  log "images built in $((SECONDS - t0))s with $ENGINE ($TROC_IMAGES_ENV):"
  for tag in "$TROC_IMAGE" "$TROC_POSTGRES_IMAGE" "$TROC_RABBITMQ_IMAGE" "$TROC_MAILPIT_IMAGE"; do
    printf '  %s %s\n' "$tag" "$($ENGINE image inspect --format '{{.Size}}' "$tag" \
      | awk '{printf "%.0f MB", $1 / 1000000}')" >&2
  done
  [ "${TROC_IMAGE_KEEP_OLD:-0}" = 1 ] || prune "$python" "$postgres" "$rabbitmq"
}

# Earlier builds of these images (another commit, another lock) go, unless a container uses them:
# a machine that builds every commit keeps one set.
prune() {
  local current=" $TROC_IMAGE $TROC_POSTGRES_IMAGE $TROC_RABBITMQ_IMAGE $TROC_MAILPIT_IMAGE $* " ref
  for ref in $($ENGINE images --format '{{.Repository}}:{{.Tag}}' \
               | grep -E '^localhost/troc-(actif|postgres|rabbitmq|mailsink|base-[a-z]+):'); do
    case "$current" in *" $ref "*) continue ;; esac
    $ENGINE rmi "$ref" >/dev/null 2>&1 && log "removed the earlier image $ref" || true
  done
}

case "$MODE" in
  all|bases) all ;;
  lock) lock ;;
  *) die "usage: $0 [all|bases|lock]" ;;
esac
