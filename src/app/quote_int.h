/* SPDX-License-Identifier: MIT */
/* Shared inside the quote use cases (app/quotes.c, app/quote_send.c, app/quote_pdf.c). */
#ifndef SH_APP_QUOTE_INT_H
#define SH_APP_QUOTE_INT_H

#include "app/quotes.h"
#include "store/tickets.h"

SH_WUR enum sh_code quote_err(struct sh_err *e, enum sh_code code, const char *field,
                              const char *reason, const char *msg);
const char *quote_now(const struct uc *u);
/* The end of a date's day in Asia/Shanghai as unix seconds (0 when not a date). */
int64_t quote_day_end(const char *date);
/* The stored quote with its lines (no scope check; the status shown is the effective one). */
SH_WUR enum sh_code quote_load(const struct uc *u, int64_t id, struct quote_row *q,
                               struct sh_err *e);
SH_WUR enum sh_code quote_insert(const struct uc *u, const struct ticket_row *t, const char *number,
                                 int64_t revision, int64_t previous, int64_t *id, struct sh_err *e);
SH_WUR enum sh_code quote_audit(const struct uc *u, const struct quote_row *q, const char *action,
                                struct sh_err *e);

/* RULE WF-20: a ticket has one accepted quote at most (docs/quotes.md). SH_OK when none of
 * the ticket's quotes is accepted; else SH_CONFLICT (409) with reason "guard" and params
 * {"guard":"quote_accepted","quote_id","number"} naming the accepted one. */
SH_WUR enum sh_code quote_none_accepted(const struct uc *u, int64_t ticket_id, struct sh_err *e);

/* RULE WF-20, R-131: a quote prices work the customer pays for (docs/quotes.md): SH_OK while
 * the ticket's billing is chargeable or negotiated (quote_billing_paid); else SH_CONFLICT (409)
 * with reason "guard" and params {"guard":"billing","billing"} naming the ticket's billing
 * (warranty, contract, unknown: we never bill on a guess). Creating, revising, sending and
 * accepting a quote check it; the approval's yes withdraws a quote it refuses. */
SH_WUR enum sh_code quote_billing_guard(const struct uc *u, int64_t ticket_id, struct sh_err *e);
/* The same refusal on a billing already read (the ticket row in hand); NULL is "unknown". */
SH_WUR enum sh_code quote_billing_allows(const char *billing, struct sh_err *e);

/* RULE WF-20: the quote withdrawn (its link answers 410 withdrawn from now on), with its
 * timeline event and audit row (app/quote_send.c). */
SH_WUR enum sh_code quote_withdraw(const struct uc *u, struct quote_row *q, struct sh_err *e);

/* The ticket's charge lines of an accepted quote (app/quote_charges.c). */
SH_WUR enum sh_code quote_to_charges(const struct uc *u, const struct quote_row *q,
                                     struct sh_err *e);

#endif
