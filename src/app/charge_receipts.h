/* SPDX-License-Identifier: MIT */
/* Receipts and credits (review 68 M7, M11; docs/charges.md "Receipts and credits"):
 * - one receipt (a bank transfer) allocated across a payer's open charges, oldest charged_on
 *   first, one payment per charge it reaches, each at most that payer's open part;
 * - a credit line applied to the same payer's open charges: a payment with method offset on
 *   each target, and on the credit line its consumed part (a payment below zero);
 * - a credit paid back to the payer (a refund: a payment below zero on the credit line).
 * Each is one charge_receipts row whose payments carry its id, written with their audit rows
 * inside the caller's transaction: all or nothing. Refusals are 409 with a reason:
 * overpayment {open_fen}, other_payer and not_open {charge_id}, not_credit, credit_used. */
#ifndef SH_APP_CHARGE_RECEIPTS_H
#define SH_APP_CHARGE_RECEIPTS_H

#include "app/uc.h"

#define RECEIPT_MAX_CHARGES 100 /* charge_ids a request may name */

struct receipt_in {
    const char *payer;  /* customer dealer sales */
    int64_t party_id;   /* receipts: the payer's customer, dealer or sales person */
    int64_t amount_fen; /* credits: 0 = as much as can be settled */
    const char *paid_on;
    const char *method;    /* NULL: transfer (an offset's is offset) */
    const char *reference; /* NULL: "" (an offset's: "#<credit id>") */
    const int64_t *charge_ids;
    int ncharge_ids; /* 0: every open charge of the payer */
};

struct receipt_alloc {
    int64_t charge_id, payment_id;
    int64_t amount_fen; /* below zero on the credit line */
    int64_t open_fen;   /* the payer's part left open on the charge after it */
};

struct receipt_out {
    int64_t receipt_id, amount_fen;
    const char *kind;   /* receipt offset refund */
    int64_t open_fen;   /* the selected charges' open total before (offset: the smaller of it
                           and the credit left) */
    int64_t credit_id;  /* offset, refund: the credit line */
    int64_t credit_fen; /* what is left of the credit after it */
    struct receipt_alloc *allocs;
    int n;
};

/* One receipt of amount_fen from in->payer (in->party_id) allocated across its open charges
 * (in->charge_ids, or all), oldest first. */
SH_WUR enum sh_code uc_receipt_allocate(const struct uc *u, const struct receipt_in *in,
                                        struct receipt_out *out, struct sh_err *e);
/* Applies the payer's part of credit line credit_id to the same payer's open charges. */
SH_WUR enum sh_code uc_credit_apply(const struct uc *u, int64_t credit_id,
                                    const struct receipt_in *in, struct receipt_out *out,
                                    struct sh_err *e);
/* Records the payer's part of credit line credit_id (or in->amount_fen of it) paid back. */
SH_WUR enum sh_code uc_credit_refund(const struct uc *u, int64_t credit_id,
                                     const struct receipt_in *in, struct receipt_out *out,
                                     struct sh_err *e);

#endif
