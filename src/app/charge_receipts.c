/* SPDX-License-Identifier: MIT */
/* Receipts allocated across charges, credits applied and refunded (app/charge_receipts.h,
 * docs/charges.md "Receipts and credits"). The payments go through the payment entity
 * (uc_ent_insert: its paid_on rules, the open part checked again, the charge's paid amounts
 * and state derived, an audit row each). */
#include "app/charge_receipts.h"

#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/charges.h"
#include "app/entity.h"
#include "app/ticket_warranty.h"
#include "base/date.h"
#include "base/jw.h"

static enum sh_code refuse(struct sh_err *e, enum sh_code code, const char *field,
                           const char *reason, const char *params, const char *msg)
{
    sh_err_field(e, code, field, "%s", msg);
    return params ? sh_err_reason(e, reason, "%s", params) : sh_err_reason(e, reason, NULL);
}

static enum sh_code refuse_charge(const struct uc *u, struct sh_err *e, const char *reason,
                                  int64_t charge_id, const char *msg)
{
    return refuse(e, SH_CONFLICT, "charge_ids", reason,
                  sh_arena_printf(u->a, "{\"charge_id\":%" PRId64 "}", charge_id), msg);
}

static enum sh_code overpaid(const struct uc *u, struct sh_err *e, int64_t open)
{
    return refuse(e, SH_CONFLICT, "amount_fen", "overpayment",
                  sh_arena_printf(u->a, "{\"open_fen\":%" PRId64 "}", open),
                  "the amount is more than what is open");
}

/* RULE review 70 H1: what is open is read with the charges locked (PostgreSQL: FOR UPDATE, in
 * the order they are settled, so two receipts over the same charges queue rather than both
 * seeing the same open part; SQLite has one writer). */
static const char *locked(const struct uc *u)
{
    return db_tx_dialect(u->tx) == DB_PG ? " FOR UPDATE" : "";
}

/* The open charges a receipt or credit settles, oldest charged_on first: the named ones,
 * each the payer's (409 other_payer) with some of its part open (409 not_open), or all the
 * payer's charges with an open part above zero. *total: their open parts added up. */
static enum sh_code targets(const struct uc *u, int k, int64_t party, const struct receipt_in *in,
                            struct db_rows *r, int64_t *total, struct sh_err *e)
{
    struct sh_buf ids = SH_BUF_INIT(1 << 12);
    for (int i = 0; i < in->ncharge_ids; i++) {
        if (sh_buf_addf(&ids, "%s%" PRId64, i ? "," : "", in->charge_ids[i]))
            break;
    }
    const char *where =
        in->ncharge_ids
            ? sh_arena_printf(u->a, "id IN (%s)", ids.buf)
            : sh_arena_printf(u->a, "%s = $1 AND %s - %s > 0", charge_payers[k].party_col,
                              charge_payers[k].part_col, charge_payers[k].paid_col);
    sh_buf_release(&ids);
    const struct db_val p[] = {DB_INT(party)};
    enum sh_code rc =
        db_query(u->tx, u->a,
                 sh_arena_printf(
                     u->a,
                     "SELECT id, %s AS party, %s - %s AS open_fen FROM charges WHERE %s ORDER BY "
                     "charged_on, id%s",
                     charge_payers[k].party_col, charge_payers[k].part_col,
                     charge_payers[k].paid_col, where, locked(u)),
                 in->ncharge_ids ? NULL : p, in->ncharge_ids ? 0 : 1, r, e);
    if (rc)
        return rc;
    for (int i = 0; i < in->ncharge_ids; i++) {
        bool found = false;
        for (int j = 0; j < r->nrows && !found; j++)
            found = db_get_int(r, j, "id", 0) == in->charge_ids[i];
        if (!found)
            return refuse(e, SH_UNPROCESSABLE, "charge_ids", "unknown_reference",
                          sh_arena_printf(u->a, "{\"charge_id\":%" PRId64 "}", in->charge_ids[i]),
                          "no such charge");
    }
    *total = 0;
    for (int j = 0; j < r->nrows; j++) {
        int64_t id = db_get_int(r, j, "id", 0), open = db_get_int(r, j, "open_fen", 0);
        if (db_get_int(r, j, "party", 0) != party)
            return refuse_charge(u, e, "other_payer", id, "the charge is another payer's");
        if (open <= 0)
            return refuse_charge(u, e, "not_open", id, "nothing of the payer's part is open");
        *total += open;
    }
    return SH_OK;
}

static void fv(const struct uc *u, struct fval *vals, const char *name, const char *text, int64_t n)
{
    int i = ent_colidx(&ent_charge_payments, name);
    if (i < 0)
        return;
    vals[i].present = true;
    vals[i].is_null = false;
    vals[i].text = text ? text : sh_arena_printf(u->a, "%" PRId64, n);
    vals[i].i = n;
}

