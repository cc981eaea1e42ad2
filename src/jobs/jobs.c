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
    struct ticker *t, *warm;
    int64_t pruned_at, visits_at, reminders_at;
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
}

struct warm_pace {
    const bool *stop;
};

/* After a month of the warm-up: rest twice as long as it took (at least 50 ms), so that it
 * takes at most a third of a core of the database, whose backend our thread's priority does
 * not reach (PostgreSQL). */
static bool warm_rest(void *ctx, int64_t busy_ns)
{
    const struct warm_pace *p = ctx;
    int64_t ns = 2 * busy_ns;
    return ticker_rest(p->stop, ns > 50000000 ? ns : 50000000);
}

/* The dashboard's past months kept warm (issue 15): its first paint is this month only. A
 * thread of its own at the lowest priority: requests, and the SLA scan, go first. */
static void warm_tick(void *arg, const bool *stop)
{
    struct jobs *j = arg;
    struct warm_pace p = {stop};
    const struct dash_pace pace = {warm_rest, &p};
    struct sh_err e;
    sh_err_clear(&e);
    if (app_dashboard_warm(j->app, sh_now(), &pace, &e))
        log_error("dashboard: %s", e.msg);
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
    j->warm = ticker_start_idle("the dashboard warm-up", DASH_WARM_S, warm_tick, j);
    return j;
}

void jobs_stop(struct jobs *j)
{
    if (!j)
        return;
    ticker_stop(j->warm);
    ticker_stop(j->t);
    free(j);
}
