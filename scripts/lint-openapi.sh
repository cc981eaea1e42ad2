#!/usr/bin/env bash
# Lints docs/openapi.yaml with the pinned @redocly/cli (tests/contract/package-lock.json) and the
# recommended rules (tests/contract/redocly.yaml). Any error or warning fails; a finding accepted
# on purpose is listed with its reason in tests/contract/.redocly.lint-ignore.yaml.
# Last line: "openapi-lint: N passed, N failed".
set -uo pipefail
HERE=$(cd "$(dirname "$0")/../tests/contract" && pwd)
SPEC=${1:-../../docs/openapi.yaml}
cd "$HERE" || exit 1
if [ ! -x node_modules/.bin/redocly ]; then
	npm ci --no-audit --no-fund --loglevel=error || { echo "openapi-lint: npm ci failed in tests/contract"; echo "openapi-lint: 0 passed, 1 failed"; exit 1; }
fi
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1
out=$(node_modules/.bin/redocly lint "$SPEC" --config redocly.yaml --format=codeframe 2>&1)
rc=$?
# the CLI's boxed notices (Node.js version) are noise here
grep -vE '[║╔╚]' <<<"$out" | sed '/^\s*$/N;/^\s*\n$/D'
if [ "$rc" -ne 0 ] || grep -qE 'Warning was generated|[0-9]+ warnings?\b' <<<"$out"; then
	echo "openapi-lint: docs/openapi.yaml has lint errors or warnings (fix them, or list one with its reason in tests/contract/.redocly.lint-ignore.yaml)"
	echo "openapi-lint: 0 passed, 1 failed"
	exit 1
fi
echo "openapi-lint: 1 passed, 0 failed"
