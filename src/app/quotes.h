/* SPDX-License-Identifier: MIT */
/* Quotes for chargeable work (WF-20, R-106, R-060, R-016; issue 13 item 5; docs/quotes.md):
 * a quote on a ticket (and optionally its work order) with lines for parts, labour, travel
 * and fees from the fee engine; the internal approval above the company's amount through the
 * approval matrix; the customer's no-login link, the portal and the agent's record of how
 * the customer said yes; the Chinese PDF; the facts of the `quote` and `charge_told` guards.
 * The rules are domain/quote.h. */
#ifndef SH_APP_QUOTES_H
#define SH_APP_QUOTES_H

#include <jansson.h>

#include "app/uc.h"
#include "base/jw.h"
#include "base/sh_buf.h"
#include "domain/quote.h"

struct rpdf_doc;

struct quote_line_row {
    int64_t id, pos, qty_centi, rate_fen, extra_fen, amount_fen, fee_version_id;
    const char *kind, *code, *name, *price_source;
    const char *detail; /* fee lines: the engine's answer as JSON; else "" */
};

struct quote_row {
    int64_t id, ticket_id, work_order_id, customer_id, revision, previous_id, total_fen,
        approval_id, decided_by, created_by, version;
    const char *number, *status, *valid_until, *note, *link_expires_at, *sent_at, *decided_at,
        *decision_channel, *decision_note, *created_at, *updated_at;
    const char *ticket_number, *customer_name, *approval_status; /* joined */
    struct quote_line_row *lines;
    int nlines;
};

/* A draft's content: work_order_id 0 = none; valid_until NULL = today + setting
 * quote_valid_days; lines a JSON array (each {kind, ...}, docs/quotes.md). */
struct quote_in {
    int64_t work_order_id;
    const char *valid_until, *note;
    json_t *lines;
    int64_t if_match; /* update: the version the caller saw; -1 none */
};

/* The link made when a quote is sent (the token shown once; its hash is stored). */
struct quote_link {
    char token[49];
    const char *url, *expires_at, *recipient;
};

struct quote_list_in {
    int64_t ticket_id;  /* 0: every ticket in the caller's scope */
    const char *status; /* NULL: any */
    int limit;
};

/* The newest `limit` (default 100) quotes in the caller's scope in *rows (n of them) and how
 * many there are in all in *total. */
SH_WUR enum sh_code uc_quote_list(const struct uc *u, const struct quote_list_in *in,
                                  struct quote_row **rows, int *n, int64_t *total,
                                  struct sh_err *e);
/* A quote with its lines; 404 outside the caller's scope (a customer sees their own sent and
 * decided quotes only). */
SH_WUR enum sh_code uc_quote_get(const struct uc *u, int64_t id, struct quote_row *out,
                                 struct sh_err *e);
SH_WUR enum sh_code uc_quote_create(const struct uc *u, int64_t ticket_id,
                                    const struct quote_in *in, struct quote_row *out,
                                    struct sh_err *e);
/* Replaces a draft's lines, note, validity and work order (409 illegal_action otherwise). */
SH_WUR enum sh_code uc_quote_update(const struct uc *u, int64_t id, const struct quote_in *in,
                                    struct quote_row *out, struct sh_err *e);
/* Sends a draft: above the company's amount it goes to the approval matrix first (status
 * pending_approval, link->url NULL); else sent with a fresh link and the message queued. */
SH_WUR enum sh_code uc_quote_send(const struct uc *u, int64_t id, struct quote_row *out,
                                  struct quote_link *link, struct sh_err *e);
/* A new link for a sent quote (the old one stops working). */
SH_WUR enum sh_code uc_quote_relink(const struct uc *u, int64_t id, struct quote_row *out,
                                    struct quote_link *link, struct sh_err *e);
/* A new draft revision from a sent, rejected or expired quote; the old one is superseded. */
SH_WUR enum sh_code uc_quote_revise(const struct uc *u, int64_t id, struct quote_row *out,
                                    struct sh_err *e);

