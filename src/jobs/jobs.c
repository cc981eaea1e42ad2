/* SPDX-License-Identifier: MIT */
#include "jobs/jobs.h"

#include <stdlib.h>

#include "app/report_dashboard.h"
#include "app/sla.h"
#include "base/date.h"
#include "base/log.h"
#include "base/ticker.h"
#include "base/xalloc.h"
#include "jobs/reminders.h"
#include "jobs/retention.h"
#include "jobs/visits.h"

#define SCAN_BATCH 200

struct jobs {
    struct app *app;
    struct ticker *t;
    int64_t pruned_at, visits_at, reminders_at, dash_at;
};

static void jobs_tick(void *arg, const bool *stop)
{
    struct jobs *j = arg;
    retention_tick(j->app, sh_now(), &j->pruned_at);
    visits_tick(j->app, sh_now(), &j->visits_at);
    reminders_tick(j->app, sh_now(), &j->reminders_at);
    /* batches keep each write transaction short, so requests are not held up */
    int total = 0, n;
    do {
        struct sh_err e;
        sh_err_clear(&e);
        n = 0;
        if (sla_scan(j->app, sh_now(), SCAN_BATCH, &n, &e)) {
            log_error("sla scan: %s", e.msg);
            break;
        }
        total += n;
    } while (n == SCAN_BATCH && !ticker_stopping(stop));
    if (total)
        log_info("sla scan: %d ticket(s) re-evaluated", total);
    /* the dashboard's past months kept warm (issue 15): its first paint is this month only */
    if (!ticker_stopping(stop) && sh_now() - j->dash_at >= DASH_WARM_S) {
        struct sh_err e;
        sh_err_clear(&e);
        j->dash_at = sh_now();
        if (app_dashboard_warm(j->app, j->dash_at, &e))
            log_error("dashboard: %s", e.msg);
    }
}

struct jobs *jobs_start(struct app *app, int interval_s)
{
    struct jobs *j = xcalloc(1, sizeof(*j));
    j->app = app;
    j->t = ticker_start("the background jobs", interval_s > 0 ? interval_s : 30, jobs_tick, j);
    if (!j->t) {
        free(j);
        return NULL;
    }
    return j;
}

void jobs_stop(struct jobs *j)
{
    if (!j)
        return;
    ticker_stop(j->t);
    free(j);
}
