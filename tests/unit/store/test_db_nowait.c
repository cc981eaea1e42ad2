/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* db_exec_nowait (statements whose answer is read later) and PostgreSQL's named statements
 * (issue 16 item 1). On SQLite db_exec_nowait is db_exec; on PostgreSQL (SHOUHOU_TEST_PG) a
 * deferred statement that fails fails its whole transaction with its own error, whether the
 * failure is read by a later statement, at COMMIT or after the function failed otherwise.
 * Named statements survive a migration that changes a result (run again) and a reconnect. */
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

static enum sh_code mk(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    enum sh_code rc = db_exec(tx, "DROP TABLE IF EXISTS t_nowait", DB_NOP, NULL, e);
    if (!rc)
        rc = db_exec(tx, "CREATE TABLE t_nowait (k TEXT PRIMARY KEY, v BIGINT NOT NULL)", DB_NOP,
                     NULL, e);
    return rc;
}

/* What one write does: n deferred inserts k0…k(n-1) (the one at dup_at repeats an existing
 * key), then, as asked, a read, a refusal of its own, nothing. */
struct batch {
    const char *prefix;
    int n, dup_at;
    bool read_after, refuse_after;
    enum sh_code read_rc; /* what the read got */
};

static enum sh_code batch_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct batch *b = arg;
    enum sh_code rc = db_exec(tx, "INSERT INTO t_nowait (k, v) VALUES ($1, 0)",
                              DB_P(DB_TEXT(b->prefix)), NULL, e);
    for (int i = 0; !rc && i < b->n; i++) {
        char k[64];
        if (i == b->dup_at)
            snprintf(k, sizeof(k), "seed");
        else
            snprintf(k, sizeof(k), "%s-%d", b->prefix, i);
        rc = db_exec_nowait(tx, "INSERT INTO t_nowait (k, v) VALUES ($1, $2)",
                            DB_P(DB_TEXT(k), DB_INT(i)), e);
    }
    if (rc)
        return rc;
    if (b->read_after) {
        struct sh_arena a;
        sh_arena_init(&a, 0);
        struct db_rows r;
        b->read_rc = db_query(tx, &a, "SELECT count(*) AS n FROM t_nowait", DB_NOP, &r, e);
        sh_arena_release(&a);
        if (b->read_rc)
            return b->read_rc;
    }
    if (b->refuse_after)
        return sh_err_set(e, SH_INVALID, "refused by the function");
    return SH_OK;
}

struct q {
    const char *sql;
    int64_t n;
    int ncols;
};

static enum sh_code q_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct q *q = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows r;
    enum sh_code rc = db_query(tx, &a, q->sql, DB_NOP, &r, e);
    if (!rc) {
        q->n = r.nrows ? strtoll(db_cell(&r, 0, 0) ? db_cell(&r, 0, 0) : "0", NULL, 10) : -1;
        q->ncols = r.ncols;
    }
    sh_arena_release(&a);
    return rc;
}

static int64_t count(struct db *db)
{
    struct q q = {"SELECT count(*) AS n FROM t_nowait", 0, 0};
    struct sh_err e;
    assert_int_equal(db_read(db, q_run, &q, &e), SH_OK);
    return q.n;
}

static struct db *open_db(const char *url, enum db_prepared prepared, int pool)
{
    struct db *db = NULL;
    struct sh_err e;
    sh_err_clear(&e);
    struct db_options o = {.pg_pool_size = pool, .migrate = true, .prepared = prepared};
    if (db_open(url, &o, &db, &e))
        fail_msg("open %s: %s", url, e.msg);
    assert_int_equal(db_write(db, mk, NULL, &e), SH_OK);
    struct batch seed = {"seed", 0, -1, false, false, SH_OK};
    assert_int_equal(db_write(db, batch_run, &seed, &e), SH_OK);
    return db;
}

static void nowait_contract(struct db *db)
{
    struct sh_err e;
    int64_t base = count(db);
    /* committed: 1 + 3 rows; 1 + 150 rows (more than one pipeline segment) */
    struct batch ok = {"ok", 3, -1, false, false, SH_OK};
    assert_int_equal(db_write(db, batch_run, &ok, &e), SH_OK);
    struct batch many = {"many", 150, -1, true, false, SH_OK};
    assert_int_equal(db_write(db, batch_run, &many, &e), SH_OK);
    assert_int_equal(count(db), base + 4 + 151);
    base = count(db);
    /* the duplicate is read at COMMIT: nothing of the transaction stays, the error is the
     * duplicate's (409 duplicate, field k), as db_exec would have said */
    struct batch late = {"late", 5, 3, false, false, SH_OK};
    sh_err_clear(&e);
    assert_int_equal(db_write(db, batch_run, &late, &e), SH_CONFLICT);
    assert_string_equal(e.reason, "duplicate");
    assert_string_equal(e.field, "k");
    assert_int_equal(count(db), base);
    /* read by the next statement that waits: that statement fails with it */
    struct batch read = {"read", 5, 2, true, false, SH_OK};
    sh_err_clear(&e);
    assert_int_equal(db_write(db, batch_run, &read, &e), SH_CONFLICT);
    assert_string_equal(e.reason, "duplicate");
    if (db_dialect(db) == DB_PG)
        assert_int_equal(read.read_rc, SH_CONFLICT);
    assert_int_equal(count(db), base);
    /* the function refuses after it: the earlier failure is the transaction's error */
    struct batch refuse = {"refuse", 5, 1, false, true, SH_OK};
    sh_err_clear(&e);
    assert_int_equal(db_write(db, batch_run, &refuse, &e), SH_CONFLICT);
    assert_int_equal(count(db), base);
    /* a failure deep in a long run (past the first segment) */
    struct batch deep = {"deep", 150, 120, false, false, SH_OK};
    assert_int_equal(db_write(db, batch_run, &deep, &e), SH_CONFLICT);
    assert_int_equal(count(db), base);
    /* and the connections are clean afterwards */
    struct batch after = {"after", 2, -1, true, false, SH_OK};
    for (int i = 0; i < 4; i++) {
        char p[16];
        snprintf(p, sizeof(p), "after%d", i);
        after.prefix = p;
        assert_int_equal(db_write(db, batch_run, &after, &e), SH_OK);
    }
    assert_int_equal(count(db), base + 4 * 3);
}

