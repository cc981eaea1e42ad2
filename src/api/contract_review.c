/* SPDX-License-Identifier: MIT */
/* POST /api/v1/contracts/{id}/review (app/contract_reqs.h): the review of a contract's service
 * requirements before delivery. */
#include "api/handlers.h"
#include "api/tel.h"
#include "app/contract_reqs.h"

struct review_ctx {
    struct api_ctx *c;
    int64_t id;
    const char *json;
};

static enum sh_code review_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct review_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_contract_review(&u, x->id, &x->json, e);
}

void h_contract_review(struct api_ctx *c)
{
    struct review_ctx x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    /* no fields: a body, when sent, must be an empty JSON object */
    if (c->req->body.len && api_parse_object(c->a, c->req->body.buf, c->req->body.len, NULL, 0,
                                             false, NULL, NULL, &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (db_write(c->app->db, review_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    struct sh_buf out = SH_BUF_INIT(1 << 16);
    if (sh_buf_adds(&out, x.json ? x.json : "{}")) {
        sh_buf_release(&out);
        api_reply_error(c, SH_TOO_BIG, NULL, "record too large");
        return;
    }
    api_reply_json(c, 200, &out);
    sh_buf_release(&out);
}
