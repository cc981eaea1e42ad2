/* SPDX-License-Identifier: MIT */
/* Software versions and upgrades (issue 18 item 3; docs/versions.md):
 * GET/POST /api/v1/units/{id}/versions (the ledger, its compliance with the model's rules),
 * GET /api/v1/units/{id}/upgrade-entitlement, and an upgrade campaign's candidates, launch,
 * progress and recorded upgrades. The rules and campaigns themselves are entity routes. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "app/resources.h"
#include "app/versions.h"
#include "http/http.h"

static const char *txt(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}

struct ver_ctx {
    struct api_ctx *c;
    int64_t id, ticket_id, entry_id;
    int created;
    struct unit_version_in in;
    const char *sw_version, *note;
    struct unit_versions_view view;
    struct upgrade_entitlement_view ent;
    enum upgrade_kind kind;
    int64_t cost_fen;
    struct db_rows rows;
    struct campaign_progress prog;
};

/* ---- the ledger ---- */

/* An entry; a customer or dealer account does not see who set it. */
static void entry_json(struct jw *w, const struct db_rows *r, int i, bool external)
{
    jw_obj_begin(w);
    jw_kintstr(w, "id", db_get(r, i, "id"));
    jw_kstr(w, "component", db_get(r, i, "component"));
    jw_kstr(w, "sw_version", db_get(r, i, "sw_version"));
    jw_kstr(w, "set_at", db_get(r, i, "set_at"));
    jw_kintstr(w, "ticket_id", db_get(r, i, "ticket_id"));
    jw_kstr(w, "ticket_number", db_get(r, i, "ticket_number"));
    if (!external) {
        jw_kintstr(w, "work_order_id", db_get(r, i, "work_order_id"));
        jw_kintstr(w, "campaign_id", db_get(r, i, "campaign_id"));
        jw_kstr(w, "note", db_get(r, i, "note"));
        jw_kintstr(w, "set_by", db_get(r, i, "set_by"));
        const char *name = db_get(r, i, "set_by_name");
        jw_kstr(w, "set_by_name", name ? name : db_get(r, i, "set_by_username"));
    }
    jw_obj_end(w);
}

static void versions_reply(struct api_ctx *c, int status, const struct unit_versions_view *v)
{
    bool ext = api_is_external(c);
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "unit_id", v->unit_id);
    jw_kint(&w, "model_id", v->model_id);
    jw_kstr(&w, "compliance", version_compliance_names[v->overall]);
    jw_key(&w, "current");
    jw_arr_begin(&w);
    for (int i = 0; i < v->current.nrows; i++) {
        jw_obj_begin(&w);
        jw_kstr(&w, "component", db_get(&v->current, i, "component"));
        jw_kstr(&w, "compliance", version_compliance_names[v->compliance[i]]);
        jw_key(&w, "entry");
        entry_json(&w, &v->current, i, ext);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "history");
    jw_arr_begin(&w);
    for (int i = 0; i < v->history.nrows; i++)
        entry_json(&w, &v->history, i, ext);
    jw_arr_end(&w);
    jw_key(&w, "rules");
    jw_arr_begin(&w);
    for (int i = 0; i < v->rules.nrows; i++) {
        jw_obj_begin(&w);
        jw_kintstr(&w, "id", db_get(&v->rules, i, "id"));
        jw_kstr(&w, "component", db_get(&v->rules, i, "component"));
        jw_kstr(&w, "sw_version", db_get(&v->rules, i, "sw_version"));
        jw_kstr(&w, "status", db_get(&v->rules, i, "status"));
        jw_kstr(&w, "reason", db_get(&v->rules, i, "reason"));
        jw_kstr(&w, "withdrawn_on", db_get(&v->rules, i, "withdrawn_on"));
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    api_reply_jw(c, status, &b, &w);
}

static enum sh_code versions_get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct ver_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_unit_versions(&u, x->id, &x->view, e);
}

void h_unit_versions(struct api_ctx *c)
{
    struct ver_ctx x = {.c = c};
    if (api_param_id(c, 0, &x.id) && api_read_or_reply(c, versions_get_run, &x))
        versions_reply(c, 200, &x.view);
}

