/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* Store contract: runs on SQLite, and on PostgreSQL too when SHOUHOU_TEST_PG is set.
 * Group commit keeps each transaction all-or-nothing; failures are isolated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/bigram.h"
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

/* A read sees one snapshot: a write committed in the middle of it is not seen until
 * the next read. */
struct snap {
    struct db *db;
    int64_t first, second;
};

static enum sh_code snap_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct snap *s = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows r;
    enum sh_code rc = db_query(tx, &a, "SELECT count(*) AS n FROM t_store", DB_NOP, &r, e);
    if (!rc) {
        s->first = db_get_int(&r, 0, "n", -1);
        struct put p = {"snapshot", 1, false};
        rc = db_write(s->db, put_run, &p, e);
    }
    if (!rc)
        rc = db_query(tx, &a, "SELECT count(*) AS n FROM t_store", DB_NOP, &r, e);
    if (!rc)
        s->second = db_get_int(&r, 0, "n", -1);
    sh_arena_release(&a);
    return rc;
}

static void read_snapshot(struct db *db)
{
    struct snap s = {db, -1, -1};
    struct sh_err e;
    assert_int_equal(db_read(db, snap_run, &s, &e), SH_OK);
    assert_int_equal(s.first, s.second);
    assert_int_equal(count(db, NULL), s.first + 1);
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

/* ---- strictness: what the drivers refuse ---- */

struct strict {
    struct sh_arena a;
    enum sh_code missing, cap;
    struct db_rows r;
    struct sh_err e;
};

static enum sh_code strict_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct strict *s = arg;
    struct db_rows r;
    enum sh_code rc = db_query(tx, &s->a, "SELECT k, v FROM t_store ORDER BY k", DB_NOP, &s->r, e);
    if (rc)
        return rc;
    /* a result past the arena's cap stops with 413 too_large, not a crash */
    struct sh_arena small;
    sh_arena_init(&small, 4096);
    struct sh_err e2;
    s->cap = db_query(tx, &small,
                      "SELECT k || '-' || CAST(v AS TEXT) || '-padding-padding-padding' AS x "
                      "FROM t_store",
                      DB_NOP, &r, &e2);
    if (s->cap == SH_TOO_BIG)
        assert_string_equal(e2.reason, "too_large");
    sh_arena_release(&small);
    /* $2 is used but one value is given: an error in both drivers (SQLite bound NULL); last,
     * as it ends a PostgreSQL transaction */
    s->missing = db_query(tx, &s->a, "SELECT CAST($1 AS BIGINT) AS a, CAST($2 AS BIGINT) AS b",
                          DB_P(DB_INT(1)), &r, &s->e);
    return SH_OK;
}

static void strictness(struct db *db)
{
    struct strict s;
    sh_arena_init(&s.a, 0);
    sh_err_clear(&s.e);
    struct sh_err e;
    assert_int_equal(db_read(db, strict_run, &s, &e), SH_OK);
    assert_int_not_equal(s.missing, SH_OK);
    assert_int_equal(s.cap, SH_TOO_BIG);
    assert_true(s.r.nrows > 0);
    assert_non_null(db_get(&s.r, 0, "k"));
    /* a column the query does not return: abort in a debug build, NULL + log in release */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        const char *v = db_get(&s.r, 0, "key"); /* misspelt */
        _exit(v == NULL ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
#ifdef NDEBUG
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
#else
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
#endif
    sh_arena_release(&s.a);
}

static void arena_cap(void **state)
{
    (void)state;
    struct sh_arena a;
    sh_arena_init(&a, 1 << 16);
    for (int i = 0; i < 15; i++)
        sh_arena_alloc(&a, 4096);
    assert_false(sh_arena_over(&a));
    void *p = sh_arena_alloc(&a, 1 << 16); /* still served, but the arena is over */
    assert_non_null(p);
    assert_true(sh_arena_over(&a));
    sh_arena_release(&a);
    assert_false(sh_arena_over(&a));
    sh_arena_init(&a, 0); /* 0: unbounded */
    sh_arena_alloc(&a, 1 << 22);
    assert_false(sh_arena_over(&a));
    sh_arena_release(&a);
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
    read_snapshot(db);
    concurrent_isolated(db);
    strictness(db);
    db_close(db);
    /* durable: a reopened database has everything */
    struct db *again = NULL;
    struct sh_err e;
    assert_int_equal(db_open(url, NULL, &again, &e), SH_OK);
    assert_int_equal(count(again, NULL), 3 + 8 * 160);
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
    read_snapshot(db);
    concurrent_isolated(db);
    strictness(db);
    struct sh_err e;
    assert_int_equal(db_write(db, mk, NULL, &e), SH_OK);
    db_close(db);
}

/* ---- the writer's WAL write-gathering VFS and the search queue (SQLite) ---- */

static void rm_db(const char *p)
{
    char q[300];
    unlink(p);
    snprintf(q, sizeof(q), "%s-wal", p);
    unlink(q);
    snprintf(q, sizeof(q), "%s-shm", p);
    unlink(q);
}

struct blob_job {
    int from, n, size;
};

static enum sh_code blob_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct blob_job *b = arg;
    enum sh_code rc = SH_OK;
    for (int i = b->from; !rc && i < b->from + b->n; i++) {
        char k[32];
        snprintf(k, sizeof(k), "b%d", i);
        rc = db_exec(tx,
                     "INSERT INTO t_store (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET "
                     "v = excluded.v",
                     DB_P(DB_TEXT(k), DB_INT(i)), NULL, e);
        /* a page-sized payload per row so transactions span many WAL frames */
        if (!rc)
            rc = db_exec(tx, "INSERT OR REPLACE INTO t_blob (k, data) VALUES ($1, zeroblob($2))",
                         DB_P(DB_TEXT(k), DB_INT(b->size)), NULL, e);
    }
    return rc;
}

