/* SPDX-License-Identifier: MIT */
/* The technical department's phone diagnosis of a ticket and the work its decision opens
 * (WF-03 S5–S7, R-058; issue 18 item 1; docs/diagnosis.md). The rule is domain/diagnosis.c. */
#ifndef SH_APP_DIAGNOSIS_H
#define SH_APP_DIAGNOSIS_H

#include "app/uc.h"
#include "base/jw.h"
#include "domain/diagnosis.h"

struct diag_in {
    int64_t ticket_id;
    const char *findings, *suspected_cause, *decision, *reason;
};

/* One diagnosis as shown on a ticket's page: `incoming` when the ticket is the one the
 * diagnosis opened (linked_ticket_id), not the one diagnosed. */
struct diag_row {
    int64_t id, ticket_id, work_order_id, rma_id, approval_id, linked_ticket_id, created_by;
    const char *ticket_number, *findings, *suspected_cause, *decision, *reason, *effect,
        *work_order_number, *rma_number, *linked_ticket_number, *linked_ticket_type,
        *created_by_name, *created_at;
    bool incoming;
};

/* Records a diagnosis and opens what its decision opens, all in u->tx (all or nothing):
 * 403 for a role outside DIAG_ROLES, 404 outside the caller's scope, 400 unknown_value for
 * an unknown decision, 409 illegal_action when the ticket's state takes no diagnosis or its
 * type has no path for the decision; the ticket action's own refusals (roles, guards) pass
 * through. A timeline event "diagnosis" on the ticket (and on a linked ticket), an audit row
 * (entity ticket_diagnosis). *out gets the stored diagnosis. */
SH_WUR enum sh_code uc_diagnosis_record(const struct uc *u, const struct diag_in *in,
                                        struct diag_row *out, struct sh_err *e);

/* The diagnoses of a ticket in the caller's scope, newest first: its own and the one that
 * opened it (incoming). Staff only (404 for customer and dealer accounts). */
SH_WUR enum sh_code uc_diagnosis_list(const struct uc *u, int64_t ticket_id, struct diag_row **out,
                                      int *n, struct sh_err *e);

void diag_render(struct jw *w, const struct diag_row *d);

#endif
