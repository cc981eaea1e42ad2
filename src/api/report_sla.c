/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/sla: SLA compliance per clock with the breach list, as JSON
 * ({"items": the breaches, "total": {"clocks": …}}) or a csv/xlsx file: the four clock lines
 * then one line per breach. */
#include "api/report_kpi.h"
#include "app/report_sla.h"
#include "http/http.h"

static const struct col sla_cols[] = {
    {"target", F_STR, 0, 0, NULL, 0, 0, NULL},   {"clocks", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"met", F_INT, 0, 0, NULL, 0, 0, NULL},      {"breached", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"open", F_INT, 0, 0, NULL, 0, 0, NULL},     {"pct", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"number", F_STR, 0, 0, NULL, 0, 0, NULL},   {"customer", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"assignee", F_STR, 0, 0, NULL, 0, 0, NULL}, {"received_at", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"due_at", F_STR, 0, 0, NULL, 0, 0, NULL},   {"done_at", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"over_min", F_INT, 0, 0, NULL, 0, 0, NULL},
};

/* headers field.sla_report.<col>, file sla-compliance-<date> */
static const struct entity sla_ent = {
    .name = "sla_report",
    .table = "sla-compliance",
    .cols = sla_cols,
    .ncols = NCOLS(sla_cols),
};

struct sla_ctx {
    struct sla_report out;
};

static enum sh_code sla_run(const struct uc *u, const struct report_query *q, void *arg,
                            struct sh_err *e)
{
    struct sla_ctx *x = arg;
    return uc_report_sla(u, &q->f, true, &x->out, e);
}

static void file_row(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    const struct sla_report *o = &((const struct sla_ctx *)arg)->out;
    if (i < SLA_REPORT_CLOCKS) {
        const struct sla_report_clock *k = &o->clock[i];
        const char *cells[] = {k->target,
                               report_int(c, k->clocks),
                               report_int(c, k->met),
                               report_int(c, k->breached),
                               report_int(c, k->open),
                               report_num(c, k->pct)};
        for (int j = 0; j < (int)NCOLS(cells); j++)
            report_cell(rows, i, j, cells[j]);
        return;
    }
    const struct sla_breach *b = &o->breaches[i - SLA_REPORT_CLOCKS];
    const char *cells[] = {b->number,
                           b->customer,
                           b->assignee,
                           b->received_at,
                           b->due_at,
                           b->done_at,
                           report_int(c, b->over_min)};
    report_cell(rows, i, 0, b->target);
    for (int j = 0; j < (int)NCOLS(cells); j++)
        report_cell(rows, i, 6 + j, cells[j]);
}

static void item(struct jw *w, int i, const void *arg)
{
    const struct sla_breach *b = &((const struct sla_ctx *)arg)->out.breaches[i];
    jw_obj_begin(w);
    jw_kint(w, "ticket_id", b->ticket_id);
    jw_kstr(w, "number", b->number);
    jw_kstr(w, "customer", b->customer);
    jw_kstr(w, "assignee", b->assignee);
    jw_kstr(w, "target", b->target);
    jw_kstr(w, "received_at", b->received_at);
    jw_kstr(w, "due_at", b->due_at);
    jw_kstr(w, "done_at", b->done_at);
    jw_kint(w, "over_min", b->over_min);
    jw_obj_end(w);
}

static void total(struct jw *w, const void *arg)
{
    const struct sla_report *o = &((const struct sla_ctx *)arg)->out;
    jw_obj_begin(w);
    jw_kbool(w, "truncated", o->nbreaches >= SLA_BREACHES_MAX);
    jw_key(w, "clocks");
    jw_arr_begin(w);
    for (int k = 0; k < SLA_REPORT_CLOCKS; k++) {
        const struct sla_report_clock *x = &o->clock[k];
        jw_obj_begin(w);
        jw_kstr(w, "target", x->target);
        jw_kint(w, "clocks", x->clocks);
        jw_kint(w, "met", x->met);
        jw_kint(w, "breached", x->breached);
        jw_kint(w, "open", x->open);
        report_knum(w, "pct", x->pct);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

static int count(const void *arg, bool file)
{
    const struct sla_ctx *x = arg;
    return file ? SLA_REPORT_CLOCKS + x->out.nbreaches : x->out.nbreaches;
}

static const struct report_spec spec = {.filters = true,
                                        .run = sla_run,
                                        .count = count,
                                        .ent = &sla_ent,
                                        .cells = file_row,
                                        .item = item,
                                        .total = total};

void h_report_sla(struct api_ctx *c)
{
    struct sla_ctx x = {0};
    report_serve(c, &spec, &x);
}
