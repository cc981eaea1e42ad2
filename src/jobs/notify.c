/* SPDX-License-Identifier: MIT */
#include "jobs/notify.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "app/notifications.h"
#include "base/date.h"
#include "base/log.h"
#include "base/ticker.h"
#include "base/xalloc.h"

#define BATCH 50

struct notify_worker {
    struct app *app;
    struct ticker *t;
};

struct claim_ctx {
    struct app *app;
    struct sh_arena *a;
    int64_t now;
    const char *token;
    struct notify_batch b;
    const struct notify_msg *m;
    const char *error;
};

static const struct principal worker_who = {.username = "notify-worker"};

static enum sh_code claim_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct claim_ctx *x = arg;
    struct uc u = {.tx = tx, .a = x->a, .who = &worker_who, .now = x->now, .app = x->app};
    return uc_notify_claim(&u, x->token, BATCH, &x->b, e);
}

static enum sh_code finish_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct claim_ctx *x = arg;
    struct uc u = {.tx = tx, .a = x->a, .who = &worker_who, .now = sh_now(), .app = x->app};
    return uc_notify_finish(&u, &x->b, x->m, x->error, e);
}

int notify_tick(struct app *app, int64_t now, const bool *stop)
{
    static unsigned counter;
    int done = 0;
    for (;;) {
        struct sh_arena a;
        sh_arena_init(&a, 0);
        struct claim_ctx x = {.app = app, .a = &a, .now = now};
        x.token = sh_arena_printf(&a, "%ld-%08x-%u", (long)getpid(), randombytes_random(),
                                  __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
        struct sh_err e;
        sh_err_clear(&e);
        if (db_write(app->db, claim_run, &x, &e)) {
            log_error("notify: claim: %s", e.msg);
            sh_arena_release(&a);
            break;
        }
        for (int i = 0; i < x.b.n; i++) {
            x.m = &x.b.items[i];
            x.error = notify_send(&a, &x.b, x.m, sh_now());
            if (x.error)
                log_info("notify: message %lld (%s) failed: %s", (long long)x.m->id, x.m->channel,
                         x.error);
            sh_err_clear(&e);
            if (db_write(app->db, finish_run, &x, &e))
                log_error("notify: finish %lld: %s", (long long)x.m->id, e.msg);
            done++;
        }
        bool full = x.b.claimed == BATCH;
        sh_arena_release(&a);
        if (!full || ticker_stopping(stop))
            break;
        now = sh_now();
    }
    return done;
}

static void worker_tick(void *arg, const bool *stop)
{
    struct notify_worker *w = arg;
    notify_tick(w->app, sh_now(), stop);
}

struct notify_worker *notify_worker_start(struct app *app, int interval_s)
{
    struct notify_worker *w = xcalloc(1, sizeof(*w));
    w->app = app;
    w->t =
        ticker_start("the notification worker", interval_s > 0 ? interval_s : 10, worker_tick, w);
    if (!w->t) {
        free(w);
        return NULL;
    }
    return w;
}

void notify_worker_stop(struct notify_worker *w)
{
    if (!w)
        return;
    ticker_stop(w->t);
    free(w);
}
