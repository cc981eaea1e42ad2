/* SPDX-License-Identifier: MIT */
/* A contract's service requirements (R-200, TY 3.1, 5.1; issue 18 item 6; docs/telephone.md):
 * the service owed and any special requirements (columns of contracts), reviewed once before
 * delivery, and shown on every ticket and work order of the contract's units. */
#ifndef SH_APP_CONTRACT_REQS_H
#define SH_APP_CONTRACT_REQS_H

#include "app/uc.h"

/* RULE R-200: the review records who and when, once (409 illegal_action when reviewed
 * already), and only of a contract that states requirements (409 guard no_requirements).
 * *json: the contract after. */
SH_WUR enum sh_code uc_contract_review(const struct uc *u, int64_t id, const char **json,
                                       struct sh_err *e);
/* The contract_requirements object of a ticket (the contract of its unit) as
 * JSON text, or NULL when it has no contract or the contract states no requirements. Staff
 * only: NULL for customer and dealer accounts. */
SH_WUR enum sh_code contract_reqs_of_ticket(const struct uc *u, int64_t ticket_id,
                                            const char **json, struct sh_err *e);

#endif
