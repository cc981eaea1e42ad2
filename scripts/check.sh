#!/usr/bin/env bash
# Runs every test suite against the build in $1 and ends with one line
# "N passed, N failed": style, the OpenAPI lint, cmocka unit tests, smoke scripts, the API suite
# on SQLite and on PostgreSQL, browser tests when present, and short fuzz runs.
set -u
BUILD=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
logs=$(mktemp -d /tmp/shouhou-check.XXXXXX)
pass=0
fail=0
skip=0
failed_suites=()

count() { # suite-name passed failed [skipped]
	pass=$((pass + $2))
	fail=$((fail + $3))
	skip=$((skip + ${4:-0}))
	[ "$3" -gt 0 ] && failed_suites+=("$1")
	printf '%-28s %4d passed, %d failed%s\n' "$1" "$2" "$3" "${4:+, $4 skipped}"
}

# A suite script prints "<name>: N passed, N failed[, N skipped]" as its last line.
# start_script runs one in the background (its log in $logs/<name>.log, its exit status in
# $logs/<name>.rc); report_script waits for it and counts it. The long suites run side by
# side: each has its own log, server port (port 0), work directory and PostgreSQL database.
# Alone, a suite spends part of its wall time waiting (sleeps, throttle windows, slow
# clients); side by side the other suites fill those waits. SH_SERIAL=1 runs them one after
# the other.
declare -A bg_pid=()
start_script() { # name command...
	local name=$1
	shift
	local t0=$SECONDS
	("$@" >"$logs/$name.log" 2>&1
	echo "$? $((SECONDS - t0))" >"$logs/$name.rc") &
	bg_pid[$name]=$!
	[ "${SH_SERIAL:-0}" = 1 ] && wait "${bg_pid[$name]}"
	return 0
}

report_script() { # name
	local name=$1
	[ -n "${bg_pid[$name]:-}" ] && wait "${bg_pid[$name]}"
	local rc secs
	read -r rc secs <"$logs/$name.rc" 2>/dev/null || rc=255
	echo "$name: ${secs:-?} s" >>"$logs/times"
	local last
	last=$(grep -E '^[A-Za-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$logs/$name.log" | tail -1)
	if [ -z "$last" ]; then
		count "$name" 0 1
		echo "  no summary line (exit $rc); log: $logs/$name.log"
		tail -5 "$logs/$name.log" | sed 's/^/  | /'
		return
	fi
	local p f s
	p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$last")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$last")
	s=$(grep -oE '[0-9]+ skipped' <<<"$last" | grep -oE '[0-9]+' || true)
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	count "$name" "$p" "$f" "$s"
	[ "$f" -gt 0 ] && grep -E '^(FAIL|not ok|  unit: |  \| )' "$logs/$name.log" | head -40 | sed 's/^/  | /'
	# the API suites' long cases ("# ... took N s") and their total, for finding long poles
	grep -E '^# ([0-9.]+ s|cpu: .*)$' "$logs/$name.log" | sed "s/^# /  $name: /"
	return 0
}

run_script() { # name command...: one suite in the foreground
	start_script "$@"
	report_script "$1"
}

