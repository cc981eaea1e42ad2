/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* The SQLite gauges of GET /metrics (docs/operations.md): the page caches in use over all
 * connections, the connections open and the prepared statements cached. The soak test
 * (tests/soak/soak.py) reads them to tell a cache filling up to its cache_size from a leak. */
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

#include "../unit_db.h"

static enum sh_code fill(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    enum sh_code rc =
        db_exec(tx, "CREATE TABLE g (k INTEGER PRIMARY KEY, v TEXT)", DB_NOP, NULL, e);
    for (int i = 0; !rc && i < 2000; i++)
        rc = db_exec(tx, "INSERT INTO g (k, v) VALUES ($1, printf('%0500d', $1))", DB_P(DB_INT(i)),
                     NULL, e);
    return rc;
}

static enum sh_code scan(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct sh_arena *a = arg;
    struct db_rows r;
    return db_query(tx, a, "SELECT count(*) AS n, max(length(v)) AS m FROM g", DB_NOP, &r, e);
}

static void cache_and_connections(void **state)
{
    (void)state;
    struct unit_db u;
    struct db *db = unit_db_open(&u, "gauges", false);
    assert_non_null(db);
    struct sh_err e;
    sh_err_clear(&e);
    assert_int_equal(unit_gauge("shouhou_sqlite_connections"), 1); /* the writer */
    assert_int_equal(db_write(db, fill, NULL, &e), SH_OK);
    long long after_write = unit_gauge("shouhou_sqlite_cache_bytes");
    assert_true(after_write > 1000 * 512);          /* the writer's cache holds the table's pages */
    assert_true(after_write <= 16000LL * 1024 * 2); /* cache_size=-16000 and its headers */
    struct sh_arena a;
    sh_arena_init(&a, 0);
    assert_int_equal(db_read(db, scan, &a, &e), SH_OK);
    sh_arena_release(&a);
    assert_int_equal(unit_gauge("shouhou_sqlite_connections"), 2); /* and one reader */
    long long after_read = unit_gauge("shouhou_sqlite_cache_bytes");
    assert_true(after_read > after_write);
    assert_true(after_read - after_write <= 2000LL * 1024 * 2); /* a reader: cache_size=-2000 */
    assert_true(unit_gauge("shouhou_sqlite_statements") >= 3); /* CREATE, INSERT, SELECT and more */
    db_close(db);
    u.db = NULL;
    assert_int_equal(unit_gauge("shouhou_sqlite_cache_bytes"), 0);
    assert_int_equal(unit_gauge("shouhou_sqlite_statements"),
                     0); /* finalized with their connections */
    unit_db_close(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cache_and_connections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
