/* SPDX-License-Identifier: MIT */
/* /api/v1/complaints (issue 14 item 4; docs/complaints.md): GET /{id} is the notice's page
 * (routes with their acknowledgements, timeline, the caller's legal actions; a customer
 * account gets its own notice without the internal columns), POST /{id}/actions takes one
 * explicit action, POST /{id}/routes/{route}/ack acknowledges a route. The list, the filing
 * and the edit of the F-11 fields are the entity engine's (app/complaint_entities.c). */
#include <inttypes.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/ifmatch.h"
#include "api/pdf.h"
#include "api/export.h"
#include "app/complaint_pdf.h"
#include "app/complaints.h"
#include "app/entity.h"
#include "base/date.h"
#include "domain/rma.h"
#include "http/http.h"

static const char *txt(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}

struct cp_ctx {
    struct api_ctx *c;
    int64_t id, route_id;
    const char *note;
    struct complaint_action_in action;
    struct complaint_view out;
};

static void routes_json(struct jw *w, const struct db_rows *r)
{
    jw_key(w, "routes");
    jw_arr_begin(w);
    for (int i = 0; i < r->nrows; i++) {
        jw_obj_begin(w);
        jw_kintstr(w, "id", db_get(r, i, "id"));
        if (db_get(r, i, "department_id"))
            jw_kintstr(w, "department_id", db_get(r, i, "department_id"));
        else
            jw_knull(w, "department_id");
        jw_kstr(w, "department_name", db_get(r, i, "department_name"));
        jw_kstr(w, "role", db_get(r, i, "role"));
        jw_kstr(w, "note", db_get(r, i, "note"));
        jw_kstr(w, "acknowledged_name", db_get(r, i, "acknowledged_name"));
        jw_kstr(w, "acknowledged_at", db_get(r, i, "acknowledged_at"));
        jw_obj_end(w);
    }
    jw_arr_end(w);
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

static void complaint_reply(struct api_ctx *c, int status, const struct complaint_view *v)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_key(&w, "complaint");
    ent_render_for(&w, &ent_complaints, &v->row, 0, v->external);
    jw_kstr(&w, "customer_name", db_get(&v->row, 0, "customer_name"));
    jw_kstr(&w, "ticket_number", db_get(&v->row, 0, "ticket_number"));
    jw_kstr(&w, "model_name", db_get(&v->row, 0, "model_name"));
    jw_kstr(&w, "department_name", v->external ? NULL : db_get(&v->row, 0, "department_name"));
    jw_key(&w, "allowed_actions");
    jw_arr_begin(&w);
    for (int i = 0; i < v->nallowed; i++)
        jw_str(&w, complaint_action_name(v->allowed[i]));
    jw_arr_end(&w);
    routes_json(&w, &v->routes);
    events_json(&w, &v->events);
    jw_obj_end(&w);
    http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%s\"", db_get(&v->row, 0, "version")));
    api_reply_jw(c, status, &b, &w);
}

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct cp_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_complaint_get(&u, x->id, &x->out, e);
}

void h_complaint_get(struct api_ctx *c)
{
    struct cp_ctx x = {.c = c};
    if (api_param_id(c, 0, &x.id) && api_read_or_reply(c, get_run, &x))
        complaint_reply(c, 200, &x.out);
}

/* ---- POST /api/v1/complaints/{id}/actions ---- */

