/* SPDX-License-Identifier: MIT */
/* Receipts and credits (docs/charges.md "Receipts and credits"; app/charge_receipts.h):
 *   POST /api/v1/charge-payments/allocate  one receipt across a payer's open charges
 *        {payer, customer_id | dealer_id | sales_user_id, amount_fen, paid_on, method?,
 *         reference?, charge_ids?}
 *   POST /api/v1/charges/{id}/apply-credit  a credit line applied to the payer's open charges
 *        {payer?, amount_fen?, paid_on?, reference?, charge_ids?}
 *   POST /api/v1/charges/{id}/refund        a credit line paid back
 *        {payer?, amount_fen?, paid_on, method?, reference?}
 * Each answers 201 with the allocation; an Idempotency-Key answers a retry with the first
 * answer. Parse, call the use case, render. */
#include <inttypes.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "app/charge_receipts.h"

static const char *const payer_enum[] = {"customer", "dealer", "sales", NULL};
static const char *const method_enum[] = {"transfer", "cash", "cheque", "offset", "other", NULL};

enum { B_PAYER, B_CUSTOMER, B_DEALER, B_SALES, B_AMOUNT, B_PAID_ON, B_METHOD, B_REF, B_COUNT };

#define PARTY(name)                                                                                \
    {                                                                                              \
        name, F_INT, 0, 0, NULL, 1, 9e15, NULL                                                     \
    }
static const struct col body_cols[B_COUNT] = {
    {"payer", F_ENUM, 0, 0, payer_enum, 0, 0, NULL},
    PARTY("customer_id"),
    PARTY("dealer_id"),
    PARTY("sales_user_id"),
    {"amount_fen", F_MONEY, 0, 0, NULL, 1, 1e12, NULL},
    {"paid_on", F_DATE, 0, 0, NULL, 0, 0, NULL},
    {"method", F_ENUM, 0, 0, method_enum, 0, 0, NULL},
    {"reference", F_STR, 0, 60, NULL, 0, 0, NULL},
};

enum rc_kind { K_ALLOCATE, K_APPLY, K_REFUND };

/* the body keys each request takes, and those it must have */
static const unsigned takes[3] = {
    (1u << B_COUNT) - 1,
    1u << B_PAYER | 1u << B_AMOUNT | 1u << B_PAID_ON | 1u << B_REF,
    1u << B_PAYER | 1u << B_AMOUNT | 1u << B_PAID_ON | 1u << B_METHOD | 1u << B_REF,
};
static const unsigned needs[3] = {1u << B_PAYER | 1u << B_AMOUNT | 1u << B_PAID_ON, 0,
                                  1u << B_PAID_ON};

struct rc_call {
    struct api_ctx *c;
    enum rc_kind kind;
    int64_t id;
    struct receipt_in in;
    int64_t ids[RECEIPT_MAX_CHARGES];
    const char *idem_key;
    struct sh_buf out;
    bool replayed;
    int status;
};

static enum sh_code ids_extra(struct api_ctx *c, void *arg, const char *key, json_t *v, bool *known,
                              struct sh_err *e)
{
    (void)c;
    struct rc_call *x = arg;
    if (strcmp(key, "charge_ids") || x->kind == K_REFUND) {
        *known = false;
        return SH_OK;
    }
    x->in.charge_ids = x->ids;
    return api_parse_ids(v, key, RECEIPT_MAX_CHARGES, x->ids, &x->in.ncharge_ids, e);
}

static const char *txt(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}

/* A receipt names the payer's own party (customer_id for the customer, ...), and no other. */
static enum sh_code party(struct rc_call *x, const struct fval *v, struct sh_err *e)
{
    static const int cols[3] = {B_CUSTOMER, B_DEALER, B_SALES};
    for (int i = 0; i < 3; i++) {
        bool mine = !strcmp(x->in.payer, payer_enum[i]);
        if (mine && !v[cols[i]].present) {
            sh_err_field(e, SH_INVALID, body_cols[cols[i]].name, "the payer's %s is required",
                         body_cols[cols[i]].name);
            return sh_err_reason(e, "required", NULL);
        }
        if (!mine && v[cols[i]].present) {
            sh_err_field(e, SH_INVALID, body_cols[cols[i]].name, "'%s' is not the payer's",
                         body_cols[cols[i]].name);
            return sh_err_reason(e, "not_allowed", NULL);
        }
        if (mine)
            x->in.party_id = v[cols[i]].i;
    }
    return SH_OK;
}

