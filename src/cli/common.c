/* SPDX-License-Identifier: MIT */
#include "cli/common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app/passwords.h"
#include "base/date.h"

bool cli_config(const char *config_file, struct sh_config *cfg)
{
    struct sh_err e;
    sh_err_clear(&e);
    config_defaults(cfg);
    if (config_file && config_load_file(cfg, config_file, &e)) {
        fprintf(stderr, "shouhou: %s\n", e.msg);
        return false;
    }
    if (config_load_env(cfg, &e)) {
        fprintf(stderr, "shouhou: %s\n", e.msg);
        return false;
    }
    /* every command that hashes a password (serve, init, user add, demo) hashes alike */
    pw_cost_configure(cfg->password_hash_memory_mib);
    return true;
}

bool cli_open_db(const struct sh_config *cfg, struct db **out)
{
    struct sh_err e;
    sh_err_clear(&e);
    static const enum db_prepared modes[] = {DB_PREPARED_AUTO, DB_PREPARED_ON, DB_PREPARED_OFF};
    struct db_options o = {.pg_pool_size = cfg->pg_pool,
                           .migrate = true,
                           .prepared = modes[cfg->pg_prepared_statements],
                           .test_rerun = cfg->pg_test_rerun};
    if (db_open(cfg->db, &o, out, &e)) {
        fprintf(stderr, "shouhou: %s\n", e.msg);
        return false;
    }
    return true;
}

bool cli_read_secret(const char *file, char *out, size_t n)
{
    FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
    if (!f) {
        fprintf(stderr, "shouhou: cannot read '%s': %s\n", file, strerror(errno));
        return false;
    }
    bool ok = fgets(out, (int)n, f) != NULL;
    if (f != stdin)
        fclose(f);
    if (!ok) {
        fprintf(stderr, "shouhou: '%s' is empty\n", file);
        return false;
    }
    out[strcspn(out, "\r\n")] = '\0';
    return true;
}

static const struct principal cli_who = {.user_id = 0, .username = "cli", .roles = RB(ADMIN)};

struct principal cli_principal(void)
{
    return cli_who;
}

struct uc cli_uc(struct db_tx *tx, struct sh_arena *a, const struct app *app)
{
    return (struct uc){.tx = tx, .a = a, .who = &cli_who, .now = sh_now(), .app = app};
}
