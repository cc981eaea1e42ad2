/* SPDX-License-Identifier: MIT */
/* Merging a duplicate ticket into the first one. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "app/ticket_merge.h"
#include "base/date.h"

/* ---- merging a duplicate into the first ticket (events, attachments and calls move) ---- */

static const struct col merge_cols[] = {
    {"into", F_ID, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
};

struct merge_ctx {
    struct api_ctx *c;
    int64_t id, into;
    struct fval v[2];
    struct sh_buf out;
    const char *version;
};

static enum sh_code merge_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct merge_ctx *x = arg;
    struct api_ctx *c = x->c;
    /* the merged ticket before and after, for the audit (404 outside the caller's scope) */
    struct db_rows a, after;
    enum sh_code rc = load_ticket(c, tx, x->id, &a, e);
    if (rc)
        return rc;
    const char *before = ent_json(c->a, &ent_tickets, &a, 0);
    const struct uc u = ticket_uc(c, tx);
    const struct ticket_merge_in in = {x->id, x->into, fv(&x->v[1])};
    const struct ticket_sla_view *view = NULL;
    if ((rc = uc_ticket_merge(&u, &in, &view, e)) ||
        (rc = ent_load(tx, c->a, &ent_tickets, x->id, &after, e)) ||
        (rc = audit_write(tx, &c->who, "ticket", x->id, "merge", before,
                          ent_json(c->a, &ent_tickets, &after, 0), e)))
        return rc;
    return render_ticket(c, tx, x->into, view, &x->out, &x->version, e);
}

void h_ticket_merge(struct api_ctx *c)
{
    struct merge_ctx x = {.c = c};
    sh_buf_init(&x.out, 4 << 20);
    struct sh_err e;
    sh_err_clear(&e);
    if (api_param_id(c, 0, &x.id)) {
        if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, merge_cols, 2, false, x.v,
                             NULL, &e) ||
            (x.into = x.v[0].i, db_write(c->app->db, merge_run, &x, &e)))
            api_reply_err(c, &e);
        else
            api_reply_json(c, 200, &x.out);
    }
    sh_buf_release(&x.out);
}