static enum sh_code mk_blob(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    return db_exec(tx, "CREATE TABLE t_blob (k TEXT PRIMARY KEY, data BLOB)", DB_NOP, NULL, e);
}

static int64_t raw_int(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void raw_ok(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
}

/* Transactions from a few frames to several megabytes (past the VFS buffer and its
 * write chunks), read back through SQLite's default VFS from another connection. */
static void wal_gathering(void **state)
{
    (void)state;
    char p[256], url[300];
    snprintf(p, sizeof(p), "/tmp/shouhou-test-wal-%d.db", (int)getpid());
    rm_db(p);
    snprintf(url, sizeof(url), "sqlite:%s", p);
    struct db *db = open_db(url);
    struct sh_err e;
    assert_int_equal(db_write(db, mk_blob, NULL, &e), SH_OK);
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(p, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    static const struct blob_job jobs[] = {
        {0, 1, 100},       {1, 30, 4000},  {31, 300, 4000},
        {331, 1500, 3000}, {0, 600, 5000}, {2000, 1, 10},
    };
    int64_t rows = 0;
    for (size_t i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++) {
        struct blob_job j = jobs[i];
        assert_int_equal(db_write(db, blob_run, &j, &e), SH_OK);
        rows = raw_int(h, "SELECT count(*) FROM t_blob");
        if (i == 3) /* a checkpoint from outside, between commits */
            assert_int_equal(sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
                             SQLITE_OK);
    }
    assert_int_equal(rows, 1832);
    assert_int_equal(raw_int(h, "SELECT sum(length(data)) FROM t_blob"),
                     600 * 5000 + 1231 * 3000 + 10); /* b0-b599, b600-b1830, b2000 */
    raw_ok(h, "PRAGMA integrity_check");
    sqlite3_close(h);
    db_close(db);
    rm_db(p);
}

/* Customers written by many concurrent requests (grouped into shared commits), some
 * refusing after their writes: inserts, search changes and deletes. */
struct cust_worker {
    struct db *db;
    int id;
};

struct cust_op {
    int worker, i;
    bool refuse;
};

static enum sh_code cust_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct cust_op *o = arg;
    static const char *const words[] = {"苏州华鑫机械", "北京恒瑞数控", "深圳振华激光",
                                        "西安宏达制药"};
    char code[32], search[128];
    snprintf(code, sizeof(code), "C%d-%d", o->worker, o->i);
    snprintf(search, sizeof(search), "%s %s 第%d号", code, words[(o->worker + o->i) % 4], o->i);
    struct sh_buf b = SH_BUF_INIT(4096);
    enum sh_code rc = sh_bigrams(search, &b);
    if (!rc)
        rc = db_exec(tx,
                     "INSERT INTO customers (code, name, type, search, search_bi, created_at, "
                     "updated_at) VALUES ($1, $1, 'company', $2, $3, 'x', 'x')",
                     DB_P(DB_TEXT(code), DB_TEXT(search), DB_TEXT(b.buf)), NULL, e);
    sh_buf_release(&b);
    /* every third changes an earlier row's text, every fourth deletes one */
    char old[32];
    snprintf(old, sizeof(old), "C%d-%d", o->worker, o->i - 2);
    if (!rc && o->i % 3 == 0)
        rc = db_exec(tx,
                     "UPDATE customers SET search = search || ' 已更新', search_bi = search_bi "
                     "|| ' 已更 更新' WHERE code = $1",
                     DB_P(DB_TEXT(old)), NULL, e);
    if (!rc && o->i % 4 == 0)
        rc = db_exec(tx, "DELETE FROM customers WHERE code = $1", DB_P(DB_TEXT(old)), NULL, e);
    if (!rc && o->refuse)
        return sh_err_set(e, SH_CONFLICT, "refused after writing");
    return rc;
}

static void *cust_main(void *arg)
{
    struct cust_worker *w = arg;
    for (int i = 0; i < 120; i++) {
        struct cust_op o = {w->id, i, i % 7 == 3};
        struct sh_err e;
        enum sh_code rc = db_write(w->db, cust_run, &o, &e);
        if (rc != SH_OK && rc != SH_CONFLICT)
            fail_msg("customer write: %s", e.msg);
    }
    return NULL;
}

/* Rows of the index's vocabulary that a freshly rebuilt copy does not have, and back. */
static int64_t index_diff(sqlite3 *h, const char *index, const char *col, const char *tok)
{
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "DROP TABLE IF EXISTS chk; DROP TABLE IF EXISTS temp.v1; DROP TABLE IF EXISTS "
             "temp.v2; CREATE VIRTUAL TABLE chk USING fts5(%s, content='customers', "
             "content_rowid='id', tokenize='%s'); INSERT INTO chk(chk) VALUES ('rebuild'); "
             "CREATE VIRTUAL TABLE temp.v1 USING fts5vocab(main, %s, instance); CREATE VIRTUAL "
             "TABLE temp.v2 USING fts5vocab(main, chk, instance);",
             col, tok, index);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    int64_t n = raw_int(h, "SELECT (SELECT count(*) FROM (SELECT * FROM temp.v1 EXCEPT SELECT * "
                           "FROM temp.v2)) + (SELECT count(*) FROM (SELECT * FROM temp.v2 EXCEPT "
                           "SELECT * FROM temp.v1))");
    assert_int_equal(
        sqlite3_exec(h, "DROP TABLE temp.v1; DROP TABLE temp.v2; DROP TABLE chk", NULL, NULL, NULL),
        SQLITE_OK);
    return n;
}

