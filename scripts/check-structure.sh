#!/usr/bin/env bash
# The layering and size rules of docs/architecture.md, checked on the tracked sources:
#  1. no source file in src/ over 1,000 lines (data tables and generated files aside);
#  2. no function in src/api/ or src/app/ over 80 lines;
#  3. src/jobs/ and src/cli/ include no header of src/api/ (they call src/app/);
#     src/app/ includes no header of src/api/ or src/http/;
#  4. src/domain/ stays pure: no header of store, http, api, app, jobs or cli;
#  5. entities are declared in src/app/ only (src/api/ parses and renders them);
#  6. a list answer is written by the one helper, api_reply_page (api/page.c), or a report's
#     report_answer (api/reports.c).
# Prints one line per violation and exits 1 when there is any.
set -u
cd "$(dirname "$0")/.."
# Files allowed past 1,000 lines because they are data, not logic.
DATA_FILES="src/domain/holidays_cn.c"
bad=0
for f in $(git ls-files 'src/*.c' 'src/*.h'); do
	case " $DATA_FILES " in *" $f "*) continue ;; esac
	n=$(wc -l <"$f")
	if [ "$n" -gt 1000 ]; then
		echo "$f: $n lines (limit 1,000)"
		bad=1
	fi
done
# A function body opens with '{' alone in column 0 and closes with '}' in column 0
# (clang-format, BreakBeforeBraces: Linux).
for f in $(git ls-files 'src/api/*.c' 'src/app/*.c'); do
	out=$(awk -v f="$f" '
		/^{$/ { start = NR; name = prev }
		/^}/ && start { len = NR - start - 1; if (len > 80) printf "%s:%d: %s: %d lines (limit 80)\n", f, start, name, len; start = 0 }
		{ if ($0 !~ /^[ \t]*$/) prev = $0 }' "$f")
	if [ -n "$out" ]; then
		echo "$out"
		bad=1
	fi
done
check_includes() { # dir forbidden-regex why [files allowed, space-separated]
	local hits allowed
	allowed=$(tr ' ' '\n' <<<"${4:-/}")
	hits=$(git ls-files "$1/*.c" "$1/*.h" | grep -vxF "$allowed" | xargs -r grep -nE "^#include \"($2)/" || true)
	if [ -n "$hits" ]; then
		echo "$hits" | sed "s|\$| ($3)|"
		bad=1
	fi
}
check_includes src/jobs 'api|http' 'jobs call src/app/, not the API'
# `shouhou serve` is where the HTTP server is wired to the API; `shouhou meta` prints the
# declarations' document (api/meta.h) for scripts/openapi-schemas.py.
check_includes src/cli 'api' 'the CLI calls src/app/, not the API' \
	"src/cli/cmd_serve.c src/cli/cmd_meta.c"
check_includes src/app 'api|http|cli|jobs' 'the application layer knows nothing of HTTP'
check_includes src/domain 'store|http|api|app|jobs|cli|notify|docs' 'domain/ is pure'
# An entity's declaration (columns, enums, limits, hooks) is the application's, not HTTP's.
decl=$(git ls-files 'src/*.c' | grep -v '^src/app/' | xargs -r grep -nE '^const struct entity ent_' || true)
if [ -n "$decl" ]; then
	echo "$decl" | sed 's|$| (entity declarations belong in src/app/)|'
	bad=1
fi
# {"items": [...]} at the top of an answer: api_reply_page or report_answer, not by hand.
# service_reports.c's answer is the report's versions under a header of the work order.
lists=$(git ls-files 'src/api/*.c' | grep -vxF -e src/api/reports.c -e src/api/service_reports.c |
	xargs -r grep -n 'jw_key(&w, "items")' || true)
if [ -n "$lists" ]; then
	echo "$lists" | sed 's|$| (render a list with api_reply_page, api/page.c)|'
	bad=1
fi
check_includes src/notify 'domain|store|http|api|app|jobs|cli' 'notify/ depends on base/ only'
exit $bad
