/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/training: the customer training sessions of the period with
 * trainees, free and chargeable seats, topics and signed confirmations, as JSON or a csv/xlsx
 * file (docs/reports.md "Training report"). */
#include "api/export.h"
#include "api/report_kpi.h"
#include "app/report_training.h"

static const struct col training_cols[] = {
    {"at", F_TS, 0, 0, NULL, 0, 0, NULL},          {"source", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"number", F_STR, 0, 0, NULL, 0, 0, NULL},     {"customer", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"region", F_STR, 0, 0, NULL, 0, 0, NULL},     {"staff", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"trainees", F_INT, 0, 0, NULL, 0, 0, NULL},   {"free", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"chargeable", F_INT, 0, 0, NULL, 0, 0, NULL}, {"topics", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"signed", F_STR, 0, 0, NULL, 0, 0, NULL},
};

/* headers field.training_report.<col>, file training-<date> */
static const struct entity training_ent = {
    .name = "training_report",
    .table = "training",
    .cols = training_cols,
    .ncols = NCOLS(training_cols),
};

struct training_ctx {
    struct training_report out;
};

static enum sh_code training_run(const struct uc *u, const struct report_query *q, void *arg,
                                 struct sh_err *e)
{
    return uc_report_training(u, &q->f, &((struct training_ctx *)arg)->out, e);
}

static void cells(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    const struct training_row *r = &((const struct training_ctx *)arg)->out.rows[i];
    const char *lang = export_lang(c);
    const char *v[] = {
        r->at,
        i18n_label(c->app, lang, sh_arena_printf(c->a, "kpi.training.source.%s", r->source),
                   r->source),
        r->number,
        r->customer,
        r->region,
        r->staff,
        report_int(c, r->trainees),
        report_int(c, r->trainees - r->chargeable),
        report_int(c, r->chargeable),
        r->topics,
        i18n_label(c->app, lang, r->signed_ ? "kpi.training.signed" : "kpi.training.unsigned",
                   r->signed_ ? "yes" : "no")};
    for (int k = 0; k < (int)NCOLS(v); k++)
        report_cell(rows, i, k, v[k]);
}

static void item(struct jw *w, int i, const void *arg)
{
    const struct training_row *r = &((const struct training_ctx *)arg)->out.rows[i];
    jw_obj_begin(w);
    jw_kstr(w, "source", r->source);
    jw_kint(w, "record_id", r->record_id);
    jw_kstr(w, "number", r->number);
    jw_kstr(w, "at", r->at);
    jw_kid(w, "customer_id", r->customer_id);
    jw_kstr(w, "customer", r->customer);
    jw_kstr(w, "region", r->region);
    jw_kid(w, "staff_id", r->staff_id);
    jw_kstr(w, "staff", r->staff);
    jw_kint(w, "trainees", r->trainees);
    jw_kint(w, "free", r->trainees - r->chargeable);
    jw_kint(w, "chargeable", r->chargeable);
    jw_kstr(w, "topics", r->topics);
    jw_kbool(w, "signed", r->signed_);
    jw_obj_end(w);
}

static void total(struct jw *w, const void *arg)
{
    const struct training_report *o = &((const struct training_ctx *)arg)->out;
    jw_obj_begin(w);
    jw_kint(w, "sessions", o->sessions);
    jw_kint(w, "trainees", o->trainees);
    jw_kint(w, "free", o->free);
    jw_kint(w, "chargeable", o->chargeable);
    jw_kint(w, "signed", o->signed_);
    jw_kint(w, "unsigned", o->unsigned_);
    jw_key(w, "topics");
    jw_arr_begin(w);
    for (int k = 0; k < o->ntopics; k++) {
        jw_obj_begin(w);
        jw_kstr(w, "topic", o->topics[k].topic);
        jw_kint(w, "sessions", o->topics[k].sessions);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_kbool(w, "truncated", o->truncated);
    jw_obj_end(w);
}

static int count(const void *arg, bool file)
{
    (void)file;
    return ((const struct training_ctx *)arg)->out.n;
}

static const struct report_spec spec = {.filters = true,
                                        .run = training_run,
                                        .count = count,
                                        .ent = &training_ent,
                                        .cells = cells,
                                        .item = item,
                                        .total = total};

void h_report_training(struct api_ctx *c)
{
    struct training_ctx x = {0};
    report_serve(c, &spec, &x);
}
