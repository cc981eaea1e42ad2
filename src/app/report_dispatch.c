/* SPDX-License-Identifier: MIT */
#include "app/report_dispatch.h"

#include <string.h>

/* $1, $2: the local days (work_orders.appointment_day, indexed) */
#define DISPATCH_SQL                                                                               \
    "SELECT w.id, w.number, w.ticket_id, t.number AS ticket_number, w.kind, w.status, w.lead_id, " \
    "u.display_name AS lead, c.name AS customer, t.region, w.appointment_at, w.arrived_at, "       \
    "w.finished_at, (SELECT count(*) FROM work_order_helpers h WHERE h.work_order_id = w.id) AS "  \
    "helpers, (SELECT COALESCE(sum(p.est_days), 0) FROM trip_work_orders x JOIN trips p ON p.id "  \
    "= x.trip_id WHERE x.work_order_id = w.id AND p.status <> 'cancelled') AS trip_days FROM "     \
    "work_orders w JOIN tickets t ON t.id = w.ticket_id LEFT JOIN users u ON u.id = w.lead_id "    \
    "LEFT JOIN customers c ON c.id = t.customer_id WHERE w.appointment_day >= $1 AND "             \
    "w.appointment_day <= $2 AND w.status <> 'cancelled' AND " REPORT_TICKET_FILTER(               \
        "w.lead_id") " ORDER BY w.appointment_at, w.id LIMIT 5000"

static void add_staff(struct dispatch_report *out, const struct dispatch_row *x, int64_t lead_id)
{
    int k = 0;
    while (k < out->nstaff && out->staff[k].user_id != lead_id)
        k++;
    if (k == out->nstaff)
        out->staff[out->nstaff++] =
            (struct dispatch_staff){lead_id, x->lead ? x->lead : "", 0, 0, 0};
    struct dispatch_staff *s = &out->staff[k];
    s->dispatches++;
    s->done += !strcmp(x->status, "done");
    s->trip_days += x->trip_days;
}

enum sh_code uc_report_dispatch(const struct uc *u, const struct report_filter *f,
                                struct dispatch_report *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, DISPATCH_SQL,
                 DB_P(DB_TEXT(f->from_day), DB_TEXT(f->to_day), DB_INT(f->department_id),
                      DB_INT(f->staff_id), DB_INT(f->customer_id), DB_INT(f->model_id),
                      DB_TEXT(f->region ? f->region : "")),
                 &r, e);
    if (rc)
        return rc;
    size_t cap = (size_t)(r.nrows ? r.nrows : 1);
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * cap);
    out->staff = sh_arena_alloc(u->a, sizeof(*out->staff) * cap);
    out->n = r.nrows;
    for (int i = 0; i < r.nrows; i++) {
        struct dispatch_row *x = &out->rows[i];
        *x = (struct dispatch_row){.id = db_get_int(&r, i, "id", 0),
                                   .ticket_id = db_get_int(&r, i, "ticket_id", 0),
                                   .number = db_get(&r, i, "number"),
                                   .ticket_number = db_get(&r, i, "ticket_number"),
                                   .kind = db_get(&r, i, "kind"),
                                   .status = db_get(&r, i, "status"),
                                   .lead = db_get(&r, i, "lead"),
                                   .customer = db_get(&r, i, "customer"),
                                   .region = db_get(&r, i, "region"),
                                   .appointment_at = db_get(&r, i, "appointment_at"),
                                   .arrived_at = db_get(&r, i, "arrived_at"),
                                   .finished_at = db_get(&r, i, "finished_at"),
                                   .helpers = db_get_int(&r, i, "helpers", 0),
                                   .trip_days = db_get_int(&r, i, "trip_days", 0)};
        add_staff(out, x, db_get_int(&r, i, "lead_id", 0));
        out->total++;
        out->done += !strcmp(x->status, "done");
        out->trip_days += x->trip_days;
    }
    return SH_OK;
}
