/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "cli/cli.h"

int cmd_import(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "shouhou: 'import' is not available in this build yet\n");
    return 1;
}
