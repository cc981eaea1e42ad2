/* SPDX-License-Identifier: MIT */
/* GET/POST /api/v1/work-orders, GET/PATCH /api/v1/work-orders/{id}: parse, call the use case
 * (app/work_orders.h), render. */
#include "api/work_orders.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "api/ifmatch.h"

static const struct col wo_cols[] = {
    {"ticket_id", F_ID, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"kind", F_ENUM, 0, 0, wo_kind_names, 0, 0, NULL},
    {"lead_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"appointment_at", F_TS, 0, 0, NULL, 0, 0, NULL},
    {"tolerance_min", F_INT, 0, 0, NULL, 0, 240, NULL},
    {"early_target_min", F_INT, 0, 0, NULL, 0, 60, NULL},
    {"duration_min", F_INT, 0, 0, NULL, 1, 1440, NULL},
    {"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"override_reason", F_TEXT, 0, 500, NULL, 0, 0, NULL},
    {"findings", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"work_done", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"labour_minutes", F_INT, 0, 0, NULL, 0, 100000, NULL},
    {"customer_comment", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"result_note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
};
enum {
    W_TICKET,
    W_KIND,
    W_LEAD,
    W_APPT,
    W_TOL,
    W_EARLY,
    W_DUR,
    W_NOTE,
    W_OVERRIDE,
    W_FINDINGS,
    W_WORK,
    W_LABOUR,
    W_COMMENT,
    W_RESULT_NOTE,
    W_COUNT
};
/* which fields each write takes: create the booking, PATCH everything but the ticket */
#define CREATE_FIELDS                                                                              \
    ((1u << W_TICKET) | (1u << W_KIND) | (1u << W_LEAD) | (1u << W_APPT) | (1u << W_TOL) |         \
     (1u << W_EARLY) | (1u << W_DUR) | (1u << W_NOTE) | (1u << W_OVERRIDE))
#define PATCH_FIELDS (((1u << W_COUNT) - 1) & ~(1u << W_TICKET))

static const struct col part_cols[] = {
    {"name", F_STR, COL_REQUIRED, 200, NULL, 0, 0, NULL},
    {"quantity", F_REAL, 0, 0, NULL, 0.001, 1000000, NULL},
    {"unit", F_STR, 0, 20, NULL, 0, 0, NULL},
    {"note", F_STR, 0, 500, NULL, 0, 0, NULL},
};

struct wo_body {
    struct fval v[W_COUNT];
    int64_t helpers[WO_HELPERS_MAX];
    int nhelpers;
    bool has_helpers, has_parts, patch;
    struct wo_part *parts;
    int nparts;
};

static enum sh_code bad(struct sh_err *e, const char *field, const char *reason, const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

static enum sh_code parse_helpers(json_t *arr, struct wo_body *b, struct sh_err *e)
{
    enum sh_code rc = wo_parse_helpers(arr, b->helpers, &b->nhelpers, e);
    b->has_helpers = rc == SH_OK;
    return rc;
}

enum sh_code wo_parse_helpers(json_t *arr, int64_t *helpers, int *n, struct sh_err *e)
{
    return api_parse_ids(arr, "helper_ids", WO_HELPERS_MAX, helpers, n, e);
}

static enum sh_code parse_part(struct sh_arena *a, json_t *o, struct wo_part *p, struct sh_err *e)
{
    if (!json_is_object(o))
        return bad(e, "parts", "invalid_format", "a part is an object {name, quantity, unit}");
    struct fval v[4] = {0};
    const char *key;
    json_t *x;
    json_object_foreach(o, key, x)
    {
        int k = 0;
        while (k < 4 && strcmp(part_cols[k].name, key))
            k++;
        if (k == 4)
            return bad(e, "parts", "unknown_field", "a part has name, quantity, unit and note");
        enum sh_code rc = api_parse_value(a, &part_cols[k], x, &v[k], e);
        if (rc) {
            snprintf(e->field, sizeof(e->field), "parts.%s", key);
            return rc;
        }
    }
    if (!v[0].present || v[0].is_null || !*v[0].text)
        return bad(e, "parts.name", "required", "a part needs a name");
    *p = (struct wo_part){.name = v[0].text,
                          .quantity = v[1].present && !v[1].is_null ? v[1].r : 1,
                          .unit = v[2].present && !v[2].is_null ? v[2].text : "",
                          .note = v[3].present && !v[3].is_null ? v[3].text : ""};
    return SH_OK;
}

static enum sh_code parse_parts(struct sh_arena *a, json_t *arr, struct wo_body *b,
                                struct sh_err *e)
{
    if (!json_is_array(arr))
        return bad(e, "parts", "invalid_format", "parts is an array of objects");
    if (json_array_size(arr) > WO_PARTS_MAX) {
        sh_err_field(e, SH_INVALID, "parts", "at most %d parts lines", WO_PARTS_MAX);
        return sh_err_reason(e, "too_long", "{\"max\":%d}", WO_PARTS_MAX);
    }
    b->parts = sh_arena_alloc(a, sizeof(*b->parts) * (json_array_size(arr) + 1));
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
    {
        enum sh_code rc = parse_part(a, x, &b->parts[b->nparts], e);
        if (rc)
            return rc;
        b->nparts++;
    }
    b->has_parts = true;
    return SH_OK;
}

static enum sh_code body_extra(struct api_ctx *c, void *arg, const char *key, json_t *x,
                               bool *known, struct sh_err *e)
{
    struct wo_body *b = arg;
    if (!strcmp(key, "helper_ids"))
        return parse_helpers(x, b, e);
    if (b->patch && !strcmp(key, "parts"))
        return parse_parts(c->a, x, b, e);
    return *known = false, SH_OK;
}

/* The body: the columns in `fields`, helper_ids and (PATCH) parts; anything else is refused. */
static enum sh_code parse_body(struct api_ctx *c, unsigned fields, bool patch, struct wo_body *b,
                               struct sh_err *e)
{
    b->patch = patch;
    struct api_body spec = {.cols = wo_cols,
                            .ncols = W_COUNT,
                            .mask = fields,
                            .partial = patch,
                            .extra = body_extra,
                            .arg = b};
    return api_parse_body(c, &spec, b->v, e);
}

static const char *txt(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}

static int num(const struct fval *v)
{
    return v->present && !v->is_null ? (int)v->i : -1;
}

void wo_reply(struct api_ctx *c, int status, const struct wo_view *v)
{
    const char *json = work_order_json(c->a, v);
    if (!json) {
        api_reply_error(c, SH_TOO_BIG, NULL, "work order too large to render");
        return;
    }
    http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%" PRId64 "\"", v->row.version));
    struct sh_buf b = SH_BUF_INIT(4 << 20);
    if (sh_buf_adds(&b, json) == SH_OK)
        api_reply_json(c, status, &b);
    else
        api_reply_error(c, SH_TOO_BIG, NULL, "work order too large to render");
    sh_buf_release(&b);
}

/* ---- POST /api/v1/work-orders ---- */

struct create_ctx {
    struct api_ctx *c;
    struct wo_create_in in;
    struct wo_view out;
};

static enum sh_code create_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct create_ctx *x = arg;
    const struct uc u = wo_uc(x->c, tx);
    return uc_work_order_create(&u, &x->in, &x->out, e);
}

void h_work_order_create(struct api_ctx *c)
{
    struct wo_body b = {0};
    struct sh_err e;
    sh_err_clear(&e);
    if (parse_body(c, CREATE_FIELDS, false, &b, &e)) {
        api_reply_err(c, &e);
        return;
    }
    struct create_ctx x = {.c = c,
                           .in = {.ticket_id = b.v[W_TICKET].i,
                                  .kind = txt(&b.v[W_KIND]),
                                  .lead_id = txt(&b.v[W_LEAD]) ? b.v[W_LEAD].i : 0,
                                  .helpers = b.helpers,
                                  .nhelpers = b.nhelpers,
                                  .appointment_at = txt(&b.v[W_APPT]),
                                  .tolerance_min = num(&b.v[W_TOL]),
                                  .early_target_min = num(&b.v[W_EARLY]),
                                  .duration_min = num(&b.v[W_DUR]) > 0 ? num(&b.v[W_DUR]) : 0,
                                  .note = txt(&b.v[W_NOTE]),
                                  .override_reason = txt(&b.v[W_OVERRIDE])}};
    if (db_write(c->app->db, create_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    wo_reply(c, 201, &x.out);
}

/* ---- GET /api/v1/work-orders/{id} ---- */

struct get_ctx {
    struct api_ctx *c;
    int64_t id;
    struct wo_view out;
};

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct get_ctx *x = arg;
    const struct uc u = wo_uc(x->c, tx);
    return uc_work_order_load(&u, x->id, &x->out, e);
}

void h_work_order_get(struct api_ctx *c)
{
    struct get_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_read_or_reply(c, get_run, &x))
        return;
    wo_reply(c, 200, &x.out);
}

/* ---- PATCH /api/v1/work-orders/{id} ---- */

struct update_ctx {
    struct api_ctx *c;
    struct wo_update_in in;
    struct wo_view out;
};

static enum sh_code update_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct update_ctx *x = arg;
    const struct uc u = wo_uc(x->c, tx);
    return uc_work_order_update(&u, &x->in, &x->out, e);
}