static const struct col action_cols[] = {
    {"action", F_ENUM, COL_REQUIRED, 0, complaint_action_names, 0, 0, NULL},
    {"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"cause_category", F_ENUM, 0, 0, rma_cause_names, 0, 0, NULL},
    {"cause_analysis", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"corrective_action", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"decision", F_ENUM, 0, 0, complaint_decision_names, 0, 0, NULL},
    {"charge_fen", F_MONEY, 0, 0, NULL, 0, 1e12, NULL},
    {"credit_fen", F_MONEY, 0, 0, NULL, 1, 1e12, NULL},
    {"verification", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
};
enum {
    A_ACTION,
    A_NOTE,
    A_CAUSE,
    A_ANALYSIS,
    A_CORRECTIVE,
    A_DECISION,
    A_CHARGE,
    A_CREDIT,
    A_VERIFY,
    A_COUNT
};

/* department_ids: [ids]; roles: ["purchasing", …] (each a route) */
static enum sh_code routes_extra(struct api_ctx *c, void *arg, const char *key, json_t *v,
                                 bool *known, struct sh_err *e)
{
    struct complaint_action_in *in = arg;
    int room = COMPLAINT_ROUTES_MAX - in->nroutes;
    if (!strcmp(key, "department_ids")) {
        int64_t ids[COMPLAINT_ROUTES_MAX];
        int n;
        enum sh_code rc = api_parse_ids(v, key, room, ids, &n, e);
        for (int i = 0; !rc && i < n; i++)
            in->routes[in->nroutes++] = (struct complaint_route_in){.department_id = ids[i]};
        return rc;
    }
    if (strcmp(key, "roles")) {
        *known = false;
        return SH_OK;
    }
    size_t i;
    json_t *r;
    unsigned mask;
    if (!json_is_array(v) || json_array_size(v) > (size_t)room) {
        sh_err_field(e, SH_INVALID, key, "'roles': an array of at most %d role names", room);
        return sh_err_reason(e, "invalid_format", NULL);
    }
    json_array_foreach(v, i, r)
    {
        if (!json_is_string(r) || !roles_parse(json_string_value(r), &mask) ||
            (mask & ROLES_EXTERNAL) || __builtin_popcount(mask) != 1) {
            sh_err_field(e, SH_INVALID, key, "'roles': staff role names");
            return sh_err_reason(e, "unknown_value", NULL);
        }
        in->routes[in->nroutes++] =
            (struct complaint_route_in){.role = sh_arena_strdup(c->a, json_string_value(r))};
    }
    return SH_OK;
}

static enum sh_code action_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct cp_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    enum sh_code rc = uc_complaint_action(&u, &x->action, e);
    return rc ? rc : uc_complaint_get(&u, x->id, &x->out, e);
}

void h_complaint_action(struct api_ctx *c)
{
    struct cp_ctx x = {.c = c};
    struct fval v[A_COUNT];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    struct complaint_action_in *in = &x.action;
    in->id = x.id;
    struct api_body body = {
        .cols = action_cols, .ncols = A_COUNT, .extra = routes_extra, .arg = in};
    if (api_if_match(c->req, &in->if_match, &e) || api_parse_body(c, &body, v, &e)) {
        api_reply_err(c, &e);
        return;
    }
    complaint_action_parse(v[A_ACTION].text, &in->action);
    in->note = txt(&v[A_NOTE]);
    in->cause_category = txt(&v[A_CAUSE]);
    in->cause_analysis = txt(&v[A_ANALYSIS]);
    in->corrective_action = txt(&v[A_CORRECTIVE]);
    in->decision = txt(&v[A_DECISION]);
    in->charge_fen = txt(&v[A_CHARGE]) ? v[A_CHARGE].i : -1;
    in->credit_fen = txt(&v[A_CREDIT]) ? v[A_CREDIT].i : -1;
    in->verification = txt(&v[A_VERIFY]);
    if (api_write_or_reply(c, action_run, &x))
        complaint_reply(c, 200, &x.out);
}

/* ---- POST /api/v1/complaints/{id}/routes/{route}/ack {note?} ---- */

static const struct col ack_cols[] = {{"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL}};

static enum sh_code ack_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct cp_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    enum sh_code rc = uc_complaint_ack(&u, x->id, x->route_id, x->note, e);
    return rc ? rc : uc_complaint_get(&u, x->id, &x->out, e);
}

void h_complaint_ack(struct api_ctx *c)
{
    struct cp_ctx x = {.c = c};
    struct fval v[1];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id) || !api_param_id(c, 1, &x.route_id))
        return;
    if (c->req->body.len && api_parse_object(c->a, c->req->body.buf, c->req->body.len, ack_cols, 1,
                                             false, v, NULL, &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.note = c->req->body.len ? txt(&v[0]) : NULL;
    if (api_write_or_reply(c, ack_run, &x))
        complaint_reply(c, 200, &x.out);
}

/* ---- GET /api/v1/complaints/{id}/notice.pdf ---- */

struct cp_pdf {
    struct api_pdf pdf; /* first: api/pdf.h */
    struct api_ctx *c;
    int64_t id;
    struct complaint_view v;
};

static enum sh_code pdf_load(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct cp_pdf *x = arg;
    const struct uc u = api_uc(x->c, tx);
    enum sh_code rc = uc_complaint_get(&u, x->id, &x->v, e);
    if (!rc)
        x->pdf.filename = sh_arena_printf(x->c->a, "notice-%s.pdf", db_get(&x->v.row, 0, "number"));
    return rc;
}

static enum sh_code pdf_build(struct api_ctx *c, struct api_pdf *pdf, struct sh_err *e)
{
    (void)e;
    const struct cp_pdf *x = (const struct cp_pdf *)pdf;
    complaint_pdf_doc(c->app, c->a, export_lang(c), &x->v, &pdf->doc);
    return SH_OK;
}

void h_complaint_pdf(struct api_ctx *c)
{
    static const struct api_pdf_route route = {.load = pdf_load, .build = pdf_build};
    struct cp_pdf x = {.c = c};
    if (api_param_id(c, 0, &x.id))
        api_pdf_reply(c, &route, &x.pdf);
}
