#!/usr/bin/env bash
# clang-format (the repo's .clang-format) and the banned-function list.
set -u
cd "$(dirname "$0")/.."
rc=0
git ls-files '*.c' '*.h' | xargs clang-format --dry-run -Werror || rc=1
if git ls-files 'src/*.c' 'src/*.h' | xargs grep -nE '\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi)\s*\('; then
	echo "banned functions used (see above)"
	rc=1
fi
[ $rc -eq 0 ] && echo "style: ok"
exit $rc
