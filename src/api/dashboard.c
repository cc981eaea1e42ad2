/* SPDX-License-Identifier: MIT */
/* GET /api/v1/dashboard: the dashboard's one summary request (issue 15 item 4): this month's
 * figures, open tickets by state and age, breaches today and the 12-month trend. Takes the
 * report filters (department, staff, customer, model, region); the period is this month. */
#include "api/report_kpi.h"
#include "app/report_dashboard.h"
#include "http/http.h"

struct dash_ctx {
    struct api_ctx *c;
    struct report_filter f;
    struct dashboard out;
};

static enum sh_code dash_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct dash_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_dashboard(&u, &x->f, &x->out, e);
}

static void month_json(struct jw *w, const struct dash_month *m, bool pending)
{
    jw_obj_begin(w);
    if (pending)
        jw_kbool(w, "pending", true);
    jw_kstr(w, "month", m->month);
    jw_kstr(w, "from", m->from);
    jw_kstr(w, "to", m->to);
    jw_key(w, "sla_pct");
    jw_obj_begin(w);
    for (int k = 0; k < SLA_REPORT_CLOCKS; k++)
        report_knum(w, sla_report_targets[k], m->sla_pct[k]);
    jw_obj_end(w);
    report_knum(w, "on_time_pct", m->on_time_pct);
    report_knum(w, "first_time_pct", m->first_time_pct);
    report_knum(w, "repeat_pct", m->repeat_pct);
    report_knum(w, "score_avg", m->score_avg);
    jw_obj_end(w);
}

static void sla_json(struct jw *w, const struct sla_report *s)
{
    jw_key(w, "sla");
    jw_arr_begin(w);
    for (int k = 0; k < SLA_REPORT_CLOCKS; k++) {
        const struct sla_report_clock *x = &s->clock[k];
        jw_obj_begin(w);
        jw_kstr(w, "target", x->target);
        jw_kint(w, "clocks", x->clocks);
        jw_kint(w, "met", x->met);
        jw_kint(w, "breached", x->breached);
        jw_kint(w, "open", x->open);
        report_knum(w, "pct", x->pct);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void open_json(struct jw *w, const struct dashboard *d)
{
    jw_key(w, "open");
    jw_arr_begin(w);
    for (int k = 0; k < DASH_STATES; k++) {
        jw_obj_begin(w);
        jw_kstr(w, "status", dash_states[k]);
        for (int a = 0; a < DASH_AGES; a++)
            jw_kint(w, dash_ages[a], d->open[k][a]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void punct_json(struct jw *w, const struct punct_row *p)
{
    jw_key(w, "punctuality");
    jw_obj_begin(w);
    jw_kint(w, "arrivals", p->arrivals);
    jw_kint(w, "on_time", p->on_time);
    report_knum(w, "on_time_pct", p->on_time_pct);
    jw_kint(w, "early", p->early);
    jw_kint(w, "late_notified", p->late_notified);
    jw_kint(w, "late_unnotified", p->late_unnotified);
    jw_obj_end(w);
}

void h_dashboard(struct api_ctx *c)
{
    struct dash_ctx x = {.c = c};
    struct report_period p;
    if (!report_filter_parse(c, &p, &x.f) || !api_read_or_reply(c, dash_run, &x))
        return;
    const struct dashboard *d = &x.out;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_key(&w, "month");
    month_json(&w, &d->month, false);
    sla_json(&w, &d->sla);
    punct_json(&w, &d->punct);
    jw_key(&w, "quality");
    report_quality_json(&w, &d->quality, true);
    open_json(&w, d);
    jw_kint(&w, "open_total", d->open_total);
    jw_kint(&w, "breaches_today", d->breaches_today);
    jw_key(&w, "trend");
    jw_arr_begin(&w);
    for (int i = 0; i < DASH_MONTHS; i++)
        month_json(&w, &d->trend[i], d->pending[i]);
    jw_arr_end(&w);
    jw_kbool(&w, "cached", d->cached);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}
