/* SPDX-License-Identifier: MIT */
#include "app/report_costs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"

#define UTC_OFFSET_S (8 * 3600) /* Asia/Shanghai */

const char *const cost_groups[] = {"period", "department", "customer", "technician",
                                   "trip",   "ticket",     NULL};
static const char *const cat_names[COST_CATS] = {"travel", "lodging", "allowance", "parts",
                                                 "other"};

enum cost_cat cost_cat_of(const char *category)
{
    for (int i = 0; i < COST_CATS; i++) {
        if (category && !strcmp(category, cat_names[i]))
            return (enum cost_cat)i;
    }
    return COST_OTHER;
}

/* The attributes every cost query selects: d (local date), the group key and label. */
static const char *group_sql(const char *group)
{
    if (!strcmp(group, "department"))
        return "dep_id AS gkey, dep_name AS glabel";
    if (!strcmp(group, "customer"))
        return "cust_id AS gkey, cust_name AS glabel";
    if (!strcmp(group, "technician"))
        return "tech_id AS gkey, tech_name AS glabel";
    if (!strcmp(group, "trip"))
        return "trip_id AS gkey, trip_label AS glabel";
    if (!strcmp(group, "ticket"))
        return "ticket_id AS gkey, ticket_label AS glabel";
    return "NULL AS gkey, NULL AS glabel";
}

/* One row per cost: a trip's four expenses, a cost line on a trip, one on a ticket, a part
 * consumed on a work order. */
#define TRIP_ATTRS                                                                                 \
    "t.customer_id AS cust_id, cu.name AS cust_name, t.lead_id AS tech_id, "                       \
    "COALESCE(NULLIF(u.display_name, ''), u.username) AS tech_name, d.id AS dep_id, d.name AS "    \
    "dep_name, t.id AS trip_id, t.purpose AS trip_label, t.ticket_id AS ticket_id, tk.number AS "  \
    "ticket_label FROM trips t JOIN users u ON u.id = t.lead_id LEFT JOIN departments d ON "       \
    "d.id = u.department_id LEFT JOIN customers cu ON cu.id = t.customer_id LEFT JOIN tickets tk " \
    "ON tk.id = t.ticket_id"

static const char *costs_sql(struct sh_arena *a, const char *group)
{
    return sh_arena_printf(
        a,
        "SELECT x.*, %s FROM ("
        "SELECT 'trip' AS src, t.start_at AS ts, NULL AS d, NULL AS cat, t.expense_transport_fen "
        "AS travel, t.expense_lodging_fen AS lodging, t.expense_allowance_fen AS allowance, "
        "t.expense_other_fen AS other, 0 AS amount, " TRIP_ATTRS
        " WHERE t.status <> 'cancelled' AND t.start_at >= $1 AND t.start_at < $2 "
        "UNION ALL SELECT 'line', NULL, l.incurred_on, l.category, 0, 0, 0, 0, "
        "l.amount_fen, " TRIP_ATTRS
        " JOIN cost_lines l ON l.owner_kind = 'trip' AND l.owner_id = t.id WHERE "
        "l.incurred_on >= $3 AND l.incurred_on <= $4 "
        "UNION ALL SELECT 'line', NULL, l.incurred_on, l.category, 0, 0, 0, 0, l.amount_fen, "
        "tk.customer_id, cu.name, tk.assignee_id, COALESCE(NULLIF(u.display_name, ''), "
        "u.username), d.id, d.name, NULL, NULL, tk.id, tk.number FROM cost_lines l JOIN tickets "
        "tk ON tk.id = l.owner_id LEFT JOIN users u ON u.id = tk.assignee_id LEFT JOIN "
        "departments d ON d.id = tk.department_id LEFT JOIN customers cu ON cu.id = "
        "tk.customer_id WHERE l.owner_kind = 'ticket' AND l.incurred_on >= $3 AND l.incurred_on "
        "<= $4 "
        /* RULE R-173: a part consumed on a work order costs its quantity × the part's cost,
         * on the day it was used, for the work order's lead and the ticket's customer */
        "UNION ALL SELECT 'part', m.created_at, NULL, 'parts', 0, 0, 0, 0, m.qty * p.cost_fen, "
        "tk.customer_id, cu.name, w.lead_id, COALESCE(NULLIF(u.display_name, ''), u.username), "
        "d.id, d.name, NULL, NULL, tk.id, tk.number FROM stock_movements m JOIN parts p ON p.id "
        "= m.part_id JOIN work_orders w ON w.id = m.work_order_id JOIN tickets tk ON tk.id = "
        "w.ticket_id LEFT JOIN users u ON u.id = w.lead_id LEFT JOIN departments d ON d.id = "
        "tk.department_id LEFT JOIN customers cu ON cu.id = tk.customer_id WHERE m.kind = "
        "'consume' AND m.created_at >= $1 AND m.created_at < $2) x ORDER BY 1 LIMIT 100000",
        group_sql(group));
}

