/* SPDX-License-Identifier: MIT */
/* Merging a duplicate ticket into the first one. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
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
    struct db_rows a, b;
    enum sh_code rc = load_ticket(c, tx, x->id, &a, e);
    if (rc)
        return rc;
    if ((rc = load_ticket(c, tx, x->into, &b, e)))
        return rc == SH_NOT_FOUND
                   ? sh_err_field(e, SH_INVALID, "into", "no ticket %" PRId64, x->into)
                   : rc;
    if (x->id == x->into)
        return sh_err_field(e, SH_INVALID, "into", "a ticket cannot be merged into itself");
    if (db_get(&a, 0, "merged_into"))
        return sh_err_set(e, SH_CONFLICT, "ticket %" PRId64 " was already merged", x->id);
    if (db_get(&b, 0, "merged_into"))
        return sh_err_field(e, SH_CONFLICT, "into", "ticket %" PRId64 " was itself merged",
                            x->into);
    const char *ca = db_get(&a, 0, "customer_id"), *cb = db_get(&b, 0, "customer_id");
    if (!ca || !cb || strcmp(ca, cb))
        return sh_err_field(e, SH_UNPROCESSABLE, "into",
                            "only tickets of the same customer can be merged");
    const char *before = ent_json(c->a, &ent_tickets, &a, 0);
    char now[21];
    api_now(now);
    static const char *const moves[] = {
        "UPDATE ticket_events SET ticket_id = $2 WHERE ticket_id = $1",
        "UPDATE attachments SET ticket_id = $2 WHERE ticket_id = $1",
    };
    for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
        if ((rc = db_exec(tx, moves[i], DB_P(DB_INT(x->id), DB_INT(x->into)), NULL, e)))
            return rc;
    if ((rc = db_exec(tx,
                      "UPDATE tickets SET merged_into = $2, status = 'cancelled', closed_at = $3, "
                      "next_check_at = NULL, updated_at = $3, version = version + 1 WHERE id = $1",
                      DB_P(DB_INT(x->id), DB_INT(x->into), DB_TEXT(now)), NULL, e)))
        return rc;
    /* the survivor's texts: its own, the merged ticket's fields, and the moved timeline */
    if ((rc = tickets_search_rebuild(tx, c->a, x->into, e)))
        return rc;
    if ((rc = db_exec(tx,
                      "UPDATE ticket_pauses SET ended_at = $2 WHERE ticket_id = $1 AND ended_at "
                      "IS NULL",
                      DB_P(DB_INT(x->id), DB_TEXT(now)), NULL, e)))
        return rc;
    const char *data = sh_arena_printf(c->a, "{\"merged\":%" PRId64 ",\"number\":\"%s\"}", x->id,
                                       db_get(&a, 0, "number"));
    if ((rc = ticket_event(c, tx, x->into, "merge", "internal", fv(&x->v[1]) ? fv(&x->v[1]) : "",
                           data, NULL, e)))
        return rc;
    if ((rc = ticket_event(c, tx, x->id, "merge", "internal", "",
                           sh_arena_printf(c->a, "{\"merged_into\":%" PRId64 "}", x->into), NULL,
                           e)))
        return rc;
    struct db_rows after;
    if ((rc = ent_load(tx, c->a, &ent_tickets, x->id, &after, e)))
        return rc;
    if ((rc = audit_write(tx, &c->who, "ticket", x->id, "merge", before,
                          ent_json(c->a, &ent_tickets, &after, 0), e)))
        return rc;
    const struct ticket_sla_view *view = NULL;
    if ((rc = ticket_sla_refresh(c, tx, x->into, sh_now(), &view, e)))
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
