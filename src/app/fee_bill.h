/* SPDX-License-Identifier: MIT */
/* Billing computed fees (review 68 M1, R-142, R-141, R-148; docs/fees.md "Billing"): a
 * secondment's or a waiting record's fee becomes one charge line, and the fee calculator's
 * result is billed to an owner, each charge with source fee and the rule-set version it was
 * computed with (fee_version_id), through uc_charge_add in the caller's transaction. */
#ifndef SH_APP_FEE_BILL_H
#define SH_APP_FEE_BILL_H

#include "app/entity.h"
#include "app/fees.h"

extern const struct entity ent_secondments, ent_waiting_records;

/* The refusal of a change to a billed record: SH_CONFLICT naming field, reason guard,
 * params {"guard":"billed","charge_id":N}. */
enum sh_code fee_billed(struct sh_err *e, const char *field, const char *charge_id);

struct fee_bill_out {
    int64_t charge_id;
    const char *charge_json; /* the charge as stored */
    const char *record_json; /* the record after billing (charge_id set) */
};

/* Bills record id of ent (ent_secondments or ent_waiting_records) as one charge: source fee,
 * the record's fee_version_id and fee_fen, category secondment_fee (owner the secondment, the
 * dealer pays it all) or waiting_fee (owner the record's work order, else its installation
 * project; the owner's customer pays it all); a secondment's status becomes billed (unless
 * closed). The record keeps charge_id. 404 outside the caller's scope; 409 reason guard:
 * billed (it has a charge), not_customer_fault (a waiting record without the customer's
 * confirmed fault), fee_zero (nothing to bill). Audit rows for the charge and the record. */
SH_WUR enum sh_code uc_fee_record_bill(const struct uc *u, const struct entity *ent, int64_t id,
                                       struct fee_bill_out *out, struct sh_err *e);

struct fee_bill_in {
    struct fee_calc_in calc; /* the rule set, its inputs and the date (NULL: today) */
    const char *owner_kind;  /* a charge's owner kind */
    int64_t owner_id;
    int64_t customer_id, dealer_id, sales_user_id; /* 0: the owner's customer, none, none */
    const char *category;                          /* NULL: by the rule set (docs/fees.md) */
    const char *description;                       /* NULL: the rule set's name */
    const char *charged_on;                        /* NULL: today */
};

struct fee_bill_calc_out {
    struct fee_calc_out calc; /* the calculation done now (never the client's amounts) */
    int n;                    /* charges created: one per billed line */
    int64_t *ids;
    const char **json; /* each charge as stored */
};

/* Recomputes the calculation with the version in effect and bills each applied line with an
 * amount as one charge to the owner (source fee, that version): the line's payer pays it all,
 * category management_fee for a percent_of line, else in->category or the rule set's. 409
 * reason guard fee_zero when nothing is billed; the charge's own checks (owner, payers). */
SH_WUR enum sh_code uc_fee_calc_bill(const struct uc *u, const struct fee_bill_in *in,
                                     struct fee_bill_calc_out *out, struct sh_err *e);

#endif
