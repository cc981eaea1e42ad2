/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* The at-risk and breached queues read the live-ticket index of migration 0047
 * (tickets_live_sla): the list's own SQL, as the entity engine plans it for queue=at_risk and
 * queue=breached, is asked for its SQLite query plan — the total must be counted from that
 * index alone (COVERING) and the page must walk it. SQLite uses a partial index only when the
 * query repeats its WHERE word for word: this fails as soon as a view's condition and the
 * index's drift apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/entity.h"
#include "app/ticket_entities.h"
#include "base/sh_buf.h"

#include "../unit_db.h"

struct plan_ctx {
    const char *sql;
    const struct db_val *p;
    int n;
    struct sh_buf *out;
};

static enum sh_code plan_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct plan_ctx *x = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows r;
    char *sql = sh_arena_printf(&a, "EXPLAIN QUERY PLAN %s", x->sql);
    enum sh_code rc = db_query(tx, &a, sql, x->p, x->n, &r, e);
    for (int i = 0; !rc && i < r.nrows; i++)
        if (sh_buf_addf(x->out, "%s\n", db_get(&r, i, "detail")))
            rc = sh_err_set(e, SH_INTERNAL, "plan too long");
    sh_arena_release(&a);
    return rc;
}

static void plan_of(struct db *db, const char *sql, const struct db_val *p, int n,
                    struct sh_buf *out)
{
    struct sh_err e;
    sh_err_clear(&e);
    struct plan_ctx x = {sql, p, n, out};
    if (db_read(db, plan_run, &x, &e))
        fail_msg("plan of %s: %s", sql, e.msg);
}

static void check_queue(struct db *db, const char *queue)
{
    struct app app = {.db = db};
    const struct principal who = {.user_id = 1, .username = "admin", .roles = RB(ADMIN)};
    struct sh_arena a;
    sh_arena_init(&a, 0);
    const struct uc u = {.a = &a, .who = &who, .app = &app};
    const struct ent_param params[] = {{"queue", queue}};
    struct ent_list_in in = {.limit = 50, .params = params, .nparams = 1};
    struct ent_list l;
    struct sh_err e;
    sh_err_clear(&e);
    if (ent_list_plan(&u, &ent_tickets, &in, &l, &e))
        fail_msg("plan %s: %s", queue, e.msg);
    struct sh_buf count = SH_BUF_INIT(1 << 12), page = SH_BUF_INIT(1 << 12);
    plan_of(db, l.cq.sql.buf, l.cq.p, l.cq.n, &count);
    char *sql = sh_arena_printf(&a, "%s ORDER BY t.id DESC LIMIT 51", l.q.sql.buf);
    plan_of(db, sql, l.q.p, l.q.n, &page);
    if (!strstr(count.buf, "COVERING INDEX tickets_live_sla"))
        fail_msg("queue=%s: the total is not counted from tickets_live_sla alone:\n%s", queue,
                 count.buf);
    if (!strstr(page.buf, "tickets_live_sla") || strstr(page.buf, "TEMP B-TREE"))
        fail_msg("queue=%s: the page does not walk tickets_live_sla in id order:\n%s", queue,
                 page.buf);
    sh_buf_release(&count);
    sh_buf_release(&page);
    ent_list_release(&l);
    sh_arena_release(&a);
}

static void live_queues_read_the_index(void **state)
{
    (void)state;
    struct unit_db u;
    struct db *db = unit_db_open(&u, "livequeue", true);
    assert_non_null(db);
    check_queue(db, "at_risk");
    check_queue(db, "breached");
    unit_db_close(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(live_queues_read_the_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
