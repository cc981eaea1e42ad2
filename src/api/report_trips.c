/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/trips: estimated vs actual days, trips without progress
 * reports, feedback forms not handed in. */
#include "api/reports.h"
#include "api/trips.h"
#include "app/report_trips.h"

struct trips_ctx {
    struct api_ctx *c;
    struct report_period p;
    struct trip_report out;
};

static enum sh_code trips_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct trips_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_report_trips(&u, x->p.from, x->p.to, &x->out, e);
}

static void render_item(struct jw *w, const struct trip_report_item *it)
{
    jw_obj_begin(w);
    jw_kint(w, "id", it->id);
    jw_kstr(w, "status", it->status);
    jw_kstr(w, "lead_name", it->lead_name);
    jw_kstr(w, "customer_name", it->customer_name);
    jw_kstr(w, "purpose", it->purpose);
    jw_kstr(w, "planned_departure_at", it->planned_departure_at);
    jw_kint(w, "est_days", it->est_days);
    if (it->actual_days >= 0) {
        jw_kint(w, "actual_days", it->actual_days);
        jw_kint(w, "over_days", it->actual_days - it->est_days);
    } else {
        jw_knull(w, "actual_days");
        jw_knull(w, "over_days");
    }
    jw_kint(w, "reports", it->reports);
    jw_kbool(w, "report_overdue", it->report_overdue);
    jw_kbool(w, "feedback_handed_in", it->feedback_handed_in);
    jw_obj_end(w);
}

static void render_total(struct jw *w, const struct trip_report_total *t)
{
    jw_obj_begin(w);
    jw_kint(w, "trips", t->trips);
    jw_kint(w, "returned", t->returned);
    jw_kint(w, "est_days", t->est_days);
    jw_kint(w, "actual_days", t->actual_days);
    jw_kint(w, "over_estimate", t->over_estimate);
    jw_kint(w, "without_reports", t->without_reports);
    jw_kint(w, "report_overdue", t->report_overdue);
    jw_kint(w, "feedback_missing", t->feedback_missing);
    jw_obj_end(w);
}

static void item_at(struct jw *w, int i, const void *arg)
{
    render_item(w, &((const struct trips_ctx *)arg)->out.items[i]);
}

static void total_of(struct jw *w, const void *arg)
{
    render_total(w, &((const struct trips_ctx *)arg)->out.total);
}

void h_report_trips(struct api_ctx *c)
{
    struct trips_ctx x = {.c = c};
    if (!report_period_parse(c, &x.p) || !api_read_or_reply(c, trips_run, &x))
        return;
    report_answer(c, &(struct report_answer){
                         .p = &x.p, .n = x.out.n, .item = item_at, .total = total_of, .arg = &x});
}
