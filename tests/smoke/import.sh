#!/bin/sh
# SPDX-License-Identifier: MIT
# Smoke test of `shouhou demo` and `shouhou import` on a temporary SQLite file.
# usage: tests/smoke/import.sh BUILD_DIR
# The last line is exactly "import: N passed, N failed"; exit status 1 on failure.
set -u

BUILD=${1:-build}
BIN=$(cd "$BUILD" 2>/dev/null && pwd)/shouhou
SRC=$(cd "$(dirname "$0")/../.." && pwd)
PASS=0
FAIL=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/shouhou-import.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

ok() { PASS=$((PASS + 1)); echo "ok   - $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL - $1"; }
check() { # check NAME COMMAND...: passes when the command succeeds
    name=$1
    shift
    if "$@"; then ok "$name"; else bad "$name"; fi
}
finish() {
    echo "import: $PASS passed, $FAIL failed"
    [ "$FAIL" -eq 0 ]
    exit $?
}

if [ ! -x "$BIN" ] || ! command -v sqlite3 >/dev/null || ! command -v iconv >/dev/null; then
    bad "needs $BIN, sqlite3 and iconv"
    finish
fi

DB="$TMP/t.db"
export SHOUHOU_WEB_ROOT="$SRC/web"
S() { "$BIN" "$@" --db "sqlite:$DB"; }
q() { sqlite3 "$DB" "$1"; }
counts() {
    q "SELECT (SELECT count(*) FROM customers)||' '||(SELECT count(*) FROM contacts)||' '||
        (SELECT count(*) FROM sites)||' '||(SELECT count(*) FROM product_models)||' '||
        (SELECT count(*) FROM contracts)||' '||(SELECT count(*) FROM units)||' '||
        (SELECT count(*) FROM users)||' '||(SELECT count(*) FROM audit_log)"
}

printf 'demo-password-1\n' >"$TMP/pw"
S init --admin admin --password-file "$TMP/pw" >"$TMP/out" 2>&1
check "init" [ $? -eq 0 ]

# ---- demo: loads once, quickly; a second run changes nothing ----
# the limit is on CPU time (user + system), which a busy machine does not inflate; the wall
# time is printed beside it
t0=$(date +%s.%N)
TIMEFORMAT='%3U %3S'
{ time S demo --password-file "$TMP/pw" >"$TMP/demo1" 2>&1; } 2>"$TMP/demo.cpu"
rc=$?
t1=$(date +%s.%N)
secs=$(echo "$t1 $t0" | awk '{printf "%.2f", $1 - $2}')
cpu=$(awk '{printf "%.2f", $1 + $2}' "$TMP/demo.cpu")
check "demo loads (exit 0, ${secs} s wall, ${cpu} s CPU)" [ "$rc" -eq 0 ]
echo "     $(tail -n 1 "$TMP/demo1")"
check "demo under 10 s of CPU" awk -v s="$cpu" 'BEGIN { exit !(s < 10) }'
check "demo: 3000 units" [ "$(q 'SELECT count(*) FROM units')" -eq 3000 ]
check "demo: >= 60 customers" [ "$(q 'SELECT count(*) FROM customers')" -ge 60 ]
check "demo: >= 15 provinces" [ "$(q 'SELECT count(DISTINCT province) FROM customers')" -ge 15 ]
check "demo: 20 models" [ "$(q 'SELECT count(*) FROM product_models')" -eq 20 ]
check "demo: every role has a user" [ "$(q "SELECT count(*) FROM users WHERE roles IN ('gm','dept_head','agent','sales','finance','logistics','warehouse','dispatcher','technician','qc','purchasing','customer','dealer')")" -ge 13 ]
check "demo: dates in order" [ "$(q 'SELECT count(*) FROM units WHERE ship_date < production_date OR install_date < ship_date')" -eq 0 ]
check "demo: warranty derived" [ "$(q "SELECT count(*) FROM units WHERE warranty_basis = 'install' AND warranty_end IS NOT NULL")" -gt 0 ]
before=$(counts)
S demo --password-file "$TMP/pw" >"$TMP/demo2" 2>&1
rc=$?
check "demo twice: exit 0" [ "$rc" -eq 0 ]
check "demo twice: says already loaded" grep -q "already loaded" "$TMP/demo2"
check "demo twice: nothing changed" [ "$before" = "$(counts)" ]

# ---- a good UTF-8 customers file (BOM, CRLF, quotes, embedded newline, Chinese headers) ----
printf '\357\273\277客户名称,客户类型,重点客户,省份,城市,地址,电话,备注\r\n' >"$TMP/cust.csv"
printf '"杭州市云帆数据科技有限公司",公司,是,浙江省,杭州,"浙江省杭州市滨江区网商路1号, 3号楼",0571-88886666,"两行\r\n备注 ""VIP"""\r\n' >>"$TMP/cust.csv"
printf '李娜,individual,否,江苏省,南京,南京市鼓楼区中山路8号,13912345678,\r\n' >>"$TMP/cust.csv"
n0=$(q 'SELECT count(*) FROM customers')
S import customers "$TMP/cust.csv" >"$TMP/out" 2>&1
check "import customers (utf-8)" [ $? -eq 0 ]
check "  2 customers added" [ "$(q 'SELECT count(*) FROM customers')" -eq $((n0 + 2)) ]
check "  quoted comma kept" [ "$(q "SELECT count(*) FROM customers WHERE address = '浙江省杭州市滨江区网商路1号, 3号楼' AND is_key = 1 AND type = 'company'")" -eq 1 ]
check "  audit rows written" [ "$(q "SELECT count(*) FROM audit_log WHERE entity = 'customer' AND entity_id = (SELECT max(id) FROM customers)")" -eq 1 ]

