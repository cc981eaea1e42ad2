/* SPDX-License-Identifier: MIT */
#include "app/retention.h"

#include "app/auth.h"
#include "base/date.h"

enum sh_code uc_retention_prune(const struct uc *u, struct retention_out *out, struct sh_err *e)
{
    int keep_fail = u->app && u->app->retention_login_failures_s > 0
                        ? u->app->retention_login_failures_s
                        : 24 * 3600;
    int keep_idem =
        u->app && u->app->retention_idempotency_s > 0 ? u->app->retention_idempotency_s : 24 * 3600;
    if (keep_fail < AUTH_WINDOW_S)
        keep_fail = AUTH_WINDOW_S;
    char fail_before[21], idem_before[21];
    sh_ts_format(u->now - keep_fail, fail_before);
    sh_ts_format(u->now - keep_idem, idem_before);
    *out = (struct retention_out){0};
    enum sh_code rc = db_exec(u->tx, "DELETE FROM login_failures WHERE at < $1",
                              DB_P(DB_TEXT(fail_before)), &out->login_failures, e);
    if (rc)
        return rc;
    return db_exec(u->tx, "DELETE FROM idempotency_keys WHERE created_at < $1",
                   DB_P(DB_TEXT(idem_before)), &out->idempotency_keys, e);
}
