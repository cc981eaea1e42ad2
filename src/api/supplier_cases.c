/* SPDX-License-Identifier: MIT */
/* POST /api/v1/supplier-cases {ticket_id?, part_id?, model_id?, problem} and
 * POST /api/v1/supplier-cases/{id}/actions {action, answer?, at?} (app/suppliers.h): parse,
 * call, render the case. */
#include "api/handlers.h"
#include "api/tel.h"
#include "app/suppliers.h"

static const struct col open_cols[] = {
    {"ticket_id", F_INT, 0, 0, NULL, 1, 9e15, NULL},
    {"part_id", F_INT, 0, 0, NULL, 1, 9e15, NULL},
    {"model_id", F_INT, 0, 0, NULL, 1, 9e15, NULL},
    {"problem", F_TEXT, COL_REQUIRED, 4000, NULL, 0, 0, NULL},
};

static const struct col act_cols[] = {
    {"action", F_ENUM, COL_REQUIRED, 0, (const char *const[]){"send", "answer", "close", NULL}, 0,
     0, NULL},
    {"answer", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"at", F_TS, 0, 0, NULL, 0, 0, NULL},
};

struct sc_ctx {
    struct api_ctx *c;
    struct supplier_case_in in;
    struct supplier_case_act_in act;
    const char *json;
};

static const char *text_of(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}

static int64_t int_of(const struct fval *v)
{
    return v->present && !v->is_null ? v->i : 0;
}

static void reply_json(struct api_ctx *c, int status, const char *json)
{
    struct sh_buf out = SH_BUF_INIT(1 << 16);
    if (sh_buf_adds(&out, json ? json : "{}")) {
        sh_buf_release(&out);
        api_reply_error(c, SH_TOO_BIG, NULL, "record too large");
        return;
    }
    api_reply_json(c, status, &out);
    sh_buf_release(&out);
}

static enum sh_code open_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct sc_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    int64_t id = 0;
    struct db_rows r;
    enum sh_code rc = uc_supplier_case_open(&u, &x->in, &id, e);
    if (rc || (rc = ent_load(tx, u.a, &ent_supplier_cases, id, &r, e)))
        return rc;
    x->json = ent_json(u.a, &ent_supplier_cases, &r, 0);
    return SH_OK;
}

void h_supplier_case_open(struct api_ctx *c)
{
    struct sc_ctx x = {.c = c};
    struct fval v[4];
    struct sh_err e;
    sh_err_clear(&e);
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, open_cols, 4, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.in = (struct supplier_case_in){.ticket_id = int_of(&v[0]),
                                     .part_id = int_of(&v[1]),
                                     .model_id = int_of(&v[2]),
                                     .problem = text_of(&v[3])};
    if (db_write(c->app->db, open_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    reply_json(c, 201, x.json);
}

static enum sh_code act_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct sc_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_supplier_case_act(&u, &x->act, &x->json, e);
}

void h_supplier_case_act(struct api_ctx *c)
{
    struct sc_ctx x = {.c = c};
    struct fval v[3];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.act.id))
        return;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, act_cols, 3, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.act.action = v[0].text;
    x.act.answer = text_of(&v[1]);
    x.act.at = text_of(&v[2]);
    if (db_write(c->app->db, act_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    reply_json(c, 200, x.json);
}
