/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* DB_GENERIC_PLAN (store/db.h) on PostgreSQL (SHOUHOU_TEST_PG): a lookup gated on a parameter
 * that is NULL costs nothing in a custom plan, so PostgreSQL keeps making one at every run
 * (POST /tickets: ~0.7 ms each for its intake lookup). With the prefix its named statement
 * runs with the generic plan from its first prepared run; the transaction's next statements
 * are back to plan_cache_mode auto; on SQLite the prefix is a comment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "../unit_db.h"

static enum sh_code mk(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    enum sh_code rc = db_exec(tx, "DROP TABLE IF EXISTS t_generic", DB_NOP, NULL, e);
    if (!rc)
        rc = db_exec(tx, "CREATE TABLE t_generic (id BIGINT PRIMARY KEY, phone TEXT NOT NULL)",
                     DB_NOP, NULL, e);
    /* every row has the same phone: the generic plan's estimate is a scan of them all */
    if (!rc)
        rc = db_exec(tx,
                     "INSERT INTO t_generic SELECT g, '13800000000' FROM "
                     "generate_series(1, 20000) g",
                     DB_NOP, NULL, e);
    return rc;
}

static enum sh_code analyze(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    return db_exec(tx, "ANALYZE t_generic", DB_NOP, NULL, e);
}

#define LOOKUP                                                                                     \
    "SELECT COUNT(*) FROM t_generic WHERE CAST($1 AS TEXT) IS NOT NULL AND phone = CAST($1 AS "    \
    "TEXT)"

struct run {
    const char *sql;
    char mode_after[32]; /* plan_cache_mode after it, in the same transaction */
    long long generic, custom;
};

static enum sh_code lookup(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct run *r = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows rows;
    enum sh_code rc = db_query(tx, &a, r->sql, DB_P(DB_NULL), &rows, e);
    if (!rc)
        rc = db_query(tx, &a, "SELECT current_setting('plan_cache_mode') AS m", DB_NOP, &rows, e);
    if (!rc)
        snprintf(r->mode_after, sizeof(r->mode_after), "%s", db_get(&rows, 0, "m"));
    sh_arena_release(&a);
    return rc;
}

/* The plans the pool's one connection made for r->sql so far. */
static enum sh_code plans(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct run *r = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows rows;
    enum sh_code rc = db_query(tx, &a,
                               "SELECT COALESCE(SUM(generic_plans), 0) AS g, "
                               "COALESCE(SUM(custom_plans), 0) AS c FROM pg_prepared_statements "
                               "WHERE statement = $1",
                               DB_P(DB_TEXT(r->sql)), &rows, e);
    if (!rc) {
        r->generic = db_get_int(&rows, 0, "g", -1);
        r->custom = db_get_int(&rows, 0, "c", -1);
    }
    sh_arena_release(&a);
    return rc;
}

/* the generic plan answers alike with the lookup on */
static enum sh_code counted(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows rows;
    enum sh_code rc =
        db_query(tx, &a, DB_GENERIC_PLAN LOOKUP, DB_P(DB_TEXT("13800000000")), &rows, e);
    if (!rc && strtoll(db_cell(&rows, 0, 0), NULL, 10) != 20000)
        rc = sh_err_set(e, SH_INTERNAL, "counted %s", db_cell(&rows, 0, 0));
    sh_arena_release(&a);
    return rc;
}

static struct run runs(struct db *db, const char *sql)
{
    struct run r = {.sql = sql};
    struct sh_err e;
    sh_err_clear(&e);
    for (int i = 0; i < 12; i++) {
        if (db_write(db, lookup, &r, &e))
            fail_msg("%s: %s", sql, e.msg);
        assert_string_equal(r.mode_after, "auto");
    }
    if (db_read(db, plans, &r, &e))
        fail_msg("plans: %s", e.msg);
    return r;
}

static void pg_generic(void **state)
{
    (void)state;
    struct db *db = unit_pg_open_one();
    struct sh_err e;
    sh_err_clear(&e);
    assert_int_equal(db_write(db, mk, NULL, &e), SH_OK);
    assert_int_equal(db_write(db, analyze, NULL, &e), SH_OK);
    /* left to choose, PostgreSQL plans it anew at every run */
    struct run plain = runs(db, LOOKUP);
    assert_int_equal(plain.generic, 0);
    assert_true(plain.custom >= 10);
    /* with the prefix: the generic plan at every prepared run (the first run is unnamed) */
    struct run gen = runs(db, DB_GENERIC_PLAN LOOKUP);
    assert_int_equal(gen.custom, 0);
    assert_true(gen.generic >= 10);
    assert_int_equal(db_write(db, counted, NULL, &e), SH_OK);
    db_close(db);
}

static enum sh_code sqlite_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    long long *n = arg;
    enum sh_code rc =
        db_exec(tx, "CREATE TABLE t_generic (id INTEGER PRIMARY KEY, phone TEXT)", DB_NOP, NULL, e);
    if (!rc)
        rc = db_exec(tx, "INSERT INTO t_generic (phone) VALUES ('13800000000'), ('13800000000')",
                     DB_NOP, NULL, e);
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows rows;
    if (!rc)
        rc = db_query(tx, &a, DB_GENERIC_PLAN LOOKUP, DB_P(DB_NULL), &rows, e);
    if (!rc) {
        n[0] = strtoll(db_cell(&rows, 0, 0), NULL, 10);
        rc = db_query(tx, &a, DB_GENERIC_PLAN LOOKUP, DB_P(DB_TEXT("13800000000")), &rows, e);
    }
    if (!rc)
        n[1] = strtoll(db_cell(&rows, 0, 0), NULL, 10);
    sh_arena_release(&a);
    return rc;
}

static void sqlite_comment(void **state)
{
    (void)state;
    struct unit_db u;
    struct db *db = unit_db_open(&u, "generic", false);
    assert_non_null(db);
    struct sh_err e;
    sh_err_clear(&e);
    long long n[2] = {-1, -1};
    if (db_write(db, sqlite_run, n, &e))
        fail_msg("%s", e.msg);
    assert_int_equal(n[0], 0);
    assert_int_equal(n[1], 2);
    unit_db_close(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pg_generic),
        cmocka_unit_test(sqlite_comment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
