/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/warranty: the units whose warranty ends in the period, with the
 * 30-day notice's state, as JSON or a csv/xlsx file (docs/reports.md "Warranty expiry"). */
#include "api/export.h"
#include "api/report_kpi.h"
#include "app/report_warranty.h"

static const struct col warranty_cols[] = {
    {"serial_no", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"model", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"customer", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"region", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"warranty_start", F_DATE, 0, 0, NULL, 0, 0, NULL},
    {"warranty_end", F_DATE, 0, 0, NULL, 0, 0, NULL},
    {"days_left", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"notice", F_STR, 0, 0, NULL, 0, 0, NULL},
};

/* headers field.warranty_report.<col>, file warranty-<date> */
static const struct entity warranty_ent = {
    .name = "warranty_report",
    .table = "warranty",
    .cols = warranty_cols,
    .ncols = NCOLS(warranty_cols),
};

struct warranty_ctx {
    struct warranty_report out;
};

static enum sh_code warranty_run(const struct uc *u, const struct report_query *q, void *arg,
                                 struct sh_err *e)
{
    return uc_report_warranty(u, &q->f, &((struct warranty_ctx *)arg)->out, e);
}

static void cells(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    const struct warranty_row *r = &((const struct warranty_ctx *)arg)->out.rows[i];
    const char *notice =
        i18n_label(c->app, export_lang(c),
                   sh_arena_printf(c->a, "kpi.warranty.notice.%s", r->notice), r->notice);
    const char *v[] = {r->serial_no,
                       r->model,
                       r->customer,
                       r->region,
                       r->warranty_start,
                       r->warranty_end,
                       report_int(c, r->days_left),
                       notice};
    for (int k = 0; k < (int)NCOLS(v); k++)
        report_cell(rows, i, k, v[k]);
}

static void item(struct jw *w, int i, const void *arg)
{
    const struct warranty_row *r = &((const struct warranty_ctx *)arg)->out.rows[i];
    jw_obj_begin(w);
    jw_kint(w, "unit_id", r->unit_id);
    jw_kstr(w, "serial_no", r->serial_no);
    jw_kint(w, "model_id", r->model_id);
    jw_kstr(w, "model", r->model);
    jw_kid(w, "customer_id", r->customer_id);
    jw_kstr(w, "customer", r->customer);
    jw_kstr(w, "region", r->region);
    jw_kstr(w, "warranty_start", r->warranty_start);
    jw_kstr(w, "warranty_end", r->warranty_end);
    jw_kstr(w, "basis", r->basis);
    jw_kint(w, "days_left", r->days_left);
    jw_kstr(w, "notice", r->notice);
    jw_obj_end(w);
}

static void total(struct jw *w, const void *arg)
{
    const struct warranty_report *o = &((const struct warranty_ctx *)arg)->out;
    jw_obj_begin(w);
    jw_kint(w, "units", o->units);
    jw_kint(w, "notified", o->notified);
    jw_kint(w, "queued", o->queued);
    jw_kint(w, "not_notified", o->not_notified);
    jw_kbool(w, "truncated", o->truncated);
    jw_obj_end(w);
}

static int count(const void *arg, bool file)
{
    (void)file;
    return ((const struct warranty_ctx *)arg)->out.n;
}

static const struct report_spec spec = {.filters = true,
                                        .run = warranty_run,
                                        .count = count,
                                        .ent = &warranty_ent,
                                        .cells = cells,
                                        .item = item,
                                        .total = total};

void h_report_warranty(struct api_ctx *c)
{
    struct warranty_ctx x = {0};
    report_serve(c, &spec, &x);
}