static const char *utc_bound(const struct uc *u, const char *day, int plus)
{
    struct sh_date x;
    char ts[21];
    if (!sh_date_parse(day, &x))
        return NULL;
    sh_ts_format((sh_days_from_civil(x.y, x.m, x.d) + plus) * 86400 - UTC_OFFSET_S, ts);
    return sh_arena_printf(u->a, "%s", ts);
}

/* the local date of a trip's start (UTC text) */
static const char *local_day(const struct uc *u, const char *ts)
{
    int64_t t;
    char out[21];
    if (!ts || !sh_ts_parse(ts, &t))
        return "";
    sh_ts_format(t + UTC_OFFSET_S, out);
    return sh_arena_printf(u->a, "%.10s", out);
}

static struct cost_row *row_for(struct cost_report *out, const char *key, const char *label)
{
    for (int i = 0; i < out->n; i++) {
        if (!strcmp(out->rows[i].key, key))
            return &out->rows[i];
    }
    struct cost_row *r = &out->rows[out->n++];
    memset(r, 0, sizeof(*r));
    r->key = key;
    r->label = label ? label : "";
    return r;
}

static void add(struct cost_row *r, enum cost_cat c, int64_t v)
{
    r->cat[c] += v;
    r->total += v;
}

static int by_key(const void *a, const void *b)
{
    const struct cost_row *x = a, *y = b;
    int c = strcmp(x->label, y->label);
    return c ? c : strcmp(x->key, y->key);
}

static void collect(const struct uc *u, const struct db_rows *r, int i, const char *group,
                    struct cost_report *out)
{
    const char *src = db_get(r, i, "src");
    bool trip = !strcmp(src, "trip");
    /* trips and parts carry an instant, lines a local day */
    const char *day = strcmp(src, "line") ? local_day(u, db_get(r, i, "ts")) : db_get(r, i, "d");
    const char *key = db_get(r, i, "gkey"), *label = db_get(r, i, "glabel");
    if (!strcmp(group, "period")) {
        key = sh_arena_printf(u->a, "%.7s", day);
        label = key;
    }
    struct cost_row *row = row_for(out, key ? key : "", label);
    if (!trip) {
        enum cost_cat c = cost_cat_of(db_get(r, i, "cat"));
        int64_t v = db_get_int(r, i, "amount", 0);
        add(row, c, v);
        add(&out->total, c, v);
        return;
    }
    static const char *const cols[] = {"travel", "lodging", "allowance", "other"};
    static const enum cost_cat cats[] = {COST_TRAVEL, COST_LODGING, COST_ALLOWANCE, COST_OTHER};
    for (int k = 0; k < 4; k++) {
        int64_t v = db_get_int(r, i, cols[k], 0);
        add(row, cats[k], v);
        add(&out->total, cats[k], v);
    }
}

enum sh_code uc_report_costs(const struct uc *u, const char *from, const char *to,
                             const char *group, struct cost_report *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    const char *f = utc_bound(u, from, 0), *t = utc_bound(u, to, 1);
    if (!f || !t)
        return sh_err_set(e, SH_INVALID, "bad period");
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, costs_sql(u->a, group),
                               DB_P(DB_TEXT(f), DB_TEXT(t), DB_TEXT(from), DB_TEXT(to)), &r, e);
    if (rc)
        return rc;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++)
        collect(u, &r, i, group, out);
    qsort(out->rows, (size_t)out->n, sizeof(*out->rows), by_key);
    return SH_OK;
}
