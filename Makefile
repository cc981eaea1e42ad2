# Thin wrapper over CMake. The two commands the README promises: `make run`, `make check`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc)
DB         ?= shouhou.db
LISTEN     ?= 127.0.0.1:8080
CMAKE_FLAGS ?=

.PHONY: all build run check check-style asan tsan bench bench-ab bench-dispatch fuzz soak fmt clean deps screenshots openapi

all: build

deps:
	@bash scripts/deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

run: deps build
	@bash scripts/run.sh $(BUILD)/shouhou $(DB) $(LISTEN)

check: deps build
	@bash scripts/check.sh $(BUILD)

# docs/openapi.yaml's entity schemas, generated from the C declarations (make check compares)
openapi: build
	python3 scripts/openapi-schemas.py $(BUILD)/shouhou

check-style:
	@bash scripts/check-style.sh

asan:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSH_SANITIZE=address,undefined >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		DISPATCH_SMOKE_ITERS=$${DISPATCH_SMOKE_ITERS:-5000} bash scripts/check.sh $(ASAN_BUILD)

# ThreadSanitizer over the unit tests and the API suite on SQLite (the group-commit writer,
# the handler threads, the jobs): any data race stops the server and fails the run.
tsan:
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSH_SANITIZE=thread -DSH_UNIT_SUBSET=$${SH_UNIT_SUBSET:-} >/dev/null
	cmake --build $(TSAN_BUILD) -j$(JOBS)
	@TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/tests/tsan.supp SH_SKIP_STYLE=1 SH_SKIP_SMOKE=1 \
		SH_SKIP_PG_API=1 SH_SKIP_E2E=1 SH_SKIP_FUZZ=1 bash scripts/check.sh $(TSAN_BUILD)

bench: build
	@bash bench/run.sh $(BUILD)

# the same benchmark on BASE (default HEAD~1) and on this tree, ratios side by side
BASE ?= HEAD~1
bench-ab: build
	@bash bench/ab.sh $(BUILD) $(BASE)

bench-dispatch: build
	@bash bench/dispatch/run.sh $(BUILD)

# Fault and soak tests (issue 16 item 7; not part of check): SIGKILL x20, PostgreSQL restarted
# under load, SOAK_SECONDS (600) of mixed load with RSS flat. See tests/soak/soak.py.
soak: build
	@bash scripts/pg.sh start >/dev/null && SHOUHOU_TEST_PG=$$(bash scripts/pg.sh dsn) \
		python3 tests/soak/soak.py $(BUILD)

# libFuzzer targets under ASan+UBSan, FUZZ_SECONDS (300) each, FUZZ_JOBS (1) at a time;
# FUZZ_TARGETS="fuzz_http fuzz_csv" for some only. scripts/fuzz.sh builds just the targets.
fuzz:
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DSH_FUZZ=ON -DSH_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-300} bash scripts/fuzz.sh $(FUZZ_BUILD)

screenshots: build
	@bash tests/e2e/run.sh $(BUILD) --screenshots
	@bash scripts/demo-screens.sh $(BUILD)

fmt:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
