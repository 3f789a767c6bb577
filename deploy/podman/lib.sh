# shellcheck shell=bash
# Sourced by the scripts of deploy/podman/: the container engine of this machine and the names of
# the images. Docker when an engine answers (`docker info`), Podman otherwise (TROC_ENGINE=docker or
# TROC_ENGINE=podman forces one). Podman reads the project's containers.conf.

TROC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TROC_PODMAN_DIR="$TROC_ROOT/deploy/podman"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$TROC_PODMAN_DIR/containers.conf}"
# Where base image tarballs are kept between runs on the same machine (any folder works; an empty
# one means everything is built from the Debian mirror again).
TROC_IMAGE_CACHE=${TROC_IMAGE_CACHE:-/var/cache/troc-actif/images}
# The Debian mirror the bases are built from: a snapshot.debian.org URL where it is reachable pins
# the archive itself; the lock files pin every package version either way.
TROC_DEBIAN_MIRROR=${TROC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
TROC_DEBIAN_SECURITY=${TROC_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
TROC_DEBIAN_SUITE=bookworm
# The variables of docker-compose.yml that `make image` fixes, read back by `make up`.
TROC_IMAGES_ENV="$TROC_ROOT/build/images.env"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { printf '%s: %s\n' "${0##*/}" "$*" >&2; exit 1; }

troc_engine() {
  case "${TROC_ENGINE:-}" in
    docker|podman) echo "$TROC_ENGINE"; return ;;
    "") ;;
    *) die "TROC_ENGINE must be docker or podman, not '$TROC_ENGINE'" ;;
  esac
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    echo docker
  elif command -v podman >/dev/null 2>&1; then
    echo podman
  else
    die "neither a Docker engine nor Podman here: apt-get install -y podman buildah mmdebstrap runc podman-compose"
  fi
}

# The compose command of the engine: docker compose (v2) or docker-compose, or podman-compose.
troc_compose() {
  if [ "$1" = docker ]; then
    if docker compose version >/dev/null 2>&1; then echo "docker compose"
    elif command -v docker-compose >/dev/null 2>&1; then echo docker-compose
    else die "no docker compose plugin nor docker-compose"; fi
  else
    command -v podman-compose >/dev/null 2>&1 || die "podman-compose is missing: apt-get install -y podman-compose"
    echo podman-compose
  fi
}

# The version of the project's image: `git describe` (a tag, else the commit), "-dirty" if changed.
troc_version() {
  git -C "$TROC_ROOT" describe --tags --always --dirty 2>/dev/null || echo unknown
}
