/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/calls: the call and letter register (来电来函登记, R-171) as JSON or a
 * csv/xlsx file with Chinese headers. */
#include "api/report_kpi.h"
#include "app/report_calls.h"
#include "http/http.h"

static const struct col calls_cols[] = {
    {"number", F_STR, 0, 0, NULL, 0, 0, NULL},      {"received_at", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"channel", F_STR, 0, 0, NULL, 0, 0, NULL},     {"type", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"customer", F_STR, 0, 0, NULL, 0, 0, NULL},    {"caller", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"phone", F_STR, 0, 0, NULL, 0, 0, NULL},       {"taken_by", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"assignee", F_STR, 0, 0, NULL, 0, 0, NULL},    {"status", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"open", F_STR, 0, 0, NULL, 0, 0, NULL},        {"fault", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"description", F_STR, 0, 0, NULL, 0, 0, NULL},
};

/* headers field.calls_report.<col>, file calls-register-<date> */
static const struct entity calls_ent = {
    .name = "calls_report",
    .table = "calls-register",
    .cols = calls_cols,
    .ncols = NCOLS(calls_cols),
};

struct calls_ctx {
    struct calls_report out;
};

static enum sh_code calls_run(const struct uc *u, const struct report_query *q, void *arg,
                              struct sh_err *e)
{
    struct calls_ctx *x = arg;
    return uc_report_calls(u, &q->f, &x->out, e);
}

static void file_row(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    const struct calls_row *r = &((const struct calls_ctx *)arg)->out.rows[i];
    const char *cells[] = {
        r->number,     r->received_at, r->channel,  r->type,   r->customer,           r->caller,
        r->phone,      r->taken_by,    r->assignee, r->status, r->open ? "是" : "否", r->fault,
        r->description};
    for (int k = 0; k < (int)NCOLS(cells); k++)
        report_cell(rows, i, k, cells[k]);
    (void)c;
}

static void item(struct jw *w, int i, const void *arg)
{
    const struct calls_row *r = &((const struct calls_ctx *)arg)->out.rows[i];
    jw_obj_begin(w);
    jw_kint(w, "id", r->id);
    jw_kstr(w, "number", r->number);
    jw_kstr(w, "received_at", r->received_at);
    jw_kstr(w, "channel", r->channel);
    jw_kstr(w, "type", r->type);
    jw_kstr(w, "status", r->status);
    jw_kstr(w, "customer", r->customer);
    jw_kstr(w, "caller", r->caller);
    jw_kstr(w, "phone", r->phone);
    jw_kstr(w, "taken_by", r->taken_by);
    jw_kstr(w, "assignee", r->assignee);
    jw_kstr(w, "fault", r->fault);
    jw_kstr(w, "description", r->description);
    jw_kbool(w, "open", r->open);
    jw_obj_end(w);
}

static void total(struct jw *w, const void *arg)
{
    const struct calls_report *o = &((const struct calls_ctx *)arg)->out;
    jw_obj_begin(w);
    jw_kint(w, "total", o->total);
    jw_kint(w, "open", o->open);
    jw_kbool(w, "truncated", o->n < o->total);
    jw_key(w, "channels");
    jw_arr_begin(w);
    for (int i = 0; i < o->nchannels; i++) {
        jw_obj_begin(w);
        jw_kstr(w, "channel", o->channels[i].channel);
        jw_kint(w, "count", o->channels[i].n);
        jw_kint(w, "open", o->channels[i].open);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

static int count(const void *arg, bool file)
{
    const struct calls_ctx *x = arg;
    return file ? x->out.n : x->out.n;
}

static const struct report_spec spec = {.filters = true,
                                        .run = calls_run,
                                        .count = count,
                                        .ent = &calls_ent,
                                        .cells = file_row,
                                        .item = item,
                                        .total = total};

void h_report_calls(struct api_ctx *c)
{
    struct calls_ctx x = {0};
    report_serve(c, &spec, &x);
}
