/* SPDX-License-Identifier: MIT */
/* POST /api/v1/approvals/{id}/decision: the approver's one tap (approve or reject) with an
 * optional comment (app/approvals.h). The matrix and the requests themselves are entity
 * routes (routes.c). */
#include <inttypes.h>
#include <string.h>

#include "api/handlers.h"
#include "api/ifmatch.h"
#include "app/approvals.h"

static const char *const decisions[] = {"approve", "reject", NULL};

static const struct col decision_cols[] = {
    {"decision", F_ENUM, COL_REQUIRED, 0, decisions, 0, 0, NULL},
    {"comment", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
};

struct decide_ctx {
    struct api_ctx *c;
    struct approval_decide_in in;
    const char *json;
};

static enum sh_code decide_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct decide_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_approval_decide(&u, &x->in, &x->json, e);
}

void h_approval_decide(struct api_ctx *c)
{
    struct decide_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.in.id))
        return;
    struct fval v[2];
    struct sh_err e;
    sh_err_clear(&e);
    if (api_if_match(c->req, &x.in.if_match, &e) ||
        api_parse_object(c->a, c->req->body.buf, c->req->body.len, decision_cols, 2, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.in.approve = !strcmp(v[0].text, "approve");
    x.in.comment = v[1].present && !v[1].is_null ? v[1].text : NULL;
    if (db_write(c->app->db, decide_run, &x, &e)) {
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
