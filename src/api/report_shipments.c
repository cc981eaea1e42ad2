/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/shipments: shipment monitoring — the shipments created in the
 * period with state, waybill, days in transit, overdue arrivals and unconfirmed receipts, as
 * JSON or a csv/xlsx file (docs/reports.md "Shipment monitoring"). */
#include "api/export.h"
#include "api/report_kpi.h"
#include "app/report_shipments.h"

static const struct col ship_cols[] = {
    {"number", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"customer", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"region", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"state", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"units", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"carrier", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"waybill_no", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"dispatched_on", F_DATE, 0, 0, NULL, 0, 0, NULL},
    {"arrival_due_on", F_DATE, 0, 0, NULL, 0, 0, NULL},
    {"arrived_on", F_DATE, 0, 0, NULL, 0, 0, NULL},
    {"received_on", F_DATE, 0, 0, NULL, 0, 0, NULL},
    {"days_in_transit", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"overdue", F_STR, 0, 0, NULL, 0, 0, NULL},
};

/* headers field.shipment_report.<col>, file shipments-<date> */
static const struct entity ship_ent = {
    .name = "shipment_report",
    .table = "shipments",
    .cols = ship_cols,
    .ncols = NCOLS(ship_cols),
};

struct ship_ctx {
    struct shipment_report out;
};

static enum sh_code ship_run(const struct uc *u, const struct report_query *q, void *arg,
                             struct sh_err *e)
{
    return uc_report_shipments(u, &q->f, &((struct ship_ctx *)arg)->out, e);
}

static void cells(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    const struct shipment_report_row *r = &((const struct ship_ctx *)arg)->out.rows[i];
    const char *lang = export_lang(c);
    const char *state =
        i18n_label(c->app, lang, sh_arena_printf(c->a, "shp.state.%s", r->state), r->state);
    const char *v[] = {r->number,
                       r->customer,
                       r->region,
                       state,
                       report_int(c, r->units),
                       r->carrier,
                       r->waybill_no,
                       r->dispatched_on,
                       r->arrival_due_on,
                       r->arrived_on,
                       r->received_on,
                       r->days_in_transit < 0 ? NULL : report_int(c, r->days_in_transit),
                       r->overdue ? i18n_label(c->app, lang, "kpi.yes", "yes") : ""};
    for (int k = 0; k < (int)NCOLS(v); k++)
        report_cell(rows, i, k, v[k]);
}

static void kstr_or_null(struct jw *w, const char *k, const char *v)
{
    if (v)
        jw_kstr(w, k, v);
    else
        jw_knull(w, k);
}

static void item(struct jw *w, int i, const void *arg)
{
    const struct shipment_report_row *r = &((const struct ship_ctx *)arg)->out.rows[i];
    jw_obj_begin(w);
    jw_kint(w, "id", r->id);
    jw_kstr(w, "number", r->number);
    jw_kint(w, "customer_id", r->customer_id);
    jw_kstr(w, "customer", r->customer);
    jw_kstr(w, "region", r->region);
    jw_kstr(w, "state", r->state);
    jw_kint(w, "units", r->units);
    jw_kstr(w, "carrier", r->carrier);
    jw_kstr(w, "waybill_no", r->waybill_no);
    kstr_or_null(w, "dispatched_on", r->dispatched_on);
    kstr_or_null(w, "arrival_due_on", r->arrival_due_on);
    kstr_or_null(w, "arrived_on", r->arrived_on);
    kstr_or_null(w, "received_on", r->received_on);
    if (r->days_in_transit < 0)
        jw_knull(w, "days_in_transit");
    else
        jw_kint(w, "days_in_transit", r->days_in_transit);
    jw_kbool(w, "overdue", r->overdue);
    jw_kbool(w, "unconfirmed", r->unconfirmed);
    jw_obj_end(w);
}

static void total(struct jw *w, const void *arg)
{
    const struct shipment_report *o = &((const struct ship_ctx *)arg)->out;
    jw_obj_begin(w);
    jw_kint(w, "shipments", o->shipments);
    jw_key(w, "by_state");
    jw_obj_begin(w);
    for (int k = 0; k < SHIPMENT_STATES; k++)
        jw_kint(w, shipment_report_states[k], o->by_state[k]);
    jw_obj_end(w);
    jw_kint(w, "in_transit", o->in_transit);
    jw_kint(w, "overdue", o->overdue);
    jw_kint(w, "unconfirmed", o->unconfirmed);
    jw_kint(w, "arrived", o->arrived);
    report_knum(w, "avg_transit_days", o->avg_transit_days);
    jw_kbool(w, "truncated", o->truncated);
    jw_obj_end(w);
}

static int count(const void *arg, bool file)
{
    (void)file;
    return ((const struct ship_ctx *)arg)->out.n;
}

static const struct report_spec spec = {.filters = true,
                                        .run = ship_run,
                                        .count = count,
                                        .ent = &ship_ent,
                                        .cells = cells,
                                        .item = item,
                                        .total = total};

void h_report_shipments(struct api_ctx *c)
{
    struct ship_ctx x = {0};
    report_serve(c, &spec, &x);
}
