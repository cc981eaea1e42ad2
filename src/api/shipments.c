/* SPDX-License-Identifier: MIT */
/* /api/v1/shipments (issue 12 item 1; docs/shipments.md): POST files a shipping request,
 * GET /{id} is the shipment page (lines, timeline, copies, the caller's legal actions),
 * POST /{id}/actions takes one explicit action, PUT /{id}/lines/{line} records a unit. The
 * board (GET /api/v1/shipments) is the entity list of app/shipment_entities.c. */
#include <inttypes.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/ifmatch.h"
#include "app/entity.h"
#include "app/shipments.h"
#include "base/date.h"
#include "http/http.h"

static struct uc shp_uc(struct api_ctx *c, struct db_tx *tx)
{
    return (struct uc){.tx = tx, .a = c->a, .who = &c->who, .now = sh_now(), .app = c->app};
}

static enum sh_code bad(struct sh_err *e, const char *field, const char *reason, const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

static const char *txt(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}

/* ---- rendering ---- */

static void render_rows(struct jw *w, const char *key, const struct db_rows *r,
                        const char *const *ints, const char *const *strs)
{
    jw_key(w, key);
    jw_arr_begin(w);
    for (int i = 0; i < r->nrows; i++) {
        jw_obj_begin(w);
        for (const char *const *k = ints; *k; k++) {
            const char *v = db_get(r, i, *k);
            if (v)
                jw_kintstr(w, *k, v);
            else
                jw_knull(w, *k);
        }
        for (const char *const *k = strs; *k; k++)
            jw_kstr(w, *k, db_get(r, i, *k));
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void shp_reply(struct api_ctx *c, int status, const struct shipment_view *v)
{
    static const char *const line_ints[] = {"id", "line_no", "model_id", "unit_id", NULL};
    static const char *const line_strs[] = {"model_code",      "model_name", "serial_no",
                                            "production_date", "ship_date",  NULL};
    static const char *const ev_ints[] = {"id", "actor_id", NULL};
    static const char *const ev_strs[] = {"action", "from_state", "to_state", "note",
                                          "at",     "actor_name", NULL};
    static const char *const task_ints[] = {"id", NULL};
    static const char *const task_strs[] = {"role", "status", "reply", "done_at", NULL};
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_key(&w, "shipment");
    ent_render(&w, &ent_shipments, &v->row, 0);
    jw_kstr(&w, "customer_name", db_get(&v->row, 0, "customer_name"));
    jw_kstr(&w, "site_name", db_get(&v->row, 0, "site_name"));
    jw_kstr(&w, "contract_number", db_get(&v->row, 0, "contract_number"));
    jw_kstr(&w, "ticket_number", db_get(&v->row, 0, "ticket_number"));
    jw_kbool(&w, "overdue", v->overdue);
    jw_key(&w, "allowed_actions");
    jw_arr_begin(&w);
    for (int i = 0; i < v->nallowed; i++)
        jw_str(&w, shp_action_name(v->allowed[i]));
    jw_arr_end(&w);
    render_rows(&w, "lines", &v->lines, line_ints, line_strs);
    render_rows(&w, "events", &v->events, ev_ints, ev_strs);
    render_rows(&w, "copies", &v->tasks, task_ints, task_strs);
    jw_obj_end(&w);
    http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%s\"", db_get(&v->row, 0, "version")));
    api_reply_jw(c, status, &b, &w);
}

/* ---- POST /api/v1/shipments ---- */

static const struct col create_cols[] = {
    {"kind", F_ENUM, 0, 0, shp_kind_names, 0, 0, NULL},
    {"contract_id", F_ID, 0, 0, NULL, 0, 0, NULL},
    {"ticket_id", F_ID, 0, 0, NULL, 0, 0, NULL},
    {"site_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"includes_installation", F_BOOL, 0, 0, NULL, 0, 0, NULL},
    {"ship_to", F_STR, 0, 200, NULL, 0, 0, NULL},
    {"packaging", F_STR, 0, 200, NULL, 0, 0, NULL},
    {"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
};
enum { C_KIND, C_CONTRACT, C_TICKET, C_SITE, C_INSTALL, C_SHIP_TO, C_PACK, C_NOTE, C_COUNT };

static enum sh_code parse_lines(struct sh_arena *a, json_t *arr, struct shipment_create_in *in,
                                struct sh_err *e)
{
    if (!json_is_array(arr) || !json_array_size(arr))
        return bad(e, "lines", "required", "lines is a non-empty array of {model_id, quantity}");
    if (json_array_size(arr) > SHIPMENT_MAX_UNITS)
        return bad(e, "lines", "out_of_range", "too many lines");
    struct shipment_line_in *l = sh_arena_alloc(a, sizeof(*l) * json_array_size(arr));
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        json_t *m = json_object_get(x, "model_id"), *q = json_object_get(x, "quantity");
        if (!json_is_object(x) || json_object_size(x) != (q ? 2u : 1u) || !json_is_integer(m) ||
            json_integer_value(m) <= 0 || (q && !json_is_integer(q)))
            return bad(e, "lines", "invalid_format", "a line is {model_id, quantity}");
        json_int_t n = q ? json_integer_value(q) : 1;
        if (n < 1 || n > SHIPMENT_MAX_UNITS)
            return bad(e, "lines", "out_of_range", "quantity is 1 to 200");
        l[i] = (struct shipment_line_in){json_integer_value(m), (int)n};
    }
    in->lines = l;
    in->nlines = (int)json_array_size(arr);
    return SH_OK;
}

static enum sh_code lines_extra(struct api_ctx *c, void *arg, const char *key, json_t *x,
                                bool *known, struct sh_err *e)
{
    if (strcmp(key, "lines"))
        return *known = false, SH_OK;
    return parse_lines(c->a, x, arg, e);
}

static enum sh_code parse_create(struct api_ctx *c, struct shipment_create_in *in, struct sh_err *e)
{
    struct fval v[C_COUNT];
    struct api_body spec = {.cols = create_cols, .ncols = C_COUNT, .extra = lines_extra, .arg = in};
    in->lines = NULL;
    enum sh_code rc = api_parse_body(c, &spec, v, e);
    if (rc)
        return rc;
    if (!in->lines)
        return bad(e, "lines", "required", "'lines' is required");
    in->kind = txt(&v[C_KIND]);
    in->contract_id = txt(&v[C_CONTRACT]) ? v[C_CONTRACT].i : 0;
    in->ticket_id = txt(&v[C_TICKET]) ? v[C_TICKET].i : 0;
    in->site_id = txt(&v[C_SITE]) ? v[C_SITE].i : 0;
    in->includes_installation = txt(&v[C_INSTALL]) ? v[C_INSTALL].i != 0 : -1;
    in->ship_to = txt(&v[C_SHIP_TO]);
    in->packaging = txt(&v[C_PACK]);
    in->note = txt(&v[C_NOTE]);
    return SH_OK;
}

struct shp_ctx {
    struct api_ctx *c;
    int64_t id;
    struct shipment_create_in create;
    struct shipment_action_in action;
    struct shipment_line_set_in line;
    struct shipment_view out;
};

static enum sh_code create_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct shp_ctx *x = arg;
    const struct uc u = shp_uc(x->c, tx);
    enum sh_code rc = uc_shipment_create(&u, &x->create, &x->id, e);
    return rc ? rc : uc_shipment_get(&u, x->id, &x->out, e);
}

void h_shipment_create(struct api_ctx *c)
{
    struct shp_ctx x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    if (parse_create(c, &x.create, &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (api_write_or_reply(c, create_run, &x))
        shp_reply(c, 201, &x.out);
}

/* ---- GET /api/v1/shipments/{id} ---- */

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct shp_ctx *x = arg;
    const struct uc u = shp_uc(x->c, tx);
    return uc_shipment_get(&u, x->id, &x->out, e);
}

void h_shipment_get(struct api_ctx *c)
{
    struct shp_ctx x = {.c = c};
    if (api_param_id(c, 0, &x.id) && api_read_or_reply(c, get_run, &x))
        shp_reply(c, 200, &x.out);
}

/* ---- POST /api/v1/shipments/{id}/actions ---- */

static const struct col action_cols[] = {
    {"action", F_ENUM, COL_REQUIRED, 0, shp_action_names, 0, 0, NULL},
    {"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"hold_reason", F_ENUM, 0, 0, shp_hold_reason_names, 0, 0, NULL},
    {"carrier", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"waybill_no", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"certificate_sent", F_BOOL, 0, 0, NULL, 0, 0, NULL},
    {"date", F_DATE, 0, 0, NULL, 0, 0, NULL},
    {"signer", F_STR, 0, 60, NULL, 0, 0, NULL},
};
enum { A_ACTION, A_NOTE, A_HOLD, A_CARRIER, A_WAYBILL, A_CERT, A_DATE, A_SIGNER, A_COUNT };

static enum sh_code action_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct shp_ctx *x = arg;
    const struct uc u = shp_uc(x->c, tx);
    enum sh_code rc = uc_shipment_action(&u, &x->action, e);
    return rc ? rc : uc_shipment_get(&u, x->id, &x->out, e);
}

void h_shipment_action(struct api_ctx *c)
{
    struct shp_ctx x = {.c = c};
    struct fval v[A_COUNT];
    struct shipment_action_in *in = &x.action;
    if (!api_action_request(c, &x.id, &in->if_match, action_cols, A_COUNT, v))
        return;
    in->id = x.id;
    shp_action_parse(v[A_ACTION].text, &in->action);
    in->note = txt(&v[A_NOTE]);
    in->hold_reason = txt(&v[A_HOLD]);
    in->carrier = txt(&v[A_CARRIER]);
    in->waybill_no = txt(&v[A_WAYBILL]);
    in->certificate_sent = txt(&v[A_CERT]) ? v[A_CERT].i != 0 : -1;
    in->date = txt(&v[A_DATE]);
    in->signer = txt(&v[A_SIGNER]);
    if (api_write_or_reply(c, action_run, &x))
        shp_reply(c, 200, &x.out);
}

/* ---- PUT /api/v1/shipments/{id}/lines/{line} ---- */

static const struct col line_cols[] = {
    {"serial_no", F_STR, COL_REQUIRED, 60, NULL, 0, 0, NULL},
    {"production_date", F_DATE, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"ship_date", F_DATE, COL_REQUIRED, 0, NULL, 0, 0, NULL},
};

static enum sh_code line_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct shp_ctx *x = arg;
    const struct uc u = shp_uc(x->c, tx);
    enum sh_code rc = uc_shipment_line_set(&u, &x->line, e);
    return rc ? rc : uc_shipment_get(&u, x->id, &x->out, e);
}

void h_shipment_line(struct api_ctx *c)
{
    struct shp_ctx x = {.c = c};
    struct fval v[3];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id) || !api_param_id(c, 1, &x.line.line_id))
        return;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, line_cols, 3, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    const char *serial = v[0].text;
    while (*serial == ' ')
        serial++;
    if (!*serial) {
        bad(&e, "serial_no", "required", "'serial_no' is empty");
        api_reply_err(c, &e);
        return;
    }
    x.line = (struct shipment_line_set_in){x.id, x.line.line_id, serial, v[1].text, v[2].text};
    if (api_write_or_reply(c, line_run, &x))
        shp_reply(c, 200, &x.out);
}
