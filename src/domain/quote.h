/* SPDX-License-Identifier: MIT */
/* Quotes for chargeable work (WF-20, R-106, R-060, R-016; issue 13 item 5): the states and
 * the actions between them, the kinds of line and how each line's amount is made, the ways a
 * customer says yes. Pure: integer fen, no I/O, no clock (docs/quotes.md). */
#ifndef SH_DOMAIN_QUOTE_H
#define SH_DOMAIN_QUOTE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_err.h"

enum quote_status {
    QS_DRAFT,
    QS_PENDING_APPROVAL, /* above the company's amount: the approval matrix decides first */
    QS_SENT,             /* the customer has the PDF and the link */
    QS_ACCEPTED,
    QS_REJECTED,
    QS_EXPIRED,    /* sent and not decided by valid_until */
    QS_SUPERSEDED, /* a revision replaced it */
    QS_WITHDRAWN,  /* another quote of its ticket was accepted, or the ticket stopped being
                      chargeable */
    QUOTE_STATUS_COUNT
};
extern const char *const quote_status_names[QUOTE_STATUS_COUNT + 1];
bool quote_status_parse(const char *s, enum quote_status *out);

enum quote_action {
    QA_EDIT,     /* lines and note: a draft only */
    QA_SUBMIT,   /* draft → pending_approval (above the amount) */
    QA_SEND,     /* draft → sent, or pending_approval → sent once approved */
    QA_RETURN,   /* pending_approval → draft (the approver rejected) */
    QA_ACCEPT,   /* sent → accepted */
    QA_REJECT,   /* sent → rejected */
    QA_REVISE,   /* sent, rejected, expired → superseded (a new draft replaces it) */
    QA_RELINK,   /* sent → sent: a new link */
    QA_WITHDRAW, /* draft, pending_approval, sent, expired → withdrawn: another one accepted;
                    these and accepted → withdrawn: the ticket is no longer chargeable */
    QUOTE_ACTION_COUNT
};
extern const char *const quote_action_names[QUOTE_ACTION_COUNT + 1];

/* The state after the action; false when the action is not allowed from `from`. */
bool quote_transition(enum quote_status from, enum quote_action act, enum quote_status *to);

/* RULE WF-20 (docs/quotes.md): a ticket has at most one accepted quote, so the customer pays
 * once. Accepting one withdraws the ticket's other quotes still open (those QA_WITHDRAW leaves:
 * a draft, one waiting for approval, sent, expired); a rejected or superseded quote stays as
 * it was. True when a quote in `s` is withdrawn that way. */
bool quote_withdrawn_by_acceptance(enum quote_status s);

/* RULE WF-20, R-131: a quote prices work the customer pays for. True for a ticket billing the
 * customer pays under (chargeable; negotiated: their agreed share), false for warranty,
 * contract, unknown and NULL. */
bool quote_billing_paid(const char *billing);

/* RULE WF-20, R-131 (docs/quotes.md): when a change of the ticket's unit, receipt time or
 * exclusion takes its billing from one the customer pays to one they do not, its accepted
 * quote and those still open are withdrawn (the accepted one's charge lines go with it), and
 * so when the ticket is cancelled; a rejected or superseded quote stays as it was. True when a
 * quote in `s` is withdrawn. */
bool quote_withdrawn_by_billing(enum quote_status s);

/* The status shown: a sent quote past its valid_until (unix seconds of the end of that day)
 * is expired. */
enum quote_status quote_effective(enum quote_status stored, int64_t valid_until_end, int64_t now);

enum quote_line_kind { QL_PART, QL_LABOUR, QL_TRAVEL, QL_FEE, QUOTE_LINE_KIND_COUNT };
extern const char *const quote_line_kind_names[QUOTE_LINE_KIND_COUNT + 1];
bool quote_line_kind_parse(const char *s, enum quote_line_kind *out);

/* How the customer said yes or no: through the link, the portal, or told the agent. */
extern const char *const quote_channel_names[];
/* The channels an agent may record (not link and portal, which the customer uses). */
bool quote_channel_recordable(const char *s);

/* where a part's price came from */
#define QUOTE_PRICE_SOURCE "unified_price_list"

/* Limits: quantities and hours or days in hundredths, money in fen. */
#define QUOTE_QTY_MAX   (100000LL * 100)
#define QUOTE_MONEY_MAX 100000000000LL /* one billion yuan */
#define QUOTE_LINES_MAX 500

/* One line's numbers. qty: hundredths (parts: pieces, labour: hours, travel: days); rate:
 * fen per unit; extra: fen added (travel: transport); fee lines carry the engine's amount in
 * `amount` already. */
struct quote_line_calc {
    enum quote_line_kind kind;
    int64_t qty, rate, extra, amount;
};

/* RULE WF-20: a line's amount in fen: qty × rate / 100 rounded half up to the fen (+ extra
 * for travel); a fee line keeps the amount the fee engine computed. False when a number is
 * negative or over the limits. */
bool quote_line_amount(struct quote_line_calc *l);
/* The sum of the amounts; false when over QUOTE_MONEY_MAX. */
bool quote_total(const struct quote_line_calc *lines, int n, int64_t *total);
/* RULE issue 13 item 5: a quote needs the internal approval when its total is above the
 * company's amount (threshold < 0: never). */
bool quote_needs_approval(int64_t total, int64_t threshold);

#endif