static const struct col entry_cols[] = {
    {"component", F_STR, COL_REQUIRED, VERSION_COMPONENT_MAX, NULL, 0, 0, NULL},
    {"sw_version", F_STR, COL_REQUIRED, VERSION_TEXT_MAX, NULL, 0, 0, NULL},
    {"note", F_TEXT, 0, 500, NULL, 0, 0, NULL},
    {"ticket_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"work_order_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
};

static enum sh_code version_add_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct ver_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    enum sh_code rc = uc_unit_version_add(&u, &x->in, &x->entry_id, e);
    return rc ? rc : uc_unit_versions(&u, x->id, &x->view, e);
}

void h_unit_version_add(struct api_ctx *c)
{
    struct ver_ctx x = {.c = c};
    struct fval v[NCOLS(entry_cols)];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (api_parse_body(c, &(struct api_body){.cols = entry_cols, .ncols = NCOLS(entry_cols)}, v,
                       &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.in = (struct unit_version_in){.unit_id = x.id,
                                    .component = txt(&v[0]),
                                    .sw_version = txt(&v[1]),
                                    .note = txt(&v[2]),
                                    .ticket_id = txt(&v[3]) ? v[3].i : 0,
                                    .work_order_id = txt(&v[4]) ? v[4].i : 0};
    if (api_write_or_reply(c, version_add_run, &x))
        versions_reply(c, 201, &x.view);
}

/* ---- entitlement ---- */

static enum sh_code entitlement_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct ver_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    enum sh_code rc = uc_ent_visible(&u, &ent_units, x->id, e);
    return rc ? rc : uc_upgrade_entitlement(&u, x->id, x->kind, x->cost_fen, &x->ent, e);
}

/* kind (required) and cost_fen (optional, integer fen) from the query string */
static bool entitlement_query(struct api_ctx *c, struct ver_ctx *x)
{
    const char *kind = http_query(c->req, "kind"), *cost = http_query(c->req, "cost_fen");
    int k = upgrade_name_index(upgrade_kind_names, kind);
    struct sh_err e;
    sh_err_clear(&e);
    if (k < 0) {
        sh_err_field(&e, SH_INVALID, "kind", "'kind' is display, playback or functional");
        sh_err_reason(&e, kind ? "unknown_value" : "required", NULL);
        api_reply_err(c, &e);
        return false;
    }
    x->kind = (enum upgrade_kind)k;
    x->cost_fen = -1;
    if (cost) {
        char *end;
        long long n = strtoll(cost, &end, 10);
        if (!*cost || *end || n < 0 || n > 1000000000000LL) {
            sh_err_field(&e, SH_INVALID, "cost_fen", "'cost_fen' is an amount in fen");
            sh_err_reason(&e, "invalid_format", NULL);
            api_reply_err(c, &e);
            return false;
        }
        x->cost_fen = n;
    }
    return true;
}

void h_unit_upgrade_entitlement(struct api_ctx *c)
{
    struct ver_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !entitlement_query(c, &x) ||
        !api_read_or_reply(c, entitlement_run, &x))
        return;
    const struct upgrade_out *o = &x.ent.out;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "unit_id", x.id);
    jw_kstr(&w, "kind", upgrade_kind_names[x.ent.kind]);
    jw_kstr(&w, "warranty", x.ent.warranty);
    jw_kstr(&w, "billing", upgrade_billing_names[o->billing]);
    jw_kstr(&w, "reason", o->reason);
    jw_kstr(&w, "price", upgrade_price_names[o->price]);
    if (o->has_amount)
        jw_kint(&w, "amount_fen", o->amount_fen);
    else
        jw_knull(&w, "amount_fen");
    jw_kstr(&w, "rule_set", x.ent.rule_set);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

/* ---- campaigns ---- */

static enum sh_code candidates_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct ver_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_campaign_candidates(&u, x->id, &x->rows, e);
}

static void candidate_item(struct jw *w, int i, const void *arg)
{
    const struct db_rows *r = arg;
    jw_obj_begin(w);
    jw_kintstr(w, "unit_id", db_get(r, i, "id"));
    jw_kstr(w, "serial_no", db_get(r, i, "serial_no"));
    jw_kintstr(w, "customer_id", db_get(r, i, "customer_id"));
    jw_kstr(w, "customer_name", db_get(r, i, "customer_name"));
    jw_kstr(w, "sw_version", db_get(r, i, "sw_version"));
    jw_obj_end(w);
}

