/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/quality-issues (R-186; docs/reports.md): the anomalies of the period
 * by source, product, batch and cause with their analysis status, corrective actions and
 * verification, as JSON or a csv/xlsx file (rows then the total). */
#include "api/export.h"
#include "api/report_kpi.h"
#include "app/i18n.h"
#include "app/report_quality_issues.h"
#include "http/http.h"

static const struct col qi_cols[] = {
    {"source", F_STR, 0, 0, NULL, 0, 0, NULL},     {"model", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"batch", F_STR, 0, 0, NULL, 0, 0, NULL},      {"cause", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"anomalies", F_INT, 0, 0, NULL, 0, 0, NULL},  {"open", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"analysed", F_INT, 0, 0, NULL, 0, 0, NULL},   {"verified", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"closed", F_INT, 0, 0, NULL, 0, 0, NULL},     {"refused", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"corrective", F_INT, 0, 0, NULL, 0, 0, NULL},
};

/* headers field.quality_issue_report.<col>, file quality-issues-<date> */
static const struct entity qi_ent = {
    .name = "quality_issue_report",
    .table = "quality-issues",
    .cols = qi_cols,
    .ncols = NCOLS(qi_cols),
};

struct qi_ctx {
    struct api_ctx *c;
    struct report_period p;
    struct report_filter f;
    struct quality_issue_report out;
};

static enum sh_code qi_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct qi_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_report_quality_issues(&u, &x->f, &x->out, e);
}

/* a code as its catalogue label in the file's language */
static const char *label(struct api_ctx *c, const char *group, const char *v)
{
    if (!v)
        return "";
    return i18n_label(c->app, export_lang(c), sh_arena_printf(c->a, "cmpl.%s.%s", group, v), v);
}

static void file_row(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    const struct quality_issue_report *o = &((const struct qi_ctx *)arg)->out;
    const struct quality_issue_row *r = i < o->n ? &o->rows[i] : &o->total;
    const char *model =
        r->model_name
            ? sh_arena_printf(c->a, "%s %s", r->model_code ? r->model_code : "", r->model_name)
            : "";
    const char *cells[] = {i < o->n ? label(c, "src", r->source) : "合计",
                           i < o->n ? model : "",
                           r->batch ? r->batch : "",
                           r->cause_name ? r->cause_name : label(c, "cause", r->cause),
                           report_int(c, r->anomalies),
                           report_int(c, r->open),
                           report_int(c, r->analysed),
                           report_int(c, r->verified),
                           report_int(c, r->closed),
                           report_int(c, r->refused),
                           report_int(c, r->corrective)};
    for (int k = 0; k < (int)NCOLS(cells); k++)
        report_cell(rows, i, k, cells[k]);
}

static void row_json(struct jw *w, const struct quality_issue_row *r, bool total)
{
    jw_obj_begin(w);
    if (!total) {
        jw_kstr(w, "source", r->source);
        if (r->model_id)
            jw_kintstr(w, "model_id", r->model_id);
        else
            jw_knull(w, "model_id");
        jw_kstr(w, "model_code", r->model_code);
        jw_kstr(w, "model_name", r->model_name);
        jw_kstr(w, "batch", r->batch);
        jw_kstr(w, "cause", r->cause);
        jw_kstr(w, "cause_name", r->cause_name);
    }
    jw_kint(w, "anomalies", r->anomalies);
    jw_kint(w, "open", r->open);
    jw_kint(w, "analysed", r->analysed);
    jw_kint(w, "verified", r->verified);
    jw_kint(w, "closed", r->closed);
    jw_kint(w, "refused", r->refused);
    jw_kint(w, "corrective", r->corrective);
    jw_obj_end(w);
}

static void item(struct jw *w, int i, const void *arg)
{
    row_json(w, &((const struct qi_ctx *)arg)->out.rows[i], false);
}

static void total(struct jw *w, const void *arg)
{
    row_json(w, &((const struct qi_ctx *)arg)->out.total, true);
}

void h_report_quality_issues(struct api_ctx *c)
{
    struct qi_ctx x = {.c = c};
    const char *format;
    if (!report_filter_parse(c, &x.p, &x.f) || !report_format_parse(c, &format) ||
        !api_read_or_reply(c, qi_run, &x))
        return;
    report_answer(c, &(struct report_answer){.p = &x.p,
                                             .format = format,
                                             .ent = &qi_ent,
                                             .n = x.out.n,
                                             .nfile = x.out.n + 1,
                                             .cells = file_row,
                                             .item = item,
                                             .total = total,
                                             .arg = &x});
}
