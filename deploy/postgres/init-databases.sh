#!/bin/sh
# First start of the PostgreSQL container only (docker-entrypoint-initdb.d): one database per
# service, owned by the application user. TROC_DATABASES lists them (space separated).
set -eu
for db in ${TROC_DATABASES:-troc_gateway troc_listings troc_ledger troc_invoices}; do
  echo "init-databases: creating database $db"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -c "CREATE DATABASE \"$db\" OWNER \"$POSTGRES_USER\""
done
