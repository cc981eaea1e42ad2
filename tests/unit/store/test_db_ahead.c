/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* db_query_ahead and db_wait (issue 16 item 1: several reads in one round trip). On SQLite a
 * query sent ahead runs at once. On PostgreSQL (SHOUHOU_TEST_PG) it is queued in the pipeline:
 * its rows arrive with the next statement that waits (one round trip for all), or db_wait; a
 * failing one fails its transaction with its own error; one never waited for is dropped
 * without touching the caller's memory; and the answers keep their order with the
 * statements not waited for (db_exec_nowait) around them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/metrics.h"
#include "store/db.h"

/* shouhou_db_round_trips_total so far */
static long long trips(void)
{
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    metrics_render(&b);
    const char *p = strstr(b.buf, "\nshouhou_db_round_trips_total ");
    long long n = p ? strtoll(p + strlen("\nshouhou_db_round_trips_total "), NULL, 10) : -1;
    sh_buf_release(&b);
    return n;
}

static enum sh_code mk(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    enum sh_code rc = db_exec(tx, "DROP TABLE IF EXISTS t_ahead", DB_NOP, NULL, e);
    if (!rc)
        rc = db_exec(tx, "CREATE TABLE t_ahead (k TEXT PRIMARY KEY, v BIGINT NOT NULL)", DB_NOP,
                     NULL, e);
    if (!rc)
        rc = db_exec(tx, "INSERT INTO t_ahead (k, v) VALUES ('a', 1), ('b', 2), ('c', 3)", DB_NOP,
                     NULL, e);
    return rc;
}

/* What one transaction does with queries sent ahead. */
struct job {
    int mode; /* 0: three ahead, one waited read; 1: ahead + db_wait; 2: a bad one ahead;
               * 3: ahead, never waited for; 4: an insert not waited for, then ahead of it */
    long long got[4];
    int nrows[4];
    long long trips;    /* round trips the function's own statements took */
    enum sh_code later; /* what the statement after a bad one got */
};

static long long first(const struct db_rows *r)
{
    const char *s = r->nrows ? db_cell(r, 0, 0) : NULL;
    return s ? strtoll(s, NULL, 10) : -1;
}

static enum sh_code job_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct job *j = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows r[4];
    enum sh_code rc = SH_OK;
    long long t0 = trips();
    switch (j->mode) {
    case 0:
        rc = db_query_ahead(tx, &a, "SELECT v FROM t_ahead WHERE k = $1", DB_P(DB_TEXT("a")), &r[0],
                            e);
        if (!rc)
            rc = db_query_ahead(tx, &a, "SELECT v FROM t_ahead WHERE k = $1", DB_P(DB_TEXT("b")),
                                &r[1], e);
        if (!rc)
            rc = db_query_ahead(tx, &a, "SELECT k FROM t_ahead WHERE v > $1 ORDER BY k",
                                DB_P(DB_INT(0)), &r[2], e);
        if (!rc)
            rc = db_query(tx, &a, "SELECT v FROM t_ahead WHERE k = 'c'", DB_NOP, &r[3], e);
        break;
    case 1:
        rc = db_query_ahead(tx, &a, "SELECT v FROM t_ahead WHERE k = $1", DB_P(DB_TEXT("b")), &r[0],
                            e);
        if (!rc)
            rc = db_wait(tx, e);
        if (!rc)
            rc = db_wait(tx, e); /* nothing left: no round trip */
        break;
    case 2:
        rc =
            db_query_ahead(tx, &a, "SELECT v FROM t_ahead_missing WHERE k = 'a'", DB_NOP, &r[0], e);
        if (!rc)
            rc = j->later =
                db_query(tx, &a, "SELECT v FROM t_ahead WHERE k = 'c'", DB_NOP, &r[3], e);
        break;
    case 3: {
        /* rows in memory that is gone when the answer comes: nobody may write there */
        struct db_rows *gone = sh_arena_alloc(&a, sizeof(*gone));
        rc = db_query_ahead(tx, &a, "SELECT v FROM t_ahead WHERE k = 'a'", DB_NOP, gone, e);
        break;
    }
    default:
        rc = db_exec_nowait(tx, "INSERT INTO t_ahead (k, v) VALUES ('d', 4)", DB_NOP, e);
        if (!rc)
            rc = db_query_ahead(tx, &a, "SELECT v FROM t_ahead WHERE k = 'd'", DB_NOP, &r[0], e);
        if (!rc)
            rc = db_exec_nowait(tx, "UPDATE t_ahead SET v = 5 WHERE k = 'd'", DB_NOP, e);
        if (!rc)
            rc = db_query(tx, &a, "SELECT v FROM t_ahead WHERE k = 'd'", DB_NOP, &r[1], e);
        break;
    }
    j->trips = trips() - t0;
    for (int i = 0; !rc && i < 4 && j->mode != 3; i++) {
        bool set = (j->mode == 0) || (j->mode == 1 && i == 0) || (j->mode == 4 && i < 2);
        j->got[i] = set ? first(&r[i]) : -1;
        j->nrows[i] = set ? r[i].nrows : -1;
    }
    sh_arena_release(&a);
    return rc;
}

