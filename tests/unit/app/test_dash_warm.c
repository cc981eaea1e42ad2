/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* The jobs' dashboard warm-up (app_dashboard_warm) on a real SQLite database: it computes the
 * eleven past months one read transaction at a time and rests between two of them (the pace
 * callback: ten rests for eleven months), stores every month it computed, computes nothing
 * when the months are fresh, and when told to stop stores the months computed so far. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/report_dashboard.h"
#include "base/date.h"

#include "../unit_db.h"

struct pace_count {
    int rests, stop_at;
    int64_t busy_ns;
};

static bool count_rest(void *ctx, int64_t busy_ns)
{
    struct pace_count *p = ctx;
    p->rests++;
    p->busy_ns += busy_ns;
    return p->stop_at == 0 || p->rests < p->stop_at;
}

static enum sh_code count_months(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct db_rows r;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    enum sh_code rc = db_query(tx, &a, "SELECT count(*) AS n FROM dashboard_months", DB_NOP, &r, e);
    if (!rc)
        *(int64_t *)arg = db_get_int(&r, 0, "n", -1);
    sh_arena_release(&a);
    return rc;
}

static struct db *fresh_db(struct unit_db *u)
{
    struct db *db = unit_db_open(u, "dashwarm", true);
    assert_non_null(db);
    return db;
}

static int64_t stored(struct db *db)
{
    struct sh_err e;
    sh_err_clear(&e);
    int64_t n = -1;
    if (db_read(db, count_months, &n, &e))
        fail_msg("count: %s", e.msg);
    return n;
}

static void warm_one_month_at_a_time(void **state)
{
    (void)state;
    struct unit_db u;
    struct db *db = fresh_db(&u);
    struct app app = {.db = db};
    int64_t now;
    assert_true(sh_ts_parse("2026-03-10T08:00:00Z", &now));
    struct pace_count pc = {0};
    const struct dash_pace pace = {count_rest, &pc};
    struct sh_err e;
    sh_err_clear(&e);
    if (app_dashboard_warm(&app, now, &pace, &e))
        fail_msg("warm: %s", e.msg);
    assert_int_equal(pc.rests, DASH_MONTHS - 2); /* a rest between two of the 11 months */
    assert_int_equal(stored(db), DASH_MONTHS - 1);
    /* a minute later the months are fresh: nothing to compute, no rest */
    pc.rests = 0;
    if (app_dashboard_warm(&app, now + 60, &pace, &e))
        fail_msg("warm again: %s", e.msg);
    assert_int_equal(pc.rests, 0);
    unit_db_close(&u);
}

static void warm_stopped_keeps_its_months(void **state)
{
    (void)state;
    struct unit_db u;
    struct db *db = fresh_db(&u);
    struct app app = {.db = db};
    int64_t now; /* another year than the test above: the process cache knows none of it */
    assert_true(sh_ts_parse("2024-07-10T08:00:00Z", &now));
    struct pace_count pc = {.stop_at = 3};
    const struct dash_pace pace = {count_rest, &pc};
    struct sh_err e;
    sh_err_clear(&e);
    if (app_dashboard_warm(&app, now, &pace, &e))
        fail_msg("warm: %s", e.msg);
    assert_int_equal(pc.rests, 3);
    assert_int_equal(stored(db), 3); /* the three months computed before the stop */
    unit_db_close(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(warm_one_month_at_a_time),
        cmocka_unit_test(warm_stopped_keeps_its_months),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