void h_campaign_candidates(struct api_ctx *c)
{
    struct ver_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_read_or_reply(c, candidates_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.rows.nrows,
                                         .item = candidate_item,
                                         .arg = &x.rows,
                                         .has_total = true,
                                         .total = x.rows.nrows,
                                         .has_cursor = true});
}

static void progress_json(struct jw *w, const struct campaign_progress *p)
{
    jw_key(w, "counts");
    jw_obj_begin(w);
    for (int i = 0; i < p->counts.nrows; i++)
        jw_kint(w, db_get(&p->counts, i, "status"), db_get_int(&p->counts, i, "n", 0));
    jw_obj_end(w);
    jw_kint(w, "total", p->tickets.nrows);
    jw_kint(w, "recorded", p->recorded);
    jw_key(w, "tickets");
    jw_arr_begin(w);
    const struct db_rows *r = &p->tickets;
    for (int i = 0; i < r->nrows; i++) {
        jw_obj_begin(w);
        jw_kintstr(w, "ticket_id", db_get(r, i, "ticket_id"));
        jw_kstr(w, "number", db_get(r, i, "number"));
        jw_kstr(w, "status", db_get(r, i, "status"));
        jw_kintstr(w, "unit_id", db_get(r, i, "unit_id"));
        jw_kstr(w, "serial_no", db_get(r, i, "serial_no"));
        jw_kstr(w, "from_version", db_get(r, i, "from_version"));
        jw_kstr(w, "billing", db_get(r, i, "billing"));
        jw_kstr(w, "reason", db_get(r, i, "reason"));
        jw_kintstr(w, "amount_fen", db_get(r, i, "amount_fen"));
        jw_kstr(w, "recorded_at", db_get(r, i, "recorded_at"));
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void progress_reply(struct api_ctx *c, int status, const struct ver_ctx *x)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "campaign_id", x->id);
    if (x->created >= 0 && status == 201)
        jw_kint(&w, "created", x->created);
    if (x->entry_id)
        jw_kint(&w, "entry_id", x->entry_id);
    progress_json(&w, &x->prog);
    jw_obj_end(&w);
    api_reply_jw(c, status, &b, &w);
}

static enum sh_code progress_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct ver_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_campaign_progress(&u, x->id, &x->prog, e);
}

void h_campaign_progress(struct api_ctx *c)
{
    struct ver_ctx x = {.c = c};
    if (api_param_id(c, 0, &x.id) && api_read_or_reply(c, progress_run, &x))
        progress_reply(c, 200, &x);
}

static const struct col record_cols[] = {
    {"ticket_id", F_ID, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"sw_version", F_STR, 0, VERSION_TEXT_MAX, NULL, 0, 0, NULL},
    {"note", F_TEXT, 0, 500, NULL, 0, 0, NULL},
};

static enum sh_code launch_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct ver_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    enum sh_code rc = uc_campaign_launch(&u, x->id, &x->created, e);
    return rc ? rc : uc_campaign_progress(&u, x->id, &x->prog, e);
}

void h_campaign_launch(struct api_ctx *c)
{
    struct ver_ctx x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    /* the launch takes no input: a body, if any, is an empty object */
    if (c->req->body.len &&
        api_parse_body(c, &(struct api_body){.cols = record_cols, .ncols = 0}, NULL, &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (api_write_or_reply(c, launch_run, &x))
        progress_reply(c, 201, &x);
}

static enum sh_code record_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct ver_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    enum sh_code rc =
        uc_campaign_record(&u, x->id, x->ticket_id, x->sw_version, x->note, &x->entry_id, e);
    return rc ? rc : uc_campaign_progress(&u, x->id, &x->prog, e);
}

void h_campaign_record(struct api_ctx *c)
{
    struct ver_ctx x = {.c = c, .created = -1};
    struct fval v[NCOLS(record_cols)];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (api_parse_body(c, &(struct api_body){.cols = record_cols, .ncols = NCOLS(record_cols)}, v,
                       &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.ticket_id = v[0].i;
    x.sw_version = txt(&v[1]);
    x.note = txt(&v[2]);
    if (api_write_or_reply(c, record_run, &x))
        progress_reply(c, 201, &x);
}
