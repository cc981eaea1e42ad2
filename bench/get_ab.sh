#!/usr/bin/env bash
# By-hand A/B of figure 19's read (GET /api/v1/units/{id}, 16 connections) for two builds,
# run alternately: req/s, p99 and the CPU per request of the server and of the PostgreSQL
# backends (utime+stime from /proc, robust on a busy machine where req/s is not).
# usage: bench/get_ab.sh OLD_BIN NEW_BIN [ROUNDS=4] [SECONDS=5]
# Needs a PostgreSQL cluster of its own (its backends' CPU is summed):
#   SHOUHOU_PG_DIR=/tmp/getab-pg SHOUHOU_PG_PORT=55449 bash scripts/pg.sh start
# Environment: PGDIR (/tmp/getab-pg), PGPORT (55449), WORK (/tmp/getab), ENGINES ("sqlite pg").
# Prints one line per run; the medians are left to the reader (docs: bench/README.md).
set -u
OLD=${1:?usage: bench/get_ab.sh OLD_BIN NEW_BIN [ROUNDS] [SECONDS]}
NEW=${2:?usage}
ROUNDS=${3:-4}
D=${4:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGDIR=${PGDIR:-/tmp/getab-pg}
PGD=postgresql://postgres@127.0.0.1:${PGPORT:-55449}
W=${WORK:-/tmp/getab}
BUILD=$(dirname "$NEW")
mkdir -p "$W"
echo 'bench-password-1' >"$W/pw"
if [ ! -s "$W/tok.pg" ]; then
    rm -f "$W"/s.db*
    psql -q "$PGD/postgres" -c "DROP DATABASE IF EXISTS getab" -c "CREATE DATABASE getab" || exit 1
    for u in "sqlite:$W/s.db" "$PGD/getab"; do
        "$NEW" init --db "$u" --admin admin --password-file "$W/pw" >/dev/null 2>&1 || exit 1
    done
    for a in "--sqlite $W/s.db" "--pg $PGD/getab"; do
        # shellcheck disable=SC2086
        "$BUILD/bench_units_load" $a --customers 3000 --models 40 >/dev/null &&
            "$BUILD/bench_units_load" $a --units 5000 >/dev/null || exit 1
    done
    "$NEW" token create --db "sqlite:$W/s.db" --user admin 2>/dev/null >"$W/tok.sqlite"
    "$NEW" token create --db "$PGD/getab" --user admin 2>/dev/null >"$W/tok.pg"
fi
backends() {
    local s=0 p
    for p in $(pgrep -P "$(head -1 "$PGDIR/data/postmaster.pid")"); do
        s=$((s + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo $s
}
one() { # one BIN ENGINE
    local bin=$1 e=$2 url sp port c0 c1 b0 b1 out
    if [ "$e" = sqlite ]; then url=sqlite:$W/s.db; else url=$PGD/getab; fi
    rm -f "$W/port"
    "$bin" serve --db "$url" --listen 127.0.0.1:0 --port-file "$W/port" >>"$W/server.log" 2>&1 &
    sp=$!
    for _ in $(seq 1 500); do
        [ -s "$W/port" ] && curl -sf -o /dev/null "http://127.0.0.1:$(cat "$W/port")/healthz" && break
        sleep 0.02
    done
    port=$(cat "$W/port")
    export TOKEN ID_MAX=5000 MODE=get
    TOKEN=$(cat "$W/tok.$e")
    wrk -t2 -c16 -d1s -s "$ROOT/bench/lua/shouhou.lua" "http://127.0.0.1:$port" >/dev/null 2>&1
    c0=$(awk '{print $14+$15}' "/proc/$sp/stat") b0=$(backends)
    out=$(wrk -t2 -c16 -d"${D}s" --timeout 10s -s "$ROOT/bench/lua/shouhou.lua" "http://127.0.0.1:$port" 2>&1 | grep '^WRK ')
    c1=$(awk '{print $14+$15}' "/proc/$sp/stat") b1=$(backends)
    kill "$sp"
    wait "$sp" 2>/dev/null
    awk -v e="$e" -v bin="$bin" -v line="$out" -v c=$((c1 - c0)) -v b=$((b1 - b0)) \
        -v hz="$(getconf CLK_TCK)" -v ld="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN{
        n = line; sub(/.* requests=/, "", n); sub(/ .*/, "", n)
        r = line; sub(/.* rps=/, "", r); sub(/ .*/, "", r)
        p = line; sub(/.* p99_us=/, "", p); sub(/ .*/, "", p)
        printf "%-6s %s rps=%.0f p99_us=%d server_us=%.1f backend_us=%.1f load=%s\n", e, bin, r, p,
            c * 1e6 / hz / n, e == "pg" ? b * 1e6 / hz / n : 0, ld }'
}
for _ in $(seq 1 "$ROUNDS"); do
    for b in "$OLD" "$NEW"; do
        for e in ${ENGINES:-sqlite pg}; do one "$b" "$e"; done
    done
done
