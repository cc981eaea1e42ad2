/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/receivables?by=customer|dealer&as_of=YYYY-MM-DD (issue 13 item 6):
 * what each customer or dealer still owes on the day, aged 0–30, 31–60, 61–90, >90 days,
 * as JSON ({from, to} both the day) or a csv/xlsx file. */
#include <string.h>

#include "api/export.h"
#include "api/reports.h"
#include "app/report_receivables.h"
#include "base/date.h"

static const struct col recv_cols[] = {
    {"name", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"days_0_30", F_MONEY, 0, 0, NULL, 0, 0, NULL},
    {"days_31_60", F_MONEY, 0, 0, NULL, 0, 0, NULL},
    {"days_61_90", F_MONEY, 0, 0, NULL, 0, 0, NULL},
    {"days_over_90", F_MONEY, 0, 0, NULL, 0, 0, NULL},
    {"total", F_MONEY, 0, 0, NULL, 0, 0, NULL},
};

/* headers field.receivables_report.<col>, file receivables-<date> */
static const struct entity recv_ent = {
    .name = "receivables_report",
    .table = "receivables",
    .cols = recv_cols,
    .ncols = NCOLS(recv_cols),
};

static const char *const bucket_keys[RECV_BUCKETS] = {"days_0_30", "days_31_60", "days_61_90",
                                                      "days_over_90"};

struct recv_ctx {
    struct api_ctx *c;
    struct report_period p;
    const char *by;
    struct recv_report out;
};

static enum sh_code recv_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct recv_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_report_receivables(&u, x->by, x->p.to, &x->out, e);
}

static const struct recv_row *row_at(const struct recv_ctx *x, int i)
{
    return i < x->out.n ? &x->out.rows[i] : &x->out.total;
}

static void render(struct jw *w, const struct recv_row *r, bool total)
{
    jw_obj_begin(w);
    if (!total) {
        jw_kint(w, "party_id", r->party_id);
        jw_kstr(w, "name", r->name);
    }
    for (int b = 0; b < RECV_BUCKETS; b++)
        jw_kint(w, bucket_keys[b], r->bucket[b]);
    jw_kint(w, "total", r->total);
    jw_kint(w, "charges", r->charges);
    jw_obj_end(w);
}

static void item(struct jw *w, int i, const void *arg)
{
    render(w, row_at(arg, i), false);
}

static void total(struct jw *w, const void *arg)
{
    render(w, &((const struct recv_ctx *)arg)->out.total, true);
}

static void cells(struct api_ctx *c, struct db_rows *rows, int i, const void *arg)
{
    const struct recv_ctx *x = arg;
    const struct recv_row *r = row_at(x, i);
    report_cell(rows, i, 0,
                i < x->out.n ? r->name
                             : i18n_label(c->app, export_lang(c), "charge.total", "Total"));
    for (int b = 0; b < RECV_BUCKETS; b++)
        report_cell(rows, i, 1 + b, sh_arena_printf(c->a, "%lld", (long long)r->bucket[b]));
    report_cell(rows, i, 5, sh_arena_printf(c->a, "%lld", (long long)r->total));
}

static bool parse(struct api_ctx *c, struct recv_ctx *x)
{
    char now[21];
    sh_ts_format(sh_now() + 8 * 3600, now);
    const char *as_of = http_query(c->req, "as_of"), *by = http_query(c->req, "by");
    struct sh_date d;
    if (as_of && !sh_date_parse(as_of, &d)) {
        api_reply_error(c, SH_INVALID, "as_of", "'as_of' must be a date YYYY-MM-DD");
        return false;
    }
    if (by && strcmp(by, "customer") && strcmp(by, "dealer")) {
        api_reply_error(c, SH_INVALID, "by", "'by' must be customer or dealer");
        return false;
    }
    snprintf(x->p.to, sizeof(x->p.to), "%.10s", as_of ? as_of : now);
    memcpy(x->p.from, x->p.to, sizeof(x->p.from));
    x->by = by ? by : "customer";
    return true;
}

void h_report_receivables(struct api_ctx *c)
{
    struct recv_ctx x = {.c = c};
    const char *format;
    if (!parse(c, &x) || !report_format_parse(c, &format) || !api_read_or_reply(c, recv_run, &x))
        return;
    report_answer(c, &(struct report_answer){.p = &x.p,
                                             .format = format,
                                             .ent = &recv_ent,
                                             .n = x.out.n,
                                             .nfile = x.out.n + 1,
                                             .cells = cells,
                                             .item = item,
                                             .total = total,
                                             .arg = &x});
}
