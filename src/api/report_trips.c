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
    jw_key(w, "total");
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

void h_report_trips(struct api_ctx *c)
{
    struct trips_ctx x = {.c = c};
    if (!report_period_parse(c, &x.p) || !api_read_or_reply(c, trips_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kstr(&w, "from", x.p.from);
    jw_kstr(&w, "to", x.p.to);
    jw_key(&w, "items");
    jw_arr_begin(&w);
    for (int i = 0; i < x.out.n; i++)
        render_item(&w, &x.out.items[i]);
    jw_arr_end(&w);
    render_total(&w, &x.out.total);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}
