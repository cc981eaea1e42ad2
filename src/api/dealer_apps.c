/* SPDX-License-Identifier: MIT */
/* POST /api/v1/dealer-applications/{id}/actions, GET /api/v1/dealer-applications/queue,
 * /counts and /series: parse, call the use cases of app/dealer_apps.h, render. Filing, the
 * list and one record are entity routes (routes.c). */
#include <inttypes.h>
#include <string.h>

#include "api/dealer_apps.h"
#include "api/export.h"
#include "api/ifmatch.h"
#include "api/pdf.h"
#include "app/dealer_apps.h"

static const struct col action_cols[] = {
    {"action", F_ENUM, COL_REQUIRED, 0, dapp_action_names, 0, 0, NULL},
    {"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"queue_note", F_TEXT, 0, 500, NULL, 0, 0, NULL},
    {"order_no", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"price_fen", F_MONEY, 0, 0, NULL, 0, 1e12, NULL},
    {"appliances", F_INT, 0, 0, NULL, 0, 10000, NULL},
    {"accessories", F_INT, 0, 0, NULL, 0, 10000, NULL},
    {"departure_date", F_DATE, 0, 0, NULL, 0, 0, NULL},
    {"trip_id", F_ID, 0, 0, NULL, 0, 0, NULL},
};
enum { A_ACTION, A_NOTE, A_QNOTE, A_ORDER, A_PRICE, A_APPL, A_ACCESS, A_DEP, A_TRIP, A_N };

struct act_ctx {
    struct api_ctx *c;
    struct dapp_act_in in;
    const char *json;
};

static enum sh_code act_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct act_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_dealer_app_act(&u, &x->in, &x->json, e);
}

static const char *txt(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}

static int64_t num(const struct fval *v)
{
    return v->present && !v->is_null ? strtoll(v->text, NULL, 10) : 0;
}

void h_dapp_action(struct api_ctx *c)
{
    struct act_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.in.id))
        return;
    struct fval v[A_N];
    struct sh_err e;
    sh_err_clear(&e);
    if (api_if_match(c->req, &x.in.if_match, &e) ||
        api_parse_object(c->a, c->req->body.buf, c->req->body.len, action_cols, A_N, false, v, NULL,
                         &e) ||
        !dapp_action_parse(v[A_ACTION].text, &x.in.action)) {
        api_reply_err(c, &e);
        return;
    }
    x.in.note = txt(&v[A_NOTE]);
    x.in.queue_note = txt(&v[A_QNOTE]);
    x.in.order_no = txt(&v[A_ORDER]);
    x.in.has_price = txt(&v[A_PRICE]) != NULL;
    x.in.price_fen = num(&v[A_PRICE]);
    x.in.appliances = num(&v[A_APPL]);
    x.in.accessories = num(&v[A_ACCESS]);
    x.in.departure_date = txt(&v[A_DEP]);
    x.in.trip_id = num(&v[A_TRIP]);
    if (db_write(c->app->db, act_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    struct sh_buf out = SH_BUF_INIT(1 << 20);
    if (sh_buf_adds(&out, x.json ? x.json : "{}")) {
        sh_buf_release(&out);
        api_reply_error(c, SH_TOO_BIG, NULL, "record too large");
        return;
    }
    api_reply_json(c, 200, &out);
    sh_buf_release(&out);
}

struct queue_ctx {
    struct api_ctx *c;
    struct dapp_queue q;
};

static enum sh_code queue_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct queue_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_dealer_app_queue(&u, &x->q, e);
}

void h_dapp_queue(struct api_ctx *c)
{
    struct queue_ctx x = {.c = c};
    if (!api_read_or_reply(c, queue_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.q.n, .item = dapp_queue_item, .arg = &x.q});
}

struct obj_ctx {
    struct api_ctx *c;
    struct sh_buf *b;
    struct jw *w;
    enum sh_code (*fn)(const struct uc *u, struct jw *w, struct sh_err *e);
};

static enum sh_code obj_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct obj_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    sh_buf_reset(x->b); /* a run again writes the answer afresh (store/db.h) */
    jw_init(x->w, x->b);
    return x->fn(&u, x->w, e);
}

static void reply_obj(struct api_ctx *c,
                      enum sh_code (*fn)(const struct uc *u, struct jw *w, struct sh_err *e))
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    struct obj_ctx x = {.c = c, .b = &b, .w = &w, .fn = fn};
    if (!api_read_or_reply(c, obj_run, &x)) {
        sh_buf_release(&b);
        return;
    }
    api_reply_jw(c, 200, &b, &w);
}

void h_dapp_counts(struct api_ctx *c)
{
    reply_obj(c, uc_dealer_app_counts);
}

void h_dapp_series(struct api_ctx *c)
{
    reply_obj(c, uc_dealer_app_series);
}

struct pdf_ctx {
    struct api_pdf pdf; /* first: api/pdf.h */
    struct api_ctx *c;
    int64_t id;
    struct db_rows r;
};

static enum sh_code pdf_load(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct pdf_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    x->pdf.filename = sh_arena_printf(x->c->a, "agreement-%" PRId64 ".pdf", x->id);
    return uc_dealer_app_agreement(&u, x->id, &x->r, e);
}

static enum sh_code pdf_build(struct api_ctx *c, struct api_pdf *pdf, struct sh_err *e)
{
    (void)e;
    const struct pdf_ctx *x = (const struct pdf_ctx *)pdf;
    dealer_app_agreement_doc(c->app, c->a, export_lang(c), &x->r, &pdf->doc);
    return SH_OK;
}

void h_dapp_agreement_pdf(struct api_ctx *c)
{
    static const struct api_pdf_route route = {.load = pdf_load, .build = pdf_build};
    struct pdf_ctx x = {.c = c};
    if (api_param_id(c, 0, &x.id))
        api_pdf_reply(c, &route, &x.pdf);
}
