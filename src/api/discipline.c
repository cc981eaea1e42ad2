/* SPDX-License-Identifier: MIT */
/* POST /api/v1/corrective-actions/{id}/actions {action, note}, POST
 * /api/v1/suggestions/{id}/reply {status, reply} and GET /api/v1/reports/conduct:
 * parse, call app/discipline.c, render. */
#include <inttypes.h>
#include <string.h>

#include "api/discipline.h"
#include "api/handlers.h"
#include "api/ifmatch.h"
#include "app/discipline.h"
#include "base/date.h"
#include "domain/discipline.h"

/* The stored record after a step, as the answer. */
static void reply_record(struct api_ctx *c, const char *json)
{
    struct sh_buf out = SH_BUF_INIT(1 << 16);
    if (sh_buf_adds(&out, json ? json : "{}")) {
        sh_buf_release(&out);
        api_reply_error(c, SH_TOO_BIG, NULL, "record too large");
        return;
    }
    api_reply_json(c, 200, &out);
    sh_buf_release(&out);
}

static const struct col step_cols[] = {
    {"action", F_ENUM, COL_REQUIRED, 0, ca_action_names, 0, 0, NULL},
    {"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
};

struct step_ctx {
    struct api_ctx *c;
    struct ca_step_in in;
    const char *json;
};

static enum sh_code step_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct step_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_corrective_step(&u, &x->in, &x->json, e);
}

void h_corrective_step(struct api_ctx *c)
{
    struct step_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.in.id))
        return;
    struct fval v[2];
    struct sh_err e;
    sh_err_clear(&e);
    if (api_if_match(c->req, &x.in.if_match, &e) ||
        api_parse_object(c->a, c->req->body.buf, c->req->body.len, step_cols, 2, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.in.action = v[0].text;
    x.in.note = v[1].present && !v[1].is_null ? v[1].text : NULL;
    if (db_write(c->app->db, step_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    reply_record(c, x.json);
}

static const char *const decisions[] = {"accepted", "rejected", "noted", NULL};

static const struct col reply_cols[] = {
    {"status", F_ENUM, COL_REQUIRED, 0, decisions, 0, 0, NULL},
    {"reply", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
};

struct reply_ctx {
    struct api_ctx *c;
    struct suggestion_reply_in in;
    const char *json;
};

static enum sh_code reply_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct reply_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_suggestion_reply(&u, &x->in, &x->json, e);
}

void h_suggestion_reply(struct api_ctx *c)
{
    struct reply_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.in.id))
        return;
    struct fval v[2];
    struct sh_err e;
    sh_err_clear(&e);
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, reply_cols, 2, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.in.status = v[0].text;
    x.in.reply = v[1].present && !v[1].is_null ? v[1].text : NULL;
    if (db_write(c->app->db, reply_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    reply_record(c, x.json);
}

struct conduct_ctx {
    struct api_ctx *c;
    const char *from, *to;
    struct conduct_report out;
};

static enum sh_code conduct_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct conduct_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_report_conduct(&u, x->from, x->to, &x->out, e);
}

static void conduct_item(struct jw *w, int i, const void *arg)
{
    const struct conduct_count *r = (const struct conduct_count *)arg + i;
    jw_obj_begin(w);
    jw_kint(w, "staff_user_id", r->user_id);
    jw_kstr(w, "name", r->name);
    jw_kint(w, "total", r->total);
    jw_kint(w, "arguing", r->arguing);
    jw_kint(w, "asking_money", r->asking_money);
    jw_kint(w, "unreasonable_demand", r->unreasonable_demand);
    jw_kint(w, "other", r->other);
    jw_kint(w, "open", r->open);
    jw_obj_end(w);
}

void h_report_conduct(struct api_ctx *c)
{
    struct conduct_ctx x = {.c = c};
    static const char *const names[2] = {"from", "to"};
    for (int i = 0; i < 2; i++) {
        const char *v = http_query(c->req, names[i]);
        struct sh_date d;
        if (v && !sh_date_parse(v, &d)) {
            api_reply_error(c, SH_INVALID, names[i], "'%s' must be a date YYYY-MM-DD", names[i]);
            return;
        }
        if (i)
            x.to = v;
        else
            x.from = v;
    }
    if (!api_read_or_reply(c, conduct_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.out.n,
                                         .item = conduct_item,
                                         .arg = x.out.rows,
                                         .has_total = true,
                                         .total = x.out.total,
                                         .has_cursor = true});
}

struct addr_ctx {
    struct api_ctx *c;
    struct addressee *rows;
    int n;
};

static enum sh_code addr_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct addr_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_suggestion_addressees(&u, &x->rows, &x->n, e);
}

static void addr_item(struct jw *w, int i, const void *arg)
{
    const struct addressee *r = (const struct addressee *)arg + i;
    jw_obj_begin(w);
    jw_kint(w, "id", r->id);
    jw_kstr(w, "name", r->name);
    jw_kstr(w, "roles", r->roles);
    jw_obj_end(w);
}

void h_suggestion_addressees(struct api_ctx *c)
{
    struct addr_ctx x = {.c = c};
    if (!api_read_or_reply(c, addr_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.n,
                                         .item = addr_item,
                                         .arg = x.rows,
                                         .has_total = true,
                                         .total = x.n,
                                         .has_cursor = true});
}
