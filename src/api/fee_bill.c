/* SPDX-License-Identifier: MIT */
/* POST /api/v1/secondments/{id}/bill, POST /api/v1/waiting-records/{id}/bill and POST
 * /api/v1/fees/bill: parse, call the use case of app/fee_bill.h, render (docs/fees.md
 * "Billing"). */
#include <string.h>

#include "api/fees.h"
#include "app/fee_bill.h"
#include "http/http.h"

struct bill_call {
    struct api_ctx *c;
    int64_t id;
    struct fee_bill_out rec;
    struct fee_bill_in in;
    struct fee_bill_calc_out calc;
    json_t *inputs;
    /* Idempotency-Key (docs/api.md §5): a retried bill answers the first answer again */
    const char *idem_key;
    bool replayed;
    int status;
    struct sh_buf out;
};

static void raw(struct jw *w, const char *key, const char *json)
{
    if (key)
        jw_key(w, key);
    jw_raw(w, json ? json : "null");
}

/* the answer of a bill, rendered inside the write (the key keeps it) */
static enum sh_code render(struct bill_call *x, struct db_tx *tx, struct sh_err *e)
{
    struct jw w;
    sh_buf_reset(&x->out);
    jw_init(&w, &x->out);
    jw_obj_begin(&w);
    if (x->rec.charge_id) {
        raw(&w, "charge", x->rec.charge_json);
        raw(&w, "record", x->rec.record_json);
    } else {
        raw(&w, "calculation", fee_calc_json(x->c->a, &x->calc.calc));
        jw_key(&w, "charges");
        jw_arr_begin(&w);
        for (int i = 0; i < x->calc.n; i++)
            raw(&w, NULL, x->calc.json[i]);
        jw_arr_end(&w);
    }
    jw_obj_end(&w);
    enum sh_code rc = jw_finish(&w);
    if (rc)
        return sh_err_set(e, rc, "response too large");
    x->status = 201;
    return x->idem_key ? api_idem_store(x->c, tx, x->idem_key, 201, x->out.buf, e) : SH_OK;
}

static enum sh_code bill_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct bill_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    enum sh_code rc;
    if (x->idem_key &&
        ((rc = api_idem_replay(x->c, tx, x->idem_key, &x->out, &x->status, &x->replayed, e)) ||
         x->replayed))
        return rc;
    rc = x->c->route->ent ? uc_fee_record_bill(&u, x->c->route->ent, x->id, &x->rec, e)
                          : uc_fee_calc_bill(&u, &x->in, &x->calc, e);
    return rc ? rc : render(x, tx, e);
}

static void reply(struct bill_call *x)
{
    if (api_write_or_reply(x->c, bill_run, x)) {
        if (x->replayed)
            http_add_header(x->c->req, "Idempotent-Replayed", "true");
        api_reply_json(x->c, x->status, &x->out);
    }
    sh_buf_release(&x->out);
}

/* the body is empty or an object without members: the record says everything */
void h_fee_record_bill(struct api_ctx *c)
{
    struct bill_call x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    struct fval none;
    if (!api_param_id(c, 0, &x.id) || !api_idem_key(c, &x.idem_key))
        return;
    if (c->req->body.len && api_parse_object(c->a, c->req->body.buf, c->req->body.len, NULL, 0,
                                             false, &none, NULL, &e)) {
        api_reply_err(c, &e);
        return;
    }
    sh_buf_init(&x.out, 8 << 20);
    reply(&x);
}

enum {
    B_OWNER_KIND,
    B_OWNER_ID,
    B_CUSTOMER,
    B_DEALER,
    B_SALES,
    B_CATEGORY,
    B_DESCRIPTION,
    B_CHARGED_ON,
    B_ON,
    B_N
};

static const struct col bill_cols[B_N] = {
    [B_OWNER_KIND] = {"owner_kind", F_STR, COL_REQUIRED, 40, NULL, 0, 0, NULL},
    [B_OWNER_ID] = {"owner_id", F_INT, COL_REQUIRED, 0, NULL, 1, 9e15, NULL},
    [B_CUSTOMER] = {"customer_id", F_INT, COL_NULLABLE, 0, NULL, 1, 9e15, NULL},
    [B_DEALER] = {"dealer_id", F_INT, COL_NULLABLE, 0, NULL, 1, 9e15, NULL},
    [B_SALES] = {"sales_user_id", F_INT, COL_NULLABLE, 0, NULL, 1, 9e15, NULL},
    [B_CATEGORY] = {"category", F_STR, COL_NULLABLE, 40, NULL, 0, 0, NULL},
    [B_DESCRIPTION] = {"description", F_STR, COL_NULLABLE, 200, NULL, 0, 0, NULL},
    [B_CHARGED_ON] = {"charged_on", F_DATE, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    [B_ON] = {"on", F_DATE, COL_NULLABLE, 0, NULL, 0, 0, NULL},
};

/* rule_set (a code or an id) and inputs (an object) beside the columns */
static enum sh_code bill_extra(struct api_ctx *c, void *arg, const char *key, json_t *v,
                               bool *known, struct sh_err *e)
{
    struct bill_call *x = arg;
    (void)c;
    if (!strcmp(key, "inputs")) {
        x->inputs = json_incref(v);
        return SH_OK;
    }
    if (strcmp(key, "rule_set")) {
        *known = false;
        return SH_OK;
    }
    if (json_is_integer(v))
        x->in.calc.set_id = json_integer_value(v);
    else if (json_is_string(v))
        x->in.calc.code = sh_arena_strdup(x->c->a, json_string_value(v));
    else {
        sh_err_field(e, SH_INVALID, "rule_set", "rule_set: a code or an id");
        return sh_err_reason(e, "invalid_format", NULL);
    }
    return SH_OK;
}

static const char *text(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}

static enum sh_code parse_bill(struct bill_call *x, struct sh_err *e)
{
    struct fval v[B_N];
    struct api_body b = {.cols = bill_cols, .ncols = B_N, .extra = bill_extra, .arg = x};
    enum sh_code rc = api_parse_body(x->c, &b, v, e);
    if (rc)
        return rc;
    x->in.owner_kind = text(&v[B_OWNER_KIND]);
    x->in.owner_id = v[B_OWNER_ID].i;
    x->in.customer_id = text(&v[B_CUSTOMER]) ? v[B_CUSTOMER].i : 0;
    x->in.dealer_id = text(&v[B_DEALER]) ? v[B_DEALER].i : 0;
    x->in.sales_user_id = text(&v[B_SALES]) ? v[B_SALES].i : 0;
    x->in.category = text(&v[B_CATEGORY]);
    x->in.description = text(&v[B_DESCRIPTION]);
    x->in.charged_on = text(&v[B_CHARGED_ON]);
    x->in.calc.on = text(&v[B_ON]);
    x->in.calc.inputs = x->inputs;
    return SH_OK;
}

/* {"rule_set", "inputs", "on", "owner_kind", "owner_id", "customer_id", "dealer_id",
 * "sales_user_id", "category", "description", "charged_on"} → 201 {calculation, charges} */
void h_fee_calc_bill(struct api_ctx *c)
{
    struct bill_call x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_idem_key(c, &x.idem_key))
        return;
    if (parse_bill(&x, &e))
        api_reply_err(c, &e);
    else {
        sh_buf_init(&x.out, 8 << 20);
        reply(&x);
    }
    json_decref(x.inputs);
}
