/* SPDX-License-Identifier: MIT */
#include "jobs/visits.h"

#include "app/visits.h"
#include "base/log.h"

void visits_tick(struct app *app, int64_t now, int64_t *last)
{
    if (*last && now - *last < VISITS_PERIOD_S)
        return;
    *last = now;
    struct principal who = visits_job_principal();
    struct visit_gen_all out;
    struct sh_err e;
    sh_err_clear(&e);
    if (app_visits_generate(app, &who, now, &out, &e)) {
        log_error("visits: %s", e.msg);
        return;
    }
    if (out.created)
        log_info("visits: %d visit(s) created from %d plan(s)", out.created, out.plans);
    if (out.failed)
        log_error("visits: %d plan(s) failed, last %s", out.failed, out.last_error);
}
