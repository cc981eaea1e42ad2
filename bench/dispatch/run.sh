#!/usr/bin/env bash
# Dispatch optimizer benchmark (invoked by `make bench-dispatch`).
# usage: bench/dispatch/run.sh BUILD_DIR [--pillac] [--homberger] [--no-solomon]
#        bench/dispatch/run.sh BUILD_DIR --summary RESULTS.csv   (the summary of a finished run)
# Environment (defaults = the full protocol):
#   SEEDS="1 2 3 4 5"  BUDGETS="1000 10000"  OBJECTIVES="hierarchical distance"
#   JOBS=2 (parallel single-threaded runs)  SOLOMON="c101 r101 ..." (default: all 56)
#   HOMBERGER_BUDGET=60000  HOMBERGER="c1_10_1 ..." (default: all 60 of the 1000 set)
#   PILLAC_BUDGET=10000
# Every solution is re-read and verified with `shouhou optimize --check`. Raw results
# go to bench/out/dispatch/<stamp>/; the summary prints measured figures next to the
# targets. Run from the repo root; data is read from $SHOUHOU_SHARED_DATA (default ../shared/data).
set -u
BUILD=${1:?usage: bench/dispatch/run.sh BUILD_DIR [--pillac] [--homberger] [--no-solomon]}
shift
BIN=$(cd "$BUILD" && pwd)/shouhou
DATA=${SHOUHOU_SHARED_DATA:-../shared/data}
do_solomon=1 do_pillac=0 do_homberger=0 summary_only=""
while [ $# -gt 0 ]; do
    a=$1
    shift
    case $a in
    --summary) summary_only=${1:?--summary needs the results.csv of a run}; shift ;;
    --pillac) do_pillac=1 ;;
    --homberger) do_homberger=1 ;;
    --no-solomon) do_solomon=0 ;;
    *) echo "bench/dispatch/run.sh: unknown option $a" >&2; exit 2 ;;
    esac
done
[ -x "$BIN" ] || { echo "bench/dispatch: $BIN not built" >&2; exit 1; }
[ -d "$DATA/solomon" ] || { echo "bench/dispatch: $DATA/solomon missing" >&2; exit 1; }
SEEDS=${SEEDS:-1 2 3 4 5}
BUDGETS=${BUDGETS:-1000 10000}
OBJECTIVES=${OBJECTIVES:-hierarchical distance}
JOBS=${JOBS:-2}
if [ -n "$summary_only" ]; then
    OUT=$(dirname "$summary_only")
else
OUT=bench/out/dispatch/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT/routes"
# a run takes most of an hour: its own copy of the binary, so a rebuild meanwhile cannot
# make runs fail (an early run lost ten to "Permission denied" while build/ was relinked)
cp "$BIN" "$OUT/shouhou"
BIN=$(cd "$OUT" && pwd)/shouhou
export BIN OUT

# one run: INSTANCE_FILE TAG OBJECTIVE BUDGET SEED -> CSV line on stdout
run_one() {
    local file=$1 tag=$2 obj=$3 budget=$4 seed=$5
    local base
    base=$(basename "$file" .txt)
    local routes="$OUT/routes/$base.$obj.$budget.$seed.txt"
    local log="$OUT/routes/$base.$obj.$budget.$seed.log"
    local feasible=0 nv=NA td=NA dur=NA ms=NA why=""
    if "$BIN" optimize "$file" --objective "$obj" --budget-ms "$budget" --seed "$seed" \
        --out "$routes" >"$log" 2>&1; then
        ms=$(awk '$1 == "time_ms" { print $2 }' "$log")
        if "$BIN" optimize --check "$file" "$routes" --objective "$obj" >"$log.chk" 2>&1; then
            feasible=1
            nv=$(awk '$1 == "vehicles" { print $2 }' "$log.chk")
            td=$(awk '$1 == "distance" { print $2 }' "$log.chk")
            dur=$(awk '$1 == "duration" { print $2 }' "$log.chk")
        else
            why=$(head -1 "$log.chk" | tr ',' ';')
        fi
    else
        why=$(tail -1 "$log" | tr ',' ';')
    fi
    echo "$tag,$base,$obj,$budget,$seed,$feasible,$nv,$td,$dur,$ms,$why"
}
export -f run_one

