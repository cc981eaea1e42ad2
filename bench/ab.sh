#!/usr/bin/env bash
# A/B benchmark (invoked by `make bench-ab`): the server benchmark of bench/run.sh on the
# commit BASE and on the working tree, alternately (A B A B …, AB_ROUNDS rounds) on the same
# machine, then every ratio figure side by side: the median of A's rounds beside the median
# of B's. A median that falls by more than AB_TOLERANCE percent (5) against BASE is a MISS.
# Both builds are measured by this tree's bench/run.sh, so the runs measure the same things
# the same way. The ratios are read as printed (two decimals): a fall of 0.01 (one rounding
# step, 10 % of a ratio of 0.10) is not counted. One round is as noisy as the machine: on the
# 2-core machine a single pair showed 5 falls of 6-16 % that three alternating rounds of the
# same two commits did not reproduce (2026-12-06), hence 3 rounds by default.
# usage: bench/ab.sh BUILD_DIR [BASE]     (BASE: any git revision, default HEAD~1)
# Environment: everything bench/run.sh reads (BENCH_PG=0 skips PostgreSQL, …), and
#   AB_ROUNDS=3      rounds of A then B (each run about 10 minutes at full size)
#   AB_TOLERANCE=5   the largest fall of a ratio, in percent, still counted as PASS
#   AB_KEEP=1        keep the base worktree and its build under /tmp/shouhou-ab-<rev>
#   AB_FROM=DIR      judge saved runs again (DIR/a.N.txt, DIR/b.N.txt: the reports of the
#                    rounds, e.g. split from a file in bench/out/ab); builds and runs nothing
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

if [ -n "${AB_FROM:-}" ]; then
    # judge saved runs again: the reports a.N.txt and b.N.txt in AB_FROM (no build, no run)
    cp "$AB_FROM"/a.*.txt "$AB_FROM"/b.*.txt "$OUT"/ || exit 1
    ROUNDS=$(ls "$OUT"/a.*.txt | wc -l)
    rev=$(grep -m1 -o 'commit [^,]*' "$OUT/a.1.txt" | cut -d' ' -f2)
    head=$(grep -m1 -o 'commit [^,]*' "$OUT/b.1.txt" | cut -d' ' -f2)
elif [ ! -x "$BT/build/shouhou" ]; then
    rm -rf "$BT"
    git -C "$ROOT" worktree prune
    git -C "$ROOT" worktree add --detach "$BT" "$rev" >/dev/null 2>&1 ||
        { echo "bench-ab: cannot check out $rev" >&2; exit 1; }
    echo "bench-ab: building $rev in $BT/build" >&2
    make -C "$BT" build BUILD="$BT/build" >"$OUT/build.log" 2>&1 ||
        { tail -20 "$OUT/build.log" >&2; echo "bench-ab: the build of $rev failed" >&2; exit 1; }
fi

[ -n "${AB_FROM:-}" ] || ROUNDS=${AB_ROUNDS:-3}
case $ROUNDS in '' | *[!0-9]* | 0) echo "bench-ab: AB_ROUNDS must be a positive number" >&2; exit 1 ;; esac
echo "bench-ab: A = $rev, B = $head; $ROUNDS round(s) of A then B, each run about 10 minutes" >&2
for r in $(seq 1 "$ROUNDS"); do
    [ -n "${AB_FROM:-}" ] && break
    BENCH_COMMIT=$rev bash "$ROOT/bench/run.sh" "$BT/build" >"$OUT/a.$r.txt" 2>"$OUT/a.$r.err" || exit 1
    BENCH_COMMIT=$head bash "$ROOT/bench/run.sh" "$BUILD" >"$OUT/b.$r.txt" 2>"$OUT/b.$r.err" || exit 1
    echo "bench-ab: round $r of $ROUNDS done" >&2
done

