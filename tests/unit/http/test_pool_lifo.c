/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* The handler pool wakes the thread that went idle last (LIFO): a sequential load runs on
 * one thread, not round all of them (each thread's malloc cache would otherwise fill with
 * chunks no other thread reuses: the soak's RSS growth, docs/operations.md). Also: every
 * job runs once, and stopping lets the queued jobs finish. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "http/server_int.h"

#define NTHREADS 8
#define NSEQ     64

struct tjob {
    struct http_job job;
    pthread_t ran_on;
    atomic_int done;
};

static atomic_int gate;    /* jobs wait while 0 */
static atomic_int started; /* jobs running */

static void run(struct http_job *job, void *cls)
{
    (void)cls;
    struct tjob *t = (struct tjob *)job;
    t->ran_on = pthread_self();
    atomic_fetch_add(&started, 1);
    while (!atomic_load(&gate))
        usleep(1000);
    atomic_store(&t->done, 1);
}

/* until every thread is back on the idle stack */
static void wait_idle(struct http_pool *p)
{
    for (int i = 0; i < 10000 && http_pool_idle(p) < NTHREADS; i++)
        usleep(500);
    assert_int_equal(http_pool_busy(p), 0);
    assert_int_equal(http_pool_idle(p), NTHREADS);
}

static void sequential_load_stays_on_one_thread(void **state)
{
    (void)state;
    struct http_pool *p = http_pool_start(NTHREADS, run, NULL);
    assert_non_null(p);
    /* every thread busy at once (all started), then all idle */
    static struct tjob all[NTHREADS];
    atomic_store(&gate, 0);
    atomic_store(&started, 0);
    for (int i = 0; i < NTHREADS; i++)
        http_pool_push(p, &all[i].job);
    for (int i = 0; i < 5000 && atomic_load(&started) < NTHREADS; i++)
        usleep(1000);
    assert_int_equal(atomic_load(&started), NTHREADS);
    atomic_store(&gate, 1);
    wait_idle(p);

    static struct tjob seq[NSEQ];
    pthread_t seen[NSEQ];
    int nseen = 0;
    for (int i = 0; i < NSEQ; i++) {
        http_pool_push(p, &seq[i].job);
        wait_idle(p);
        assert_int_equal(atomic_load(&seq[i].done), 1);
        bool known = false;
        for (int k = 0; k < nseen; k++)
            known = known || pthread_equal(seen[k], seq[i].ran_on);
        if (!known)
            seen[nseen++] = seq[i].ran_on;
    }
    /* round robin (one shared condition variable) used all 8 */
    assert_int_equal(nseen, 1);
    http_pool_stop(p);
}

static void queued_jobs_finish_on_stop(void **state)
{
    (void)state;
    struct http_pool *p = http_pool_start(3, run, NULL);
    assert_non_null(p);
    static struct tjob jobs[40];
    atomic_store(&gate, 0);
    for (int i = 0; i < 40; i++)
        http_pool_push(p, &jobs[i].job);
    atomic_store(&gate, 1);
    http_pool_stop(p);
    for (int i = 0; i < 40; i++)
        assert_int_equal(atomic_load(&jobs[i].done), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sequential_load_stays_on_one_thread),
        cmocka_unit_test(queued_jobs_finish_on_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
