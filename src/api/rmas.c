/* SPDX-License-Identifier: MIT */
/* /api/v1/rmas (issue 14 item 2; docs/rma.md): GET /{id} is the RMA page (timeline, photos,
 * the caller's legal actions; a customer account gets the state, the proposed charge and its
 * decision), POST /{id}/actions takes one explicit action (a customer account: the consent on
 * its own RMA), POST /{id}/photos adds a QC photo, GET /{id}/photos/{photo}
 * serves one. The board (GET /api/v1/rmas) is the entity list of app/rma_entities.c. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/ifmatch.h"
#include "api/tickets.h"
#include "app/entity.h"
#include "app/rmas.h"
#include "app/wo_photos.h"
#include "base/date.h"
#include "domain/quote.h"
#include "http/http.h"

static struct uc rma_uc(struct api_ctx *c, struct db_tx *tx)
{
    return (struct uc){.tx = tx, .a = c->a, .who = &c->who, .now = sh_now(), .app = c->app};
}

static const char *txt(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}

struct rma_ctx {
    struct api_ctx *c;
    int64_t id, photo_id;
    struct rma_action_in action;
    struct rma_photo_in photo;
    struct ticket_blob blob;
    struct rma_view out;
    struct db_rows photo_row;
};

/* ---- rendering ---- */

static void photo_json(struct jw *w, struct sh_arena *a, const struct db_rows *r, int i)
{
    jw_obj_begin(w);
    jw_kintstr(w, "id", db_get(r, i, "id"));
    jw_kstr(w, "phase", db_get(r, i, "phase"));
    jw_kstr(w, "filename", db_get(r, i, "filename"));
    jw_kstr(w, "mime", db_get(r, i, "mime"));
    jw_kintstr(w, "size", db_get(r, i, "size"));
    jw_kstr(w, "created_at", db_get(r, i, "created_at"));
    jw_kstr(w, "url",
            sh_arena_printf(a, "/api/v1/rmas/%s/photos/%s", db_get(r, i, "rma_id"),
                            db_get(r, i, "id")));
    jw_obj_end(w);
}

static void events_json(struct jw *w, const struct db_rows *r)
{
    static const char *const strs[] = {"action", "from_state", "to_state", "note",
                                       "at",     "actor_name", NULL};
    jw_key(w, "events");
    jw_arr_begin(w);
    for (int i = 0; i < r->nrows; i++) {
        jw_obj_begin(w);
        jw_kintstr(w, "id", db_get(r, i, "id"));
        for (const char *const *k = strs; *k; k++)
            jw_kstr(w, *k, db_get(r, i, *k));
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* The charge the analysis billed and what is paid of it (WF-20 S7: the ship-back waits for
 * it), null when it billed none. */
static void charge_json(struct jw *w, const struct db_rows *row)
{
    jw_key(w, "charge");
    if (!db_get(row, 0, "charge_id")) {
        jw_null(w);
        return;
    }
    jw_obj_begin(w);
    jw_kintstr(w, "id", db_get(row, 0, "charge_id"));
    jw_kintstr(w, "amount_fen", db_get(row, 0, "charge_amount_fen"));
    jw_kintstr(w, "paid_fen", db_get(row, 0, "charge_paid_fen"));
    jw_kstr(w, "pay_state", db_get(row, 0, "charge_pay_state"));
    jw_obj_end(w);
}

static void rma_reply(struct api_ctx *c, int status, const struct rma_view *v)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_key(&w, "rma");
    ent_render_for(&w, &ent_rmas, &v->row, 0, v->external);
    jw_kstr(&w, "customer_name", db_get(&v->row, 0, "customer_name"));
    jw_kstr(&w, "serial_no", db_get(&v->row, 0, "serial_no"));
    jw_kstr(&w, "model_name", db_get(&v->row, 0, "model_name"));
    jw_kstr(&w, "ticket_number", db_get(&v->row, 0, "ticket_number"));
    /* shipped_back only asks for the ship-back: the unit leaves with the shipment's dispatch */
    const char *ss = db_get(&v->row, 0, "shipment_state");
    jw_kbool(&w, "ship_back_dispatched",
             ss &&
                 (!strcmp(ss, "in_transit") || !strcmp(ss, "arrived") || !strcmp(ss, "received")));
    jw_kbool(&w, "return_overdue", v->return_overdue);
    if (!v->external) {
        jw_kstr(&w, "shipment_number", db_get(&v->row, 0, "shipment_number"));
        jw_kstr(&w, "shipment_state", db_get(&v->row, 0, "shipment_state"));
        charge_json(&w, &v->row);
    }
    if (!v->external) {
        /* WF-06 S2: the replacement's eligibility, shown before it is requested */
        const char *why, *ws = db_get(&v->row, 0, "warranty_status");
        bool ok = rma_replacement_eligible(ws, db_get(&v->row, 0, "cause_category"),
                                           rma_accepted_fen(db_get_int(&v->row, 0, "charge_fen", 0),
                                                            db_get(&v->row, 0, "consent_decision")),
                                           &why);
        jw_key(&w, "replacement");
        jw_obj_begin(&w);
        jw_kbool(&w, "eligible", ok);
        if (why)
            jw_kstr(&w, "reason", why);
        else
            jw_knull(&w, "reason");
        jw_kbool(&w, "paid", ok && rma_chargeable(ws));
        jw_obj_end(&w);
    }
    jw_key(&w, "allowed_actions");
    jw_arr_begin(&w);
    for (int i = 0; i < v->nallowed; i++)
        jw_str(&w, rma_action_name(v->allowed[i]));
    jw_arr_end(&w);
    events_json(&w, &v->events);
    jw_key(&w, "photos");
    jw_arr_begin(&w);
    for (int i = 0; i < v->photos.nrows; i++)
        photo_json(&w, c->a, &v->photos, i);
    jw_arr_end(&w);
    jw_obj_end(&w);
    http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%s\"", db_get(&v->row, 0, "version")));
    api_reply_jw(c, status, &b, &w);
}

