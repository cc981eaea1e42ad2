/* SPDX-License-Identifier: MIT */
/* POST /api/v1/work-orders/{id}/actions: {"action": confirm | depart | arrive | running_late |
 * finish | cancel, "result", "note", "eta_at", "lat", "lon"}; If-Match is honoured. */
#include <string.h>

#include "api/ifmatch.h"
#include "api/work_orders.h"

static const struct col action_cols[] = {
    {"action", F_ENUM, COL_REQUIRED, 0, wo_action_names, 0, 0, NULL},
    {"result", F_ENUM, 0, 0, wo_result_names, 0, 0, NULL},
    {"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"eta_at", F_TS, 0, 0, NULL, 0, 0, NULL},
    {"lat", F_REAL, 0, 0, NULL, -90, 90, NULL},
    {"lon", F_REAL, 0, 0, NULL, -180, 180, NULL},
};
enum { A_ACTION, A_RESULT, A_NOTE, A_ETA, A_LAT, A_LON, A_COUNT };

struct action_ctx {
    struct api_ctx *c;
    struct wo_action_in in;
    struct wo_view out;
};

static enum sh_code action_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct action_ctx *x = arg;
    const struct uc u = wo_uc(x->c, tx);
    return uc_work_order_action(&u, &x->in, &x->out, e);
}

static const char *txt(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}

void h_work_order_action(struct api_ctx *c)
{
    struct action_ctx x = {.c = c};
    struct fval v[A_COUNT];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.in.id))
        return;
    if (api_if_match(c->req, &x.in.if_match, &e) ||
        api_parse_object(c->a, c->req->body.buf, c->req->body.len, action_cols, A_COUNT, false, v,
                         NULL, &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (v[A_LAT].present != v[A_LON].present) {
        sh_err_field(&e, SH_INVALID, v[A_LAT].present ? "lon" : "lat", "lat and lon go together");
        sh_err_reason(&e, "required", NULL);
        api_reply_err(c, &e);
        return;
    }
    wo_action_parse(v[A_ACTION].text, &x.in.act);
    x.in.result = txt(&v[A_RESULT]);
    x.in.note = txt(&v[A_NOTE]);
    x.in.eta_at = txt(&v[A_ETA]);
    x.in.has_position = txt(&v[A_LAT]) && txt(&v[A_LON]);
    x.in.lat = v[A_LAT].r;
    x.in.lon = v[A_LON].r;
    if (db_write(c->app->db, action_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    wo_reply(c, 200, &x.out);
}
