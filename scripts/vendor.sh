#!/usr/bin/env bash
# Browser libraries pinned in web/vendor/package-lock.json, copied into web/vendor/dist.
#   scripts/vendor.sh          install from the lock file and copy (after changing a version)
#   scripts/vendor.sh --check  fail when a committed copy differs from the locked package
# The copies are committed so that `make run` needs no npm; make check runs --check when
# node_modules is present or npm can reach the registry.
set -euo pipefail
cd "$(dirname "$0")/../web/vendor"
# package file -> served copy (add a line per library; pages load only what they need)
FILES=(
  "signature_pad/dist/signature_pad.umd.min.js:signature_pad.umd.min.js"
  "redoc/bundles/redoc.standalone.js:redoc.standalone.js"
  "echarts/dist/echarts.common.min.js:echarts.common.min.js"
)
if [ ! -d node_modules ] || [ "${1:-}" != --check ]; then
  npm ci --ignore-scripts --no-audit --no-fund >/dev/null
fi
mkdir -p dist
bad=0
for f in "${FILES[@]}"; do
  src="node_modules/${f%%:*}" dst="dist/${f##*:}"
  if [ "${1:-}" = --check ]; then
    cmp -s "$src" "$dst" || { echo "vendor: $dst differs from $src (run scripts/vendor.sh)"; bad=1; }
  else
    cp "$src" "$dst"
  fi
done
[ "$bad" = 0 ] && echo "vendor: ${#FILES[@]} files match web/vendor/package-lock.json"
exit "$bad"
