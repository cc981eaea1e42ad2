/* SPDX-License-Identifier: MIT */
/* GET /api/v1/ticket-queues: how many tickets each queue (?queue= of GET /tickets)
 * holds for the caller, in one query, with the same visibility as the list (a customer
 * account counts its own customer's tickets, a technician their own assignments). The
 * queue tabs show these counts and refresh them without reloading the page. */
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/tickets.h"

#define QUEUES_MAX 16

struct queues_ctx {
    struct api_ctx *c;
    const char *names[QUEUES_MAX];
    int n;
    struct sh_buf sql;
    struct db_rows rows;
};

/* Appends a view's condition with {me} as $1 and {dept} as $2. */
static enum sh_code add_view(struct sh_buf *b, const char *sql)
{
    enum sh_code rc = SH_OK;
    for (const char *p = sql; *p && !rc;) {
        const char *me = strstr(p, "{me}"), *dept = strstr(p, "{dept}");
        const char *next = me && (!dept || me < dept) ? me : dept;
        if (!next)
            return sh_buf_adds(b, p);
        rc = sh_buf_addf(b, "%.*s%s", (int)(next - p), p, next == me ? "$1" : "$2");
        p = next + (next == me ? 4 : 6);
    }
    return rc;
}

static enum sh_code build_sql(struct queues_ctx *x)
{
    enum sh_code rc = sh_buf_adds(&x->sql, "SELECT count(*) AS total");
    for (const struct list_view *v = ent_tickets.views; v->param && !rc; v++) {
        if (strcmp(v->param, "queue") || x->n == QUEUES_MAX)
            continue;
        rc = sh_buf_adds(&x->sql, ", SUM(CASE WHEN (");
        if (!rc)
            rc = add_view(&x->sql, v->where);
        if (!rc)
            rc = sh_buf_addf(&x->sql, ") THEN 1 ELSE 0 END) AS q%d", x->n);
        x->names[x->n++] = v->value;
    }
    /* the list's scope: $3 a customer account's customer, $4 = 1 a technician's own */
    if (!rc)
        rc = sh_buf_adds(&x->sql, " FROM tickets t WHERE ($3 = 0 OR t.customer_id = $3) AND "
                                  "($4 = 0 OR t.assignee_id = $1)");
    return rc;
}

static enum sh_code queues_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct queues_ctx *x = arg;
    const struct principal *who = &x->c->who;
    int64_t cust = api_is_external(x->c) ? (who->customer_id ? who->customer_id : -1) : 0;
    return db_query(tx, x->c->a, x->sql.buf,
                    DB_P(DB_INT(who->user_id), DB_INT(who->department_id), DB_INT(cust),
                         DB_INT(api_is_technician_only(x->c) ? 1 : 0)),
                    &x->rows, e);
}

static void queue_item(struct jw *w, int i, const void *arg)
{
    const struct queues_ctx *x = arg;
    jw_obj_begin(w);
    jw_kstr(w, "queue", x->names[i]);
    jw_kint(w, "count", db_get_int(&x->rows, 0, sh_arena_printf(x->c->a, "q%d", i), 0));
    jw_obj_end(w);
}

void h_ticket_queues(struct api_ctx *c)
{
    struct queues_ctx x = {.c = c, .sql = SH_BUF_INIT(8192)};
    if (build_sql(&x)) {
        sh_buf_release(&x.sql);
        api_reply_error(c, SH_INTERNAL, NULL, "queue counts: query too long");
        return;
    }
    bool ok = api_read_or_reply(c, queues_run, &x);
    sh_buf_release(&x.sql);
    if (!ok)
        return;
    api_reply_page(c, &(struct api_page){.n = x.n, .item = queue_item, .arg = &x});
}
