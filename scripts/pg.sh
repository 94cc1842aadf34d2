#!/usr/bin/env bash
# A private Postgres cluster on loopback, all of it under DIR.
#   pg.sh start DIR [PORT]   initialises DIR on first use, starts, prints the admin URL
#   pg.sh stop DIR
# Debian's postgresql comes from scripts/setup.sh. As root, the server runs as the
# `postgres` user (initdb refuses root). It listens on 127.0.0.1 only, and asks for
# passwords there too (scram-sha-256): the superuser's is random, kept in DIR/password
# (mode 600), and part of the URL `start` prints.
set -euo pipefail
cmd=${1:?usage: pg.sh start|stop DIR [PORT]}
dir=${2:?usage: pg.sh start|stop DIR [PORT]}
port=${3:-55432}
bindir=$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)")
if [ ! -x "$bindir/initdb" ]; then
  echo "initdb not found (Debian package postgresql): run scripts/setup.sh" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && { id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres; chown postgres "$dir"; }
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/password")
      [ "$(id -u)" = 0 ] && chown postgres "$dir/password"
      as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 \
        --pwfile="$dir/password" -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=200 -c fsync=${PG_FSYNC:-on}" >/dev/null
    fi
    echo "postgres://postgres:$(cat "$dir/password")@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *) echo "usage: pg.sh start|stop DIR [PORT]" >&2; exit 2 ;;
esac
