/* SPDX-License-Identifier: MIT */
/* Shared pieces of the subcommands: configuration, opening the database,
 * reading secrets from files. */
#ifndef SH_CLI_COMMON_H
#define SH_CLI_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "app/uc.h"
#include "base/config.h"
#include "store/db.h"

/* The exit status of a command whose configuration (file, SHOUHOU_* variable or a --db
 * value) is bad: a usage error (docs/operations.md, exit status). */
#define CLI_EXIT_CONFIG 2

/* Defaults, then --config FILE (if given), then SHOUHOU_* variables. Prints
 * `file:line: message` and returns false on error (the command then exits with
 * CLI_EXIT_CONFIG). */
bool cli_config(const char *config_file, struct sh_config *cfg);
/* Opens (and migrates) the configured database; prints and returns false on error. */
bool cli_open_db(const struct sh_config *cfg, struct db **out);
/* Reads the first line of FILE ("-" = standard input) into out. */
bool cli_read_secret(const char *file, char *out, size_t n);
/* The principal recorded in the audit trail for command-line changes. */
struct principal cli_principal(void);
/* The context of a use case run from the command line: inside tx, results in a, as
 * cli_principal(), now; app may be NULL. */
struct uc cli_uc(struct db_tx *tx, struct sh_arena *a, const struct app *app);

#endif