# ---- a good GB18030 units file (model_code / customer_code resolved) ----
cat >"$TMP/units.utf8.csv" <<'EOF'
序列号,型号,客户编号,生产日期,发货日期,安装日期,备注
SMOKE-GB-0001,LED-P25,DEMO-0001,2025/3/5,2025-03-20,2025-04-01,测试导入
SMOKE-GB-0002,DEN-U800,DEMO-0002,2025-01-05,2025-02-01,,
SMOKE-GB-0003,SRV-R520,,2025-06-01,,,库存
EOF
iconv -f utf-8 -t gb18030 "$TMP/units.utf8.csv" >"$TMP/units.gb.csv"
n0=$(q 'SELECT count(*) FROM units')
S import units "$TMP/units.gb.csv" >"$TMP/out" 2>&1
check "import units (gb18030, auto-detected)" [ $? -eq 0 ]
check "  reports gb18030" grep -q gb18030 "$TMP/out"
check "  3 units added" [ "$(q 'SELECT count(*) FROM units')" -eq $((n0 + 3)) ]
check "  Chinese text intact" [ "$(q "SELECT notes FROM units WHERE serial_no = 'SMOKE-GB-0001'")" = "测试导入" ]
check "  warranty derived on import" [ "$(q "SELECT warranty_basis FROM units WHERE serial_no = 'SMOKE-GB-0001'")" = "install" ]

# ---- models with --map and English-style values ----
cat >"$TMP/models.csv" <<'EOF'
Model,Name,Category,Warranty,Install
SMOKE-M1,测试型号一,equipment,24,true
SMOKE-M2,测试型号二,设备,12,0
EOF
S import models "$TMP/models.csv" --map 'Model=code,Name=name,Category=category,Warranty=warranty_months,Install=install_required' >"$TMP/out" 2>&1
check "import models with --map" [ $? -eq 0 ]
check "  enum label 设备 accepted" [ "$(q "SELECT count(*) FROM product_models WHERE code LIKE 'SMOKE-M%' AND category = 'equipment'")" -eq 2 ]

# ---- a bad file: refused with line numbers, nothing written ----
cat >"$TMP/bad.csv" <<'EOF'
serial_no,model_code,customer_code,ship_date,install_date
SMOKE-BAD-1,LED-P25,DEMO-0001,2025-01-01,2025-02-01
,LED-P25,DEMO-0001,,
SMOKE-BAD-3,NO-SUCH-MODEL,DEMO-0001,,
SMOKE-BAD-4,LED-P25,DEMO-0001,2025-05-01,2025-04-01
SMOKE-GB-0001,LED-P25,,,
EOF
before=$(counts)
S import units "$TMP/bad.csv" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "bad file: exit 1" [ "$rc" -eq 1 ]
check "  line 3: serial_no required" grep -q "^line 3: serial_no: 'serial_no' is required" "$TMP/err"
check "  line 4: unknown model" grep -q "^line 4: model_code:" "$TMP/err"
check "  line 5: install before ship" grep -q "^line 5: install_date:" "$TMP/err"
check "  line 6: duplicate serial" grep -q "^line 6: serial_no:" "$TMP/err"
check "  nothing written (good line 2 too)" [ "$before" = "$(counts)" ]

printf 'serial_no,model_code\n"SMOKE-Q,LED-P25\n' >"$TMP/broken.csv"
S import units "$TMP/broken.csv" >"$TMP/out" 2>"$TMP/err"
check "malformed CSV refused (exit 1)" [ $? -eq 1 ]
check "  nothing written" [ "$before" = "$(counts)" ]

printf 'serial_no,colour\nX,red\n' >"$TMP/hdr.csv"
S import units "$TMP/hdr.csv" >"$TMP/out" 2>"$TMP/err"
check "unknown header refused (exit 1)" [ $? -eq 1 ]

# ---- --continue-on-error keeps the good rows ----
S import units "$TMP/bad.csv" --continue-on-error >"$TMP/out" 2>"$TMP/err"
check "continue-on-error: exit 0" [ $? -eq 0 ]
check "  the good row only" [ "$(q "SELECT count(*) FROM units WHERE serial_no LIKE 'SMOKE-BAD-%'")" -eq 1 ]

# ---- --dry-run validates and writes nothing ----
sed 's/SMOKE-GB-/SMOKE-DRY-/' "$TMP/units.utf8.csv" >"$TMP/dry.csv"
before=$(counts)
S import units "$TMP/dry.csv" --dry-run >"$TMP/out" 2>&1
check "dry-run of a good file: exit 0" [ $? -eq 0 ]
check "  says dry run" grep -q "dry run" "$TMP/out"
check "  nothing written" [ "$before" = "$(counts)" ]
S import units "$TMP/bad.csv" --dry-run >"$TMP/out" 2>"$TMP/err"
check "dry-run of a bad file: exit 1" [ $? -eq 1 ]
check "  nothing written" [ "$before" = "$(counts)" ]

# ---- usage ----
"$BIN" import units >/dev/null 2>&1
check "missing FILE: exit 2" [ $? -eq 2 ]
"$BIN" import tickets "$TMP/dry.csv" >/dev/null 2>&1
check "unknown entity: exit 2" [ $? -eq 2 ]
"$BIN" import units "$TMP/dry.csv" --encoding latin1 >/dev/null 2>&1
check "bad --encoding: exit 2" [ $? -eq 2 ]

finish
