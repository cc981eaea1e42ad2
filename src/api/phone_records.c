/* SPDX-License-Identifier: MIT */
/* POST /api/v1/phone-records/{id}/forward {superior_id, due_at, note?} and
 * POST /api/v1/phone-records/{id}/reply {reply} (app/phone_records.h): parse, call, render the
 * record. */
#include "api/handlers.h"
#include "api/tel.h"
#include "app/phone_records.h"

static const struct col forward_cols[] = {
    {"superior_id", F_INT, COL_REQUIRED, 0, NULL, 1, 9e15, NULL},
    {"due_at", F_TS, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
};

static const struct col reply_cols[] = {
    {"reply", F_TEXT, COL_REQUIRED, 4000, NULL, 0, 0, NULL},
};

struct tel_ctx {
    struct api_ctx *c;
    struct phone_forward_in in;
    const char *reply;
    const char *json;
};

static const char *text_of(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}

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

static enum sh_code forward_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct tel_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_phone_forward(&u, &x->in, &x->json, e);
}

void h_phone_forward(struct api_ctx *c)
{
    struct tel_ctx x = {.c = c};
    struct fval v[3];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.in.id))
        return;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, forward_cols, 3, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.in.superior_id = v[0].i;
    x.in.due_at = v[1].text;
    x.in.note = text_of(&v[2]);
    if (db_write(c->app->db, forward_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    reply_record(c, x.json);
}

static enum sh_code reply_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct tel_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_phone_reply(&u, x->in.id, x->reply, &x->json, e);
}

void h_phone_reply(struct api_ctx *c)
{
    struct tel_ctx x = {.c = c};
    struct fval v[1];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.in.id))
        return;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, reply_cols, 1, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.reply = text_of(&v[0]);
    if (db_write(c->app->db, reply_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    reply_record(c, x.json);
}

struct sup_ctx {
    struct api_ctx *c;
    struct phone_superior *items;
    int n;
};

static enum sh_code sup_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct sup_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_phone_superiors(&u, &x->items, &x->n, e);
}

static void sup_item(struct jw *w, int i, const void *arg)
{
    const struct phone_superior *s = &((const struct sup_ctx *)arg)->items[i];
    jw_obj_begin(w);
    jw_kint(w, "id", s->id);
    jw_kstr(w, "name", s->name);
    jw_kstr(w, "roles", s->roles);
    jw_obj_end(w);
}

void h_phone_superiors(struct api_ctx *c)
{
    struct sup_ctx x = {.c = c};
    if (!api_read_or_reply(c, sup_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.n, .item = sup_item, .arg = &x});
}
