/* SPDX-License-Identifier: MIT */
/* The warranty of a ticket on demand, and exclusions recorded by the technician. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "base/date.h"

/* ---- warranty: on demand, and exclusions recorded by the technician ---- */

static const struct col exclusion_cols[] = {
    {"cause", F_ENUM, COL_REQUIRED, 0,
     (const char *const[]){"human", "force_majeure", "third_party", "quality", NULL}, 0, 0, NULL},
    {"reason", F_TEXT, COL_REQUIRED, 2000, NULL, 0, 0, NULL},
};

struct excl_ctx {
    struct api_ctx *c;
    int64_t id;
    struct fval v[2];
    struct sh_buf out;
    const char *version;
    bool write;
};

static enum sh_code excl_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct excl_ctx *x = arg;
    struct api_ctx *c = x->c;
    const struct uc u = ticket_uc(c, tx);
    struct warranty_decision wd;
    enum sh_code rc;
    if (!x->write) {
        if ((rc = uc_ticket_warranty(&u, x->id, &wd, e)))
            return rc;
        sh_buf_reset(&x->out);
        return sh_buf_adds(&x->out, wd.json ? wd.json
                                            : "{\"in_warranty\":null,\"basis\":\"none\","
                                              "\"reason\":\"no unit on this ticket\"}");
    }
    /* the record before and after, for the audit (404 outside the caller's scope) */
    struct db_rows t, after;
    if ((rc = load_ticket(c, tx, x->id, &t, e)))
        return rc;
    const char *before = ent_json(c->a, &ent_tickets, &t, 0);
    if ((rc = uc_ticket_exclusion(&u, x->id, x->v[0].text, x->v[1].text, &wd, e)) ||
        (rc = ent_load(tx, c->a, &ent_tickets, x->id, &after, e)) ||
        (rc = audit_write(tx, &c->who, "ticket", x->id, "exclusion", before,
                          ent_json(c->a, &ent_tickets, &after, 0), e)))
        return rc;
    return render_ticket(c, tx, x->id, NULL, &x->out, &x->version, e);
}

void h_ticket_exclusion(struct api_ctx *c)
{
    struct excl_ctx x = {.c = c, .write = true};
    sh_buf_init(&x.out, 4 << 20);
    struct sh_err e;
    sh_err_clear(&e);
    if (api_param_id(c, 0, &x.id)) {
        if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, exclusion_cols, 2, false,
                             x.v, NULL, &e) ||
            db_write(c->app->db, excl_run, &x, &e))
            api_reply_err(c, &e);
        else
            api_reply_json(c, 200, &x.out);
    }
    sh_buf_release(&x.out);
}

void h_ticket_warranty(struct api_ctx *c)
{
    struct excl_ctx x = {.c = c};
    sh_buf_init(&x.out, 1 << 16);
    struct sh_err e;
    sh_err_clear(&e);
    if (api_param_id(c, 0, &x.id)) {
        if (db_read(c->app->db, excl_run, &x, &e))
            api_reply_err(c, &e);
        else
            api_reply_json(c, 200, &x.out);
    }
    sh_buf_release(&x.out);
}
