/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* The bounds docs/operations.md promises on what a connection keeps: at most 512 prepared
 * statements cached per SQLite connection and at most 32 idle SQLite readers kept; at most 768
 * named statements per PostgreSQL connection (then DEALLOCATE ALL, and the cache starts
 * again), a statement run once staying unnamed (SHOUHOU_TEST_PG; skipped without it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/metrics.h"
#include "store/db.h"

#include "../unit_db.h"

/* n distinct statements ("SELECT $1 + k", or "- k" when minus), each run `times` times, each
 * answer checked. */
struct distinct {
    int from, n, times;
    bool minus;
};

static enum sh_code run_distinct(struct db_tx *tx, void *arg, struct sh_err *e)
{
    const struct distinct *d = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    enum sh_code rc = SH_OK;
    for (int k = d->from; !rc && k < d->from + d->n; k++) {
        char sql[64];
        snprintf(sql, sizeof(sql), "SELECT CAST($1 AS INTEGER) %c %d AS n", d->minus ? '-' : '+',
                 k);
        for (int t = 0; !rc && t < d->times; t++) {
            struct db_rows r;
            rc = db_query(tx, &a, sql, DB_P(DB_INT(t)), &r, e);
            if (!rc && db_get_int(&r, 0, "n", -1) != (d->minus ? t - k : t + k))
                rc = sh_err_set(e, SH_INTERNAL, "statement %d answered wrongly", k);
        }
    }
    sh_arena_release(&a);
    return rc;
}

static void sqlite_statement_cache(void **state)
{
    (void)state;
    struct unit_db u;
    struct db *db = unit_db_open(&u, "caps", false);
    assert_non_null(db);
    struct sh_err e;
    sh_err_clear(&e);
    struct distinct d = {0, 2000, 2, false};
    assert_int_equal(db_write(db, run_distinct, &d, &e), SH_OK);
    long long cached = unit_gauge("shouhou_sqlite_statements");
    assert_true(cached > 256);  /* the writer's cache filled up */
    assert_true(cached <= 512); /* and stopped at its bound */
    unit_db_close(&u);
}

/* n threads of fn(db), started together (each waits at `together` where it needs the others);
 * each must answer SH_OK. */
static pthread_barrier_t together;

static void run_together(void *(*fn)(void *), struct db *db, int n)
{
    pthread_barrier_init(&together, NULL, (unsigned)n);
    pthread_t t[64];
    assert_true(n <= 64);
    for (int i = 0; i < n; i++)
        assert_int_equal(pthread_create(&t[i], NULL, fn, db), 0);
    for (int i = 0; i < n; i++) {
        void *rc;
        pthread_join(t[i], &rc);
        assert_int_equal((intptr_t)rc, SH_OK);
    }
    pthread_barrier_destroy(&together);
}

/* Readers held open at once: each waits at the barrier until all are in. */
#define READERS 40

static enum sh_code wait_all(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)tx;
    (void)arg;
    (void)e;
    pthread_barrier_wait(&together);
    return SH_OK;
}

static void *reader(void *arg)
{
    struct sh_err e;
    sh_err_clear(&e);
    return (void *)(intptr_t)db_read(arg, wait_all, NULL, &e);
}

static void sqlite_idle_readers(void **state)
{
    (void)state;
    struct unit_db u;
    struct db *db = unit_db_open(&u, "readers", false);
    assert_non_null(db);
    run_together(reader, db, READERS);
    /* 40 readers were open at once; the writer and 32 idle ones stay */
    assert_int_equal(unit_gauge("shouhou_sqlite_connections"), 1 + 32);
    unit_db_close(&u);
}

/* A burst: BURST threads start their reads at once, each 50 short reads in a row. */
#define BURST 16

/* A read of a table: a reader's first one parses the schema (the migrated one, as a server's). */
static enum sh_code short_read(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    return db_exec(tx, "SELECT count(*) FROM users", DB_NOP, NULL, e);
}

static void *burst_reader(void *arg)
{
    struct sh_err e;
    sh_err_clear(&e);
    pthread_barrier_wait(&together);
    enum sh_code rc = SH_OK;
    for (int i = 0; !rc && i < 50; i++)
        rc = db_read(arg, short_read, NULL, &e);
    return (void *)(intptr_t)rc;
}

/* Readers are opened one at a time, and only for a read that found none come back within
 * READER_WAIT_MS (store/db_sqlite.c): a burst of short reads is served by a few readers, not
 * one per thread (each would parse the schema and fill its own page cache). */
static void sqlite_burst_few_readers(void **state)
{
    (void)state;
    struct unit_db u;
    struct db *db = unit_db_open(&u, "burst", true);
    assert_non_null(db);
    run_together(burst_reader, db, BURST);
    long long readers = unit_gauge("shouhou_sqlite_connections") - 1;
    print_message("%d threads, 800 reads: %lld readers\n", BURST, readers);
    /* measured: 2-3 (7-16 when each read finding none idle opened its own); a sanitizer
     * build's slower reads wait past READER_WAIT_MS more often */
    bool sanitized = getenv("ASAN_OPTIONS") || getenv("TSAN_OPTIONS");
    assert_true(readers >= 1 && readers <= (sanitized ? BURST / 2 : 5));
    unit_db_close(&u);
}

/* The named statements of the connection made by run_distinct: [0] plus, [1] minus. */
static enum sh_code count_named(struct db_tx *tx, void *arg, struct sh_err *e)
{
    long long *n = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, &a,
        "SELECT count(*) FILTER (WHERE statement LIKE 'SELECT CAST($1 AS INTEGER) + %') AS p, "
        "count(*) FILTER (WHERE statement LIKE 'SELECT CAST($1 AS INTEGER) - %') AS m "
        "FROM pg_prepared_statements",
        DB_NOP, &r, e);
    n[0] = rc ? -1 : db_get_int(&r, 0, "p", -1);
    n[1] = rc ? -1 : db_get_int(&r, 0, "m", -1);
    sh_arena_release(&a);
    return rc;
}

static void pg_named_statements(void **state)
{
    (void)state;
    struct db *db = unit_pg_open_one();
    struct sh_err e;
    sh_err_clear(&e);
    long long named[2] = {-1, -1}, most = 0;
    /* 1,200 statements run twice, in transactions of 200: never more than 768 named */
    for (int k = 0; k < 1200; k += 200) {
        struct distinct d = {k, 200, 2, false};
        assert_int_equal(db_read(db, run_distinct, &d, &e), SH_OK);
        assert_int_equal(db_read(db, count_named, named, &e), SH_OK);
        assert_true(named[0] >= 0 && named[0] <= 768);
        most = named[0] > most ? named[0] : most;
    }
    assert_true(most > 500); /* they were named, up to the bound */
    /* run once each: a one-off stays unnamed and costs the server nothing */
    struct distinct once = {0, 300, 1, true};
    assert_int_equal(db_read(db, run_distinct, &once, &e), SH_OK);
    assert_int_equal(db_read(db, count_named, named, &e), SH_OK);
    assert_int_equal(named[1], 0);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sqlite_statement_cache),
        cmocka_unit_test(sqlite_idle_readers),
        cmocka_unit_test(sqlite_burst_few_readers),
        cmocka_unit_test(pg_named_statements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
