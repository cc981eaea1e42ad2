#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) in $1 and runs each for
# FUZZ_SECONDS (default 300) from its seed corpus, FUZZ_JOBS (default 1) at a time.
# FUZZ_TARGETS="fuzz_a fuzz_b" runs only those. An input running longer than FUZZ_TIMEOUT
# (30 s: fuzz_http waits for the server's threads, which a loaded machine may starve) is a
# hang. Per target: executions, coverage (cov, ft) and corpus from the log's last status
# line. Last line: "fuzz: N passed, N failed".
set -u
BUILD=${1:-build-fuzz}
secs=${FUZZ_SECONDS:-300}
jobs=${FUZZ_JOBS:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
	CC=clang cmake -S . -B "$BUILD" -DSH_FUZZ=ON -DSH_SANITIZE=address,undefined \
		-DCMAKE_BUILD_TYPE=Debug >/dev/null || { echo "fuzz: 0 passed, 1 failed"; exit 1; }
fi
targets=${FUZZ_TARGETS:-$(ls tests/fuzz/fuzz_*.c | xargs -n1 basename | sed 's/\.c$//')}
cmake --build "$BUILD" -j"$(nproc)" --target $targets >"$BUILD/fuzz-build.log" 2>&1 || {
	tail -20 "$BUILD/fuzz-build.log"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
}

# one target; its result line goes to $BUILD/$t.result
run_one() {
	local t=$1 corpus="$BUILD/corpus-$1" seeds="tests/fuzz/seeds/${1#fuzz_}"
	mkdir -p "$corpus"
	local args=("$corpus")
	[ -d "$seeds" ] && args+=("$seeds")
	if "$BUILD/$t" -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-30}" -rss_limit_mb=2048 -print_final_stats=0 \
		-artifact_prefix="$BUILD/$t-" "${args[@]}" >"$BUILD/$t.log" 2>&1; then
		# "#1234 DONE cov: 567 ft: 890 corp: 12/3456b ..." (or the last pulse/NEW line)
		local last
		last=$(grep -E '^#[0-9]+' "$BUILD/$t.log" | tail -1)
		echo "ok - $t ($secs s): $(echo "$last" | awk '{sub("#","",$1); printf "%s execs, cov %s, ft %s, corpus %s", $1, $4, $6, $8}')" \
			>"$BUILD/$t.result"
	else
		{
			echo "FAIL - $t: see $BUILD/$t.log"
			grep -E 'ERROR|SUMMARY|Test unit written|abort|fuzz_' "$BUILD/$t.log" | head -8
		} >"$BUILD/$t.result"
	fi
}

p=0
f=0
report() {
	cat "$BUILD/$1.result"
	if grep -q '^ok' "$BUILD/$1.result"; then p=$((p + 1)); else f=$((f + 1)); fi
}
running=()
for t in $targets; do
	rm -f "$BUILD/$t.result"
	run_one "$t" &
	running+=("$t")
	while [ "${#running[@]}" -ge "$jobs" ]; do
		wait -n
		left=()
		for r in "${running[@]}"; do
			if [ -f "$BUILD/$r.result" ]; then report "$r"; else left+=("$r"); fi
		done
		running=("${left[@]}")
	done
done
wait
for r in "${running[@]}"; do report "$r"; done
echo "fuzz: $p passed, $f failed"
[ "$f" -eq 0 ]
