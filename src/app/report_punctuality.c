/* SPDX-License-Identifier: MIT */
#include "app/report_punctuality.h"

#include <string.h>

#include "base/date.h"
#include "domain/work_order.h"

/* $1, $2: local days (work_orders.appointment_day, indexed) */
#define PUNCT_SQL                                                                                  \
    "SELECT w.lead_id, u.display_name AS lead, w.appointment_at, w.tolerance_min, w.arrived_at, "  \
    "w.late_notice FROM work_orders w JOIN tickets t ON t.id = w.ticket_id LEFT JOIN users u ON "  \
    "u.id = w.lead_id WHERE w.appointment_day >= $1 AND w.appointment_day <= $2 AND w.status <> "  \
    "'cancelled' AND w.appointment_at IS NOT NULL AND w.arrived_at IS NOT NULL "                   \
    "AND " REPORT_TICKET_FILTER("w.lead_id") " ORDER BY u.display_name, w.lead_id LIMIT 200000"

/* RULE R-176: one arrival into a row */
static void count(struct punct_row *x, int64_t appt, int tol_min, int64_t at, const char *notice)
{
    x->arrivals++;
    enum wo_arrival c = wo_arrival_class(appt, tol_min, at);
    if (c == WOA_EARLY)
        x->early++;
    else if (c == WOA_ON_TIME)
        x->on_time++;
    else {
        x->late_min_sum += wo_lateness_min(appt, at);
        if (notice && !strcmp(notice, "in_time"))
            x->late_notified++;
        else
            x->late_unnotified++;
    }
}

static void finish(struct punct_row *x)
{
    x->on_time_pct = report_ratio(x->on_time, x->arrivals, 100);
    x->early_pct = report_ratio(x->early, x->arrivals, 100);
    x->avg_late_min = report_ratio(x->late_min_sum, x->late_notified + x->late_unnotified, 1);
}

enum sh_code uc_report_punctuality(const struct uc *u, const struct report_filter *f,
                                   struct punct_report *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, PUNCT_SQL,
                 DB_P(DB_TEXT(f->from_day), DB_TEXT(f->to_day), DB_INT(f->department_id),
                      DB_INT(f->staff_id), DB_INT(f->customer_id), DB_INT(f->model_id),
                      DB_TEXT(f->region ? f->region : "")),
                 &r, e);
    if (rc)
        return rc;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++) {
        int64_t appt, at, lead = db_get_int(&r, i, "lead_id", 0);
        if (!sh_ts_parse(db_get(&r, i, "appointment_at"), &appt) ||
            !sh_ts_parse(db_get(&r, i, "arrived_at"), &at))
            continue;
        if (!out->n || out->rows[out->n - 1].user_id != lead) {
            const char *name = db_get(&r, i, "lead");
            out->rows[out->n++] = (struct punct_row){.user_id = lead, .name = name ? name : ""};
        }
        int tol = (int)db_get_int(&r, i, "tolerance_min", 30);
        const char *notice = db_get(&r, i, "late_notice");
        count(&out->rows[out->n - 1], appt, tol, at, notice);
        count(&out->total, appt, tol, at, notice);
    }
    for (int k = 0; k < out->n; k++)
        finish(&out->rows[k]);
    finish(&out->total);
    return SH_OK;
}
