/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/punctuality: appointment punctuality per engineer as JSON or a
 * csv/xlsx file (one line per engineer, then the total). */
#include "api/report_kpi.h"
#include "app/report_punctuality.h"
#include "http/http.h"

static const struct col punct_cols[] = {
    {"name", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"arrivals", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"on_time", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"on_time_pct", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"early", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"early_pct", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"late_notified", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"late_unnotified", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"avg_late_min", F_REAL, 0, 0, NULL, 0, 0, NULL},
};

/* headers field.punctuality_report.<col>, file punctuality-<date> */
static const struct entity punct_ent = {
    .name = "punctuality_report",
    .table = "punctuality",
    .cols = punct_cols,
    .ncols = NCOLS(punct_cols),
};

struct punct_ctx {
    struct punct_report out;
};

static enum sh_code punct_run(const struct uc *u, const struct report_query *q, void *arg,
                              struct sh_err *e)
{
    struct punct_ctx *x = arg;
    return uc_report_punctuality(u, &q->f, &x->out, e);
}

static const struct punct_row *row_at(const struct punct_report *o, int i)
{
    return i < o->n ? &o->rows[i] : &o->total;
}

static void file_row(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    const struct punct_report *o = &((const struct punct_ctx *)arg)->out;
    const struct punct_row *r = row_at(o, i);
    const char *cells[] = {i < o->n ? r->name : "合计",     report_int(c, r->arrivals),
                           report_int(c, r->on_time),       report_num(c, r->on_time_pct),
                           report_int(c, r->early),         report_num(c, r->early_pct),
                           report_int(c, r->late_notified), report_int(c, r->late_unnotified),
                           report_num(c, r->avg_late_min)};
    for (int k = 0; k < (int)NCOLS(cells); k++)
        report_cell(rows, i, k, cells[k]);
}

static void render(struct jw *w, const struct punct_row *r, bool total)
{
    jw_obj_begin(w);
    if (!total) {
        jw_kint(w, "user_id", r->user_id);
        jw_kstr(w, "name", r->name);
    }
    jw_kint(w, "arrivals", r->arrivals);
    jw_kint(w, "on_time", r->on_time);
    report_knum(w, "on_time_pct", r->on_time_pct);
    jw_kint(w, "early", r->early);
    report_knum(w, "early_pct", r->early_pct);
    jw_kint(w, "late_notified", r->late_notified);
    jw_kint(w, "late_unnotified", r->late_unnotified);
    report_knum(w, "avg_late_min", r->avg_late_min);
    jw_obj_end(w);
}

static void item(struct jw *w, int i, const void *arg)
{
    render(w, &((const struct punct_ctx *)arg)->out.rows[i], false);
}

static void total(struct jw *w, const void *arg)
{
    render(w, &((const struct punct_ctx *)arg)->out.total, true);
}

static int count(const void *arg, bool file)
{
    const struct punct_ctx *x = arg;
    return file ? x->out.n + 1 : x->out.n;
}

static const struct report_spec spec = {.filters = true,
                                        .run = punct_run,
                                        .count = count,
                                        .ent = &punct_ent,
                                        .cells = file_row,
                                        .item = item,
                                        .total = total};

void h_report_punctuality(struct api_ctx *c)
{
    struct punct_ctx x = {0};
    report_serve(c, &spec, &x);
}
