/* SPDX-License-Identifier: MIT */
/* Charges, payments and cost lines (issue 13 item 6, R-143, R-147; docs/charges.md).
 * A charge belongs to a ticket, work order, installation project, trip or dealer
 * application (owner_kind + owner_id, the reference checked) and is split among its payers
 * (customer, dealer, the responsible sales person) by shares in basis points that add up to
 * 10000; the parts in fen come from fee_split (domain/fees.c) and always add up to the
 * amount. Payments are recorded against one payer's part; more than the part still open is
 * refused (409 overpayment); the paid amounts and the state (unpaid, part_paid, paid) are
 * derived. Cost lines add costs (parts at cost, travel, lodging, allowance) to a trip or a
 * ticket beside the trip's own expenses. All three are entity-engine records. */
#ifndef SH_APP_CHARGES_H
#define SH_APP_CHARGES_H

#include "app/entity.h"

extern const struct entity ent_charges, ent_charge_payments, ent_cost_lines;

#define CHARGE_SHARE_WHOLE 10000 /* shares are basis points of the amount */

/* RULE A-09 / M6: a charge's payers, in this order (customer, dealer, sales), and the columns
 * of charges that hold each one's party, share, part in fen and what it has paid on its part.
 * A payer reads its part and what it paid on it, never the whole or another payer's part. */
struct charge_payer {
    const char *name;      /* charge_payments.payer */
    const char *party_col; /* customer_id dealer_id sales_user_id */
    const char *share_col; /* basis points */
    const char *part_col;  /* fen */
    const char *paid_col;  /* fen, derived from the payments (app/charges.c) */
};
extern const struct charge_payer charge_payers[3];

/* The index in charge_payers of the payer called name; 0 (customer) for NULL or another name
 * (callers have validated it). */
int charge_payer_index(const char *name);

/* The same rule in SQL, for a customer record's statement and the receivables: a subquery
 * of one row per charge and payer (customer or dealer; the sales person's part is no
 * customer record's) whose part is not zero, with the columns charge_id, payer, party_id
 * (the customer record that bears the part), part and paid (both fen; paid: so far). */
#define CHARGE_PARTS                                                                               \
    "(SELECT c.id AS charge_id, 'customer' AS payer, c.customer_id AS party_id, "                  \
    "c.customer_fen AS part, c.paid_customer_fen AS paid FROM charges c WHERE c.customer_fen <> "  \
    "0 UNION ALL SELECT c.id, 'dealer', c.dealer_id, c.dealer_fen, c.paid_dealer_fen FROM "        \
    "charges c WHERE c.dealer_fen <> 0)"

/* A charge line to add from another use case (a quote, parts consumption, a fee). */
struct charge_in {
    const char *owner_kind; /* ticket work_order install_project trip dealer_application
                               complaint secondment */
    int64_t owner_id;
    int64_t customer_id;              /* 0: the owner's customer */
    int64_t dealer_id, sales_user_id; /* 0: none */
    const char *category;             /* NULL: "other" */
    const char *series;               /* NULL: none (the cabinet series, R-183) */
    const char *description;
    int64_t amount_fen;
    const char *source;               /* manual fee quote parts complaint rma (NULL: manual) */
    int64_t fee_version_id, quote_id; /* 0: none */
    const char *charged_on;           /* NULL: today (Asia/Shanghai) */
    int64_t customer_bp, dealer_bp, sales_bp; /* shares; must add up to 10000 */
};

/* Validates (owner, payers, the split) and inserts one charge with its audit row inside
 * the caller's transaction; *id gets the new charge's id. */
SH_WUR enum sh_code uc_charge_add(const struct uc *u, const struct charge_in *in, int64_t *id,
                                  struct sh_err *e);

#endif
