#!/usr/bin/env bash
# The official postgres image's start-up, for Debian's PostgreSQL 15: on an empty PGDATA, initdb
# with POSTGRES_USER / POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust), create POSTGRES_DB,
# run /docker-entrypoint-initdb.d (*.sh executed or sourced, *.sql and *.sql.gz through psql) on a
# server listening on its socket only, then serve on every address. Runs as root only to fix the
# ownership of the volume, then as postgres.
set -Eeuo pipefail

if [ "${1:0:1}" = - ]; then set -- postgres "$@"; fi

if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 0700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

init_database() {
  : "${POSTGRES_USER:=postgres}"
  : "${POSTGRES_DB:=$POSTGRES_USER}"
  local auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256} pwfile f
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
    echo "docker-entrypoint: POSTGRES_PASSWORD is empty (set it, or POSTGRES_HOST_AUTH_METHOD=trust)" >&2
    exit 1
  fi
  pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-}" > "$pwfile"
  # shellcheck disable=SC2086  # POSTGRES_INITDB_ARGS is a list of words, as in the official image
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host="$auth" \
    --encoding=UTF8 --locale=C.UTF-8 ${POSTGRES_INITDB_ARGS:-}
  rm -f "$pwfile"
  printf '\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"
  printf "\nlisten_addresses = '*'\n" >> "$PGDATA/postgresql.conf"

  # Initialisation on the socket only: nothing outside reaches a half-made cluster.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
  export PGUSER="$POSTGRES_USER" PGDATABASE=postgres PGPASSWORD="${POSTGRES_PASSWORD:-}"
  if [ "$POSTGRES_DB" != postgres ]; then
    psql -v ON_ERROR_STOP=1 -v db="$POSTGRES_DB" <<'SQL'
CREATE DATABASE :"db";
SQL
  fi
  export PGDATABASE="$POSTGRES_DB"
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh)     if [ -x "$f" ]; then echo "docker-entrypoint: running $f"; "$f"
                else echo "docker-entrypoint: sourcing $f"; . "$f"; fi ;;
      *.sql)    echo "docker-entrypoint: running $f"; psql -v ON_ERROR_STOP=1 -f "$f" ;;
      *.sql.gz) echo "docker-entrypoint: running $f"; gunzip -c "$f" | psql -v ON_ERROR_STOP=1 ;;
      *)        [ -e "$f" ] && echo "docker-entrypoint: ignoring $f" ;;
    esac
  done
  unset PGUSER PGDATABASE PGPASSWORD
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "docker-entrypoint: PostgreSQL init process complete; ready for start up."
}

if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  init_database
fi
exec "$@"
