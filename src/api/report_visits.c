/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/visits: periodic visits planned vs done by region and
 * customer, as JSON or a csv/xlsx file. */
#include "api/export.h"
#include "api/reports.h"
#include "api/tickets.h"
#include "app/report_visits.h"

static const struct col visit_report_cols[] = {
    {"region", F_STR, 0, 0, NULL, 0, 0, NULL},    {"customer", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"is_key", F_BOOL, 0, 0, NULL, 0, 0, NULL},   {"plans", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"patrols", F_INT, 0, 0, NULL, 0, 0, NULL},   {"planned", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"created", F_INT, 0, 0, NULL, 0, 0, NULL},   {"done", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"cancelled", F_INT, 0, 0, NULL, 0, 0, NULL}, {"open", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"findings", F_INT, 0, 0, NULL, 0, 0, NULL},  {"opinions", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"done_pct", F_REAL, 0, 0, NULL, 0, 0, NULL},
};

/* The export's pseudo-entity: headers field.visit_report.<col>, file visit-report-<date>. */
static const struct entity visit_report_ent = {
    .name = "visit_report",
    .table = "visit-report",
    .cols = visit_report_cols,
    .ncols = NCOLS(visit_report_cols),
};

struct visits_ctx {
    struct visit_report out;
};

static enum sh_code visits_run(const struct uc *u, const struct report_query *q, void *arg,
                               struct sh_err *e)
{
    struct visits_ctx *x = arg;
    return uc_report_visits(u, q->p.from, q->p.to, &x->out, e);
}

static void row_cells(struct api_ctx *c, struct db_rows *rows, int i,
                      const struct visit_report_row *r)
{
    const int64_t n[] = {r->plans,     r->patrols, r->planned,  r->created, r->done,
                         r->cancelled, r->open,    r->findings, r->opinions};
    report_cell(rows, i, 0, r->region ? r->region : "");
    report_cell(rows, i, 1, r->customer);
    report_cell(rows, i, 2, r->region ? (r->is_key ? "1" : "0") : NULL);
    for (int k = 0; k < 9; k++)
        report_cell(rows, i, 3 + k, sh_arena_printf(c->a, "%lld", (long long)n[k]));
    report_cell(rows, i, 12, report_num(c, r->done_pct));
}

static void render_row(struct jw *w, const struct visit_report_row *r, bool total)
{
    jw_obj_begin(w);
    if (!total) {
        jw_kstr(w, "region", r->region);
        jw_kint(w, "customer_id", r->customer_id);
        jw_kstr(w, "customer", r->customer);
        jw_kbool(w, "is_key", r->is_key);
    }
    jw_kint(w, "plans", r->plans);
    jw_kint(w, "patrols", r->patrols);
    jw_kint(w, "planned", r->planned);
    jw_kint(w, "created", r->created);
    jw_kint(w, "done", r->done);
    jw_kint(w, "cancelled", r->cancelled);
    jw_kint(w, "open", r->open);
    jw_kint(w, "findings", r->findings);
    jw_kint(w, "opinions", r->opinions);
    report_knum(w, "done_pct", r->done_pct);
    jw_obj_end(w);
}

/* Row i of the file; the last is the totals line (no region, "Total" for the customer). */
static void file_row(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    const struct visits_ctx *x = arg;
    if (i < x->out.n) {
        row_cells(c, rows, i, &x->out.rows[i]);
        return;
    }
    row_cells(c, rows, i, &x->out.total);
    report_cell(rows, i, 1, i18n_label(c->app, export_lang(c), "visit.total", "Total"));
}

static void item(struct jw *w, int i, const void *arg)
{
    render_row(w, &((const struct visits_ctx *)arg)->out.rows[i], false);
}

static void total(struct jw *w, const void *arg)
{
    render_row(w, &((const struct visits_ctx *)arg)->out.total, true);
}

static int count(const void *arg, bool file)
{
    const struct visits_ctx *x = arg;
    return file ? x->out.n + 1 : x->out.n;
}

static const struct report_spec spec = {.filters = false,
                                        .run = visits_run,
                                        .count = count,
                                        .ent = &visit_report_ent,
                                        .cells = file_row,
                                        .item = item,
                                        .total = total};

void h_report_visits(struct api_ctx *c)
{
    struct visits_ctx x = {0};
    report_serve(c, &spec, &x);
}
