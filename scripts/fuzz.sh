#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) in $1 and runs each for
# FUZZ_SECONDS (default 300) from its seed corpus. Last line: "fuzz: N passed, N failed".
set -u
BUILD=${1:-build-fuzz}
secs=${FUZZ_SECONDS:-300}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
	CC=clang cmake -S . -B "$BUILD" -DSH_FUZZ=ON -DSH_SANITIZE=address,undefined \
		-DCMAKE_BUILD_TYPE=Debug >/dev/null || { echo "fuzz: 0 passed, 1 failed"; exit 1; }
fi
targets=$(ls tests/fuzz/fuzz_*.c | xargs -n1 basename | sed 's/\.c$//')
cmake --build "$BUILD" -j"$(nproc)" --target $targets >"$BUILD/fuzz-build.log" 2>&1 || {
	tail -20 "$BUILD/fuzz-build.log"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
}
p=0
f=0
for t in $targets; do
	corpus="$BUILD/corpus-$t"
	mkdir -p "$corpus"
	seeds="tests/fuzz/seeds/${t#fuzz_}"
	args=("$corpus")
	[ -d "$seeds" ] && args+=("$seeds")
	if "$BUILD/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
		-artifact_prefix="$BUILD/" "${args[@]}" >"$BUILD/$t.log" 2>&1; then
		echo "ok - $t ($secs s, $(grep -c '' "$BUILD/$t.log") log lines)"
		p=$((p + 1))
	else
		echo "FAIL - $t: see $BUILD/$t.log"
		grep -E 'ERROR|SUMMARY|Test unit written' "$BUILD/$t.log" | head -5
		f=$((f + 1))
	fi
done
echo "fuzz: $p passed, $f failed"
[ "$f" -eq 0 ]
