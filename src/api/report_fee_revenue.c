/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/fee-revenue?from&to: installation, management and secondment
 * fee revenue per cabinet series and dealer, as JSON or a csv/xlsx file with a totals line. */
#include "api/export.h"
#include "api/reports.h"
#include "app/report_fee_revenue.h"

static const struct col revenue_cols[] = {
    {"series", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"dealer", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"installation", F_MONEY, 0, 0, NULL, 0, 0, NULL},
    {"management", F_MONEY, 0, 0, NULL, 0, 0, NULL},
    {"secondment", F_MONEY, 0, 0, NULL, 0, 0, NULL},
    {"total", F_MONEY, 0, 0, NULL, 0, 0, NULL},
};

/* headers field.fee_revenue_report.<col>, file fee-revenue-<date> */
static const struct entity revenue_ent = {
    .name = "fee_revenue_report",
    .table = "fee-revenue",
    .cols = revenue_cols,
    .ncols = NCOLS(revenue_cols),
};

struct revenue_ctx {
    struct fee_revenue out;
};

static enum sh_code revenue_run(const struct uc *u, const struct report_query *q, void *arg,
                                struct sh_err *e)
{
    struct revenue_ctx *x = arg;
    return uc_report_fee_revenue(u, q->p.from, q->p.to, &x->out, e);
}

static void render(struct jw *w, const struct fee_revenue_row *r, bool total)
{
    jw_obj_begin(w);
    if (!total) {
        jw_kstr(w, "series", r->series);
        if (r->dealer_id)
            jw_kint(w, "dealer_id", r->dealer_id);
        else
            jw_knull(w, "dealer_id");
        jw_kstr(w, "dealer_name", r->dealer_name);
    }
    jw_kint(w, "installation_fen", r->installation);
    jw_kint(w, "management_fen", r->management);
    jw_kint(w, "secondment_fen", r->secondment);
    jw_kint(w, "total_fen", r->total);
    jw_kint(w, "charges", r->charges);
    jw_obj_end(w);
}

static void item(struct jw *w, int i, const void *arg)
{
    render(w, &((const struct revenue_ctx *)arg)->out.rows[i], false);
}

static void total(struct jw *w, const void *arg)
{
    render(w, &((const struct revenue_ctx *)arg)->out.total, true);
}

static void cells(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    const struct revenue_ctx *x = arg;
    const struct fee_revenue_row *r = i < x->out.n ? &x->out.rows[i] : &x->out.total;
    report_cell(rows, i, 0,
                i < x->out.n ? r->series
                             : i18n_label(c->app, export_lang(c), "charge.total", "Total"));
    report_cell(rows, i, 1, i < x->out.n ? r->dealer_name : "");
    const int64_t v[] = {r->installation, r->management, r->secondment, r->total};
    for (int k = 0; k < 4; k++)
        report_cell(rows, i, 2 + k, sh_arena_printf(c->a, "%lld", (long long)v[k]));
}

static int count(const void *arg, bool file)
{
    const struct revenue_ctx *x = arg;
    return file ? x->out.n + 1 : x->out.n;
}

static const struct report_spec spec = {.filters = false,
                                        .run = revenue_run,
                                        .count = count,
                                        .ent = &revenue_ent,
                                        .cells = cells,
                                        .item = item,
                                        .total = total};

void h_report_fee_revenue(struct api_ctx *c)
{
    struct revenue_ctx x = {0};
    report_serve(c, &spec, &x);
}