struct quote_decision_in {
    bool accept;
    const char *channel; /* staff: phone wechat letter email in_person; a customer: portal */
    const char *note;    /* how the customer said it; required for a rejection by staff */
};
/* The agent records the customer's answer, or the customer decides in the portal. */
SH_WUR enum sh_code uc_quote_decide(const struct uc *u, int64_t id,
                                    const struct quote_decision_in *in, struct quote_row *out,
                                    struct sh_err *e);

/* ---- the customer's link (no sign-in) ---- */
/* The quote behind a token: 404 unknown, 410 used (decided), expired or superseded. Viewing
 * may repeat until it is decided. */
SH_WUR enum sh_code uc_quote_public_get(const struct uc *u, const char *token,
                                        struct quote_row *out, struct sh_err *e);
/* The customer's decision on the link: once (the token is used up). */
SH_WUR enum sh_code uc_quote_public_decide(const struct uc *u, const char *token, bool accept,
                                           const char *note, struct quote_row *out,
                                           struct sh_err *e);

/* ---- the approval matrix's decision on a quote (app/approvals.c) ---- */
SH_WUR enum sh_code uc_quote_on_approval(const struct uc *u, int64_t approval_id, bool approved,
                                         struct sh_err *e);

/* ---- the charge told without a quote ---- */
SH_WUR enum sh_code uc_charge_told_record(const struct uc *u, int64_t ticket_id,
                                          const char *channel, const char *note, struct sh_err *e);

/* ---- the guards' facts (app/ticket_actions.c) ---- */
/* Whether the ticket's billing is chargeable; an accepted quote exists; the charge was told
 * (an accepted quote or a charge_told note). */
SH_WUR enum sh_code uc_quote_facts(const struct uc *u, int64_t ticket_id, bool *chargeable,
                                   bool *accepted, bool *told, struct sh_err *e);

/* ---- the ticket's billing changed or the ticket cancelled (app/quote_charges.c) ---- */
/* RULE WF-20, R-131 (docs/quotes.md "The ticket stops being chargeable"): called in the
 * transaction that changes the ticket's billing from `before` to `after` (a new unit,
 * receipt time or exclusion). From one the customer pays (chargeable, negotiated) to one they
 * do not, the ticket's accepted quote and those still open are withdrawn and the accepted
 * one's charge lines deleted, each audited; a payment on one of those lines refuses the
 * change: 409 reason guard, params {"guard":"quote_paid","quote_id","number","charge_id"}.
 * Nothing otherwise. */
SH_WUR enum sh_code uc_quote_on_billing(const struct uc *u, int64_t ticket_id, const char *before,
                                        const char *after, struct sh_err *e);
/* RULE WF-20 (docs/quotes.md "The ticket is cancelled"): called in the transaction that
 * cancels the ticket (its `cancel` action, a merge into another ticket): the same withdrawal
 * as uc_quote_on_billing whatever the billing, and the same 409 quote_paid refusal. */
SH_WUR enum sh_code uc_quote_on_cancel(const struct uc *u, int64_t ticket_id, struct sh_err *e);

/* ---- rendering and the PDF (app/quote_pdf.c) ---- */
/* The quote as JSON (lines included; public: without internal fields). */
void quote_render(struct jw *w, const struct quote_row *q, bool public_view);
/* The Chinese PDF of a quote (drawn by api/pdf.h): quote_pdf_load, in the transaction where the
 * reader got q (uc_quote_get, uc_quote_public_get), reads the other names the PDF shows and
 * sets the key of its kept copy (the quote's id, version and names); quote_pdf_doc then builds
 * the document from that, without the database. out keeps q. */
struct quote_pdf {
    const struct quote_row *q;
    const char *decided_by_name; /* who recorded the decision; NULL: nobody */
    const char *cache_key;
};
SH_WUR enum sh_code quote_pdf_load(const struct uc *u, const struct quote_row *q,
                                   struct quote_pdf *out, struct sh_err *e);
void quote_pdf_doc(const struct app *app, struct sh_arena *a, const struct quote_pdf *p,
                   struct rpdf_doc *d);

#endif