static struct db *open_db(const char *url)
{
    struct db *db = NULL;
    struct sh_err e;
    sh_err_clear(&e);
    struct db_options o = {.pg_pool_size = 1, .migrate = true, .prepared = DB_PREPARED_ON};
    if (db_open(url, &o, &db, &e))
        fail_msg("open %s: %s", url, e.msg);
    assert_int_equal(db_write(db, mk, NULL, &e), SH_OK);
    return db;
}

static void contract(struct db *db)
{
    bool pg = db_dialect(db) == DB_PG;
    struct sh_err e;
    for (int rep = 0; rep < 3; rep++) { /* unnamed, then named statements */
        struct job j = {.mode = 0};
        assert_int_equal(db_read(db, job_run, &j, &e), SH_OK);
        assert_int_equal(j.got[0], 1);
        assert_int_equal(j.got[1], 2);
        assert_int_equal(j.nrows[2], 3);
        assert_int_equal(j.got[3], 3);
        /* three sent ahead and the waited one: one round trip (its BEGIN rides along) */
        assert_int_equal(j.trips, pg ? 1 : 0);
        struct job w = {.mode = 1};
        assert_int_equal(db_write(db, job_run, &w, &e), SH_OK);
        assert_int_equal(w.got[0], 2);
        assert_int_equal(w.trips, pg ? 1 : 0);
    }
    /* a bad one ahead: the next waited statement and the transaction fail with its error */
    struct job bad = {.mode = 2};
    sh_err_clear(&e);
    assert_int_not_equal(db_write(db, job_run, &bad, &e), SH_OK);
    assert_non_null(strstr(e.msg, "t_ahead_missing"));
    if (pg)
        assert_int_not_equal(bad.later, SH_OK);
    /* never waited for: dropped (the write's COMMIT reads it), the connection stays clean */
    struct job gone = {.mode = 3};
    assert_int_equal(db_write(db, job_run, &gone, &e), SH_OK);
    struct job again = {.mode = 0};
    assert_int_equal(db_read(db, job_run, &again, &e), SH_OK);
    assert_int_equal(again.got[3], 3);
    /* in order with the statements not waited for around it */
    struct job ord = {.mode = 4};
    assert_int_equal(db_write(db, job_run, &ord, &e), SH_OK);
    assert_int_equal(ord.got[0], 4);
    assert_int_equal(ord.got[1], 5);
    assert_int_equal(ord.trips, pg ? 1 : 0);
}

static void sqlite_ahead(void **state)
{
    (void)state;
    char path[256], url[300], p2[300];
    snprintf(path, sizeof(path), "/tmp/shouhou-test-ahead-%d.db", (int)getpid());
    unlink(path);
    snprintf(url, sizeof(url), "sqlite:%s", path);
    struct db *db = open_db(url);
    contract(db);
    db_close(db);
    unlink(path);
    snprintf(p2, sizeof(p2), "%s-wal", path);
    unlink(p2);
    snprintf(p2, sizeof(p2), "%s-shm", path);
    unlink(p2);
}

static void pg_ahead(void **state)
{
    (void)state;
    const char *dsn = getenv("SHOUHOU_TEST_PG");
    if (!dsn || !*dsn) {
        print_message("SHOUHOU_TEST_PG not set: PostgreSQL part not run here\n");
        skip();
    }
    struct db *db = open_db(dsn);
    contract(db);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sqlite_ahead),
        cmocka_unit_test(pg_ahead),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
