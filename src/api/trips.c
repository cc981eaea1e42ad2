/* SPDX-License-Identifier: MIT */
/* /api/v1/trips: list, create, read, update (destination, estimate, expenses), actions and
 * the feedback form. Reports and photos: api/trip_reports.c. */
#include "api/trips.h"

#include <inttypes.h>
#include <string.h>

#include "api/ifmatch.h"
#include "app/trips.h"

static const struct col trip_cols[] = {
    {"lead_id", F_ID, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"purpose", F_TEXT, COL_REQUIRED, 500, NULL, 0, 0, NULL},
    {"customer_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"site_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"address", F_STR, 0, 300, NULL, 0, 0, NULL},
    {"contact_name", F_STR, 0, 100, NULL, 0, 0, NULL},
    {"contact_phone", F_STR, 0, 40, NULL, 0, 0, NULL},
    {"site_details", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"ticket_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"project_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"est_days", F_INT, COL_REQUIRED, 0, NULL, 1, TRIP_EST_DAYS_MAX, NULL},
    {"planned_departure_at", F_TS, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"transport_fen", F_INT, 0, 0, NULL, 0, 1e10, NULL},
    {"lodging_fen", F_INT, 0, 0, NULL, 0, 1e10, NULL},
    {"allowance_fen", F_INT, 0, 0, NULL, 0, 1e10, NULL},
    {"other_fen", F_INT, 0, 0, NULL, 0, 1e10, NULL},
};
enum {
    T_LEAD,
    T_PURPOSE,
    T_CUSTOMER,
    T_SITE,
    T_ADDRESS,
    T_CONTACT,
    T_PHONE,
    T_DETAILS,
    T_TICKET,
    T_PROJECT,
    T_DAYS,
    T_DEPARTURE,
    T_NOTE,
    T_EXPENSE, /* four: transport, lodging, allowance, other */
    T_COUNT = T_EXPENSE + TRIP_EXPENSE_COUNT
};
/* what a PATCH may carry: not the lead */
#define PATCH_FIELDS  (((1u << T_COUNT) - 1) & ~(1u << T_LEAD))
#define CREATE_FIELDS (((1u << T_EXPENSE) - 1))

struct body {
    struct fval v[T_COUNT];
    int64_t others[TRIP_OTHERS_MAX], wos[TRIP_WOS_MAX];
    int nothers, nwos;
    bool has_others, create;
};

static enum sh_code bad(struct sh_err *e, const char *field, const char *reason, const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

static enum sh_code body_extra(struct api_ctx *c, void *arg, const char *key, json_t *x,
                               bool *known, struct sh_err *e)
{
    (void)c;
    struct body *b = arg;
    if (b->create && !strcmp(key, "other_ids"))
        return api_parse_ids(x, key, TRIP_OTHERS_MAX, b->others, &b->nothers, e);
    if (!strcmp(key, "work_order_ids"))
        return api_parse_ids(x, key, TRIP_WOS_MAX, b->wos, &b->nwos, e);
    return *known = false, SH_OK;
}

static enum sh_code parse_body(struct api_ctx *c, unsigned fields, bool create, struct body *b,
                               struct sh_err *e)
{
    b->create = create;
    struct api_body spec = {.cols = trip_cols,
                            .ncols = T_COUNT,
                            .mask = fields,
                            .partial = !create,
                            .extra = body_extra,
                            .arg = b};
    return api_parse_body(c, &spec, b->v, e);
}

static const char *txt(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}

static void to_in(const struct body *b, struct trip_in *in)
{
    const struct fval *v = b->v;
    *in = (struct trip_in){.lead_id = v[T_LEAD].i,
                           .others = b->others,
                           .nothers = b->nothers,
                           .purpose = txt(&v[T_PURPOSE]),
                           .address = txt(&v[T_ADDRESS]),
                           .contact_name = txt(&v[T_CONTACT]),
                           .contact_phone = txt(&v[T_PHONE]),
                           .site_details = txt(&v[T_DETAILS]),
                           .note = txt(&v[T_NOTE]),
                           .customer_id = txt(&v[T_CUSTOMER]) ? v[T_CUSTOMER].i : 0,
                           .site_id = txt(&v[T_SITE]) ? v[T_SITE].i : 0,
                           .ticket_id = txt(&v[T_TICKET]) ? v[T_TICKET].i : 0,
                           .project_id = txt(&v[T_PROJECT]) ? v[T_PROJECT].i : 0,
                           .has_customer = v[T_CUSTOMER].present,
                           .has_site = v[T_SITE].present,
                           .has_ticket = v[T_TICKET].present,
                           .has_project = v[T_PROJECT].present,
                           .est_days = v[T_DAYS].present ? (int)v[T_DAYS].i : 0,
                           .planned_departure_at = txt(&v[T_DEPARTURE]),
                           .wo_ids = b->wos,
                           .nwo = b->nwos,
                           .if_match = -1};
    for (int k = 0; k < TRIP_EXPENSE_COUNT; k++) {
        in->has_expense[k] = txt(&v[T_EXPENSE + k]) != NULL;
        in->expense[k] = v[T_EXPENSE + k].i;
    }
}

struct trip_ctx {
    struct api_ctx *c;
    int64_t id;
    struct trip_in in;
    struct trip_view out;
    enum trip_action act;
    const char *reason;
    struct trip_feedback_in fb;
    struct trip_list_in list;
    struct trip_list_item *items;
    int n;
};

static void reply(struct api_ctx *c, int status, const struct trip_view *v)
{
    const char *json = trip_json(c->a, v);
    struct sh_buf b = SH_BUF_INIT(4 << 20);
    if (!json || sh_buf_adds(&b, json)) {
        sh_buf_release(&b);
        api_reply_error(c, SH_TOO_BIG, NULL, "trip too large to render");
        return;
    }
    http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%" PRId64 "\"", v->row.version));
    api_reply_json(c, status, &b);
    sh_buf_release(&b);
}