# style: clang-format and banned functions (SH_SKIP_STYLE=1 for a sanitizer run)
style_fail=0
if [ "${SH_SKIP_STYLE:-0}" != 1 ]; then
	if ! git ls-files '*.c' '*.h' | xargs clang-format --dry-run -Werror >"$logs/style.log" 2>&1; then
		style_fail=1
		head -20 "$logs/style.log" | sed 's/^/  | /'
	fi
	if git ls-files 'src/*.c' 'src/*.h' | xargs grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi)\s*\(' >"$logs/banned.log"; then
		style_fail=1
		sed 's/^/  banned: /' "$logs/banned.log" | head
	fi
	if ! bash scripts/check-structure.sh >"$logs/structure.log" 2>&1; then
		style_fail=1
		sed 's/^/  structure: /' "$logs/structure.log" | head -20
	fi
	count style $((1 - style_fail)) $style_fail
fi

# docs/openapi.yaml: valid OpenAPI 3.1 for a standard linter (@redocly/cli, recommended rules)
# SH_SKIP_LINT=1 skips this one and the vendor check below (files, not the build: .ci/run runs
# them in make check only, not again in make asan and make tsan beside it)
[ "${SH_SKIP_LINT:-0}" != 1 ] && run_script openapi-lint bash scripts/lint-openapi.sh

# docs/openapi.yaml's entity schemas are what scripts/openapi-schemas.py generates from the C
# declarations (`shouhou meta`): `make openapi` rewrites them
PY=python3
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import yaml' 2>/dev/null; then
		PY=$p
		break
	fi
done
run_script openapi-schemas "$PY" scripts/openapi-schemas.py "$BUILD/shouhou" --check

# every guard a refusal can name (params.guard, read from src/) has its words in both UI
# catalogues (err.guard.<name>), and the catalogues have the same keys; files only, like the lint
[ "${SH_SKIP_LINT:-0}" != 1 ] && run_script guard-texts "$PY" scripts/check-guard-texts.py

# web/vendor/dist: the committed copies equal the packages pinned in web/vendor/package-lock.json
# (when web/vendor/node_modules is there, or npm can install it)
if [ "${SH_SKIP_LINT:-0}" != 1 ] && { [ -d web/vendor/node_modules ] || command -v npm >/dev/null 2>&1; }; then
	run_script vendor bash -c 'if bash scripts/vendor.sh --check; then echo "vendor: 1 passed, 0 failed"; else echo "vendor: 0 passed, 1 failed"; exit 1; fi'
fi

# PostgreSQL: the store contract (unit) and the API suite run on it too. Without a DSN in
# SHOUHOU_TEST_PG, start the private cluster of scripts/pg.sh (127.0.0.1:55432) when
# PostgreSQL 15 is installed, and say so when it cannot be started.
if [ -z "${SHOUHOU_TEST_PG:-}" ] && [ "${SH_SKIP_PG_API:-0}" != 1 ]; then
	if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
		echo "postgresql: not installed (bash scripts/deps.sh installs it): the PostgreSQL suites are skipped"
	elif bash scripts/pg.sh start >"$logs/pg.log" 2>&1; then
		SHOUHOU_TEST_PG=$(bash scripts/pg.sh dsn)
		export SHOUHOU_TEST_PG
		echo "postgresql: private cluster $SHOUHOU_TEST_PG (scripts/pg.sh)"
	else
		echo "postgresql: scripts/pg.sh could not start a cluster (log: $logs/pg.log): the PostgreSQL suites are skipped"
		tail -3 "$logs/pg.log" | sed 's/^/  | /'
	fi
fi

# unit tests (cmocka): each tests/unit/**/test_*.c is a binary in $BUILD; one after the other,
# beside the suites below. Last line "unit: N passed, N failed".
unit_suite() {
	local up=0 uf=0 src name rc p f
	for src in $(find tests/unit -name 'test_*.c' | sort); do
		name=$(basename "$src" .c)
		# SH_UNIT_SUBSET=threaded: the tests that start threads only (CMakeLists.txt)
		if [ "${SH_UNIT_SUBSET:-}" = threaded ] && ! grep -q '^/\* threads: ' "$src"; then
			continue
		fi
		if [ ! -x "$BUILD/$name" ]; then
			uf=$((uf + 1))
			echo "  unit: $name was not built"
			continue
		fi
		"$BUILD/$name" >"$logs/$name.log" 2>&1
		rc=$?
		p=$(grep -oE '^\[  PASSED  \] [0-9]+' "$logs/$name.log" | grep -oE '[0-9]+$' | awk '{s+=$1} END {print s+0}')
		f=$(grep -oE '^\[  FAILED  \] [0-9]+' "$logs/$name.log" | grep -oE '[0-9]+$' | awk '{s+=$1} END {print s+0}')
		[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
		up=$((up + p))
		uf=$((uf + f))
		if [ "$f" -gt 0 ]; then
			echo "  unit: $name failed (log $logs/$name.log)"
			grep -E '^\[  (FAILED|ERROR) \]|ERROR|Sanitizer|runtime error' "$logs/$name.log" | head -10 | sed 's/^/  | /'
		fi
	done
	echo "unit: $up passed, $uf failed"
}
suites=(unit)
start_script unit unit_suite

# smoke scripts
for s in tests/smoke/*.sh; do
	[ -f "$s" ] && [ "${SH_SKIP_SMOKE:-0}" != 1 ] || continue
	suites+=("smoke-$(basename "$s" .sh)")
	start_script "smoke-$(basename "$s" .sh)" bash "$s" "$BUILD"
done

# API suite on SQLite and PostgreSQL
# (SH_SKIP_SQLITE_API=1: .ci/run's make check, whose make asan runs the SQLite suite under ASan)
if [ -f tests/api/run.sh ]; then
	if [ "${SH_SKIP_SQLITE_API:-0}" != 1 ]; then
		suites+=(api-sqlite)
		start_script api-sqlite bash tests/api/run.sh "$BUILD" sqlite
	fi
	if [ "${SH_SKIP_PG_API:-0}" != 1 ]; then
		suites+=(api-pg)
		start_script api-pg bash tests/api/run.sh "$BUILD" pg
	fi
fi

# browser tests
if [ -f tests/e2e/run.sh ] && [ "${SH_SKIP_E2E:-0}" != 1 ]; then
	suites+=(e2e)
	start_script e2e bash tests/e2e/run.sh "$BUILD"
fi

# short fuzz runs, 5 s per target (the long ones are `make fuzz`); SH_FUZZ_BUILD names the
# build directory (.ci/run: its ASan build, configured with clang and SH_FUZZ=ON, shared with
# make asan)
if [ "${SH_SKIP_FUZZ:-0}" != 1 ] && command -v clang >/dev/null && ls tests/fuzz/fuzz_*.c >/dev/null 2>&1; then
	suites+=(fuzz)
	start_script fuzz env FUZZ_SECONDS="${FUZZ_SECONDS:-5}" bash scripts/fuzz.sh "${SH_FUZZ_BUILD:-build-fuzz}"
fi

t0=$SECONDS
for name in "${suites[@]}"; do
	report_script "$name"
done
echo "suites (side by side): $((SECONDS - t0)) s; each: $(sed 's/: /=/' "$logs/times" | tr '\n' ' ')"

echo "logs: $logs"
[ ${#failed_suites[@]} -gt 0 ] && echo "failed suites: ${failed_suites[*]}"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