/* ---- GET /api/v1/rmas/{id} ---- */

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct rma_ctx *x = arg;
    const struct uc u = rma_uc(x->c, tx);
    return uc_rma_get(&u, x->id, &x->out, e);
}

void h_rma_get(struct api_ctx *c)
{
    struct rma_ctx x = {.c = c};
    if (api_param_id(c, 0, &x.id) && api_read_or_reply(c, get_run, &x))
        rma_reply(c, 200, &x.out);
}

/* ---- POST /api/v1/rmas/{id}/actions ---- */

static const struct col action_cols[] = {
    {"action", F_ENUM, COL_REQUIRED, 0, rma_action_names, 0, 0, NULL},
    {"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"findings", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"cause_category", F_ENUM, 0, 0, rma_cause_names, 0, 0, NULL},
    {"cause_analysis", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"charge_fen", F_MONEY, 0, 0, NULL, 0, 1e13, NULL},
    {"ship_to", F_STR, 0, 200, NULL, 0, 0, NULL},
    {"packaging", F_STR, 0, 200, NULL, 0, 0, NULL},
    {"old_unit_handling", F_ENUM, 0, 0, rma_old_unit_names, 0, 0, NULL},
    {"decision", F_ENUM, 0, 0, rma_consent_names, 0, 0, NULL},
    {"channel", F_ENUM, 0, 0, quote_channel_names, 0, 0, NULL},
};
enum {
    A_ACTION,
    A_NOTE,
    A_FINDINGS,
    A_CAUSE,
    A_ANALYSIS,
    A_CHARGE,
    A_SHIP_TO,
    A_PACK,
    A_OLD_UNIT,
    A_DECISION,
    A_CHANNEL,
    A_COUNT
};

static enum sh_code action_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct rma_ctx *x = arg;
    const struct uc u = rma_uc(x->c, tx);
    enum sh_code rc = uc_rma_action(&u, &x->action, e);
    return rc ? rc : uc_rma_get(&u, x->id, &x->out, e);
}

void h_rma_action(struct api_ctx *c)
{
    struct rma_ctx x = {.c = c};
    struct fval v[A_COUNT];
    struct rma_action_in *in = &x.action;
    if (!api_action_request(c, &x.id, &in->if_match, action_cols, A_COUNT, v))
        return;
    in->id = x.id;
    rma_action_parse(v[A_ACTION].text, &in->action);
    in->note = txt(&v[A_NOTE]);
    in->findings = txt(&v[A_FINDINGS]);
    in->cause_category = txt(&v[A_CAUSE]);
    in->cause_analysis = txt(&v[A_ANALYSIS]);
    in->charge_fen = txt(&v[A_CHARGE]) ? v[A_CHARGE].i : -1;
    in->ship_to = txt(&v[A_SHIP_TO]);
    in->packaging = txt(&v[A_PACK]);
    in->old_unit_handling = txt(&v[A_OLD_UNIT]);
    in->decision = txt(&v[A_DECISION]);
    in->channel = txt(&v[A_CHANNEL]);
    if (api_write_or_reply(c, action_run, &x))
        rma_reply(c, 200, &x.out);
}

/* ---- photos ---- */

static enum sh_code photo_add_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct rma_ctx *x = arg;
    const struct uc u = rma_uc(x->c, tx);
    enum sh_code rc = uc_rma_photo_add(&u, &x->photo, &x->photo_id, e);
    return rc ? rc : uc_rma_photo_get(&u, x->id, x->photo_id, &x->photo_row, e);
}

/* POST /api/v1/rmas/{id}/photos?phase=incoming|outgoing&filename=NAME, the image as body */
void h_rma_photo_add(struct api_ctx *c)
{
    struct rma_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id))
        return;
    struct sh_err e;
    sh_err_clear(&e);
    x.photo = (struct rma_photo_in){
        .rma_id = x.id, .phase = http_query(c->req, "phase"), .blob = &x.blob};
    if (!x.photo.phase ||
        (strcmp(x.photo.phase, "incoming") && strcmp(x.photo.phase, "outgoing"))) {
        sh_err_field(&e, SH_INVALID, "phase", "'phase' is incoming or outgoing");
        sh_err_reason(&e, x.photo.phase ? "unknown_value" : "required", NULL);
        api_reply_err(c, &e);
        return;
    }
    if (wo_photo_check(c->a, c->req->body.buf, c->req->body.len, http_query(c->req, "filename"),
                       &x.blob, &e) ||
        ticket_blob_store(c->app->data_dir, &x.blob, &e) ||
        db_write(c->app->db, photo_add_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    photo_json(&w, c->a, &x.photo_row, 0);
    api_reply_jw(c, 201, &b, &w);
}

static enum sh_code photo_get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct rma_ctx *x = arg;
    const struct uc u = rma_uc(x->c, tx);
    return uc_rma_photo_get(&u, x->id, x->photo_id, &x->photo_row, e);
}

void h_rma_photo_get(struct api_ctx *c)
{
    struct rma_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_param_id(c, 1, &x.photo_id) ||
        !api_read_or_reply(c, photo_get_run, &x))
        return;
    api_serve_photo(c, db_get(&x.photo_row, 0, "sha256"), db_get(&x.photo_row, 0, "mime"),
                    db_get(&x.photo_row, 0, "filename"));
}
