#!/usr/bin/env bash
# API test suite against the real binary.
# usage: tests/api/run.sh BUILD_DIR [sqlite|pg]     (default sqlite)
# pg needs SHOUHOU_TEST_PG=postgresql://user@host:port/db (see scripts/pg.sh).
# The last line is "api-<db>: N passed, N failed"; the exit status is non-zero on failure.
set -u
BUILD=${1:?usage: tests/api/run.sh BUILD_DIR [sqlite|pg]}
MODE=${2:-sqlite}
HERE=$(cd "$(dirname "$0")" && pwd)
PYTHONDONTWRITEBYTECODE=1 exec python3 -u "$HERE/test_api.py" "$BUILD" "$MODE"
