/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/dispatch: the dispatch record (售后服务派遣记录, R-172) as JSON or a
 * csv/xlsx file with Chinese headers. */
#include "api/report_kpi.h"
#include "app/report_dispatch.h"
#include "http/http.h"

static const struct col dispatch_cols[] = {
    {"number", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"ticket_number", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"kind", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"lead", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"helpers", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"customer", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"region", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"appointment_at", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"arrived_at", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"finished_at", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"status", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"trip_days", F_INT, 0, 0, NULL, 0, 0, NULL},
};

/* headers field.dispatch_report.<col>, file dispatch-record-<date> */
static const struct entity dispatch_ent = {
    .name = "dispatch_report",
    .table = "dispatch-record",
    .cols = dispatch_cols,
    .ncols = NCOLS(dispatch_cols),
};

struct dispatch_ctx {
    struct dispatch_report out;
};

static enum sh_code dispatch_run(const struct uc *u, const struct report_query *q, void *arg,
                                 struct sh_err *e)
{
    struct dispatch_ctx *x = arg;
    return uc_report_dispatch(u, &q->f, &x->out, e);
}

static void file_row(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    const struct dispatch_row *r = &((const struct dispatch_ctx *)arg)->out.rows[i];
    const char *cells[] = {r->number,
                           r->ticket_number,
                           r->kind,
                           r->lead,
                           report_int(c, r->helpers),
                           r->customer,
                           r->region,
                           r->appointment_at,
                           r->arrived_at,
                           r->finished_at,
                           r->status,
                           report_int(c, r->trip_days)};
    for (int k = 0; k < (int)NCOLS(cells); k++)
        report_cell(rows, i, k, cells[k]);
}

static void item(struct jw *w, int i, const void *arg)
{
    const struct dispatch_row *r = &((const struct dispatch_ctx *)arg)->out.rows[i];
    jw_obj_begin(w);
    jw_kint(w, "id", r->id);
    jw_kstr(w, "number", r->number);
    jw_kint(w, "ticket_id", r->ticket_id);
    jw_kstr(w, "ticket_number", r->ticket_number);
    jw_kstr(w, "kind", r->kind);
    jw_kstr(w, "status", r->status);
    jw_kstr(w, "lead", r->lead);
    jw_kint(w, "helpers", r->helpers);
    jw_kstr(w, "customer", r->customer);
    jw_kstr(w, "region", r->region);
    jw_kstr(w, "appointment_at", r->appointment_at);
    jw_kstr(w, "arrived_at", r->arrived_at);
    jw_kstr(w, "finished_at", r->finished_at);
    jw_kint(w, "trip_days", r->trip_days);
    jw_obj_end(w);
}

static void total(struct jw *w, const void *arg)
{
    const struct dispatch_report *o = &((const struct dispatch_ctx *)arg)->out;
    jw_obj_begin(w);
    jw_kint(w, "dispatches", o->total);
    jw_kint(w, "done", o->done);
    jw_kint(w, "trip_days", o->trip_days);
    jw_key(w, "staff");
    jw_arr_begin(w);
    for (int i = 0; i < o->nstaff; i++) {
        jw_obj_begin(w);
        jw_kint(w, "user_id", o->staff[i].user_id);
        jw_kstr(w, "name", o->staff[i].name);
        jw_kint(w, "dispatches", o->staff[i].dispatches);
        jw_kint(w, "done", o->staff[i].done);
        jw_kint(w, "trip_days", o->staff[i].trip_days);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

static int count(const void *arg, bool file)
{
    const struct dispatch_ctx *x = arg;
    return file ? x->out.n : x->out.n;
}

static const struct report_spec spec = {.filters = true,
                                        .run = dispatch_run,
                                        .count = count,
                                        .ent = &dispatch_ent,
                                        .cells = file_row,
                                        .item = item,
                                        .total = total};

void h_report_dispatch(struct api_ctx *c)
{
    struct dispatch_ctx x = {0};
    report_serve(c, &spec, &x);
}
