/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/staff (R-181, first part): per technician and period, work orders
 * done, punctuality, late notices, first-time fix and survey averages, as JSON or a
 * csv/xlsx file. A technician without another staff role gets their own row only. */
#include "api/reports.h"
#include "api/tickets.h"
#include "app/report_staff.h"

static const struct col staff_report_cols[] = {
    {"name", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"done", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"arrivals", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"on_time_pct", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"avg_lateness_min", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"notices_due", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"notices_in_time_pct", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"resolved", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"first_time_pct", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"surveys", F_INT, 0, 0, NULL, 0, 0, NULL},
    {"score_speed", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"score_skill", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"score_attitude", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"score_overall", F_REAL, 0, 0, NULL, 0, 0, NULL},
    {"complaints", F_INT, 0, 0, NULL, 0, 0, NULL},
};

/* The export's pseudo-entity: headers field.staff_report.<col>, file staff-report-<date>. */
static const struct entity staff_report_ent = {
    .name = "staff_report",
    .table = "staff-report",
    .cols = staff_report_cols,
    .ncols = NCOLS(staff_report_cols),
};

static const char *const score_keys[STAFF_SCORES] = {"speed", "skill", "attitude", "overall"};

struct staff_ctx {
    struct api_ctx *c;
    struct report_period p;
    struct staff_report out;
};

static enum sh_code staff_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct staff_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_report_staff(&u, x->p.from, x->p.to, &x->out, e);
}

static const char *num(struct api_ctx *c, int64_t v)
{
    return sh_arena_printf(c->a, "%lld", (long long)v);
}

static void row_cells(struct api_ctx *c, struct db_rows *rows, int i,
                      const struct staff_report_row *r)
{
    const char *cells[] = {r->name,
                           num(c, r->done),
                           num(c, r->arrivals),
                           report_num(c, r->on_time_pct),
                           report_num(c, r->avg_lateness_min),
                           num(c, r->notices_due),
                           report_num(c, r->notices_in_time_pct),
                           num(c, r->resolved),
                           report_num(c, r->first_time_pct),
                           num(c, r->surveys),
                           report_num(c, r->survey_avg[0]),
                           report_num(c, r->survey_avg[1]),
                           report_num(c, r->survey_avg[2]),
                           report_num(c, r->survey_avg[3]),
                           r->complaints < 0 ? "" : num(c, r->complaints)};
    for (int k = 0; k < (int)(sizeof(cells) / sizeof(cells[0])); k++)
        report_cell(rows, i, k, cells[k]);
}

static void render_row(struct jw *w, const struct staff_report_row *r)
{
    jw_obj_begin(w);
    jw_kint(w, "user_id", r->user_id);
    jw_kstr(w, "name", r->name);
    jw_kint(w, "done", r->done);
    jw_kint(w, "arrivals", r->arrivals);
    jw_kint(w, "on_time", r->on_time);
    report_knum(w, "on_time_pct", r->on_time_pct);
    report_knum(w, "avg_lateness_min", r->avg_lateness_min);
    jw_kint(w, "notices_due", r->notices_due);
    jw_kint(w, "notices_in_time", r->notices_in_time);
    report_knum(w, "notices_in_time_pct", r->notices_in_time_pct);
    jw_kint(w, "resolved", r->resolved);
    jw_kint(w, "first_time", r->first_time);
    report_knum(w, "first_time_pct", r->first_time_pct);
    jw_kint(w, "surveys", r->surveys);
    jw_key(w, "survey_avg");
    jw_obj_begin(w);
    for (int s = 0; s < STAFF_SCORES; s++)
        report_knum(w, score_keys[s], r->survey_avg[s]);
    jw_obj_end(w);
    if (r->complaints >= 0)
        jw_kint(w, "complaints", r->complaints);
    else
        jw_knull(w, "complaints");
    jw_obj_end(w);
}

static void file_row(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    row_cells(c, rows, i, &((const struct staff_ctx *)arg)->out.rows[i]);
}

static void item(struct jw *w, int i, const void *arg)
{
    render_row(w, &((const struct staff_ctx *)arg)->out.rows[i]);
}

void h_report_staff(struct api_ctx *c)
{
    struct staff_ctx x = {.c = c};
    const char *format;
    if (!report_period_parse(c, &x.p) || !report_format_parse(c, &format) ||
        !api_read_or_reply(c, staff_run, &x))
        return;
    report_answer(c, &(struct report_answer){.p = &x.p,
                                             .format = format,
                                             .ent = &staff_report_ent,
                                             .n = x.out.n,
                                             .nfile = x.out.n,
                                             .cells = file_row,
                                             .item = item,
                                             .arg = &x});
}
