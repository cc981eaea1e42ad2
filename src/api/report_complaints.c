/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/complaints (R-179; docs/reports.md): the complaints-and-returns
 * register of the period by channel, product, cause, decision, category and department, as
 * JSON or a csv/xlsx file (rows then the total). */
#include "api/export.h"
#include "api/report_kpi.h"
#include "app/i18n.h"
#include "app/report_complaints.h"
#include "http/http.h"

static const struct col cr_cols[] = {
    {"dimension", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"key", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"received", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"open", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"closed", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"refused", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"serious", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"bought_in", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"days_to_close", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"charge_fen", F_MONEY, 0, 0, NULL, 0, 0, NULL},
    {"credit_fen", F_MONEY, 0, 0, NULL, 0, 0, NULL},
};

/* headers field.complaint_report.<col>, file complaints-<date> */
static const struct entity cr_ent = {
    .name = "complaint_report",
    .table = "complaints-register",
    .cols = cr_cols,
    .ncols = NCOLS(cr_cols),
};

struct cr_ctx {
    struct api_ctx *c;
    struct report_period p;
    struct report_filter f;
    struct complaint_report out;
};

static enum sh_code cr_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct cr_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_report_complaints(&u, &x->f, &x->out, e);
}

static const char *const key_groups[COMPLAINT_DIMENSIONS] = {"channel",  NULL,       "cause",
                                                             "decision", "category", NULL};

static const char *key_label(struct api_ctx *c, const struct complaint_report_row *r)
{
    for (int d = 0; d < COMPLAINT_DIMENSIONS; d++)
        if (r->dimension == complaint_dimension_names[d] && key_groups[d] && *r->key)
            return i18n_label(c->app, export_lang(c),
                              sh_arena_printf(c->a, "cmpl.%s.%s", key_groups[d], r->key), r->key);
    return r->key;
}

static const char *money(struct api_ctx *c, int64_t fen)
{
    return sh_arena_printf(c->a, "%lld.%02lld", (long long)(fen / 100), (long long)(fen % 100));
}

static void file_row(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    const struct complaint_report *o = &((const struct cr_ctx *)arg)->out;
    const struct complaint_report_row *r = i < o->n ? &o->rows[i] : &o->total;
    const char *dim =
        i < o->n ? i18n_label(c->app, export_lang(c),
                              sh_arena_printf(c->a, "cmpl.dim.%s", r->dimension), r->dimension)
                 : "合计";
    const char *cells[] = {dim,
                           i < o->n ? key_label(c, r) : "",
                           report_int(c, r->received),
                           report_int(c, r->open),
                           report_int(c, r->closed),
                           report_int(c, r->refused),
                           report_int(c, r->serious),
                           report_int(c, r->bought_in),
                           report_num(c, r->days_to_close),
                           money(c, r->charge_fen),
                           money(c, r->credit_fen)};
    for (int k = 0; k < (int)NCOLS(cells); k++)
        report_cell(rows, i, k, cells[k]);
}

static void row_json(struct jw *w, const struct complaint_report_row *r, bool total)
{
    jw_obj_begin(w);
    if (!total) {
        jw_kstr(w, "dimension", r->dimension);
        jw_kstr(w, "key", r->key);
    }
    jw_kint(w, "received", r->received);
    jw_kint(w, "open", r->open);
    jw_kint(w, "closed", r->closed);
    jw_kint(w, "refused", r->refused);
    jw_kint(w, "serious", r->serious);
    jw_kint(w, "bought_in", r->bought_in);
    report_knum(w, "days_to_close", r->days_to_close);
    jw_kint(w, "charge_fen", r->charge_fen);
    jw_kint(w, "credit_fen", r->credit_fen);
    jw_obj_end(w);
}

static void item(struct jw *w, int i, const void *arg)
{
    row_json(w, &((const struct cr_ctx *)arg)->out.rows[i], false);
}

static void total(struct jw *w, const void *arg)
{
    row_json(w, &((const struct cr_ctx *)arg)->out.total, true);
}

void h_report_complaints(struct api_ctx *c)
{
    struct cr_ctx x = {.c = c};
    const char *format;
    if (!report_filter_parse(c, &x.p, &x.f) || !report_format_parse(c, &format) ||
        !api_read_or_reply(c, cr_run, &x))
        return;
    report_answer(c, &(struct report_answer){.p = &x.p,
                                             .format = format,
                                             .ent = &cr_ent,
                                             .n = x.out.n,
                                             .nfile = x.out.n + 1,
                                             .cells = file_row,
                                             .item = item,
                                             .total = total,
                                             .arg = &x});
}