# ratios FILE: "key<TAB>sqlite<TAB>postgresql<TAB>sqlite num<TAB>postgresql num" for every
# ratio row (the key is the row's figure number and label, so "ratio to raw" under 2. and under
# 8. stay apart). Columns are fixed-width (row() in bench/run.sh); "0.41/1546" keeps the ratio
# before the slash. A ratio to raw also gives its numerator, the req/s row right above it
# ("-" for the other ratios).
ratios() {
    awk '
        # the SQLite figure: the first number in columns 45-64 (a label longer than its 44
        # columns shifts its row right); the PostgreSQL one: what stands past column 90
        function sq(line,   v) { if (!match(substr(line, 45, 20), /[0-9][0-9.]*/)) return "-"; return substr(line, 44 + RSTART, RLENGTH) }
        function pg(line,   v) { v = substr(line, 91); gsub(/ /, "", v); sub(/\/.*/, "", v); return v == "" ? "-" : v }
        /^[0-9]+\. / { fig = $1 }
        /^   / && tolower(substr($0, 1, 44)) ~ /ratio/ {
            label = substr($0, 1, 44); sub(/ +$/, "", label); sub(/^ +/, "", label)
            key = fig " " label; n[key]++; if (n[key] > 1) key = key " #" n[key]
            sn = pn = "-"
            if (label ~ /to raw/) { sn = sq(prev); pn = pg(prev) }
            printf "%s\t%s\t%s\t%s\t%s\n", key, sq($0), pg($0), sn, pn
        }
        { prev = $0 }' "$1"
}
# medians FILE…: the key and the median over the rounds of each other column of ratios ("-"
# where no round has a figure)
medians() {
    for f in "$@"; do ratios "$f"; done | awk -F'\t' '
        function med(list,   n, v, i, j, t) {
            n = split(list, v, " "); if (n == 0) return "-"
            for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
            return n % 2 ? v[(n + 1) / 2] : sprintf("%.2f", (v[n / 2] + v[n / 2 + 1]) / 2)
        }
        { if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 }
          for (c = 2; c <= 5; c++) if ($c != "" && $c != "-") m[$1, c] = m[$1, c] " " $c }
        END { for (i = 1; i <= k; i++) { x = order[i]
                printf "%s\t%s\t%s\t%s\t%s\n", x, med(m[x, 2]), med(m[x, 3]), med(m[x, 4]), med(m[x, 5]) } }'
}
medians "$OUT"/a.*.txt >"$OUT/a.r"
medians "$OUT"/b.*.txt >"$OUT/b.r"
{
    echo
    echo "A/B of the server benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores): A = $rev, B = $head, medians of $ROUNDS round(s)"
    echo "a median of B below A's by more than $TOL % is a MISS; '-' where no run has a figure."
    echo "A ratio to raw is judged against one reference for both builds: the raw insert is the"
    echo "same code in A and B, and its rate moves between runs with the machine (the fsync), so"
    echo "each run's own raw adds that noise to its ratio; divided by one shared reference the"
    echo "change of the ratio is the change of its req/s (column 'judged'). Other ratios are"
    echo "judged as they are."
    printf '%-40s %6s %6s %7s %7s %-4s  %6s %6s %7s %7s %-4s\n' "ratio" "sq. A" "B" "change" "judged" "" "pg A" "B" "change" "judged" ""
    join -t $'\t' -j 1 <(sort "$OUT/a.r") <(sort "$OUT/b.r") |
        awk -F'\t' -v tol="$TOL" '
            function pct(a, b) { return (a == "-" || b == "-" || a == "" || b == "" || a + 0 <= 0) ? "" : (b - a) * 100 / a }
            # ra, rb: the ratios; na, nb: their numerators ("-": none, the ratio is judged)
            function cmp(ra, rb, na, nb,   d) {
                c = pct(ra, rb); c = c == "" ? "-" : sprintf("%+.1f%%", c)
                if (na != "-" && nb != "-") { d = pct(na, nb); step = 0 }
                else { d = pct(ra, rb); step = 0.0101 } # a fall of one printed step is rounding
                if (d == "") { j = "-"; v = ""; return }
                j = sprintf("%+.1f%%", d); v = (d < -tol && (step == 0 || ra - rb > step)) ? "MISS" : "PASS"
                if (v == "MISS") miss++
            }
            { cmp($2, $6, $4, $8); cs = c; js = j; vs = v; cmp($3, $7, $5, $9)
              printf "%-40.40s %6s %6s %7s %7s %-4s  %6s %6s %7s %7s %-4s\n", $1, $2, $6, cs, js, vs, $3, $7, c, j, v }
            END { printf "%d figure(s) fell by more than %s %%\n", miss, tol }'
    echo "the raw references of each run (rows/s, sqlite | postgresql: units, tickets), A then B:"
    for r in $(seq 1 "$ROUNDS"); do
        for x in a b; do
            printf '  %s%d: %s\n' "$x" "$r" "$(awk '/^1\. raw insert|^8\. raw ticket insert/ {
                s = substr($0, 46, 14); p = substr($0, 91); gsub(/ /, "", s); gsub(/ /, "", p)
                printf "%s%s|%s", (n++ ? "  " : ""), s, p }' "$OUT/$x.$r.txt")"
        done
    done
    echo "each round's ratios (sqlite | postgresql), A then B:"
    for r in $(seq 1 "$ROUNDS"); do
        for x in a b; do
            printf '  %s%d: %s\n' "$x" "$r" "$(ratios "$OUT/$x.$r.txt" | awk -F'\t' '{printf "%s%s|%s", (NR > 1 ? "  " : ""), $2, $3}')"
        done
    done
    for r in $(seq 1 "$ROUNDS"); do
        echo "A$r: $(tail -2 "$OUT/a.$r.txt" | head -1)"
        echo "B$r: $(tail -2 "$OUT/b.$r.txt" | head -1)"
    done
} >"$OUT/ab.txt"
cat "$OUT"/a.*.txt "$OUT"/b.*.txt "$OUT/ab.txt"
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$ROOT/bench/out/ab" 2>/dev/null &&
    cat "$OUT"/a.*.txt "$OUT"/b.*.txt "$OUT/ab.txt" >"$ROOT/bench/out/ab/$stamp-$rev.txt" 2>/dev/null
exit 0
