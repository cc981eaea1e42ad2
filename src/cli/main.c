/* SPDX-License-Identifier: MIT */
/* shouhou: the one binary. Dispatches to the subcommand named by argv[1]. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
};

static const struct command commands[] = {
    {"serve", cmd_serve, "serve the web UI and API"},
    {"init", cmd_init, "create the database and the first admin"},
    {"migrate", cmd_migrate, "apply pending database migrations"},
    {"user", cmd_user, "add|passwd|disable|list users"},
    {"token", cmd_token, "create|revoke API tokens"},
    {"demo", cmd_demo, "load demo data (idempotent)"},
    {"import", cmd_import, "import customers|units|models from CSV"},
    {"optimize", cmd_optimize, "solve a VRPTW instance (Solomon/Homberger format)"},
    {"visits", cmd_visits, "create the visits of the periodic visit plans now"},
    {"backup", cmd_backup, "write the database and attachments into one file"},
    {"restore", cmd_restore, "restore a backup (the server stopped)"},
    {"doctor", cmd_doctor, "check configuration, database, disk, fonts and clock"},
    {"meta", cmd_meta, "print the entity declarations (GET /api/v1/meta) as JSON"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: shouhou <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\nrun 'shouhou <command> --help' for a command's options\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "shouhou: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
