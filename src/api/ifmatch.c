/* SPDX-License-Identifier: MIT */
#include "api/ifmatch.h"

#include <ctype.h>
#include <string.h>

#include "http/http.h"

enum sh_code if_match_parse(const char *h, int64_t *version, struct sh_err *e)
{
    *version = -1;
    if (!h)
        return SH_OK;
    while (*h == ' ' || *h == '\t')
        h++;
    if (!strcmp(h, "*"))
        return SH_OK;
    if (!strncmp(h, "W/", 2))
        h += 2;
    bool quoted = *h == '"';
    const char *p = quoted ? h + 1 : h;
    int64_t v = 0;
    int digits = 0;
    for (; isdigit((unsigned char)*p) && digits < 18; p++, digits++)
        v = v * 10 + (*p - '0');
    bool closed = quoted && *p == '"';
    if (closed)
        p++;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!digits || *p || quoted != closed) {
        sh_err_field(e, SH_INVALID, "If-Match",
                     "If-Match must be an ETag this API returned, "
                     "e.g. \"3\"");
        return sh_err_reason(e, "invalid_format", NULL);
    }
    *version = v;
    return SH_OK;
}

enum sh_code api_if_match(struct http_req *r, int64_t *version, struct sh_err *e)
{
    return if_match_parse(http_header(r, "If-Match"), version, e);
}

enum sh_code if_match_stale(struct sh_err *e, const char *what)
{
    sh_err_set(e, SH_PRECONDITION, "%s was changed by someone else: reload", what);
    return sh_err_reason(e, "stale", NULL);
}
