/* SPDX-License-Identifier: MIT */
/* The customer's consent to an RMA's charge (WF-20 S4-S5, review 68 H2; docs/rma.md
 * "Charges"): the analysis proposes the charge and tells the customer, the customer (or
 * after-sales for them) accepts or declines it, the accept bills it; the repair waits for the
 * accept, a decline ships the unit back unrepaired. Used by app/rma_actions.c. */
#ifndef SH_APP_RMA_CONSENT_H
#define SH_APP_RMA_CONSENT_H

#include "app/rmas.h"
#include "store/db_set.h"

/* The analysis' charge proposed (in->charge_fen > 0, already put in c): the customer of the
 * ticket gets the message rma_charge (RMA number, unit, amount), once per RMA. */
SH_WUR enum sh_code rma_charge_propose(const struct uc *u, const struct db_rows *row,
                                       const struct rma_action_in *in, struct sh_err *e);

/* 409 guard consent (params: proposed_fen, decision) when rma_consent_guard refuses the
 * action in the RMA's state (row: rmas_get). */
SH_WUR enum sh_code rma_consent_check(const struct uc *u, const struct db_rows *row,
                                      const struct rma_action_in *in, struct sh_err *e);

/* The consent action: the decision, its channel (a customer account: portal; staff: a
 * recordable quote channel and a note), who and when, into c; an accept bills the charge. */
SH_WUR enum sh_code rma_consent(const struct uc *u, const struct db_rows *row,
                                const struct rma_action_in *in, struct db_set *c, const char *now,
                                struct sh_err *e);

#endif
