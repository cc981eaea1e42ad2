/* SPDX-License-Identifier: MIT */
/* Ticket actions (docs/tickets.md "Actions"): the state machine of domain/ticket.c, its
 * guards, the owner and appointment an action carries, the timeline, the search text, the
 * notifications and the SLA clocks. */
#ifndef SH_APP_TICKET_ACTIONS_H
#define SH_APP_TICKET_ACTIONS_H

#include "app/sla.h"
#include "app/uc.h"
#include "domain/ticket.h"
#include "store/tickets.h"

struct ticket_action_in {
    int64_t id;
    enum ticket_action act;
    const char *note;                           /* NULL: none */
    const char *visibility;                     /* of the note: internal (NULL) or customer */
    int64_t assignee_id, department_id;         /* 0: none */
    const char *visit_at, *promised_arrival_at; /* canonical UTC text; NULL: none */
    int64_t if_match;                           /* the version the caller saw; -1: no check */
};

struct ticket_action_out {
    const struct ticket_sla_view *view; /* the clocks after the action */
};

/* Loads the ticket in the caller's scope (404 outside it), checks merge, version,
 * transition and every guard, then applies the action. */
SH_WUR enum sh_code uc_ticket_action(const struct uc *u, const struct ticket_action_in *in,
                                     struct ticket_action_out *out, struct sh_err *e);
/* The ticket in the caller's scope: SH_NOT_FOUND outside it (external accounts see their
 * customer's tickets, a technician only their own). */
SH_WUR enum sh_code uc_ticket_load(const struct uc *u, int64_t id, struct ticket_row *out,
                                   struct sh_err *e);
/* One step of the state machine already checked: the stored effects and its timeline event
 * (used by the action and by intake's "answered and closed during the call"). */
SH_WUR enum sh_code uc_ticket_step(const struct uc *u, int64_t id, enum ticket_action act,
                                   enum ticket_state from, enum ticket_state to, const char *vis,
                                   const char *note, int64_t assignee, struct sh_err *e);

/* The ticket resolved by the end of the record it waited for (an RMA closed, an installation
 * project closed): the step from whatever open state it is in, a customer-visible note, the
 * satisfaction survey and the clocks. The action's guards are not asked: the other
 * record's own rules stand for them. Nothing when it is resolved, closed or cancelled. */
SH_WUR enum sh_code uc_ticket_resolve_by(const struct uc *u, int64_t id, const char *note,
                                         struct sh_err *e);

#endif
