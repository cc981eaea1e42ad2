/* SPDX-License-Identifier: MIT */
/* GET/POST /api/v1/fee-rule-sets, GET /api/v1/fee-rule-sets/{id}, POST
 * /api/v1/fee-rule-sets/{id}/versions, POST /api/v1/fees/calculate: parse, call the use
 * case of app/fees.h, render. */
#include <string.h>

#include "api/fees.h"
#include "app/fees.h"

struct fee_call {
    struct api_ctx *c;
    int64_t id;
    json_t *body;
    struct fee_set_in in;
    struct fee_calc_in calc;
    struct fee_set_view view;
    struct fee_calc_out out;
    struct fee_set_row *sets;
    struct fee_version_row *newest;
    int n;
};

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct fee_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_fee_sets_list(&u, &x->sets, &x->newest, &x->n, e);
}

static void set_item(struct jw *w, int i, const void *arg)
{
    const struct fee_call *x = arg;
    fee_set_render(w, &x->sets[i], &x->newest[i], 1, false);
}

void h_fee_sets_list(struct api_ctx *c)
{
    struct fee_call x = {.c = c};
    if (!api_read_or_reply(c, list_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.n, .item = set_item, .arg = &x});
}

static void reply_view(struct api_ctx *c, int status, const struct fee_set_view *v)
{
    const char *js = fee_set_json(c->a, v);
    struct sh_buf b = SH_BUF_INIT(8 << 20);
    if (js && sh_buf_adds(&b, js) == SH_OK)
        api_reply_json(c, status, &b);
    else
        api_reply_error(c, SH_TOO_BIG, NULL, "response too large");
    sh_buf_release(&b);
}

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct fee_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_fee_set_get(&u, x->id, &x->view, e);
}

void h_fee_set_get(struct api_ctx *c)
{
    struct fee_call x = {.c = c};
    if (api_param_id(c, 0, &x.id) && api_read_or_reply(c, get_run, &x))
        reply_view(c, 200, &x.view);
}

/* a string member or NULL; anything else is refused by name */
static enum sh_code opt_str(json_t *o, const char *key, const char **out, struct sh_err *e)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return SH_OK;
    if (!json_is_string(v)) {
        sh_err_field(e, SH_INVALID, key, "%s must be a string", key);
        return sh_err_reason(e, "invalid_format", NULL);
    }
    *out = json_string_value(v);
    return SH_OK;
}

static enum sh_code parse_set(struct fee_call *x, const char *const *allowed, struct sh_err *e)
{
    enum sh_code rc = api_load_object(x->c->req->body.buf, x->c->req->body.len, &x->body, e);
    if (rc)
        return rc;
    const char *k;
    json_t *v;
    json_object_foreach(x->body, k, v)
    {
        bool ok = false;
        for (int i = 0; allowed[i]; i++)
            ok = ok || !strcmp(allowed[i], k);
        if (!ok) {
            sh_err_field(e, SH_INVALID, k, "unknown field %s", k);
            return sh_err_reason(e, "unknown_field", NULL);
        }
    }
    x->in.definition = json_object_get(x->body, "definition");
    if (opt_str(x->body, "code", &x->in.code, e) || opt_str(x->body, "name", &x->in.name, e) ||
        opt_str(x->body, "description", &x->in.description, e) ||
        opt_str(x->body, "effective_from", &x->in.effective_from, e) ||
        opt_str(x->body, "note", &x->in.note, e))
        return e->code;
    return SH_OK;
}

static enum sh_code create_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct fee_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_fee_set_create(&u, &x->in, &x->view, e);
}

void h_fee_set_create(struct api_ctx *c)
{
    static const char *const keys[] = {"code", "name",           "description", "definition",
                                       "note", "effective_from", NULL};
    struct fee_call x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    if (parse_set(&x, keys, &e))
        api_reply_err(c, &e);
    else if (api_write_or_reply(c, create_run, &x))
        reply_view(c, 201, &x.view);
    json_decref(x.body);
}

static enum sh_code version_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct fee_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_fee_version_add(&u, x->id, &x->in, &x->view, e);
}

void h_fee_version_add(struct api_ctx *c)
{
    static const char *const keys[] = {"definition", "note", "effective_from", NULL};
    struct fee_call x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (parse_set(&x, keys, &e))
        api_reply_err(c, &e);
    else if (api_write_or_reply(c, version_run, &x))
        reply_view(c, 201, &x.view);
    json_decref(x.body);
}

static enum sh_code calc_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct fee_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_fee_calculate(&u, &x->calc, &x->out, e);
}

/* {"rule_set": code or id, "inputs": {...}, "on": "YYYY-MM-DD"} */
static enum sh_code parse_calc(struct fee_call *x, struct sh_err *e)
{
    static const char *const keys[] = {"rule_set", "inputs", "on", NULL};
    FEE_TRY(parse_set(x, keys, e));
    json_t *rs = json_object_get(x->body, "rule_set");
    if (json_is_integer(rs))
        x->calc.set_id = json_integer_value(rs);
    else if (json_is_string(rs))
        x->calc.code = json_string_value(rs);
    else {
        sh_err_field(e, SH_INVALID, "rule_set", "rule_set: a code or an id");
        return sh_err_reason(e, rs ? "invalid_format" : "required", NULL);
    }
    x->calc.inputs = json_object_get(x->body, "inputs");
    return opt_str(x->body, "on", &x->calc.on, e);
}

void h_fee_calculate(struct api_ctx *c)
{
    struct fee_call x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    if (parse_calc(&x, &e))
        api_reply_err(c, &e);
    else if (api_read_or_reply(c, calc_run, &x)) {
        const char *js = fee_calc_json(c->a, &x.out);
        struct sh_buf b = SH_BUF_INIT(8 << 20);
        if (js && sh_buf_adds(&b, js) == SH_OK)
            api_reply_json(c, 200, &b);
        else
            api_reply_error(c, SH_TOO_BIG, NULL, "response too large");
        sh_buf_release(&b);
    }
    json_decref(x.body);
}
