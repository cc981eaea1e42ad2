#!/usr/bin/env bash
# API test suite against the real binary.
# usage: tests/api/run.sh BUILD_DIR [sqlite|pg]     (default sqlite)
# pg needs SHOUHOU_TEST_PG=postgresql://user@host:port/db (see scripts/pg.sh).
# The last line is "api-<db>: N passed, N failed"; the exit status is non-zero on failure.
# SH_API_SHARDS=N runs it as N processes side by side, each on its own server and database
# (test_api.py: shard_plan); their output follows, one shard after the other, then the sum.
set -u
BUILD=${1:?usage: tests/api/run.sh BUILD_DIR [sqlite|pg]}
MODE=${2:-sqlite}
HERE=$(cd "$(dirname "$0")" && pwd)
# The suite validates every exchange against docs/openapi.yaml (contract.py): it needs PyYAML
# and jsonschema. Take the first python3 that has both (a python3 earlier on PATH may not see
# Debian's python3-yaml and python3-jsonschema, which scripts/deps.sh installs).
PY=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import yaml, jsonschema' 2>/dev/null; then
		PY=$p
		break
	fi
done
if [ -z "$PY" ]; then
	echo "FAIL - contract: no python3 with PyYAML and jsonschema (apt-get install python3-yaml python3-jsonschema: scripts/deps.sh)"
	echo "api-$MODE: 0 passed, 1 failed"
	exit 1
fi
PYTHONDONTWRITEBYTECODE=1 exec "$PY" -u "$HERE/test_api.py" "$BUILD" "$MODE"
