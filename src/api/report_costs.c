/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/costs?from&to&group=period|department|customer|technician|trip|ticket
 * costs by category per group, as JSON or a csv/xlsx file with a totals
 * line. */
#include <string.h>

#include "api/export.h"
#include "api/reports.h"
#include "app/report_costs.h"

static const struct col cost_cols[] = {
    {"label", F_STR, 0, 0, NULL, 0, 0, NULL},     {"travel", F_MONEY, 0, 0, NULL, 0, 0, NULL},
    {"lodging", F_MONEY, 0, 0, NULL, 0, 0, NULL}, {"allowance", F_MONEY, 0, 0, NULL, 0, 0, NULL},
    {"parts", F_MONEY, 0, 0, NULL, 0, 0, NULL},   {"other", F_MONEY, 0, 0, NULL, 0, 0, NULL},
    {"total", F_MONEY, 0, 0, NULL, 0, 0, NULL},
};

/* headers field.cost_report.<col>, file cost-report-<date> */
static const struct entity cost_ent = {
    .name = "cost_report",
    .table = "cost-report",
    .cols = cost_cols,
    .ncols = NCOLS(cost_cols),
};

static const char *const cat_keys[COST_CATS] = {"travel", "lodging", "allowance", "parts", "other"};

struct costs_ctx {
    const char *group;
    struct cost_report out;
};

static enum sh_code costs_run(const struct uc *u, const struct report_query *q, void *arg,
                              struct sh_err *e)
{
    struct costs_ctx *x = arg;
    return uc_report_costs(u, q->p.from, q->p.to, x->group, &x->out, e);
}

static void render(struct jw *w, const struct cost_row *r, bool total)
{
    jw_obj_begin(w);
    if (!total) {
        jw_kstr(w, "key", r->key);
        jw_kstr(w, "label", r->label);
    }
    for (int k = 0; k < COST_CATS; k++)
        jw_kint(w, cat_keys[k], r->cat[k]);
    jw_kint(w, "total", r->total);
    jw_obj_end(w);
}

static void item(struct jw *w, int i, const void *arg)
{
    render(w, &((const struct costs_ctx *)arg)->out.rows[i], false);
}

static void total(struct jw *w, const void *arg)
{
    render(w, &((const struct costs_ctx *)arg)->out.total, true);
}

static void cells(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    const struct costs_ctx *x = arg;
    const struct cost_row *r = i < x->out.n ? &x->out.rows[i] : &x->out.total;
    report_cell(rows, i, 0,
                i < x->out.n ? r->label
                             : i18n_label(c->app, export_lang(c), "charge.total", "Total"));
    for (int k = 0; k < COST_CATS; k++)
        report_cell(rows, i, 1 + k, sh_arena_printf(c->a, "%lld", (long long)r->cat[k]));
    report_cell(rows, i, 1 + COST_CATS, sh_arena_printf(c->a, "%lld", (long long)r->total));
}

static bool group_parse(struct api_ctx *c, struct costs_ctx *x)
{
    const char *g = http_query(c->req, "group");
    x->group = "period";
    if (!g)
        return true;
    for (int i = 0; cost_groups[i]; i++) {
        if (!strcmp(g, cost_groups[i])) {
            x->group = cost_groups[i];
            return true;
        }
    }
    struct sh_err e;
    sh_err_clear(&e);
    sh_err_field(&e, SH_INVALID, "group", "'group' is not a cost report grouping");
    sh_err_reason(&e, "invalid_format",
                  "{\"allowed\":[\"period\",\"department\",\"customer\","
                  "\"technician\",\"trip\",\"ticket\"]}");
    api_reply_err(c, &e);
    return false;
}

static int count(const void *arg, bool file)
{
    const struct costs_ctx *x = arg;
    return file ? x->out.n + 1 : x->out.n;
}

static const struct report_spec spec = {.filters = false,
                                        .run = costs_run,
                                        .count = count,
                                        .ent = &cost_ent,
                                        .cells = cells,
                                        .item = item,
                                        .total = total};

void h_report_costs(struct api_ctx *c)
{
    struct costs_ctx x = {0};
    if (!group_parse(c, &x))
        return;
    report_serve(c, &spec, &x);
}
