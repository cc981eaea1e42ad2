/* SPDX-License-Identifier: MIT */
#include "jobs/jobs.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "app/report_dashboard.h"
#include "app/sla.h"
#include "base/date.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "jobs/reminders.h"
#include "jobs/retention.h"
#include "jobs/visits.h"

#define SCAN_BATCH 200

struct jobs {
    struct app *app;
    int interval_s;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
};

static void *jobs_main(void *arg)
{
    struct jobs *j = arg;
    int64_t pruned_at = 0, visits_at = 0, reminders_at = 0, dash_at = 0;
    pthread_mutex_lock(&j->mu);
    while (!j->stop) {
        pthread_mutex_unlock(&j->mu);
        retention_tick(j->app, sh_now(), &pruned_at);
        visits_tick(j->app, sh_now(), &visits_at);
        reminders_tick(j->app, sh_now(), &reminders_at);
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
        } while (n == SCAN_BATCH && !j->stop);
        if (total)
            log_info("sla scan: %d ticket(s) re-evaluated", total);
        /* the dashboard's past months kept warm (issue 15): its first paint is this month only */
        if (!j->stop && sh_now() - dash_at >= DASH_WARM_S) {
            struct sh_err e;
            sh_err_clear(&e);
            dash_at = sh_now();
            if (app_dashboard_warm(j->app, dash_at, &e))
                log_error("dashboard: %s", e.msg);
        }
        pthread_mutex_lock(&j->mu);
        if (j->stop)
            break;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += j->interval_s;
        pthread_cond_timedwait(&j->cv, &j->mu, &until);
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

struct jobs *jobs_start(struct app *app, int interval_s)
{
    struct jobs *j = xcalloc(1, sizeof(*j));
    j->app = app;
    j->interval_s = interval_s > 0 ? interval_s : 30;
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, NULL);
    if (pthread_create(&j->thread, NULL, jobs_main, j) != 0) {
        log_error("cannot start the background jobs");
        free(j);
        return NULL;
    }
    return j;
}

void jobs_stop(struct jobs *j)
{
    if (!j)
        return;
    pthread_mutex_lock(&j->mu);
    j->stop = true;
    pthread_cond_signal(&j->cv);
    pthread_mutex_unlock(&j->mu);
    pthread_join(j->thread, NULL);
    pthread_mutex_destroy(&j->mu);
    pthread_cond_destroy(&j->cv);
    free(j);
}
