/* SPDX-License-Identifier: MIT */
/* A payer's account statement (review 2026-12-07 #2, M4 and M6; docs/charges.md "Account
 * statement"): the parts of charges one customer record bears, as the customer
 * (customer_fen) and as a dealer (dealer_fen), with what it paid on each, the payments it
 * made, and the totals: still owed, credit still open, paid. A customer or dealer account
 * reads its own; finance and the other readers of charges name the customer record. */
#ifndef SH_APP_ACCOUNT_H
#define SH_APP_ACCOUNT_H

#include "app/uc.h"

struct account_in {
    int64_t party_id; /* the customer record; 0: the caller's own (external accounts) */
    bool open_only;   /* lines with something still open */
    int limit, offset;
};

struct account_line {
    int64_t charge_id, owner_id, ticket_id;
    const char *payer; /* "customer" or "dealer": whose part of the charge this is */
    const char *owner_kind, *ticket_number, *category, *description, *charged_on, *invoice_no;
    int64_t part_fen, paid_fen; /* a credit line's part is below zero */
};

struct account_payment {
    int64_t id, charge_id, amount_fen;
    const char *payer, *paid_on, *method, *reference, *description;
};

struct account_out {
    int64_t party_id;
    const char *party_name;
    int64_t owed_fen;   /* open on charges */
    int64_t credit_fen; /* open on credit lines, as a positive amount */
    int64_t paid_fen;   /* paid on charges */
    int64_t total;      /* lines (for paging) */
    struct account_line *lines;
    int n;
    struct account_payment *payments; /* the newest ACCOUNT_PAYMENTS */
    int npayments;
};

#define ACCOUNT_PAYMENTS 50

/* 404 when the party does not exist or is not the caller's own. */
SH_WUR enum sh_code uc_account_statement(const struct uc *u, const struct account_in *in,
                                         struct account_out *out, struct sh_err *e);
/* The state of one payer's part: unpaid, part_paid, paid or, below zero, credit. */
const char *account_line_state(const struct account_line *l);

#endif
