#!/usr/bin/env bash
# A/B benchmark (invoked by `make bench-ab`): the server benchmark of bench/run.sh on the
# commit BASE and on the working tree, one after the other on the same machine, then every
# ratio figure side by side. A ratio that falls by more than AB_TOLERANCE percent (5)
# against BASE is a MISS. Both builds are measured by this tree's bench/run.sh, so the two
# runs measure the same things the same way. The ratios are read as printed (two decimals):
# a fall of 0.01 (one rounding step, 10 % of a ratio of 0.10) is not counted.
# usage: bench/ab.sh BUILD_DIR [BASE]     (BASE: any git revision, default HEAD~1)
# Environment: everything bench/run.sh reads (BENCH_PG=0 skips PostgreSQL, …), and
#   AB_TOLERANCE=5   the largest fall of a ratio, in percent, still counted as PASS
#   AB_KEEP=1        keep the base worktree and its build under /tmp/shouhou-ab-<rev>
set -u
BUILD=$(cd "${1:?usage: bench/ab.sh BUILD_DIR [BASE]}" && pwd)
BASE=${2:-HEAD~1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOL=${AB_TOLERANCE:-5}
rev=$(git -C "$ROOT" rev-parse --short "$BASE") || { echo "bench-ab: unknown revision $BASE" >&2; exit 1; }
head=$(git -C "$ROOT" rev-parse --short HEAD)
git -C "$ROOT" diff --quiet HEAD -- src bench CMakeLists.txt || head="$head+changes"
BT=/tmp/shouhou-ab-$rev
OUT=$(mktemp -d /tmp/shouhou-ab-out.XXXXXX)
cleanup() {
    [ "${AB_KEEP:-0}" = 1 ] || { git -C "$ROOT" worktree remove --force "$BT" 2>/dev/null; rm -rf "$BT"; }
    rm -rf "$OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$BT/build/shouhou" ]; then
    rm -rf "$BT"
    git -C "$ROOT" worktree prune
    git -C "$ROOT" worktree add --detach "$BT" "$rev" >/dev/null 2>&1 ||
        { echo "bench-ab: cannot check out $rev" >&2; exit 1; }
    echo "bench-ab: building $rev in $BT/build" >&2
    make -C "$BT" build BUILD="$BT/build" >"$OUT/build.log" 2>&1 ||
        { tail -20 "$OUT/build.log" >&2; echo "bench-ab: the build of $rev failed" >&2; exit 1; }
fi

echo "bench-ab: A = $rev, B = $head; each run takes about 10 minutes" >&2
BENCH_COMMIT=$rev bash "$ROOT/bench/run.sh" "$BT/build" >"$OUT/a.txt" 2>"$OUT/a.err" || exit 1
BENCH_COMMIT=$head bash "$ROOT/bench/run.sh" "$BUILD" >"$OUT/b.txt" 2>"$OUT/b.err" || exit 1

# ratios FILE: "key<TAB>sqlite<TAB>postgresql" for every ratio row (the key is the row's
# figure number and label, so "ratio to raw" under 2. and under 8. stay apart). Columns are
# fixed-width (row() in bench/run.sh); "0.41/1546" keeps the ratio before the slash.
ratios() {
    awk '
        /^[0-9]+\. / { fig = $1 }
        /^   / && tolower(substr($0, 1, 44)) ~ /ratio/ {
            label = substr($0, 1, 44); sub(/ +$/, "", label); sub(/^ +/, "", label)
            key = fig " " label; n[key]++; if (n[key] > 1) key = key " #" n[key]
            s = substr($0, 46, 14); p = substr($0, 91); gsub(/ /, "", s); gsub(/ /, "", p)
            sub(/\/.*/, "", s); sub(/\/.*/, "", p)
            printf "%s\t%s\t%s\n", key, s, p
        }' "$1"
}
ratios "$OUT/a.txt" >"$OUT/a.r"
ratios "$OUT/b.txt" >"$OUT/b.r"
{
    echo
    echo "A/B of the server benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores): A = $rev, B = $head"
    echo "a ratio of B below A by more than $TOL % is a MISS; '-' where a run has no figure"
    printf '%-46s %8s %8s %8s %-5s %8s %8s %8s %-5s\n' "ratio" "sqlite A" "B" "change" "" "pg A" "B" "change" ""
    join -t $'\t' -j 1 <(sort "$OUT/a.r") <(sort "$OUT/b.r") |
        awk -F'\t' -v tol="$TOL" '
            function cmp(a, b) {
                if (a == "-" || b == "-" || a == "" || b == "" || a + 0 <= 0) { c = "-"; v = ""; return }
                # the table prints ratios to 0.01: a fall of one step is rounding, not a MISS
                d = (b - a) * 100 / a; c = sprintf("%+.1f%%", d); v = (d < -tol && a - b > 0.0101) ? "MISS" : "PASS"
                if (v == "MISS") miss++
            }
            { cmp($2, $4); cs = c; vs = v; cmp($3, $5); cp = c; vp = v
              printf "%-46s %8s %8s %8s %-5s %8s %8s %8s %-5s\n", $1, $2, $4, cs, vs, $3, $5, cp, vp }
            END { printf "%d ratio(s) fell by more than %s %%\n", miss, tol }'
    echo "A: $(tail -2 "$OUT/a.txt" | head -1)"
    echo "B: $(tail -2 "$OUT/b.txt" | head -1)"
} >"$OUT/ab.txt"
cat "$OUT/a.txt" "$OUT/b.txt" "$OUT/ab.txt"
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$ROOT/bench/out/ab" 2>/dev/null &&
    cat "$OUT/a.txt" "$OUT/b.txt" "$OUT/ab.txt" >"$ROOT/bench/out/ab/$stamp-$rev.txt" 2>/dev/null
exit 0