/* One payment of amount (below zero: a credit line's consumed part) on charge_id. */
static enum sh_code pay(const struct uc *u, struct receipt_out *out, const char *payer,
                        int64_t charge_id, int64_t amount, const char *paid_on, const char *method,
                        const char *reference, struct sh_err *e)
{
    size_t size = sizeof(struct fval) * (size_t)ent_charge_payments.ncols;
    struct fval *vals = sh_arena_alloc(u->a, size);
    memset(vals, 0, size);
    fv(u, vals, "charge_id", NULL, charge_id);
    fv(u, vals, "payer", payer, 0);
    fv(u, vals, "amount_fen", NULL, amount);
    fv(u, vals, "paid_on", paid_on, 0);
    fv(u, vals, "method", method, 0);
    fv(u, vals, "reference", reference, 0);
    fv(u, vals, "receipt_id", NULL, out->receipt_id);
    struct receipt_alloc *a = &out->allocs[out->n];
    *a = (struct receipt_alloc){.charge_id = charge_id, .amount_fen = amount};
    enum sh_code rc = uc_ent_insert(u, &ent_charge_payments, vals, &a->payment_id, NULL, e);
    if (!rc)
        out->n++;
    return rc;
}

/* Pays amount across the targets r in their order, each at most its open part. */
static enum sh_code allocate(const struct uc *u, const struct db_rows *r, const char *payer,
                             int64_t amount, const char *paid_on, const char *method,
                             const char *reference, struct receipt_out *out, struct sh_err *e)
{
    enum sh_code rc = SH_OK;
    for (int j = 0; !rc && j < r->nrows && amount > 0; j++) {
        int64_t open = db_get_int(r, j, "open_fen", 0), take = amount < open ? amount : open;
        rc = pay(u, out, payer, db_get_int(r, j, "id", 0), take, paid_on, method, reference, e);
        if (!rc)
            out->allocs[out->n - 1].open_fen = open - take;
        amount -= take;
    }
    return rc;
}

/* The charge_receipts row and its audit row. */
static enum sh_code receipt_add(const struct uc *u, int k, int64_t party, const char *paid_on,
                                const char *method, const char *reference, struct receipt_out *out,
                                struct sh_err *e)
{
    char ts[21];
    sh_ts_format(u->now, ts);
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "INSERT INTO charge_receipts (kind, payer, party_id, credit_id, amount_fen, paid_on, "
        "method, reference, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
        "$10) RETURNING id",
        DB_P(DB_TEXT(out->kind), DB_TEXT(charge_payers[k].name), DB_INT(party),
             out->credit_id ? DB_INT(out->credit_id) : DB_NULL, DB_INT(out->amount_fen),
             DB_TEXT(paid_on), DB_TEXT(method), DB_TEXT(reference),
             u->who && u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL, DB_TEXT(ts)),
        &r, e);
    if (rc)
        return rc;
    out->receipt_id = db_get_int(&r, 0, "id", 0);
    struct sh_buf b = SH_BUF_INIT(1 << 12);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kstr(&w, "kind", out->kind);
    jw_kstr(&w, "payer", charge_payers[k].name);
    jw_kint(&w, "party_id", party);
    if (out->credit_id)
        jw_kint(&w, "credit_id", out->credit_id);
    jw_kint(&w, "amount_fen", out->amount_fen);
    jw_kstr(&w, "paid_on", paid_on);
    jw_kstr(&w, "method", method);
    jw_kstr(&w, "reference", reference);
    jw_obj_end(&w);
    const char *after = jw_finish(&w) == SH_OK ? sh_arena_strdup(u->a, b.buf) : NULL;
    sh_buf_release(&b);
    return uc_audit(u, "charge_receipt", out->receipt_id, "create", NULL, after, e);
}

static const char *local_today(const struct uc *u)
{
    char d[11];
    sh_date_format(ticket_local_date(u->now), d);
    return sh_arena_strdup(u->a, d);
}

static void out_init(const struct uc *u, struct receipt_out *out, const char *kind, int n)
{
    memset(out, 0, sizeof(*out));
    out->kind = kind;
    out->allocs = sh_arena_alloc(u->a, sizeof(*out->allocs) * (size_t)(n + 1));
}

/* RULE review 70 L8: the payer named exists (a customer or dealer record, or a user): 422
 * unknown_reference on its field, not 409 overpayment with nothing open */
static enum sh_code party_exists(const struct uc *u, int k, int64_t id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               k == 2 ? "SELECT id FROM users WHERE id = $1"
                                      : "SELECT id FROM customers WHERE id = $1",
                               DB_P(DB_INT(id)), &r, e);
    if (rc || r.nrows)
        return rc;
    return refuse(e, SH_UNPROCESSABLE, charge_payers[k].party_col, "unknown_reference", NULL,
                  "no such payer");
}

