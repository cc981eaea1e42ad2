/* SPDX-License-Identifier: MIT */
#include "http/router.h"

#include <string.h>

bool router_match(const char *pattern, const char *path, struct sh_arena *a, const char **params,
                  int *nparams)
{
    int n = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            if (!pe)
                return false;
            const char *se = strchr(s, '/');
            size_t len = se ? (size_t)(se - s) : strlen(s);
            if (len == 0 || n >= HTTP_MAX_PARAMS)
                return false;
            if (params)
                params[n] = a ? sh_arena_strndup(a, s, len) : NULL;
            n++;
            p = pe + 1;
            s += len;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    /* a single trailing slash on the path is tolerated */
    if (*p == '\0' && s[0] == '/' && s[1] == '\0')
        s++;
    if (*p || *s)
        return false;
    if (nparams)
        *nparams = n;
    return true;
}
