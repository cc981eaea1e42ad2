/* SPDX-License-Identifier: MIT */
#include "app/report_visits.h"

#include <stdlib.h>
#include <string.h>

#include "domain/visit_plan.h"

/* A plan of the period with its counts. */
struct plan_count {
    int64_t id, customer_id;
    const char *region, *customer;
    bool is_key, patrol;
    int64_t planned, created, done, cancelled, open, findings, opinions;
};

static int by_region_customer(const void *a, const void *b)
{
    const struct plan_count *x = a, *y = b;
    int c = strcmp(x->region, y->region);
    if (c)
        return c;
    c = strcmp(x->customer, y->customer);
    return c ? c : (x->customer_id > y->customer_id) - (x->customer_id < y->customer_id);
}

/* The visits each plan called for in [from, to]. */
static int64_t planned_of(const struct db_rows *r, int i, struct sh_date from, struct sh_date to)
{
    struct visit_rule rule = {.every = (int)db_get_int(r, i, "every_n", 0)};
    const char *end = db_get(r, i, "end_date");
    if (!visit_period_parse(db_get(r, i, "period"), &rule.period) ||
        !sh_date_parse(db_get(r, i, "start_date"), &rule.start) ||
        (end && !(rule.has_end = sh_date_parse(end, &rule.end))))
        return 0;
    return visit_count_due(&rule, from, to);
}

static enum sh_code load_plans(const struct uc *u, const char *from, const char *to,
                               struct plan_count **out, int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT p.id, p.customer_id, p.region, p.purpose, p.every_n, p.period, p.start_date, "
        "p.end_date, c.name AS customer, c.is_key FROM visit_plans p JOIN customers c ON c.id = "
        "p.customer_id WHERE p.start_date <= $2 AND (p.end_date IS NULL OR p.end_date >= $1) "
        "ORDER BY p.id LIMIT 10000",
        DB_P(DB_TEXT(from), DB_TEXT(to)), &r, e);
    if (rc)
        return rc;
    struct sh_date f, t;
    if (!sh_date_parse(from, &f) || !sh_date_parse(to, &t))
        return sh_err_set(e, SH_INVALID, "bad period");
    *n = r.nrows;
    *out = sh_arena_alloc(u->a, sizeof(**out) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++) {
        const char *key = db_get(&r, i, "is_key");
        (*out)[i] = (struct plan_count){
            .id = db_get_int(&r, i, "id", 0),
            .customer_id = db_get_int(&r, i, "customer_id", 0),
            .region = db_get(&r, i, "region") ? db_get(&r, i, "region") : "",
            .customer = db_get(&r, i, "customer") ? db_get(&r, i, "customer") : "",
            .is_key = key && strcmp(key, "0") && strcmp(key, "f"),
            .patrol = !strcmp(db_get(&r, i, "purpose"), "patrol"),
            .planned = planned_of(&r, i, f, t),
        };
    }
    return SH_OK;
}

/* The visits created for due dates in the period, by plan and work-order status. */
static enum sh_code count_runs(const struct uc *u, const char *from, const char *to,
                               struct plan_count *p, int n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT r.plan_id, COALESCE(w.status, '') AS status, count(*) AS n, count(f.id) AS "
        "findings, sum(CASE WHEN f.design <> '' OR f.assembly <> '' OR f.process <> '' THEN 1 "
        "ELSE 0 END) AS opinions FROM visit_plan_runs r LEFT JOIN work_orders w ON w.id = "
        "r.work_order_id LEFT JOIN visit_findings f ON f.work_order_id = r.work_order_id WHERE "
        "r.due_date >= $1 AND r.due_date <= $2 GROUP BY r.plan_id, COALESCE(w.status, '')",
        DB_P(DB_TEXT(from), DB_TEXT(to)), &r, e);
    if (rc)
        return rc;
    for (int i = 0; i < r.nrows; i++) {
        int64_t plan = db_get_int(&r, i, "plan_id", 0), k = db_get_int(&r, i, "n", 0);
        const char *st = db_get(&r, i, "status");
        for (int j = 0; j < n; j++) {
            if (p[j].id != plan)
                continue;
            p[j].created += k;
            if (!strcmp(st, "done"))
                p[j].done += k;
            else if (!strcmp(st, "cancelled"))
                p[j].cancelled += k;
            else
                p[j].open += k;
            p[j].findings += db_get_int(&r, i, "findings", 0);
            p[j].opinions += db_get_int(&r, i, "opinions", 0);
            break;
        }
    }
    return SH_OK;
}

static void add(struct visit_report_row *row, const struct plan_count *p)
{
    row->plans++;
    row->patrols += p->patrol;
    row->planned += p->planned;
    row->created += p->created;
    row->done += p->done;
    row->cancelled += p->cancelled;
    row->open += p->open;
    row->findings += p->findings;
    row->opinions += p->opinions;
}

static void pct(struct visit_report_row *row)
{
    row->done_pct = row->planned ? 100.0 * (double)row->done / (double)row->planned : -1;
}

enum sh_code uc_report_visits(const struct uc *u, const char *from, const char *to,
                              struct visit_report *out, struct sh_err *e)
{
    struct plan_count *p = NULL;
    int n = 0;
    enum sh_code rc;
    memset(out, 0, sizeof(*out));
    if ((rc = load_plans(u, from, to, &p, &n, e)) || (rc = count_runs(u, from, to, p, n, e)))
        return rc;
    qsort(p, (size_t)n, sizeof(*p), by_region_customer);
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        struct visit_report_row *row = out->n ? &out->rows[out->n - 1] : NULL;
        if (!row || strcmp(row->region, p[i].region) || row->customer_id != p[i].customer_id) {
            row = &out->rows[out->n++];
            *row = (struct visit_report_row){.region = p[i].region,
                                             .customer = p[i].customer,
                                             .customer_id = p[i].customer_id,
                                             .is_key = p[i].is_key};
        }
        add(row, &p[i]);
        add(&out->total, &p[i]);
    }
    for (int i = 0; i < out->n; i++)
        pct(&out->rows[i]);
    pct(&out->total);
    return SH_OK;
}
