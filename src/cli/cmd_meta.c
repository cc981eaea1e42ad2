/* SPDX-License-Identifier: MIT */
/* `shouhou meta`: prints the document GET /api/v1/meta serves (the entity declarations, the
 * domain enums, the routes with their roles) without a database or a server.
 * scripts/openapi-schemas.py turns it into docs/openapi.yaml's entity schemas. */
#include <stdio.h>
#include <string.h>

#include "api/meta.h"
#include "cli/cli.h"

int cmd_meta(int argc, char **argv)
{
    (void)argv;
    if (argc > 2) {
        fprintf(stderr, "usage: shouhou meta   (prints GET /api/v1/meta's JSON)\n");
        return 2;
    }
    const char *doc = meta_json();
    if (!doc || !strcmp(doc, "{}")) {
        fprintf(stderr, "meta: the document could not be built\n");
        return 1;
    }
    fputs(doc, stdout);
    fputc('\n', stdout);
    return fflush(stdout) == 0 ? 0 : 1;
}
