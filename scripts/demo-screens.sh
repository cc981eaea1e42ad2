#!/usr/bin/env bash
# Screenshots of the workflow screens on the demo data (called by `make screenshots`):
# a fresh demo database (`shouhou init` + `shouhou demo`, as `make run` makes it) served on a
# free port, then tests/e2e/demo_screens.mjs saves docs/screenshots/demo-*.png.
# usage: scripts/demo-screens.sh BUILD_DIR [OUT_DIR]
set -u
BUILD=$(cd "${1:?usage: scripts/demo-screens.sh BUILD_DIR [OUT_DIR]}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${2:-$ROOT/docs/screenshots}
WORK=$(mktemp -d /tmp/shouhou-demo-shots.XXXXXX)
SPID=
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$WORK"' EXIT
pw=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$pw" >"$WORK/pw"
"$BUILD/shouhou" init --db "sqlite:$WORK/demo.db" --admin admin --password-file "$WORK/pw" >/dev/null &&
    "$BUILD/shouhou" demo --db "sqlite:$WORK/demo.db" --password-file "$WORK/pw" >/dev/null ||
    { echo "demo-screens: cannot make the demo database" >&2; exit 1; }
"$BUILD/shouhou" serve --db "sqlite:$WORK/demo.db" --listen 127.0.0.1:0 --port-file "$WORK/port" \
    --web-root "$ROOT/web" >"$WORK/server.log" 2>&1 &
SPID=$!
for _ in $(seq 1 200); do [ -s "$WORK/port" ] && break; sleep 0.05; done
[ -s "$WORK/port" ] || { echo "demo-screens: the server did not start" >&2; tail -5 "$WORK/server.log" >&2; exit 1; }
SHOUHOU_URL="http://127.0.0.1:$(cat "$WORK/port")" DEMO_PASSWORD=$pw node "$ROOT/tests/e2e/demo_screens.mjs" "$OUT"
