/* SPDX-License-Identifier: MIT */
#include "jobs/retention.h"

#include <inttypes.h>
#include <string.h>

#include "app/retention.h"
#include "base/log.h"

struct prune_ctx {
    struct app *app;
    int64_t now;
    struct retention_out out;
};

static enum sh_code prune_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct prune_ctx *x = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct principal who = {.username = "retention-job"};
    struct uc u = {.tx = tx, .a = &a, .who = &who, .now = x->now, .app = x->app};
    enum sh_code rc = SH_OK;
    struct db_rows r;
    if (db_tx_dialect(tx) == DB_PG) {
        /* several instances: one prunes, the others find the lock taken */
        rc = db_query(tx, &a, "SELECT pg_try_advisory_xact_lock(727277) AS got", DB_NOP, &r, e);
        if (rc || strcmp(db_get(&r, 0, "got"), "t"))
            goto out;
    }
    rc = uc_retention_prune(&u, &x->out, e);
out:
    sh_arena_release(&a);
    return rc;
}

void retention_tick(struct app *app, int64_t now, int64_t *last)
{
    if (*last && now - *last < RETENTION_PERIOD_S)
        return;
    *last = now;
    struct prune_ctx x = {.app = app, .now = now};
    struct sh_err e;
    sh_err_clear(&e);
    if (db_write(app->db, prune_run, &x, &e)) {
        log_error("retention: %s", e.msg);
        return;
    }
    if (x.out.login_failures || x.out.idempotency_keys)
        log_info("retention: %" PRId64 " failed sign-in(s) and %" PRId64
                 " idempotency key(s) pruned",
                 x.out.login_failures, x.out.idempotency_keys);
}
