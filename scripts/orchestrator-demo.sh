#!/bin/sh
# Runs the example service against a throwaway PostgreSQL cluster in one command:
#   scripts/orchestrator-demo.sh            (PORT=8080 by default)
# The cluster lives in a temporary directory and is removed when the service stops (Ctrl-C).
set -eu
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
WORK=$(mktemp -d)
RUN_AS=""
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; RUN_AS="runuser -u postgres --"; fi
cleanup() { $RUN_AS "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
PGPORT_DEMO=${PGPORT_DEMO:-55432}
(cd "$WORK" && $RUN_AS "$PG_BIN/initdb" -D "$WORK/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >/dev/null)
$RUN_AS "$PG_BIN/pg_ctl" -D "$WORK/data" -o "-p $PGPORT_DEMO -k $WORK -c listen_addresses=127.0.0.1" -l "$WORK/postgres.log" -w start >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT_DEMO/postgres?sslmode=disable"
export CREDENTIALS_KEY=${CREDENTIALS_KEY:-$(openssl rand -base64 32)}
export PORT=${PORT:-8080}
swift run orchestrator
