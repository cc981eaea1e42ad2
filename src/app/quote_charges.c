/* SPDX-License-Identifier: MIT */
/* An accepted quote becomes the ticket's charge lines (issue 13 items 5 and 6): one charge per
 * priced line, the customer paying the whole, source "quote" with the quote's id, so that
 * what the customer said yes to is what finance collects. */
#include <string.h>

#include "app/charges.h"
#include "app/quote_int.h"

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
