/* SPDX-License-Identifier: MIT */
/* An accepted quote becomes the ticket's charge lines (issue 13 items 5 and 6): one charge per
 * priced line, the customer paying the whole, source "quote" with the quote's id, so that
 * what the customer said yes to is what finance collects; and they go again, with the
 * quote, when the ticket stops being chargeable (a unit in warranty, R-131) or is cancelled. */
#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/charges.h"
#include "app/quote_int.h"
#include "domain/quote.h"

/* The charge category of a quote line's kind (docs/charges.md). */
static const char *category_of(const char *kind)
{
    if (!strcmp(kind, "part"))
        return "parts";
    if (!strcmp(kind, "labour"))
        return "repair";
    if (!strcmp(kind, "travel"))
        return "travel";
    return "other";
}

enum sh_code quote_to_charges(const struct uc *u, const struct quote_row *q, struct sh_err *e)
{
    for (int i = 0; i < q->nlines; i++) {
        const struct quote_line_row *l = &q->lines[i];
        if (l->amount_fen <= 0)
            continue;
        const char *what = l->name && *l->name ? l->name : l->kind;
        struct charge_in in = {
            .owner_kind = "ticket",
            .owner_id = q->ticket_id,
            .customer_id = q->customer_id,
            .category = category_of(l->kind),
            .description = sh_arena_printf(u->a, "%s %s", q->number, what),
            .amount_fen = l->amount_fen,
            .source = "quote",
            .quote_id = q->id,
            .customer_bp = CHARGE_SHARE_WHOLE,
        };
        int64_t id;
        enum sh_code rc = uc_charge_add(u, &in, &id, e);
        if (rc)
            return rc;
    }
    return SH_OK;
}

/* RULE R-131: the accepted quote's charge lines go with it, unless the customer paid one:
 * then the change (`why` says which, for the message) is refused, for finance to settle the
 * payment first (docs/charges.md). */
static enum sh_code drop_charges(const struct uc *u, const struct quote_row *q, const char *why,
                                 struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT c.id, (SELECT COUNT(*) FROM charge_payments p WHERE "
                               "p.charge_id = c.id) AS payments FROM charges c WHERE c.source = "
                               "'quote' AND c.quote_id = $1 ORDER BY c.id",
                               DB_P(DB_INT(q->id)), &r, e);
    for (int i = 0; !rc && i < r.nrows; i++) {
        if (db_get_int(&r, i, "payments", 0) == 0)
            continue;
        int64_t charge = db_get_int(&r, i, "id", 0);
        sh_err_set(e, SH_CONFLICT,
                   "%s, but the customer has paid charge %" PRId64
                   " of its accepted quote %s: finance settles that payment first",
                   why, charge, q->number);
        return sh_err_reason(e, "guard",
                             "{\"guard\":\"quote_paid\",\"quote_id\":%" PRId64
                             ",\"number\":\"%s\",\"charge_id\":%" PRId64 "}",
                             q->id, q->number, charge);
    }
    for (int i = 0; !rc && i < r.nrows; i++) {
        struct db_rows old;
        int64_t id = db_get_int(&r, i, "id", 0);
        if (!(rc = ent_load(u->tx, u->a, &ent_charges, id, &old, e)) &&
            !(rc = db_exec(u->tx, "DELETE FROM charges WHERE id = $1", DB_P(DB_INT(id)), NULL, e)))
            rc = uc_audit(u, ent_charges.name, id, "delete", ent_json(u->a, &ent_charges, &old, 0),
                          NULL, e);
    }
    return rc;
}

/* The ticket's accepted quote and its open ones withdrawn, the accepted one's charge lines
 * deleted (docs/quotes.md "The ticket stops being chargeable", "The ticket is cancelled"). */
static enum sh_code withdraw_all(const struct uc *u, int64_t ticket_id, const char *why,
                                 struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = tickets_lock(u->tx, ticket_id, e);
    if (rc || (rc = db_query(u->tx, u->a, "SELECT id FROM quotes WHERE ticket_id = $1 ORDER BY id",
                             DB_P(DB_INT(ticket_id)), &r, e)))
        return rc;
    for (int i = 0; !rc && i < r.nrows; i++) {
        struct quote_row q;
        enum quote_status st;
        if ((rc = quote_load(u, db_get_int(&r, i, "id", 0), &q, e)) ||
            !quote_status_parse(q.status, &st) || !quote_withdrawn_by_billing(st))
            continue;
        if (st != QS_ACCEPTED || !(rc = drop_charges(u, &q, why, e)))
            rc = quote_withdraw(u, &q, e);
    }
    return rc;
}

enum sh_code uc_quote_on_billing(const struct uc *u, int64_t ticket_id, const char *before,
                                 const char *after, struct sh_err *e)
{
    if (!quote_billing_paid(before) || quote_billing_paid(after))
        return SH_OK;
    return withdraw_all(u, ticket_id, "the ticket is no longer chargeable", e);
}

enum sh_code uc_quote_on_cancel(const struct uc *u, int64_t ticket_id, struct sh_err *e)
{
    return withdraw_all(u, ticket_id, "the ticket is cancelled", e);
}
