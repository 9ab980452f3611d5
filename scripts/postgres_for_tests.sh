#!/usr/bin/env bash
# A throw-away PostgreSQL server for the gradebook test: its own data folder, Unix socket only
# (no TCP port), owned by the 'postgres' user. Installs Debian's postgresql first when missing
# and we are root.
#   bash scripts/postgres_for_tests.sh start DIR   -> prints the db_url on the last line
#   bash scripts/postgres_for_tests.sh stop DIR
set -euo pipefail
action=${1:?start or stop}; dir=${2:?a folder for the server}
here=$(cd "$(dirname "$0")" && pwd)
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
as_postgres() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$action" in
  start)
    if [ -z "$bin" ]; then bash "$here/ensure_grading_tools.sh" postgresql >&2; bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); fi
    mkdir -p "$dir"
    if [ "$(id -u)" = "0" ]; then chown postgres: "$dir"; chmod 700 "$dir"; fi
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses='' -k $dir -c fsync=off" start >/dev/null
    as_postgres "$bin/createdb" -h "$dir" -U postgres gradebook
    echo "postgresql+psycopg2://postgres@/gradebook?host=$dir"
    ;;
  stop)
    [ -n "$bin" ] && [ -d "$dir/data" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null || true
    ;;
  *) echo "use start or stop" >&2; exit 2 ;;
esac
