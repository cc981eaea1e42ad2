#!/usr/bin/env bash
# Browser tests of the web UI against a real server on a fresh SQLite database.
#   tests/e2e/run.sh BUILD_DIR                 run the suite; last line "e2e: N passed, N failed"
#   tests/e2e/run.sh BUILD_DIR --screenshots   save docs/screenshots/*.png instead
# Needs node (>= 18) and Debian's chromium-headless-shell (scripts/deps.sh); CHROMIUM=path runs
# another Chromium build (the full /usr/bin/chromium works too, on about twice the CPU).
set -uo pipefail
BUILD=${1:?usage: tests/e2e/run.sh BUILD_DIR [--screenshots]}
MODE=${2:-test}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=$(cd "$BUILD" 2>/dev/null && pwd)/shouhou
[ -x "$BIN" ] || { echo "e2e: no shouhou binary in $BUILD"; echo "e2e: 0 passed, 1 failed"; exit 1; }
[ -x "${CHROMIUM:-/usr/bin/chromium-headless-shell}" ] || { echo "e2e: ${CHROMIUM:-/usr/bin/chromium-headless-shell} is missing: apt-get install -y chromium-headless-shell (scripts/deps.sh)"; echo "e2e: 0 passed, 1 failed"; exit 1; }

TMP=$(mktemp -d)
SERVER_PID=
BROWSER_PID=
cleanup() {
  if [ -n "$BROWSER_PID" ]; then kill "$BROWSER_PID" 2>/dev/null; wait "$BROWSER_PID" 2>/dev/null; fi
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
  if [ -n "${E2E_KEEP:-}" ]; then echo "e2e: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
fail() { echo "e2e: $*"; [ -f "$TMP/server.log" ] && tail -20 "$TMP/server.log"; echo "e2e: 0 passed, 1 failed"; exit 1; }

if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed"
fi

# argon2id at OWASP's floor (19 MiB, not the default 64) for every hash the suite makes: the
# same code, a third of the CPU (tests/api/harness.py does the same for the API suite)
export SHOUHOU_PASSWORD_HASH_MEMORY_MIB=19
# the password must not contain the username "admin" (nor a demo username): issue 10
ADMIN_PW="e2e-Root-$(date +%s)"
printf '%s\n' "$ADMIN_PW" > "$TMP/admin.pw"
DB="sqlite:$TMP/db"
"$BIN" init --db "$DB" --admin admin --password-file "$TMP/admin.pw" > "$TMP/init.log" 2>&1 || { cat "$TMP/init.log"; fail "init failed"; }
# demo data when this build has it; the suite seeds its own records either way
if "$BIN" demo --db "$DB" --password-file "$TMP/admin.pw" > "$TMP/demo.log" 2>&1; then
  echo "e2e: demo data loaded"
else
  echo "e2e: demo data not available ($(head -1 "$TMP/demo.log")); seeding through the API only"
fi
(cd "$ROOT" && exec "$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$TMP/port" --web-root web) > "$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  [ -s "$TMP/port" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited"
  sleep 0.1
done
[ -s "$TMP/port" ] || fail "server did not write its port"
export SHOUHOU_URL="http://127.0.0.1:$(cat "$TMP/port")"
export SHOUHOU_ADMIN_PASSWORD="$ADMIN_PW"
export SHOUHOU_SEED="$TMP/seed.json"
node "$HERE/seed.mjs" "$SHOUHOU_SEED" || fail "seeding failed"

if [ "$MODE" = "--screenshots" ]; then
  node "$HERE/screenshots.mjs" "$ROOT/docs/screenshots"
  exit $?
fi

# one browser for every test file (browser_server.mjs); a file that cannot reach it fails
node "$HERE/browser_server.mjs" > "$TMP/browser.ws" 2> "$TMP/browser.log" &
BROWSER_PID=$!
for _ in $(seq 300); do
  [ -s "$TMP/browser.ws" ] && break
  kill -0 "$BROWSER_PID" 2>/dev/null || { cat "$TMP/browser.log"; fail "the browser did not start"; }
  sleep 0.1
done
[ -s "$TMP/browser.ws" ] || { cat "$TMP/browser.log"; fail "the browser did not start within 30 s"; }
SHOUHOU_BROWSER_WS=$(head -1 "$TMP/browser.ws")
export SHOUHOU_BROWSER_WS
# E2E_ONLY=name runs tests/name.test.mjs alone; E2E_KEEP=1 keeps the server log and database
node --test --test-concurrency=1 --test-reporter=tap "$HERE"/tests/${E2E_ONLY:-*}.test.mjs > "$TMP/tap.txt" 2>&1
RC=$?
# one line per test; the TAP details of failures; the suite's own notes (# first load …)
grep -E '^(not )?ok |first load: |intake from ' "$TMP/tap.txt"
# (marked "  | ", which scripts/check.sh repeats in make check's summary); the stack is left out
awk '/^not ok /{p=1} /^# Subtest/ || /^ +stack: /{p=0} p' "$TMP/tap.txt" | grep -vE '^ +(at |duration_ms:)' |
  head -120 | sed 's/^/  | /'
PASS=$(grep -E '^# pass ' "$TMP/tap.txt" | awk '{print $3}')
FAIL=$(grep -E '^# fail ' "$TMP/tap.txt" | awk '{print $3}')
PASS=${PASS:-0}; FAIL=${FAIL:-0}
if [ "$RC" -ne 0 ] && [ "$FAIL" -eq 0 ]; then
  tail -30 "$TMP/tap.txt"
  FAIL=1
fi
echo "e2e: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
