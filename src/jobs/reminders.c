/* SPDX-License-Identifier: MIT */
#include "jobs/reminders.h"

#include "app/notify_events.h"
#include "base/log.h"

struct pass {
    struct app *app;
    int64_t now;
    struct notify_reminders_out out;
};

static enum sh_code run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct pass *p = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct principal who = {.username = "reminders-job"};
    struct uc u = {.tx = tx, .a = &a, .who = &who, .now = p->now, .app = p->app};
    enum sh_code rc = uc_notify_reminders(&u, &p->out, e);
    sh_arena_release(&a);
    return rc;
}

void reminders_tick(struct app *app, int64_t now, int64_t *last)
{
    if (*last && now - *last < REMINDERS_PERIOD_S)
        return;
    *last = now;
    struct pass p = {.app = app, .now = now};
    struct sh_err e;
    sh_err_clear(&e);
    if (db_write(app->db, run, &p, &e)) {
        log_error("reminders: %s", e.msg);
        return;
    }
    if (p.out.precalls || p.out.warranties)
        log_info("reminders: %d pre-arrival call(s), %d warranty notice(s)", p.out.precalls,
                 p.out.warranties);
}