static enum sh_code create_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct trip_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_trip_create(&u, &x->in, &x->out, e);
}

void h_trip_create(struct api_ctx *c)
{
    struct trip_ctx x = {.c = c};
    struct body b = {0};
    struct sh_err e;
    sh_err_clear(&e);
    if (parse_body(c, CREATE_FIELDS, true, &b, &e)) {
        api_reply_err(c, &e);
        return;
    }
    to_in(&b, &x.in);
    if (api_write_or_reply(c, create_run, &x))
        reply(c, 201, &x.out);
}

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct trip_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_trip_load(&u, x->id, &x->out, e);
}

void h_trip_get(struct api_ctx *c)
{
    struct trip_ctx x = {.c = c};
    if (api_param_id(c, 0, &x.id) && api_read_or_reply(c, get_run, &x))
        reply(c, 200, &x.out);
}

static enum sh_code update_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct trip_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_trip_update(&u, x->id, &x->in, &x->out, e);
}

void h_trip_update(struct api_ctx *c)
{
    struct trip_ctx x = {.c = c};
    struct body b = {0};
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    int64_t ifm = -1;
    if (api_if_match(c->req, &ifm, &e) || parse_body(c, PATCH_FIELDS, false, &b, &e)) {
        api_reply_err(c, &e);
        return;
    }
    to_in(&b, &x.in);
    x.in.if_match = ifm;
    if (api_write_or_reply(c, update_run, &x))
        reply(c, 200, &x.out);
}

static const struct col action_cols[] = {
    {"action", F_ENUM, COL_REQUIRED, 0, trip_action_names, 0, 0, NULL},
    {"reason", F_TEXT, 0, 500, NULL, 0, 0, NULL},
};

static enum sh_code action_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct trip_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_trip_action(&u, x->id, x->act, x->reason, x->in.if_match, &x->out, e);
}

void h_trip_action(struct api_ctx *c)
{
    struct trip_ctx x = {.c = c};
    struct fval v[2];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (api_if_match(c->req, &x.in.if_match, &e) ||
        api_parse_object(c->a, c->req->body.buf, c->req->body.len, action_cols, 2, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    trip_action_parse(v[0].text, &x.act);
    x.reason = txt(&v[1]);
    if (api_write_or_reply(c, action_run, &x))
        reply(c, 200, &x.out);
}

static const struct col feedback_cols[] = {
    {"work_done", F_TEXT, COL_REQUIRED, 4000, NULL, 0, 0, NULL},
    {"result", F_TEXT, COL_REQUIRED, 2000, NULL, 0, 0, NULL},
    {"problems", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"customer_opinion", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
};

static enum sh_code feedback_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct trip_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_trip_feedback(&u, x->id, &x->fb, &x->out, e);
}

void h_trip_feedback(struct api_ctx *c)
{
    struct trip_ctx x = {.c = c};
    struct fval v[4];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, feedback_cols, 4, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.fb = (struct trip_feedback_in){.work_done = txt(&v[0]),
                                     .result = txt(&v[1]),
                                     .problems = txt(&v[2]),
                                     .customer_opinion = txt(&v[3])};
    if (!x.fb.work_done || !*x.fb.work_done || !x.fb.result || !*x.fb.result) {
        bad(&e, !x.fb.work_done || !*x.fb.work_done ? "work_done" : "result", "required",
            "the work done and the result of the trip are required");
        api_reply_err(c, &e);
        return;
    }
    if (api_write_or_reply(c, feedback_run, &x))
        reply(c, 200, &x.out);
}
