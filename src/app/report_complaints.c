/* SPDX-License-Identifier: MIT */
#include "app/report_complaints.h"

#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "domain/roles.h"

const char *const complaint_dimension_names[COMPLAINT_DIMENSIONS + 1] = {
    "channel", "product", "cause", "decision", "category", "department", NULL};

/* RULE R-179: the notices received in the period (received_on, local days); R-164: misconduct
 * notices only for the heads (ROLES_HEADS), as their records */
#define CR_SQL                                                                                     \
    "SELECT c.channel, c.category, c.cause_category, c.decision, c.state, c.serious, "             \
    "c.bought_in, c.product, m.name AS model_name, d.name AS department_name, c.created_at, "      \
    "c.closed_at, c.charge_fen, c.credit_fen FROM complaints c LEFT JOIN product_models m ON "     \
    "m.id = c.model_id LEFT JOIN departments d ON d.id = c.department_id WHERE c.received_on >= "  \
    "$1 AND c.received_on <= $2 AND ($3 = 0 OR c.department_id = $3) AND ($4 = 0 OR "              \
    "c.staff_user_id = $4) AND ($5 = 0 OR c.customer_id = $5) AND ($6 = 0 OR c.model_id = $6) "    \
    "AND ($7 = 1 OR c.category IS NULL OR c.category <> 'misconduct') "                            \
    "ORDER BY c.id LIMIT 100000"

static const char *key_of(const struct db_rows *r, int i, int dim)
{
    const char *v = NULL;
    switch (dim) {
    case 0:
        v = db_get(r, i, "channel");
        break;
    case 1:
        v = db_get(r, i, "model_name");
        if (!v || !*v)
            v = db_get(r, i, "product");
        break;
    case 2:
        v = db_get(r, i, "cause_category");
        break;
    case 3:
        v = db_get(r, i, "decision");
        break;
    case 4:
        v = db_get(r, i, "category");
        break;
    default:
        v = db_get(r, i, "department_name");
    }
    return v ? v : "";
}

static void add(struct complaint_report_row *g, const struct db_rows *r, int i)
{
    const char *st = db_get(r, i, "state");
    g->received++;
    if (!strcmp(st, "closed"))
        g->closed++;
    else if (!strcmp(st, "refused"))
        g->refused++;
    else
        g->open++;
    g->serious += db_get_int(r, i, "serious", 0) != 0;
    g->bought_in += db_get_int(r, i, "bought_in", 0) != 0;
    g->charge_fen += db_get_int(r, i, "charge_fen", 0);
    g->credit_fen += db_get_int(r, i, "credit_fen", 0);
    int64_t a, b;
    if (!strcmp(st, "closed") && sh_ts_parse(db_get(r, i, "created_at"), &a) &&
        db_get(r, i, "closed_at") && sh_ts_parse(db_get(r, i, "closed_at"), &b)) {
        g->closed_days_sum_s += b - a;
        g->closed_n++;
    }
}

static struct complaint_report_row *group(struct complaint_report *out, int dim, const char *key)
{
    for (int k = 0; k < out->n; k++)
        if (out->rows[k].dimension == complaint_dimension_names[dim] &&
            !strcmp(out->rows[k].key, key))
            return &out->rows[k];
    struct complaint_report_row *g = &out->rows[out->n++];
    *g = (struct complaint_report_row){.dimension = complaint_dimension_names[dim], .key = key};
    return g;
}

static int by_dim_key(const void *pa, const void *pb)
{
    const struct complaint_report_row *a = pa, *b = pb;
    int da = 0, db = 0;
    for (int k = 0; k < COMPLAINT_DIMENSIONS; k++) {
        if (a->dimension == complaint_dimension_names[k])
            da = k;
        if (b->dimension == complaint_dimension_names[k])
            db = k;
    }
    return da != db ? da - db : strcmp(a->key, b->key);
}

static void finish(struct complaint_report_row *g)
{
    g->days_to_close =
        g->closed_n ? (double)g->closed_days_sum_s / 86400.0 / (double)g->closed_n : -1;
}

enum sh_code uc_report_complaints(const struct uc *u, const struct report_filter *f,
                                  struct complaint_report *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, CR_SQL,
                 DB_P(DB_TEXT(f->from_day), DB_TEXT(f->to_day), DB_INT(f->department_id),
                      DB_INT(f->staff_id), DB_INT(f->customer_id), DB_INT(f->model_id),
                      DB_INT((u->who->roles & ROLES_HEADS) != 0)),
                 &r, e);
    if (rc)
        return rc;
    size_t cap = (size_t)r.nrows * COMPLAINT_DIMENSIONS + 1;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * cap);
    out->n = 0;
    out->total = (struct complaint_report_row){0};
    for (int i = 0; i < r.nrows; i++) {
        for (int d = 0; d < COMPLAINT_DIMENSIONS; d++)
            add(group(out, d, key_of(&r, i, d)), &r, i);
        add(&out->total, &r, i);
    }
    qsort(out->rows, (size_t)out->n, sizeof(*out->rows), by_dim_key);
    for (int k = 0; k < out->n; k++)
        finish(&out->rows[k]);
    finish(&out->total);
    return SH_OK;
}
