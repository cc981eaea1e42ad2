/* SPDX-License-Identifier: MIT */
#include "app/report_shipments.h"

#include <string.h>

#include "base/date.h"

const char *const shipment_report_states[SHIPMENT_STATES] = {"requested", "ordered",  "handed_over",
                                                             "on_hold",   "released", "in_transit",
                                                             "arrived",   "received", "cancelled"};

/* RULE R-174: shipments by created_at in [$1, $2); $3 staff (requested_by), $4 customer,
 * $5 model (a line of it), $6 region (the customer's). */
#define SHIP_SQL                                                                                   \
    "SELECT s.id, s.number, s.customer_id, COALESCE(c.name, '') AS customer, COALESCE(c.region, "  \
    "'') AS region, s.state, s.carrier, s.waybill_no, s.dispatched_at, s.arrival_due_on, "         \
    "s.arrived_on, s.received_on, (SELECT count(*) FROM shipment_lines l WHERE l.shipment_id = "   \
    "s.id) AS units FROM shipments s LEFT JOIN customers c ON c.id = s.customer_id WHERE "         \
    "s.created_at >= $1 AND s.created_at < $2 AND ($3 = 0 OR s.requested_by = $3) AND ($4 = 0 "    \
    "OR s.customer_id = $4) AND ($5 = 0 OR EXISTS (SELECT 1 FROM shipment_lines l WHERE "          \
    "l.shipment_id = s.id AND l.model_id = $5)) AND ($6 = '' OR c.region = $6) ORDER BY "          \
    "s.created_at, s.id"

static int64_t day_of(const char *d)
{
    struct sh_date x;
    return d && sh_date_parse(d, &x) ? sh_days_from_civil(x.y, x.m, x.d) : -1;
}

/* the local day of a UTC instant, as text */
static const char *local_day(struct sh_arena *a, const char *ts)
{
    int64_t t;
    if (!ts || !sh_ts_parse(ts, &t))
        return NULL;
    char *s = sh_arena_alloc(a, 11);
    sh_date_format(sh_civil_from_days((t + 8 * 3600) / 86400), s);
    return s;
}

/* RULE R-174: days in transit = (arrived_on, else today) − the local day of dispatch; overdue =
 * dispatched, not arrived (state not arrived/received/cancelled) and arrival_due_on < today;
 * unconfirmed = arrived, receipt not confirmed (state arrived). */
static void judge(struct shipment_report_row *r, int64_t today)
{
    int64_t sent = day_of(r->dispatched_on), arrived = day_of(r->arrived_on);
    bool done = !strcmp(r->state, "arrived") || !strcmp(r->state, "received") ||
                !strcmp(r->state, "cancelled");
    r->days_in_transit = sent < 0 ? -1 : (arrived >= 0 ? arrived : today) - sent;
    int64_t due = day_of(r->arrival_due_on);
    r->overdue = sent >= 0 && !done && due >= 0 && due < today;
    r->unconfirmed = !strcmp(r->state, "arrived");
}

static void tally(struct shipment_report *o, const struct shipment_report_row *r)
{
    o->shipments++;
    for (int k = 0; k < SHIPMENT_STATES; k++)
        if (!strcmp(shipment_report_states[k], r->state))
            o->by_state[k]++;
    o->in_transit += !strcmp(r->state, "in_transit");
    o->overdue += r->overdue;
    o->unconfirmed += r->unconfirmed;
    if (r->arrived_on && r->days_in_transit >= 0) {
        o->arrived++;
        o->transit_days_sum += r->days_in_transit;
    }
}

enum sh_code uc_report_shipments(const struct uc *u, const struct report_filter *f,
                                 struct shipment_report *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, SHIP_SQL,
                 DB_P(DB_TEXT(f->from), DB_TEXT(f->to), DB_INT(f->staff_id), DB_INT(f->customer_id),
                      DB_INT(f->model_id), DB_TEXT(f->region ? f->region : "")),
                 &r, e);
    if (rc)
        return rc;
    int64_t today = (u->now + 8 * 3600) / 86400;
    int keep = r.nrows < SHIPMENT_REPORT_MAX ? r.nrows : SHIPMENT_REPORT_MAX;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(keep ? keep : 1));
    for (int i = 0; i < r.nrows; i++) {
        struct shipment_report_row x = {
            .id = db_get_int(&r, i, "id", 0),
            .customer_id = db_get_int(&r, i, "customer_id", 0),
            .units = db_get_int(&r, i, "units", 0),
            .number = db_get(&r, i, "number"),
            .customer = db_get(&r, i, "customer"),
            .region = db_get(&r, i, "region"),
            .state = db_get(&r, i, "state"),
            .carrier = db_get(&r, i, "carrier"),
            .waybill_no = db_get(&r, i, "waybill_no"),
            .dispatched_on = local_day(u->a, db_get(&r, i, "dispatched_at")),
            .arrival_due_on = db_get(&r, i, "arrival_due_on"),
            .arrived_on = db_get(&r, i, "arrived_on"),
            .received_on = db_get(&r, i, "received_on"),
        };
        judge(&x, today);
        tally(out, &x);
        if (out->n < keep)
            out->rows[out->n++] = x;
    }
    out->truncated = r.nrows > keep;
    out->avg_transit_days = report_ratio(out->transit_days_sum, out->arrived, 1);
    return SH_OK;
}
