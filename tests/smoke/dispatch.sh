#!/usr/bin/env bash
# Smoke test for the dispatch optimizer: solve 3 Solomon instances with a short iteration budget,
# verify each solution with the independent checker, compare with bks.csv.
# usage: tests/smoke/dispatch.sh BUILD_DIR   (run from the repo root)
# Pass rule per instance: the checker accepts the routes, the vehicle count is at most
# BKS + 1, and when it equals the BKS count the distance gap is at most 3 %. The quality
# half holds at the default budget; with DISPATCH_SMOKE_ITERS set lower (make asan: a
# sanitizer build runs the solver ~20 times slower, and the code paths are the same at
# any budget) only the checker's verdict counts.
# The last line is always "dispatch: N passed, N failed".
set -u
BUILD=${1:?usage: tests/smoke/dispatch.sh BUILD_DIR}
BIN="$BUILD/shouhou"
# the public benchmarks (read-only, never copied in): SHOUHOU_SHARED_DATA, else ../shared/data,
# else, in a fresh clone (CI's, elsewhere), the shared/data beside the repository it came from
SHARED=${SHOUHOU_SHARED_DATA:-../shared/data}
if [ ! -f "$SHARED/solomon/bks.csv" ] && [ -z "${SHOUHOU_SHARED_DATA:-}" ]; then
    origin=$(git config --get remote.origin.url 2>/dev/null)
    [ -n "$origin" ] && [ -d "$origin/../shared/data" ] && SHARED=$origin/../shared/data
fi
DATA=$SHARED/solomon
# an iteration budget, not a time budget: the result must not depend on how fast the build
# is (sanitizer builds are several times slower)
DEFAULT_ITERS=50000
ITERS=${DISPATCH_SMOKE_ITERS:-$DEFAULT_ITERS}
quality=1
[ "$ITERS" -lt "$DEFAULT_ITERS" ] && quality=0
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$BIN" ]; then
    echo "dispatch: binary $BIN not found" >&2
    echo "dispatch: 0 passed, 1 failed"
    exit 1
fi
if [ ! -f "$DATA/bks.csv" ]; then
    echo "dispatch: shared data $DATA missing (set SHOUHOU_SHARED_DATA)" >&2
    echo "dispatch: 0 passed, 1 failed"
    exit 1
fi

for inst in c101 r101 rc201; do
    up=$(echo "$inst" | tr a-z A-Z)
    bks=$(awk -F, -v i="$up" '$1 == i { print $2, $3 }' "$DATA/bks.csv")
    if [ -z "$bks" ] || [ ! -f "$DATA/$inst.txt" ]; then
        echo "FAIL $inst: instance or BKS row missing"
        failed=$((failed + 1))
        continue
    fi
    set -- $bks
    bks_nv=$1 bks_td=$2
    if ! "$BIN" optimize "$DATA/$inst.txt" --max-iters "$ITERS" --seed 1 \
        --out "$tmp/$inst.routes" >"$tmp/$inst.out" 2>"$tmp/$inst.err"; then
        echo "FAIL $inst: optimize exited non-zero: $(head -1 "$tmp/$inst.err")"
        failed=$((failed + 1))
        continue
    fi
    if ! "$BIN" optimize --check "$DATA/$inst.txt" "$tmp/$inst.routes" >"$tmp/$inst.chk" 2>&1; then
        echo "FAIL $inst: checker rejects the routes: $(head -1 "$tmp/$inst.chk")"
        failed=$((failed + 1))
        continue
    fi
    nv=$(awk '$1 == "vehicles" { print $2 }' "$tmp/$inst.chk")
    td=$(awk '$1 == "distance" { print $2 }' "$tmp/$inst.chk")
    verdict=$(awk -v nv="$nv" -v td="$td" -v bnv="$bks_nv" -v btd="$bks_td" -v q="$quality" 'BEGIN {
        gap = (td - btd) / btd * 100
        ok = !q || ((nv <= bnv + 1) && (nv != bnv || gap <= 3.0))
        printf "%s vehicles %d (bks %d) distance %.2f (bks %.2f, gap %.2f%%)", ok ? "PASS" : "FAIL", nv, bnv, td, btd, gap }')
    [ "$quality" = 1 ] || verdict="$verdict (checker only: $ITERS iterations)"
    echo "$verdict $inst"
    case $verdict in
    PASS*) passed=$((passed + 1)) ;;
    *) failed=$((failed + 1)) ;;
    esac
done
echo "dispatch: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