static void update_in(const struct wo_body *b, struct wo_update_in *in)
{
    const struct fval *v = b->v;
    in->kind = txt(&v[W_KIND]);
    in->appointment_at = txt(&v[W_APPT]);
    in->note = txt(&v[W_NOTE]);
    in->override_reason = txt(&v[W_OVERRIDE]);
    in->has_lead = v[W_LEAD].present;
    in->lead_id = txt(&v[W_LEAD]) ? v[W_LEAD].i : 0;
    in->has_helpers = b->has_helpers;
    in->helpers = b->helpers;
    in->nhelpers = b->nhelpers;
    in->tolerance_min = num(&v[W_TOL]);
    in->early_target_min = num(&v[W_EARLY]);
    in->duration_min = num(&v[W_DUR]);
    in->labour_minutes = num(&v[W_LABOUR]);
    in->findings = txt(&v[W_FINDINGS]);
    in->work_done = txt(&v[W_WORK]);
    in->customer_comment = txt(&v[W_COMMENT]);
    in->result_note = txt(&v[W_RESULT_NOTE]);
    in->has_parts = b->has_parts;
    in->parts = b->parts;
    in->nparts = b->nparts;
}

void h_work_order_update(struct api_ctx *c)
{
    struct update_ctx x = {.c = c};
    struct wo_body b = {0};
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.in.id))
        return;
    if (api_if_match(c->req, &x.in.if_match, &e) || parse_body(c, PATCH_FIELDS, true, &b, &e)) {
        api_reply_err(c, &e);
        return;
    }
    update_in(&b, &x.in);
    if (db_write(c->app->db, update_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    wo_reply(c, 200, &x.out);
}
