#!/bin/sh
# SPDX-License-Identifier: MIT
# Smoke test of the demo's service reports (issue 11, "Demo data holds ... signed reports"):
# `shouhou demo` into a fresh SQLite file records the done work orders' self-checks with
# their photos, the customers sign the reports, the tickets are resolved; the server then
# lists the signed version and renders its PDF.
# usage: tests/smoke/demo_reports.sh BUILD_DIR
# The last line is exactly "demo_reports: N passed, N failed"; exit status 1 on failure.
set -u

BUILD=${1:-build}
BIN=$(cd "$BUILD" 2>/dev/null && pwd)/shouhou
SRC=$(cd "$(dirname "$0")/../.." && pwd)
PASS=0
FAIL=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/shouhou-demorep.XXXXXX")
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

ok() { PASS=$((PASS + 1)); echo "ok   - $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL - $1"; }
check() {
    name=$1
    shift
    if "$@"; then ok "$name"; else bad "$name"; fi
}
finish() {
    echo "demo_reports: $PASS passed, $FAIL failed"
    [ "$FAIL" -eq 0 ]
    exit $?
}

if [ ! -x "$BIN" ] || ! command -v sqlite3 >/dev/null || ! command -v curl >/dev/null ||
    ! command -v pdftotext >/dev/null; then
    bad "needs $BIN, sqlite3, curl and pdftotext"
    finish
fi

DB="$TMP/t.db"
# the photos and signatures go to this run's blob store, never the checkout's ./data
export SHOUHOU_DATA_DIR="$TMP/data" SHOUHOU_WEB_ROOT="$SRC/web"
q() { sqlite3 "$DB" "$1"; }
printf 'demo-password-1\n' >"$TMP/pw"
"$BIN" init --db "sqlite:$DB" --admin admin --password-file "$TMP/pw" >"$TMP/out" 2>&1
check "init" [ $? -eq 0 ]
"$BIN" demo --db "sqlite:$DB" --units 300 --password-file "$TMP/pw" >"$TMP/demo" 2>&1
check "demo loads" [ $? -eq 0 ]

# every done work order has its self-check passed, a signed report and a resolved ticket
# (an installation project's visit leaves its ticket open until the project closes)
done_n=$(q "SELECT count(*) FROM work_orders WHERE status = 'done'")
check "demo: done work orders ($done_n)" [ "$done_n" -ge 2 ]
check "demo: every done work order has a signed report" [ "$(q "SELECT count(*) FROM work_orders w WHERE w.status = 'done' AND NOT EXISTS (SELECT 1 FROM service_reports r WHERE r.work_order_id = w.id)")" -eq 0 ]
check "demo: their tickets are resolved" [ "$(q "SELECT count(*) FROM work_orders w JOIN tickets t ON t.id = w.ticket_id WHERE w.status = 'done' AND w.project_id IS NULL AND t.status <> 'resolved'")" -eq 0 ]
check "demo: a closed installation project's ticket is resolved" [ "$(q "SELECT count(*) FROM installation_projects p JOIN tickets t ON t.id = p.ticket_id WHERE p.status = 'closed' AND t.status = 'resolved'")" -ge 1 ]
check "demo: charges in the ageing buckets past 60 days (docs/charges.md)" [ "$(q "SELECT count(*) FROM charges WHERE source = 'manual' AND charged_on < date('now', '-60 days')")" -ge 2 ]
check "demo: a charge the dealer pays part of" [ "$(q "SELECT count(*) FROM charges WHERE dealer_fen > 0")" -ge 1 ]
check "demo: no closed installation project's ticket is open" [ "$(q "SELECT count(*) FROM installation_projects p JOIN tickets t ON t.id = p.ticket_id WHERE p.status = 'closed' AND t.status NOT IN ('resolved', 'closed')")" -eq 0 ]
check "demo: the repair's photos before and after" [ "$(q "SELECT count(DISTINCT p.phase) FROM work_order_photos p JOIN work_orders w ON w.id = p.work_order_id WHERE w.kind = 'onsite_repair' AND w.status = 'done' AND p.phase IN ('before', 'after')")" -eq 2 ]
check "demo: checklist answers recorded" [ "$(q "SELECT count(*) FROM checklist_results r JOIN work_orders w ON w.id = r.work_order_id WHERE w.status = 'done' AND r.passed = 1")" -gt 5 ]
sig=$(q "SELECT signature_sha256 FROM service_reports ORDER BY id LIMIT 1")
check "demo: the signature image is in the blob store" [ -n "$sig" ] && [ -n "$(find "$TMP/data" -name "$sig" 2>/dev/null)" ]

# the server lists the signed version and renders its PDF
"$BIN" serve --db "sqlite:$DB" --listen 127.0.0.1:0 --port-file "$TMP/port" --web-root "$SRC/web" >"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 100); do
    [ -s "$TMP/port" ] && break
    sleep 0.1
done
U="http://127.0.0.1:$(cat "$TMP/port" 2>/dev/null)"
curl -s -c "$TMP/jar" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"demo-password-1"}' "$U/api/v1/session" >"$TMP/login"
wo=$(q "SELECT w.id FROM work_orders w WHERE w.kind = 'onsite_repair' AND w.status = 'done' ORDER BY w.id LIMIT 1")
curl -s -b "$TMP/jar" "$U/api/v1/work-orders/$wo/reports" >"$TMP/reports"
check "api: the report is signed" grep -q '"current_signed":true' "$TMP/reports"
code=$(curl -s -b "$TMP/jar" -o "$TMP/r.pdf" -w '%{http_code}' "$U/api/v1/work-orders/$wo/report.pdf")
check "api: report.pdf 200 ($code)" [ "$code" = 200 ]
pdftotext "$TMP/r.pdf" "$TMP/r.txt" 2>/dev/null
check "api: the PDF names the signer" grep -q "签字人：设备科" "$TMP/r.txt"
finish
