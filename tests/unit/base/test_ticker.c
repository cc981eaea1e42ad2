/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* The background ticker of the jobs and the notification worker: it calls at once, stops
 * promptly even with a long interval, and a long pass sees the stop flag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <time.h>
#include <unistd.h>

#include "base/ticker.h"

struct counter {
    int calls;
    int saw_stop;
    int spin; /* the pass loops until it sees the stop flag */
};

static void count_tick(void *arg, const bool *stop)
{
    struct counter *c = arg;
    __atomic_add_fetch(&c->calls, 1, __ATOMIC_RELAXED);
    if (!c->spin)
        return;
    while (!ticker_stopping(stop))
        usleep(1000);
    __atomic_store_n(&c->saw_stop, 1, __ATOMIC_RELAXED);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void first_call_at_once_and_prompt_stop(void **state)
{
    (void)state;
    struct counter c = {0};
    struct ticker *t = ticker_start("test ticker", 3600, count_tick, &c);
    assert_non_null(t);
    for (int i = 0; i < 2000 && __atomic_load_n(&c.calls, __ATOMIC_RELAXED) == 0; i++)
        usleep(1000);
    assert_int_equal(__atomic_load_n(&c.calls, __ATOMIC_RELAXED), 1);
    double t0 = now_s();
    ticker_stop(t); /* an hour's interval: the stop must wake the wait */
    assert_true(now_s() - t0 < 1.0);
    assert_int_equal(c.calls, 1);
}

static void a_long_pass_sees_the_stop(void **state)
{
    (void)state;
    struct counter c = {.spin = 1};
    struct ticker *t = ticker_start("test ticker", 1, count_tick, &c);
    assert_non_null(t);
    for (int i = 0; i < 2000 && __atomic_load_n(&c.calls, __ATOMIC_RELAXED) == 0; i++)
        usleep(1000);
    ticker_stop(t); /* returns only after the pass ended, which it does on the flag */
    assert_int_equal(c.saw_stop, 1);
    assert_false(ticker_stopping(NULL));
    ticker_stop(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_call_at_once_and_prompt_stop),
        cmocka_unit_test(a_long_pass_sees_the_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
