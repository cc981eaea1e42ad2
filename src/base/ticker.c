/* SPDX-License-Identifier: MIT */
#include "base/ticker.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base/date.h"
#include "base/log.h"
#include "base/xalloc.h"

struct ticker {
    ticker_fn fn;
    void *ctx;
    int interval_s;
    bool idle; /* runs at the lowest CPU priority */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
};

bool ticker_stopping(const bool *stop)
{
    return stop && __atomic_load_n(stop, __ATOMIC_RELAXED);
}

/* Lowest CPU priority for the calling thread (Linux: the nice value is a per-thread attribute,
 * setpriority(2)): requests keep the CPU, the thread gets what they leave. Best effort. */
static void thread_idle(void)
{
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19) != 0)
        log_warn("a background thread: cannot lower its priority");
}

static void *ticker_main(void *arg)
{
    struct ticker *t = arg;
    if (t->idle)
        thread_idle();
    pthread_mutex_lock(&t->mu);
    while (!t->stop) {
        pthread_mutex_unlock(&t->mu);
        t->fn(t->ctx, &t->stop);
        pthread_mutex_lock(&t->mu);
        if (t->stop)
            break;
        struct timespec until = sh_deadline_ms((int64_t)t->interval_s * 1000);
        pthread_cond_timedwait(&t->cv, &t->mu, &until);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

static struct ticker *start(const char *name, int interval_s, bool idle, ticker_fn fn, void *ctx)
{
    struct ticker *t = xcalloc(1, sizeof(*t));
    t->fn = fn;
    t->ctx = ctx;
    t->interval_s = interval_s;
    t->idle = idle;
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    if (pthread_create(&t->thread, NULL, ticker_main, t) != 0) {
        log_error("cannot start %s", name);
        pthread_mutex_destroy(&t->mu);
        pthread_cond_destroy(&t->cv);
        free(t);
        return NULL;
    }
    return t;
}

struct ticker *ticker_start(const char *name, int interval_s, ticker_fn fn, void *ctx)
{
    return start(name, interval_s, false, fn, ctx);
}

struct ticker *ticker_start_idle(const char *name, int interval_s, ticker_fn fn, void *ctx)
{
    return start(name, interval_s, true, fn, ctx);
}

bool ticker_rest(const bool *stop, int64_t ns)
{
    const int64_t slice = 10 * 1000000LL; /* the stop flag is read every 10 ms */
    while (ns > 0 && !ticker_stopping(stop)) {
        int64_t d = ns < slice ? ns : slice;
        struct timespec ts = {(time_t)(d / 1000000000LL), (long)(d % 1000000000LL)};
        nanosleep(&ts, NULL);
        ns -= d;
    }
    return !ticker_stopping(stop);
}

void ticker_stop(struct ticker *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->mu);
    __atomic_store_n(&t->stop, true, __ATOMIC_RELAXED);
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    free(t);
}
