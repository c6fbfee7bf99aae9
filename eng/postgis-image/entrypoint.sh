#!/bin/sh
# First start: a cluster owned by POSTGRES_USER (password auth over TCP), POSTGRES_DB with postgis in it.
# Then the server, in the foreground, on PGPORT (5432 by default), as the official image does.
set -eu
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" --username="$user" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  # Setup over the unix socket only: nothing connects over TCP before the database is ready.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=/tmp" -w start >/dev/null
  if [ "$db" != postgres ]; then
    psql -X -q -v ON_ERROR_STOP=1 -h /tmp -U "$user" -d postgres -c "CREATE DATABASE \"$db\""
  fi
  psql -X -q -v ON_ERROR_STOP=1 -h /tmp -U "$user" -d "$db" -c "CREATE EXTENSION IF NOT EXISTS postgis"
  pg_ctl -D "$PGDATA" -w stop >/dev/null
fi
# Containers here share the host's network (no bridge exists): listen on loopback only.
exec postgres -D "$PGDATA" -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp
