/* SPDX-License-Identifier: MIT */
/* libFuzzer: arbitrary paths against every route pattern. A match must capture
 * exactly the {params} of its pattern, each a non-empty segment without '/'. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *path = malloc(size + 1);
    memcpy(path, data, size);
    path[size] = '\0';
    struct sh_arena a;
    sh_arena_init(&a, 0);
    for (int i = 0; i < api_nroutes; i++) {
        const char *p[HTTP_MAX_PARAMS];
        int n = -1;
        if (!router_match(api_routes[i].pattern, path, &a, p, &n))
            continue;
        int want = 0;
        for (const char *c = api_routes[i].pattern; *c; c++)
            want += *c == '{';
        if (n != want)
            abort();
        for (int k = 0; k < n; k++)
            if (!p[k] || !*p[k] || strchr(p[k], '/'))
                abort();
    }
    sh_arena_release(&a);
    free(path);
    return 0;
}
