/* SPDX-License-Identifier: MIT */
/* The request's held read on PostgreSQL (db_request_hold, SHOUHOU_TEST_PG): the request's
 * second read continues the first one's transaction, and a SET LOCAL the first one ran still
 * holds there, so the second one's statements stay unnamed too. A named statement made while
 * enable_indexscan is off would keep that plan for the connection's life (pg_tx.local_set). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "../unit_db.h"

#define Q "SELECT count(*) AS n FROM pg_class WHERE relname = $1"

static enum sh_code run_q(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows rows;
    enum sh_code rc = db_query(tx, &a, Q, DB_P(DB_TEXT("pg_proc")), &rows, e);
    sh_arena_release(&a);
    return rc;
}

static enum sh_code set_local(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    return db_exec(tx, "SET LOCAL enable_indexscan = off", NULL, 0, NULL, e);
}

/* Q, then how many named statements of the pool's one connection hold it, and
 * enable_indexscan now (one read, so one transaction). */
struct seen {
    long long named;
    char indexscan[8];
};

static enum sh_code look(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct seen *s = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows rows;
    enum sh_code rc = run_q(tx, NULL, e);
    if (!rc)
        rc = db_query(tx, &a,
                      "SELECT count(*) AS n, current_setting('enable_indexscan') AS ix "
                      "FROM pg_prepared_statements WHERE statement = $1",
                      DB_P(DB_TEXT(Q)), &rows, e);
    if (!rc) {
        s->named = db_get_int(&rows, 0, "n", -1);
        snprintf(s->indexscan, sizeof(s->indexscan), "%s", db_get(&rows, 0, "ix"));
    }
    sh_arena_release(&a);
    return rc;
}

static void held_set_local(void **state)
{
    (void)state;
    struct db *db = unit_pg_open_one();
    struct sh_err e;
    sh_err_clear(&e);
    /* Q once: the connection has seen it, its next run would make it a named statement */
    assert_int_equal(db_read(db, run_q, NULL, &e), SH_OK);
    /* a request: its first read sets a local, its second read runs Q in the same transaction */
    db_request_hold(db, false);
    assert_int_equal(db_read(db, set_local, NULL, &e), SH_OK);
    struct seen in = {-1, ""};
    assert_int_equal(db_read(db, look, &in, &e), SH_OK);
    db_request_release(db);
    assert_string_equal(in.indexscan, "off"); /* the same transaction: the local holds */
    assert_int_equal(in.named, 0);            /* and Q stayed unnamed under it */
    /* the next transaction: no local, Q becomes a named statement again */
    struct seen after = {-1, ""};
    assert_int_equal(db_read(db, look, &after, &e), SH_OK);
    assert_string_equal(after.indexscan, "on");
    assert_int_equal(after.named, 1);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(held_set_local),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