static void search_queue(void **state)
{
    (void)state;
    char p[256], url[300];
    snprintf(p, sizeof(p), "/tmp/shouhou-test-sq-%d.db", (int)getpid());
    rm_db(p);
    snprintf(url, sizeof(url), "sqlite:%s", p);
    struct db *db = open_db(url);
    pthread_t th[6];
    struct cust_worker w[6];
    for (int i = 0; i < 6; i++) {
        w[i] = (struct cust_worker){db, i};
        pthread_create(&th[i], NULL, cust_main, &w[i]);
    }
    for (int i = 0; i < 6; i++)
        pthread_join(th[i], NULL);
    db_close(db);
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(p, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(raw_int(h, "SELECT count(*) FROM search_queue"), 0);
    int64_t rows = raw_int(h, "SELECT count(*) FROM customers");
    assert_true(rows > 300 && rows < 6 * 120);
    assert_int_equal(index_diff(h, "customers_fts", "search", "trigram"), 0);
    assert_int_equal(index_diff(h, "customers_bi", "search_bi", "unicode61"), 0);
    /* and the check can fail: a change the indexes were not told of */
    assert_int_equal(sqlite3_exec(h,
                                  "DROP TRIGGER customers_sq_au; UPDATE customers SET search "
                                  "= '改过的文字' WHERE id = (SELECT max(id) FROM customers)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_true(index_diff(h, "customers_fts", "search", "trigram") > 0);
    assert_true(raw_int(h, "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH "
                           "'\"已更新\"'") > 0);
    sqlite3_close(h);
    rm_db(p);
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

/* The PostgreSQL pool without pg_pool set: this host's cores, within [2, 8]. */
static void pool_default(void **state)
{
    (void)state;
    static const struct {
        long cores;
        int want;
    } cases[] = {{-1, 2}, {0, 2}, {1, 2}, {2, 2}, {3, 3}, {4, 4}, {8, 8}, {16, 8}, {256, 8}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_int_equal(db_pool_default(cases[i].cores), cases[i].want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sqlite_contract), cmocka_unit_test(pg_contract),
        cmocka_unit_test(bad_urls),        cmocka_unit_test(wal_gathering),
        cmocka_unit_test(search_queue),    cmocka_unit_test(arena_cap),
        cmocka_unit_test(pool_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
