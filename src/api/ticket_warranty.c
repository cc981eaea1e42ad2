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
    struct db_rows t;
    enum sh_code rc = load_ticket(c, tx, x->id, &t, e);
    if (rc)
        return rc;
    int64_t received = 0;
    sh_ts_parse(db_get(&t, 0, "received_at"), &received);
    const char *cause = x->write ? x->v[0].text : db_get(&t, 0, "exclusion");
    struct warranty_decision wd;
    if ((rc = decide_warranty(c, tx, db_get_int(&t, 0, "unit_id", 0), local_date(received),
                              cause_of(cause), &wd, e)))
        return rc;
    if (x->write) {
        const char *before = ent_json(c->a, &ent_tickets, &t, 0);
        if ((rc = db_exec(tx,
                          "UPDATE tickets SET exclusion = $2, exclusion_reason = $3, billing = $4, "
                          "warranty_status = $5, warranty_json = $6, version = version + 1 WHERE "
                          "id = $1",
                          DB_P(DB_INT(x->id), DB_TEXT(x->v[0].text), DB_TEXT(x->v[1].text),
                               DB_TEXT(wd.billing), DB_TEXT(wd.status), DB_TEXT(wd.json)),
                          NULL, e)))
            return rc;
        if ((rc = ticket_event(c, tx, x->id, "warranty", "customer", x->v[1].text, wd.json, NULL,
                               e)))
            return rc;
        struct db_rows after;
        if ((rc = ent_load(tx, c->a, &ent_tickets, x->id, &after, e)))
            return rc;
        if ((rc = audit_write(tx, &c->who, "ticket", x->id, "exclusion", before,
                              ent_json(c->a, &ent_tickets, &after, 0), e)))
            return rc;
        return render_ticket(c, tx, x->id, NULL, &x->out, &x->version, e);
    }
    sh_buf_reset(&x->out);
    return sh_buf_adds(&x->out, wd.json ? wd.json
                                        : "{\"in_warranty\":null,\"basis\":\"none\",\"reason\":"
                                          "\"no unit on this ticket\"}");
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
