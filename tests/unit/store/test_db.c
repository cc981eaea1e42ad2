/* SPDX-License-Identifier: MIT */
/* Store contract: runs on SQLite, and on PostgreSQL too when SHOUHOU_TEST_PG is set.
 * Group commit keeps each transaction all-or-nothing; failures are isolated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"

static char path[256];

static enum sh_code mk(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    enum sh_code rc = db_exec(tx, "DROP TABLE IF EXISTS t_store", DB_NOP, NULL, e);
    if (!rc)
        rc = db_exec(tx, "CREATE TABLE t_store (k TEXT PRIMARY KEY, v BIGINT NOT NULL)", DB_NOP,
                     NULL, e);
    return rc;
}

struct put {
    const char *k;
    int64_t v;
    bool fail_after;
};

static enum sh_code put_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct put *p = arg;
    enum sh_code rc = db_exec(tx, "INSERT INTO t_store (k, v) VALUES ($1, $2)",
                              DB_P(DB_TEXT(p->k), DB_INT(p->v)), NULL, e);
    if (!rc && p->fail_after)
        return sh_err_set(e, SH_CONFLICT, "rule refused");
    return rc;
}

struct get {
    struct sh_arena a;
    struct db_rows r;
};

static enum sh_code count_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct get *g = arg;
    return db_query(tx, &g->a, "SELECT count(*) AS n, COALESCE(SUM(v), 0) AS s FROM t_store",
                    DB_NOP, &g->r, e);
}

static int64_t count(struct db *db, int64_t *sum)
{
    struct get g;
    sh_arena_init(&g.a, 0);
    struct sh_err e;
    assert_int_equal(db_read(db, count_run, &g, &e), SH_OK);
    int64_t n = db_get_int(&g.r, 0, "n", -1);
    if (sum)
        *sum = db_get_int(&g.r, 0, "s", -1);
    sh_arena_release(&g.a);
    return n;
}

static struct db *open_db(const char *url)
{
    struct db *db = NULL;
    struct sh_err e;
    sh_err_clear(&e);
    enum sh_code rc = db_open(url, NULL, &db, &e);
    if (rc)
        fail_msg("open %s: %s", url, e.msg);
    assert_int_equal(db_write(db, mk, NULL, &e), SH_OK);
    return db;
}

static void all_or_nothing(struct db *db)
{
    struct sh_err e;
    struct put ok = {"a", 1, false}, bad = {"b", 2, true}, dup = {"a", 3, false};
    assert_int_equal(db_write(db, put_run, &ok, &e), SH_OK);
    assert_int_equal(db_write(db, put_run, &bad, &e), SH_CONFLICT);
    assert_int_equal(db_write(db, put_run, &dup, &e), SH_CONFLICT); /* unique key */
    assert_int_equal(count(db, NULL), 1);
    db_fail_after(1);
    struct put c = {"c", 4, false};
    assert_int_equal(db_write(db, put_run, &c, &e), SH_STORE);
    assert_int_equal(count(db, NULL), 1);
    assert_int_equal(db_write(db, put_run, &c, &e), SH_OK);
    assert_int_equal(count(db, NULL), 2);
}

struct worker {
    struct db *db;
    int id, ok, refused;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 200; i++) {
        char k[32];
        snprintf(k, sizeof(k), "w%d-%d", w->id, i);
        struct put p = {k, 1, i % 5 == 0}; /* every fifth refuses after writing */
        struct sh_err e;
        enum sh_code rc = db_write(w->db, put_run, &p, &e);
        if (rc == SH_OK)
            w->ok++;
        else if (rc == SH_CONFLICT)
            w->refused++;
    }
    return NULL;
}

/* Many writers at once: the grouped transactions stay isolated from each other. */
static void concurrent_isolated(struct db *db)
{
    int64_t before = count(db, NULL);
    pthread_t th[8];
    struct worker w[8];
    for (int i = 0; i < 8; i++) {
        w[i] = (struct worker){db, i, 0, 0};
        pthread_create(&th[i], NULL, worker_main, &w[i]);
    }
    int ok = 0, refused = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        ok += w[i].ok;
        refused += w[i].refused;
    }
    assert_int_equal(ok, 8 * 160);
    assert_int_equal(refused, 8 * 40);
    assert_int_equal(count(db, NULL), before + ok);
}

static void sqlite_contract(void **state)
{
    (void)state;
    snprintf(path, sizeof(path), "/tmp/shouhou-test-db-%d.db", (int)getpid());
    unlink(path);
    char url[300];
    snprintf(url, sizeof(url), "sqlite:%s", path);
    struct db *db = open_db(url);
    assert_int_equal(db_dialect(db), DB_SQLITE);
    assert_true(db_schema_version(db) >= 1);
    all_or_nothing(db);
    concurrent_isolated(db);
    db_close(db);
    /* durable: a reopened database has everything */
    struct db *again = NULL;
    struct sh_err e;
    assert_int_equal(db_open(url, NULL, &again, &e), SH_OK);
    assert_int_equal(count(again, NULL), 2 + 8 * 160);
    db_close(again);
    char p2[300];
    unlink(path);
    snprintf(p2, sizeof(p2), "%s-wal", path);
    unlink(p2);
    snprintf(p2, sizeof(p2), "%s-shm", path);
    unlink(p2);
}

static void pg_contract(void **state)
{
    (void)state;
    const char *dsn = getenv("SHOUHOU_TEST_PG");
    if (!dsn || !*dsn) {
        print_message("SHOUHOU_TEST_PG not set: PostgreSQL contract not run here\n");
        skip();
    }
    struct db *db = open_db(dsn);
    assert_int_equal(db_dialect(db), DB_PG);
    all_or_nothing(db);
    concurrent_isolated(db);
    struct sh_err e;
    assert_int_equal(db_write(db, mk, NULL, &e), SH_OK);
    db_close(db);
}

static void bad_urls(void **state)
{
    (void)state;
    struct db *db = NULL;
    struct sh_err e;
    assert_int_equal(db_open("mysql://x", NULL, &db, &e), SH_INVALID);
    assert_int_equal(db_open("sqlite:", NULL, &db, &e), SH_INVALID);
    assert_int_equal(db_open("sqlite:/nonexistent-dir/x.db", NULL, &db, &e), SH_STORE);
    assert_int_equal(db_open("postgresql://nobody@127.0.0.1:1/none", NULL, &db, &e), SH_STORE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sqlite_contract),
        cmocka_unit_test(pg_contract),
        cmocka_unit_test(bad_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