echo "set,instance,objective,budget_ms,seed,feasible,vehicles,distance,duration,time_ms,error" >"$OUT/results.csv"

tasks=$OUT/tasks.txt
: >"$tasks"
if [ "$do_solomon" = 1 ]; then
    insts=${SOLOMON:-$(ls "$DATA"/solomon/*.txt | xargs -n1 basename | sed 's/\.txt$//' | grep -v README)}
    for b in $BUDGETS; do for o in $OBJECTIVES; do for s in $SEEDS; do for i in $insts; do
        echo "$DATA/solomon/$i.txt solomon $o $b $s" >>"$tasks"
    done; done; done; done
fi
if [ "$do_homberger" = 1 ]; then
    hinsts=${HOMBERGER:-$(ls "$DATA"/homberger/1000/*.txt | xargs -n1 basename | sed 's/\.txt$//')}
    for i in $hinsts; do
        echo "$DATA/homberger/1000/$i.txt homberger hierarchical ${HOMBERGER_BUDGET:-60000} 1" >>"$tasks"
    done
fi
if [ "$do_pillac" = 1 ]; then
    for f in "$DATA"/trsp_pillac/crew25/*.txt; do
        echo "$f pillac distance ${PILLAC_BUDGET:-10000} 1" >>"$tasks"
    done
fi
echo "bench/dispatch: $(wc -l <"$tasks") runs, $JOBS in parallel, results in $OUT" >&2
tr '\n' '\0' <"$tasks" | xargs -0 -P "$JOBS" -I{} bash -c 'run_one {}' >>"$OUT/results.csv"
fi

# per-instance table and summary
awk -F, -v bks="$DATA/solomon/bks.csv" -v hbks="$DATA/homberger/bks.csv" \
    -v pbks="$DATA/trsp_pillac/bks.csv" '
BEGIN {
    while ((getline l < bks) > 0) { split(l, f, ","); k = tolower(f[1]);
        snv[k] = f[2]; std[k] = f[3]; dnv[k] = f[9]; dtd[k] = f[10] }
    while ((getline l < hbks) > 0) { split(l, f, ","); hnv[f[1]] = f[3]; htd[f[1]] = f[4] }
    while ((getline l < pbks) > 0) { split(l, f, ","); pdur[f[1]] = f[2] }
}
NR == 1 { next }
{
    set = $1; inst = $2; obj = $3; b = $4; key = set SUBSEP obj SUBSEP b
    keys[key] = 1; runs[key]++; insts[key, inst] = 1
    if ($6 != 1) { infeas[key]++; bad[key, inst] = 1; next }
    nv = $7; td = $8
    if (set == "solomon" && obj == "hierarchical") { rnv = snv[inst]; rtd = std[inst] }
    else if (set == "solomon") { rnv = dnv[inst]; rtd = dtd[inst] }
    else if (set == "homberger") { rnv = hnv[inst]; rtd = htd[inst] }
    else { rnv = ""; rtd = pdur[inst]; td = $9 }
    if (rtd == "") next
    gap = (td - rtd) / rtd * 100
    sumnv[key, inst] += nv; sumtd[key, inst] += td; n[key, inst]++
    if (nv < minnv[key, inst] || minnv[key, inst] == "") minnv[key, inst] = nv
    refnv[key, inst] = rnv; reftd[key, inst] = rtd
    if (obj == "hierarchical" && set != "pillac") {
        if (nv == rnv) { mgap[key] += gap; mcnt[key]++; hit[key, inst]++ }
        if (nv < rnv) below[key]++
        dnvsum[key] += nv - rnv
    } else { agap[key] += gap; acnt[key]++ }
    ok[key]++
}
END {
    print ""
    print "per instance (mean over seeds; gap vs the reference of that objective)"
    printf "%-9s %-12s %-9s %-8s %6s %6s %10s %10s %7s\n", "set", "objective", "budget", "inst", "NV", "refNV", "TD", "refTD", "gap%"
    for (ki in n) {
        split(ki, p, SUBSEP); key = p[1] SUBSEP p[2] SUBSEP p[3]; inst = p[4]
        m = sumtd[ki] / n[ki]
        line[ki] = sprintf("%-9s %-12s %-9s %-8s %6.2f %6s %10.2f %10.2f %7.2f", p[1], p[2], p[3], inst, sumnv[ki] / n[ki], refnv[ki], m, reftd[ki], (m - reftd[ki]) / reftd[ki] * 100)
    }
    nl = 0; for (ki in line) sorted[++nl] = line[ki]
    for (i = 2; i <= nl; i++) { v = sorted[i]; j = i - 1; while (j > 0 && sorted[j] > v) { sorted[j + 1] = sorted[j]; j-- } sorted[j + 1] = v }
    for (i = 1; i <= nl; i++) print sorted[i]
    print ""
    print "summary (measured | target)"
    for (key in keys) {
        split(key, p, SUBSEP); set = p[1]; obj = p[2]; b = p[3]
        ni = 0; nfi = 0; nhit = 0; nall = 0
        for (ik in insts) { split(ik, q, SUBSEP); if (q[1] SUBSEP q[2] SUBSEP q[3] != key) continue
            ni++; if (!((key, q[4]) in bad)) nfi++
            if (hit[key, q[4]] > 0 && hit[key, q[4]] == runs[key] / length_insts(key)) nall++ }
        printf "%s %s %d ms: runs %d, infeasible runs %d, instances feasible in every run %d/%d", set, obj, b, runs[key], infeas[key] + 0, nfi, ni
        if (set == "solomon") printf " | target 56/56"
        printf "\n"
        if (obj == "hierarchical" && set != "pillac") {
            nh = 0; for (ik in hit) { split(ik, q, SUBSEP); if (q[1] SUBSEP q[2] SUBSEP q[3] == key && hit[ik] * ni >= runs[key]) nh++ }
            printf "  runs at BKS vehicle count: %d/%d (%.1f%%); instances where every run hits it: %d/%d", mcnt[key], ok[key], 100 * mcnt[key] / (ok[key] ? ok[key] : 1), nh, ni
            if (set == "solomon" && b == 10000) printf " | target >= 50/56"
            printf "\n  mean vehicles above BKS per run: %.3f; runs below BKS count: %d\n", dnvsum[key] / (ok[key] ? ok[key] : 1), below[key] + 0
            printf "  mean distance gap where NV = BKS: %.3f%%", mcnt[key] ? mgap[key] / mcnt[key] : 0
            if (set == "solomon" && b == 10000) printf " | target <= 1.0%%"
            if (set == "homberger") printf " | target <= 4%%"
            printf "\n"
        } else {
            printf "  mean gap: %.3f%% over %d runs", acnt[key] ? agap[key] / acnt[key] : 0, acnt[key]
            if (set == "solomon" && b == 1000) printf " | target <= 1.5%%"
            if (set == "solomon" && b == 10000) printf " | target <= 0.5%%"
            if (set == "pillac") printf " (route duration vs best reported; tools/parts not modelled)"
            printf "\n"
        }
    }
}
function length_insts(k,   c, ik, q) { c = 0; for (ik in insts) { split(ik, q, SUBSEP); if (q[1] SUBSEP q[2] SUBSEP q[3] == k) c++ } return c ? c : 1 }
' "$OUT/results.csv" | tee "$OUT/summary.txt"
bad=$(awk -F, 'NR > 1 && $6 != 1' "$OUT/results.csv" | wc -l)
echo "bench/dispatch: $bad infeasible or failed runs; raw results $OUT/results.csv"
[ "$bad" -eq 0 ]
