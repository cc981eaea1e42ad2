/* SPDX-License-Identifier: MIT */
#include "api/reports.h"

#include <stdio.h>
#include <string.h>

#include "api/export.h"
#include "api/report_kpi.h"
#include "base/date.h"

bool report_period_parse(struct api_ctx *c, struct report_period *p)
{
    /* today, local (Asia/Shanghai, UTC+8) */
    char now[21];
    sh_ts_format(sh_now() + 8 * 3600, now);
    snprintf(p->to, sizeof(p->to), "%.10s", now);
    snprintf(p->from, sizeof(p->from), "%.8s01", now);
    static const char *const names[2] = {"from", "to"};
    for (int i = 0; i < 2; i++) {
        const char *v = http_query(c->req, names[i]);
        struct sh_date d;
        if (!v)
            continue;
        if (!sh_date_parse(v, &d)) {
            struct sh_err e;
            sh_err_clear(&e);
            sh_err_field(&e, SH_INVALID, names[i], "'%s' must be a date YYYY-MM-DD", names[i]);
            sh_err_reason(&e, "invalid_format", "{\"format\":\"date\"}");
            api_reply_err(c, &e);
            return false;
        }
        snprintf(i ? p->to : p->from, 11, "%s", v);
    }
    if (strcmp(p->from, p->to) > 0) {
        struct sh_err e;
        sh_err_clear(&e);
        sh_err_field(&e, SH_INVALID, "to", "'to' is before 'from'");
        sh_err_reason(&e, "date_order", "{\"after\":\"from\"}");
        api_reply_err(c, &e);
        return false;
    }
    return true;
}

bool report_format_parse(struct api_ctx *c, const char **format)
{
    const char *f = http_query(c->req, "format");
    *format = NULL;
    if (!f || !strcmp(f, "json"))
        return true;
    if (!strcmp(f, "csv") || !strcmp(f, "xlsx")) {
        *format = f;
        return true;
    }
    struct sh_err e;
    sh_err_clear(&e);
    sh_err_field(&e, SH_INVALID, "format", "'format' must be json, csv or xlsx");
    sh_err_reason(&e, "invalid_format", "{\"allowed\":[\"json\",\"csv\",\"xlsx\"]}");
    api_reply_err(c, &e);
    return false;
}

void report_rows_init(struct api_ctx *c, const struct entity *ent, int n, struct db_rows *rows)
{
    rows->nrows = n;
    rows->ncols = ent->ncols;
    rows->names = sh_arena_alloc(c->a, sizeof(char *) * (size_t)ent->ncols);
    for (int i = 0; i < ent->ncols; i++)
        rows->names[i] = ent->cols[i].name;
    size_t cells = (size_t)(n ? n : 1) * (size_t)ent->ncols;
    rows->cells = sh_arena_alloc(c->a, sizeof(char *) * cells);
    memset(rows->cells, 0, sizeof(char *) * cells);
}

void report_cell(struct db_rows *rows, int row, int col, const char *text)
{
    rows->cells[(size_t)row * (size_t)rows->ncols + (size_t)col] = text;
}

const char *report_num(struct api_ctx *c, double v)
{
    return v < 0 ? NULL : sh_arena_printf(c->a, "%.1f", v);
}

void report_export(struct api_ctx *c, const struct entity *ent, const char *format,
                   const struct db_rows *rows)
{
    struct export_sink *s;
    struct sh_err e;
    sh_err_clear(&e);
    enum sh_code rc = export_begin(c, ent, format, &s, &e);
    if (!rc)
        rc = export_add(s, rows, &e);
    export_end(s, rc == SH_OK);
    if (rc)
        api_reply_err(c, &e);
}

void report_knum(struct jw *w, const char *key, double v)
{
    if (v < 0)
        jw_knull(w, key);
    else
        jw_kreal(w, key, v);
}

void report_answer(struct api_ctx *c, const struct report_answer *r)
{
    if (r->format) {
        struct db_rows rows;
        report_rows_init(c, r->ent, r->nfile, &rows);
        for (int i = 0; i < r->nfile; i++)
            r->cells(c, &rows, i, r->arg);
        report_export(c, r->ent, r->format, &rows);
        return;
    }
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kstr(&w, "from", r->p->from);
    jw_kstr(&w, "to", r->p->to);
    jw_key(&w, "items");
    jw_arr_begin(&w);
    for (int i = 0; i < r->n; i++)
        r->item(&w, i, r->arg);
    jw_arr_end(&w);
    if (r->total) {
        jw_key(&w, "total");
        r->total(&w, r->arg);
    }
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

struct serve {
    struct api_ctx *c;
    const struct report_spec *s;
    struct report_query q;
    void *arg;
};

static enum sh_code serve_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct serve *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return x->s->run(&u, &x->q, x->arg, e);
}

void report_serve(struct api_ctx *c, const struct report_spec *s, void *arg)
{
    struct serve x = {.c = c, .s = s, .arg = arg};
    x.q.f = (struct report_filter){.region = ""};
    bool ok = s->filters ? report_filter_parse(c, &x.q.p, &x.q.f) : report_period_parse(c, &x.q.p);
    if (!ok || !report_format_parse(c, &x.q.format) || !api_read_or_reply(c, serve_run, &x))
        return;
    report_answer(c, &(struct report_answer){.p = &x.q.p,
                                             .format = x.q.format,
                                             .ent = s->ent,
                                             .n = s->count(arg, false),
                                             .nfile = s->count(arg, true),
                                             .cells = s->cells,
                                             .item = s->item,
                                             .total = s->total,
                                             .arg = arg});
}
