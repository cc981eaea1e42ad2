#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the API tests.
# usage: scripts/pg.sh start|stop|status|dsn
# Creates (once) a cluster under /tmp/shouhou-pg owned by the `postgres` OS user,
# listening only on 127.0.0.1:55432 with trust auth. Works as root or as postgres.
set -eu
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGDIR=${SHOUHOU_PG_DIR:-/tmp/shouhou-pg}
PGPORT=${SHOUHOU_PG_PORT:-55432}
DATA="$PGDIR/data"
LOG="$PGDIR/server.log"
DSN="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
# SHOUHOU_PG_FSYNC=off: no fsync and no wait for the WAL flush at commit (.ci/run's cluster,
# whose tests stop processes but never the machine: what a stopped process wrote survives in
# the page cache). The default, on, is PostgreSQL's own, which make bench measures.
FSYNC=${SHOUHOU_PG_FSYNC:-on}

as_pg() {
    if [ "$(id -un)" = postgres ]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
}

ensure_cluster() {
    if [ ! -x "$PGBIN/initdb" ]; then
        echo "pg.sh: $PGBIN/initdb not found (apt-get install postgresql-15)" >&2
        exit 1
    fi
    if ! id postgres >/dev/null 2>&1; then
        echo "pg.sh: no 'postgres' OS user" >&2
        exit 1
    fi
    if [ "$(id -u)" = 0 ]; then
        mkdir -p "$PGDIR"
        chown postgres: "$PGDIR"
        chmod 700 "$PGDIR"
    else
        as_pg mkdir -p "$PGDIR"
    fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        as_pg "$PGBIN/initdb" -D "$DATA" -U postgres --locale=C.UTF-8 -E UTF8 --auth=trust \
            >"$PGDIR/initdb.log" 2>&1 || { cat "$PGDIR/initdb.log" >&2; exit 1; }
    fi
}

running() {
    as_pg "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

case "${1:-}" in
start)
    ensure_cluster
    if running; then
        echo "pg.sh: already running ($DSN)"
        exit 0
    fi
    # the socket directory is the cluster's own, so no /var/run/postgresql is needed
    # max_connections 300: .ci/run runs make check and make asan side by side, each with its
    # API suite on PostgreSQL (servers with the default pool of 2 to 8 connections, two
    # instances and PgBouncer in test_scale, the unit tests' store contract)
    as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR -c fsync=$FSYNC -c synchronous_commit=$FSYNC -c max_connections=300" start >/dev/null ||
        { tail -20 "$LOG" >&2; exit 1; }
    echo "pg.sh: started ($DSN)"
    ;;
stop)
    if [ -f "$DATA/PG_VERSION" ] && running; then
        as_pg "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        echo "pg.sh: stopped"
    else
        echo "pg.sh: not running"
    fi
    ;;
status)
    if [ -f "$DATA/PG_VERSION" ] && running; then echo "running ($DSN)"; else echo "stopped"; exit 1; fi
    ;;
dsn)
    echo "$DSN"
    ;;
*)
    echo "usage: scripts/pg.sh start|stop|status|dsn" >&2
    exit 2
    ;;
esac