static void sqlite_nowait(void **state)
{
    (void)state;
    char path[256], url[300];
    snprintf(path, sizeof(path), "/tmp/shouhou-test-nowait-%d.db", (int)getpid());
    unlink(path);
    snprintf(url, sizeof(url), "sqlite:%s", path);
    struct db *db = open_db(url, DB_PREPARED_AUTO, 2);
    nowait_contract(db);
    db_close(db);
    unlink(path);
    char p2[300];
    snprintf(p2, sizeof(p2), "%s-wal", path);
    unlink(p2);
    snprintf(p2, sizeof(p2), "%s-shm", path);
    unlink(p2);
}

static const char *pg_dsn(void)
{
    const char *dsn = getenv("SHOUHOU_TEST_PG");
    if (!dsn || !*dsn) {
        print_message("SHOUHOU_TEST_PG not set: PostgreSQL part not run here\n");
        return NULL;
    }
    return dsn;
}

static void pg_nowait(void **state)
{
    (void)state;
    const char *dsn = pg_dsn();
    if (!dsn)
        skip();
    static const enum db_prepared modes[] = {DB_PREPARED_ON, DB_PREPARED_OFF};
    for (int m = 0; m < 2; m++) {
        struct db *db = open_db(dsn, modes[m], 2);
        nowait_contract(db);
        db_close(db);
    }
}

static enum sh_code ddl_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    return db_exec_script(tx, arg, e);
}

/* A named statement whose result a migration changed (SELECT * of a table that gained a
 * column): the read is run again and sees the new column; a reconnected connection (its
 * named statements gone with the old session) prepares them again. */
static void pg_named(void **state)
{
    (void)state;
    const char *dsn = pg_dsn();
    if (!dsn)
        skip();
    struct db *db = open_db(dsn, DB_PREPARED_ON, 1), *other = open_db(dsn, DB_PREPARED_OFF, 1);
    struct sh_err e;
    struct q star = {"SELECT * FROM t_nowait ORDER BY k LIMIT 1", 0, 0};
    for (int i = 0; i < 4; i++)
        assert_int_equal(db_read(db, q_run, &star, &e), SH_OK);
    assert_int_equal(star.ncols, 2);
    char add[] = "ALTER TABLE t_nowait ADD COLUMN w BIGINT", drop[] = "ALTER TABLE t_nowait DROP "
                                                                      "COLUMN w";
    assert_int_equal(db_write(other, ddl_run, add, &e), SH_OK);
    sh_err_clear(&e);
    assert_int_equal(db_read(db, q_run, &star, &e), SH_OK);
    assert_int_equal(star.ncols, 3);
    /* the same in a write, with deferred statements queued before it */
    struct batch b = {"ddl", 3, -1, true, false, SH_OK};
    assert_int_equal(db_write(db, batch_run, &b, &e), SH_OK);
    assert_int_equal(db_write(other, ddl_run, drop, &e), SH_OK);
    b.prefix = "ddl2";
    assert_int_equal(db_write(db, batch_run, &b, &e), SH_OK);
    assert_int_equal(db_read(db, q_run, &star, &e), SH_OK);
    assert_int_equal(star.ncols, 2);
    /* the server ends db's session: one request fails, the next reconnects and prepares */
    struct q pid = {"SELECT pg_backend_pid() AS p", 0, 0};
    assert_int_equal(db_read(db, q_run, &pid, &e), SH_OK);
    char kill[128];
    snprintf(kill, sizeof(kill), "SELECT pg_terminate_backend(%lld)", (long long)pid.n);
    struct q k = {kill, 0, 0};
    assert_int_equal(db_read(other, q_run, &k, &e), SH_OK);
    usleep(100 * 1000);
    int ok = 0;
    for (int i = 0; i < 4; i++)
        ok += db_read(db, q_run, &star, &e) == SH_OK;
    assert_true(ok >= 3);
    for (int i = 0; i < 4; i++) {
        char p[16];
        snprintf(p, sizeof(p), "re%d", i);
        b.prefix = p;
        assert_int_equal(db_write(db, batch_run, &b, &e), SH_OK);
    }
    assert_int_equal(db_write(db, mk, NULL, &e), SH_OK);
    db_close(db);
    db_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sqlite_nowait),
        cmocka_unit_test(pg_nowait),
        cmocka_unit_test(pg_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