enum sh_code uc_receipt_allocate(const struct uc *u, const struct receipt_in *in,
                                 struct receipt_out *out, struct sh_err *e)
{
    int k = charge_payer_index(in->payer);
    struct db_rows r;
    int64_t total;
    /* RULE review 70 L10: money received is no offset: a credit is applied by apply-credit */
    if (in->method && !strcmp(in->method, "offset"))
        return refuse(e, SH_INVALID, "method", "unknown_value",
                      "{\"allowed\":[\"transfer\",\"cash\",\"cheque\",\"other\"]}",
                      "a receipt is money received: a credit is applied with apply-credit");
    enum sh_code rc = party_exists(u, k, in->party_id, e);
    if (!rc)
        rc = targets(u, k, in->party_id, in, &r, &total, e);
    if (rc)
        return rc;
    if (in->amount_fen > total)
        return overpaid(u, e, total);
    out_init(u, out, "receipt", r.nrows);
    out->amount_fen = in->amount_fen;
    out->open_fen = total;
    const char *method = in->method ? in->method : "transfer";
    const char *ref = in->reference ? in->reference : "";
    if ((rc = receipt_add(u, k, in->party_id, in->paid_on, method, ref, out, e)))
        return rc;
    return allocate(u, &r, charge_payers[k].name, in->amount_fen, in->paid_on, method, ref, out, e);
}

/* The credit line: a charge of category credit (404, 409 not_credit) with some of the
 * payer's part left (409 credit_used); *left is that part (above zero), *party the payer. */
static enum sh_code credit_load(const struct uc *u, int64_t id, int k, int64_t *left,
                                int64_t *party, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        sh_arena_printf(u->a,
                        "SELECT category, %s AS party, %s AS part, %s - %s AS left_fen FROM "
                        "charges WHERE id = $1%s",
                        charge_payers[k].party_col, charge_payers[k].part_col,
                        charge_payers[k].paid_col, charge_payers[k].part_col, locked(u)),
        DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "charge %" PRId64 " not found", id);
    const char *cat = db_get(&r, 0, "category");
    if (!cat || strcmp(cat, "credit"))
        return refuse(e, SH_CONFLICT, "id", "not_credit", NULL, "the charge is no credit line");
    *left = db_get_int(&r, 0, "left_fen", 0);
    *party = db_get_int(&r, 0, "party", 0);
    /* review 70 L10: a credit this payer has no part of is another payer's, not used up */
    if (db_get_int(&r, 0, "part", 0) == 0)
        return refuse(e, SH_CONFLICT, "payer", "other_payer", NULL,
                      "the credit has no part for this payer");
    if (*left <= 0)
        return refuse(e, SH_CONFLICT, "id", "credit_used", "{\"open_fen\":0}",
                      "nothing of the payer's part of the credit is left");
    return SH_OK;
}

enum sh_code uc_credit_apply(const struct uc *u, int64_t credit_id, const struct receipt_in *in,
                             struct receipt_out *out, struct sh_err *e)
{
    int k = charge_payer_index(in->payer);
    int64_t left, party, total;
    struct db_rows r;
    enum sh_code rc = credit_load(u, credit_id, k, &left, &party, e);
    if (rc || (rc = targets(u, k, party, in, &r, &total, e)))
        return rc;
    if (total == 0)
        return refuse(e, SH_CONFLICT, "charge_ids", "not_open", "{\"open_fen\":0}",
                      "the payer has no open charge");
    int64_t cap = total < left ? total : left;
    if (in->amount_fen > cap)
        return overpaid(u, e, cap);
    out_init(u, out, "offset", r.nrows + 1);
    out->amount_fen = in->amount_fen ? in->amount_fen : cap;
    out->open_fen = cap;
    out->credit_id = credit_id;
    out->credit_fen = left - out->amount_fen;
    const char *on = in->paid_on ? in->paid_on : local_today(u);
    const char *ref = in->reference ? in->reference : sh_arena_printf(u->a, "#%" PRId64, credit_id);
    if ((rc = receipt_add(u, k, party, on, "offset", ref, out, e)) ||
        (rc =
             pay(u, out, charge_payers[k].name, credit_id, -out->amount_fen, on, "offset", ref, e)))
        return rc;
    out->allocs[0].open_fen = -out->credit_fen;
    return allocate(u, &r, charge_payers[k].name, out->amount_fen, on, "offset", ref, out, e);
}

enum sh_code uc_credit_refund(const struct uc *u, int64_t credit_id, const struct receipt_in *in,
                              struct receipt_out *out, struct sh_err *e)
{
    int k = charge_payer_index(in->payer);
    int64_t left, party;
    enum sh_code rc = credit_load(u, credit_id, k, &left, &party, e);
    if (rc)
        return rc;
    if (in->amount_fen > left)
        return overpaid(u, e, left);
    out_init(u, out, "refund", 1);
    out->amount_fen = in->amount_fen ? in->amount_fen : left;
    out->open_fen = left;
    out->credit_id = credit_id;
    out->credit_fen = left - out->amount_fen;
    const char *method = in->method ? in->method : "transfer";
    const char *ref = in->reference ? in->reference : "";
    if ((rc = receipt_add(u, k, party, in->paid_on, method, ref, out, e)) ||
        (rc = pay(u, out, charge_payers[k].name, credit_id, -out->amount_fen, in->paid_on, method,
                  ref, e)))
        return rc;
    out->allocs[0].open_fen = -out->credit_fen;
    return SH_OK;
}