static enum sh_code parse(struct rc_call *x, struct sh_err *e)
{
    struct fval v[B_COUNT];
    struct api_body body = {
        .cols = body_cols, .ncols = B_COUNT, .mask = takes[x->kind], .extra = ids_extra, .arg = x};
    enum sh_code rc = api_parse_body(x->c, &body, v, e);
    for (int i = 0; !rc && i < B_COUNT; i++) {
        if ((needs[x->kind] >> i & 1u) && !v[i].present) {
            sh_err_field(e, SH_INVALID, body_cols[i].name, "'%s' is required", body_cols[i].name);
            return sh_err_reason(e, "required", NULL);
        }
    }
    if (rc)
        return rc;
    x->in.payer = txt(&v[B_PAYER]) ? txt(&v[B_PAYER]) : "customer";
    x->in.amount_fen = v[B_AMOUNT].present ? v[B_AMOUNT].i : 0;
    x->in.paid_on = txt(&v[B_PAID_ON]);
    x->in.method = txt(&v[B_METHOD]);
    x->in.reference = txt(&v[B_REF]);
    return x->kind == K_ALLOCATE ? party(x, v, e) : SH_OK;
}

static void render(struct jw *w, const struct receipt_out *o)
{
    jw_obj_begin(w);
    jw_kint(w, "receipt_id", o->receipt_id);
    jw_kstr(w, "kind", o->kind);
    jw_kint(w, "amount_fen", o->amount_fen);
    jw_kint(w, "open_fen", o->open_fen);
    if (o->credit_id) {
        jw_kint(w, "credit_id", o->credit_id);
        jw_kint(w, "credit_fen", o->credit_fen);
    }
    jw_key(w, "allocations");
    jw_arr_begin(w);
    for (int i = 0; i < o->n; i++) {
        jw_obj_begin(w);
        jw_kint(w, "charge_id", o->allocs[i].charge_id);
        jw_kint(w, "payment_id", o->allocs[i].payment_id);
        jw_kint(w, "amount_fen", o->allocs[i].amount_fen);
        jw_kint(w, "open_fen", o->allocs[i].open_fen);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

static enum sh_code run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct rc_call *x = arg;
    enum sh_code rc;
    if (x->idem_key &&
        ((rc = api_idem_replay(x->c, tx, x->idem_key, &x->out, &x->status, &x->replayed, e)) ||
         x->replayed))
        return rc;
    const struct uc u = api_uc(x->c, tx);
    struct receipt_out o;
    rc = x->kind == K_ALLOCATE ? uc_receipt_allocate(&u, &x->in, &o, e)
         : x->kind == K_APPLY  ? uc_credit_apply(&u, x->id, &x->in, &o, e)
                               : uc_credit_refund(&u, x->id, &x->in, &o, e);
    if (rc)
        return rc;
    struct jw w;
    sh_buf_reset(&x->out);
    jw_init(&w, &x->out);
    render(&w, &o);
    if ((rc = jw_finish(&w)))
        return sh_err_set(e, rc, "the answer is too large");
    x->status = 201;
    return x->idem_key ? api_idem_store(x->c, tx, x->idem_key, 201, x->out.buf, e) : SH_OK;
}

static void handle(struct api_ctx *c, enum rc_kind kind)
{
    struct rc_call x = {.c = c, .kind = kind};
    sh_buf_init(&x.out, 1 << 20);
    struct sh_err e;
    sh_err_clear(&e);
    if ((kind != K_ALLOCATE && !api_param_id(c, 0, &x.id)) || !api_idem_key(c, &x.idem_key))
        goto out;
    if (parse(&x, &e) || db_write(c->app->db, run, &x, &e)) {
        api_reply_err(c, &e);
        goto out;
    }
    if (x.replayed)
        http_add_header(c->req, "Idempotent-Replayed", "true");
    api_reply_json(c, x.status, &x.out);
out:
    sh_buf_release(&x.out);
}

void h_charge_allocate(struct api_ctx *c)
{
    handle(c, K_ALLOCATE);
}

void h_credit_apply(struct api_ctx *c)
{
    handle(c, K_APPLY);
}

void h_credit_refund(struct api_ctx *c)
{
    handle(c, K_REFUND);
}
