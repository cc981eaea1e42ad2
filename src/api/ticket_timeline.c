/* SPDX-License-Identifier: MIT */
/* The timeline of a ticket: events, comments and call records. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "app/ticket_notes.h"
#include "base/date.h"

/* ---- timeline ---- */

struct events_ctx {
    struct api_ctx *c;
    int64_t id;
    struct db_rows t, rows, att;
};

static enum sh_code events_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct events_ctx *x = arg;
    enum sh_code rc = load_ticket(x->c, tx, x->id, &x->t, e);
    if (rc)
        return rc;
    bool ext = api_is_external(x->c);
    if ((rc = db_query(tx, x->c->a,
                       "SELECT ev.id, ev.at, ev.actor_id, ev.actor, NULLIF(u.display_name, '') "
                       "AS actor_name, ev.kind, ev.visibility, ev.body, ev.data FROM "
                       "ticket_events ev LEFT JOIN users u ON u.id = ev.actor_id WHERE "
                       "ev.ticket_id = $1 AND ($2 = 0 OR ev.visibility = 'customer') ORDER BY "
                       "ev.id LIMIT 2000",
                       DB_P(DB_INT(x->id), DB_INT(ext)), &x->rows, e)))
        return rc;
    return db_query(tx, x->c->a,
                    "SELECT id, event_id, filename, mime, size FROM attachments WHERE ticket_id = "
                    "$1 ORDER BY id",
                    DB_P(DB_INT(x->id)), &x->att, e);
}

static void event_item(struct jw *w, int i, const void *arg)
{
    const struct events_ctx *x = arg;
    jw_obj_begin(w);
    jw_kintstr(w, "id", db_get(&x->rows, i, "id"));
    jw_kstr(w, "at", db_get(&x->rows, i, "at"));
    jw_kintstr(w, "actor_id", db_get(&x->rows, i, "actor_id"));
    /* customers see staff by their display names, never by login names */
    const char *actor = db_get(&x->rows, i, "actor");
    jw_kstr(w, "actor", api_is_external(x->c) && db_get(&x->rows, i, "actor_id") ? NULL : actor);
    jw_kstr(w, "actor_name", db_get(&x->rows, i, "actor_name"));
    jw_kstr(w, "kind", db_get(&x->rows, i, "kind"));
    jw_kstr(w, "visibility", db_get(&x->rows, i, "visibility"));
    jw_kstr(w, "body", db_get(&x->rows, i, "body"));
    jw_key(w, "data");
    const char *d = db_get(&x->rows, i, "data");
    if (d)
        jw_raw(w, d);
    else
        jw_null(w);
    jw_key(w, "attachments");
    jw_arr_begin(w);
    for (int k = 0; k < x->att.nrows; k++) {
        const char *ev = db_get(&x->att, k, "event_id");
        if (!ev || strcmp(ev, db_get(&x->rows, i, "id")))
            continue;
        jw_obj_begin(w);
        jw_kintstr(w, "id", db_get(&x->att, k, "id"));
        jw_kstr(w, "filename", db_get(&x->att, k, "filename"));
        jw_kstr(w, "mime", db_get(&x->att, k, "mime"));
        jw_kintstr(w, "size", db_get(&x->att, k, "size"));
        jw_kstr(w, "url",
                sh_arena_printf(x->c->a, "/api/v1/attachments/%s", db_get(&x->att, k, "id")));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

void h_ticket_events(struct api_ctx *c)
{
    struct events_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id))
        return;
    if (!api_read_or_reply(c, events_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.rows.nrows,
                                         .item = event_item,
                                         .arg = &x,
                                         .has_total = true,
                                         .total = x.rows.nrows,
                                         .has_cursor = true});
}

/* Comments and call records. */
static const struct col comment_cols[] = {
    {"body", F_TEXT, COL_REQUIRED, 8000, NULL, 0, 0, NULL},
    {"visibility", F_ENUM, 0, 0, (const char *const[]){"internal", "customer", NULL}, 0, 0, NULL},
};

static const struct col call_cols[] = {
    {"direction", F_ENUM, COL_REQUIRED, 0, (const char *const[]){"inbound", "outbound", NULL}, 0, 0,
     NULL},
    {"phone", F_STR, 0, 40, NULL, 0, 0, NULL},
    {"duration_seconds", F_INT, 0, 0, NULL, 0, 86400, NULL},
    {"summary", F_TEXT, COL_REQUIRED, 8000, NULL, 0, 0, NULL},
    {"occurred_at", F_TS, 0, 0, NULL, 0, 0, NULL},
};

struct note_ctx {
    struct api_ctx *c;
    struct ticket_note_in in;
    int64_t event_id;
    struct fval v[5];
};

static enum sh_code note_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct note_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_ticket_note(&u, &x->in, &x->event_id, e);
}

/* The body as the use case's input. */
static void note_in(struct note_ctx *x)
{
    if (x->in.call) {
        x->in.direction = x->v[0].text;
        x->in.phone = fv(&x->v[1]);
        x->in.has_duration = x->v[2].present;
        x->in.duration_seconds = x->v[2].i;
        x->in.body = x->v[3].text;
        x->in.occurred_at = fv(&x->v[4]);
    } else {
        x->in.body = x->v[0].text;
        x->in.visibility = fv(&x->v[1]);
    }
}

void reply_ticket_event(struct api_ctx *c, int64_t event_id, int64_t ticket_id, const char *kind)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "id", event_id);
    jw_kint(&w, "ticket_id", ticket_id);
    jw_kstr(&w, "kind", kind);
    jw_obj_end(&w);
    api_reply_jw(c, 201, &b, &w);
}

static void note_common(struct api_ctx *c, bool call)
{
    struct note_ctx x = {.c = c, .in = {.call = call}};
    if (!api_param_id(c, 0, &x.in.id))
        return;
    struct sh_err e;
    sh_err_clear(&e);
    if (call && api_is_external(c)) {
        api_reply_error(c, SH_FORBIDDEN, NULL, "call records are kept by staff");
        return;
    }
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, call ? call_cols : comment_cols,
                         call ? 5 : 2, false, x.v, NULL, &e) ||
        (note_in(&x), db_write(c->app->db, note_run, &x, &e))) {
        api_reply_err(c, &e);
        return;
    }
    reply_ticket_event(c, x.event_id, x.in.id, call ? "call" : "comment");
}

void h_ticket_comment(struct api_ctx *c)
{
    note_common(c, false);
}

void h_ticket_call(struct api_ctx *c)
{
    note_common(c, true);
}
