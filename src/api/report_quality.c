/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/quality: repeat-repair rate, first-time fix and satisfaction
 * per assignee and in total, as JSON or a csv/xlsx file (rows then the total). */
#include "api/report_kpi.h"
#include "app/report_quality.h"
#include "http/http.h"

static const struct col quality_cols[] = {
    {"name", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"resolved", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"repairs", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"repeats", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"repeat_pct", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"with_wo", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"first_time", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"first_time_pct", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"surveyed", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"survey_pct", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"answered", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"score_avg", F_REAL, 0, 0, NULL, 0, 0, NULL},
};

/* headers field.quality_report.<col>, file service-quality-<date> */
static const struct entity quality_ent = {
    .name = "quality_report",
    .table = "service-quality",
    .cols = quality_cols,
    .ncols = NCOLS(quality_cols),
};

struct quality_ctx {
    struct quality_report out;
};

static enum sh_code quality_run(const struct uc *u, const struct report_query *q, void *arg,
                                struct sh_err *e)
{
    struct quality_ctx *x = arg;
    return uc_report_quality(u, &q->f, &x->out, e);
}

static void file_row(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    const struct quality_report *o = &((const struct quality_ctx *)arg)->out;
    const struct quality_row *r = i < o->n ? &o->rows[i] : &o->total;
    const char *cells[] = {i < o->n ? r->name : "合计",  report_int(c, r->resolved),
                           report_int(c, r->repairs),    report_int(c, r->repeats),
                           report_num(c, r->repeat_pct), report_int(c, r->with_wo),
                           report_int(c, r->first_time), report_num(c, r->first_time_pct),
                           report_int(c, r->surveyed),   report_num(c, r->survey_pct),
                           report_int(c, r->answered),   report_num(c, r->score_avg)};
    for (int k = 0; k < (int)NCOLS(cells); k++)
        report_cell(rows, i, k, cells[k]);
}

void report_quality_json(struct jw *w, const struct quality_row *r, bool total)
{
    jw_obj_begin(w);
    if (!total) {
        jw_kint(w, "user_id", r->user_id);
        jw_kstr(w, "name", r->name);
    }
    jw_kint(w, "resolved", r->resolved);
    jw_kint(w, "repairs", r->repairs);
    jw_kint(w, "repeats", r->repeats);
    report_knum(w, "repeat_pct", r->repeat_pct);
    jw_kint(w, "with_wo", r->with_wo);
    jw_kint(w, "first_time", r->first_time);
    report_knum(w, "first_time_pct", r->first_time_pct);
    jw_kint(w, "surveyed", r->surveyed);
    report_knum(w, "survey_pct", r->survey_pct);
    jw_kint(w, "answered", r->answered);
    report_knum(w, "score_avg", r->score_avg);
    jw_obj_end(w);
}

static void item(struct jw *w, int i, const void *arg)
{
    report_quality_json(w, &((const struct quality_ctx *)arg)->out.rows[i], false);
}

static void total(struct jw *w, const void *arg)
{
    report_quality_json(w, &((const struct quality_ctx *)arg)->out.total, true);
}

static int count(const void *arg, bool file)
{
    const struct quality_ctx *x = arg;
    return file ? x->out.n + 1 : x->out.n;
}

static const struct report_spec spec = {.filters = true,
                                        .run = quality_run,
                                        .count = count,
                                        .ent = &quality_ent,
                                        .cells = file_row,
                                        .item = item,
                                        .total = total};

void h_report_quality(struct api_ctx *c)
{
    struct quality_ctx x = {0};
    report_serve(c, &spec, &x);
}
