/* SPDX-License-Identifier: MIT */
/* A payer's account statement (app/account.h): one query over the two parts a customer
 * record can bear, its payments, its totals. */
#include "app/account.h"

#include <string.h>

#include "app/charges.h"

/* RULE A-09 / M6 (app/charges.h CHARGE_PARTS): a customer record bears the customer part of
 * the charges made out to it and the dealer part of those naming it as dealer; what it reads
 * of each is that part and what it paid on it, never the whole or the other payers' parts. */
#define ACCOUNT_LINES                                                                              \
    "WITH l AS (SELECT c.id, x.payer, x.part, x.paid, c.owner_kind, c.owner_id, c.category, "      \
    "c.description, c.charged_on, c.invoice_no FROM " CHARGE_PARTS " x JOIN charges c ON c.id = "  \
    "x.charge_id WHERE x.party_id = $1) "

static enum sh_code party(const struct uc *u, const struct account_in *in, struct account_out *out,
                          struct sh_err *e)
{
    int64_t id = principal_external(u->who) ? u->who->customer_id : in->party_id;
    if (principal_external(u->who) && in->party_id && in->party_id != id)
        return sh_err_set(e, SH_NOT_FOUND, "no such customer");
    if (!id)
        return sh_err_field(e, SH_INVALID, "customer_id", "customer_id: required"),
               sh_err_reason(e, "required", NULL);
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT id, name FROM customers WHERE id = $1",
                               DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "no such customer");
    out->party_id = id;
    out->party_name = db_get(&r, 0, "name");
    return SH_OK;
}

static enum sh_code totals(const struct uc *u, const struct account_in *in, struct account_out *out,
                           struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        ACCOUNT_LINES "SELECT COUNT(*) AS n, "
                      "COALESCE(SUM(CASE WHEN part > 0 THEN part - paid ELSE 0 END), 0) AS owed, "
                      "COALESCE(SUM(CASE WHEN part < 0 THEN paid - part ELSE 0 END), 0) AS credit, "
                      "COALESCE(SUM(CASE WHEN part > 0 THEN paid ELSE 0 END), 0) AS paid, "
                      "COALESCE(SUM(CASE WHEN part <> paid THEN 1 ELSE 0 END), 0) AS open FROM l",
        DB_P(DB_INT(out->party_id)), &r, e);
    if (rc)
        return rc;
    out->total = db_get_int(&r, 0, in->open_only ? "open" : "n", 0);
    out->owed_fen = db_get_int(&r, 0, "owed", 0);
    out->credit_fen = db_get_int(&r, 0, "credit", 0);
    out->paid_fen = db_get_int(&r, 0, "paid", 0);
    return SH_OK;
}

static enum sh_code lines(const struct uc *u, const struct account_in *in, struct account_out *out,
                          struct sh_err *e)
{
    const char *sql = sh_arena_printf(
        u->a,
        ACCOUNT_LINES
        "SELECT l.*, tk.id AS ticket_id, tk.number AS ticket_number FROM l "
        "LEFT JOIN work_orders w ON l.owner_kind = 'work_order' AND w.id = l.owner_id "
        "LEFT JOIN tickets tk ON tk.id = CASE WHEN l.owner_kind = 'ticket' THEN "
        "l.owner_id ELSE w.ticket_id END%s ORDER BY l.charged_on DESC, l.id DESC, "
        "l.payer LIMIT %d OFFSET %d",
        in->open_only ? " WHERE l.part <> l.paid" : "", in->limit, in->offset);
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, sql, DB_P(DB_INT(out->party_id)), &r, e);
    if (rc)
        return rc;
    out->n = r.nrows;
    out->lines = sh_arena_alloc(u->a, sizeof(*out->lines) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++)
        out->lines[i] = (struct account_line){
            .charge_id = db_get_int(&r, i, "id", 0),
            .owner_id = db_get_int(&r, i, "owner_id", 0),
            .ticket_id = db_get_int(&r, i, "ticket_id", 0),
            .payer = db_get(&r, i, "payer"),
            .owner_kind = db_get(&r, i, "owner_kind"),
            .ticket_number = db_get(&r, i, "ticket_number"),
            .category = db_get(&r, i, "category"),
            .description = db_get(&r, i, "description"),
            .charged_on = db_get(&r, i, "charged_on"),
            .invoice_no = db_get(&r, i, "invoice_no"),
            .part_fen = db_get_int(&r, i, "part", 0),
            .paid_fen = db_get_int(&r, i, "paid", 0),
        };
    return SH_OK;
}

/* RULE A-09: the payments this record made as customer or as dealer, not the others' */
static enum sh_code payments(const struct uc *u, struct account_out *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        sh_arena_printf(
            u->a,
            "SELECT p.id, p.charge_id, p.payer, p.amount_fen, p.paid_on, p.method, p.reference, "
            "c.description FROM charge_payments p JOIN charges c ON c.id = p.charge_id WHERE "
            "(p.payer = 'customer' AND c.customer_id = $1) OR (p.payer = 'dealer' AND c.dealer_id "
            "= "
            "$1) ORDER BY p.paid_on DESC, p.id DESC LIMIT %d",
            ACCOUNT_PAYMENTS),
        DB_P(DB_INT(out->party_id)), &r, e);
    if (rc)
        return rc;
    out->npayments = r.nrows;
    out->payments = sh_arena_alloc(u->a, sizeof(*out->payments) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++)
        out->payments[i] = (struct account_payment){
            .id = db_get_int(&r, i, "id", 0),
            .charge_id = db_get_int(&r, i, "charge_id", 0),
            .amount_fen = db_get_int(&r, i, "amount_fen", 0),
            .payer = db_get(&r, i, "payer"),
            .paid_on = db_get(&r, i, "paid_on"),
            .method = db_get(&r, i, "method"),
            .reference = db_get(&r, i, "reference"),
            .description = db_get(&r, i, "description"),
        };
    return SH_OK;
}

enum sh_code uc_account_statement(const struct uc *u, const struct account_in *in,
                                  struct account_out *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    enum sh_code rc = party(u, in, out, e);
    if (!rc)
        rc = totals(u, in, out, e);
    if (!rc)
        rc = lines(u, in, out, e);
    return rc ? rc : payments(u, out, e);
}

const char *account_line_state(const struct account_line *l)
{
    if (l->part_fen < 0)
        return l->paid_fen == l->part_fen ? "paid" : "credit";
    return l->paid_fen == 0 ? "unpaid" : l->paid_fen < l->part_fen ? "part_paid" : "paid";
}
