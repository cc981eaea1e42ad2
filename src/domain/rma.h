/* SPDX-License-Identifier: MIT */
/* Return to factory (返厂维修, WF-05, R-063; issue 14 item 2) and replacement eligibility
 * (WF-06, R-065; issue 14 item 3): the RMA's states, actions and the roles that may take
 * each, the cause categories of the technical department's analysis, the charge flag and
 * the replacement's eligibility. Pure: no I/O, no clock. docs/rma.md. */
#ifndef SH_DOMAIN_RMA_H
#define SH_DOMAIN_RMA_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "base/sh_err.h"
#include "domain/roles.h"

enum rma_state {
    RMS_AWAITING_RETURN, /* S2 待返厂: the customer ships the unit back */
    RMS_RECEIVED,        /* S3 返厂接收 */
    RMS_INSPECTED,       /* S4 incoming QC recorded (findings, photos) */
    RMS_ANALYSED,        /* S5 cause analysed by the technical department */
    RMS_REPAIRED,        /* S6 repaired */
    RMS_REPLACED,        /* S6' the unit (or its faulty part) replaced */
    RMS_QC_PASSED,       /* S7 outgoing QC passed */
    RMS_SHIPPED_BACK,    /* S8 on its way back through a shipment (WF-01) */
    RMS_CLOSED,          /* S9 */
    RMS_CANCELLED,
    RMA_STATE_COUNT
};

enum rma_action {
    RMA_RECEIVE,
    RMA_INSPECT_IN,
    RMA_ANALYSE,
    RMA_REPAIR,
    RMA_REPLACE,
    RMA_INSPECT_OUT, /* outgoing QC passed */
    RMA_REWORK,      /* outgoing QC failed: back to the technical department */
    RMA_SHIP_BACK,
    RMA_CLOSE,
    RMA_CANCEL,
    RMA_CONSENT, /* the customer accepts or declines the proposed charge (WF-20 S4-S5) */
    RMA_ADVANCE, /* advance_exchange: a DOA unit's replacement ships before it returns (WF-08) */
    RMA_ACTION_COUNT
};

enum rma_cause {
    RMC_MANUFACTURING,
    RMC_ASSEMBLY,
    RMC_MATERIAL,
    RMC_DESIGN,
    RMC_INSTALLATION,
    RMC_USE,
    RMA_CAUSE_COUNT
};

/* after-sales: agents, their department head, the admin */
#define RMA_R_AFTER_SALES (RB(AGENT) | RB(DEPT_HEAD) | RB(ADMIN))
/* quality control inspects */
#define RMA_R_QC (RB(QC) | RB(ADMIN))
/* the technical department analyses (its head) */
#define RMA_R_TECH (RB(DEPT_HEAD) | RB(ADMIN))
/* the factory repairs */
#define RMA_R_REPAIR (RB(TECHNICIAN) | RB(DEPT_HEAD) | RB(ADMIN))
/* the customer's decision on a proposed charge: recorded by those who record a quote's
 * decision for a customer (api/policy.h P_QUOTE_EDIT), or by the customer account itself */
#define RMA_R_CONSENT                                                                              \
    (RMA_R_AFTER_SALES | RB(GM) | RB(SALES) | RB(FINANCE) | RB(DISPATCHER) | RB(CUSTOMER))

extern const char *const rma_state_names[RMA_STATE_COUNT + 1];
extern const char *const rma_action_names[RMA_ACTION_COUNT + 1];
extern const char *const rma_cause_names[RMA_CAUSE_COUNT + 1];
extern const char *const rma_photo_phase_names[3]; /* incoming, outgoing */
/* WF-06 S5 旧件处理: returned (to the factory), scrapped, kept (by the customer) */
extern const char *const rma_old_unit_names[4];

const char *rma_state_name(enum rma_state s);
const char *rma_action_name(enum rma_action a);
bool rma_state_parse(const char *s, enum rma_state *out);
bool rma_action_parse(const char *s, enum rma_action *out);
bool rma_cause_parse(const char *s, enum rma_cause *out);

/* RULE WF-08 S3-S4: an advance exchange (先换后返) ships a DOA unit's replacement at once and
 * waits for the old unit: received, inspected and analysed (the quality statistics), then
 * closed, with no repair, replacement or ship-back of its own. `advance` selects that table
 * for an RMA whose advance_exchange was taken; the return table otherwise. */
/* The state after `action` from `st`: SH_CONFLICT (reason illegal_action, params.allowed the
 * legal actions) when the table has no such row; SH_FORBIDDEN when the roles may not. */
SH_WUR enum sh_code rma_transition(enum rma_state st, enum rma_action action, unsigned roles,
                                   bool advance, enum rma_state *to, struct sh_err *err);
/* The actions the roles may take from st, in enum order; returns the count. */
int rma_allowed_actions(enum rma_state st, unsigned roles, bool advance,
                        enum rma_action out[RMA_ACTION_COUNT]);

/* The days the customer has to send a DOA unit back once its replacement is ordered by an
 * advance exchange: return_due = the local date of the exchange + RMA_RETURN_DAYS. */
#define RMA_RETURN_DAYS 14
/* The return due date of an advance exchange taken on `today`, "YYYY-MM-DD" into out. */
void rma_return_due(struct sh_date today, char out[11]);
/* An advance exchange's old unit is overdue: still awaited (awaiting_return) after its due
 * date (a "YYYY-MM-DD"; NULL or unparsable: never). */
bool rma_return_overdue(enum rma_state st, bool advance, const char *due, struct sh_date today);
/* RULE WF-08: the advance exchange is for a dead-on-arrival unit (ticket type doa): "doa"
 * when the ticket's type refuses it, NULL when it may go on. */
const char *rma_advance_guard(const char *ticket_type);
/* Photos of a phase may be added in this state: incoming while received, outgoing while
 * repaired or replaced. */
bool rma_photo_phase_open(enum rma_state st, const char *phase);
/* The unit is at the factory (status in_repair) in this state. */
bool rma_unit_at_factory(enum rma_state st);
/* True for closed and cancelled. */
bool rma_state_terminal(enum rma_state st);

/* A quality cause (制造、装配、材料、设计): the company's fault. */
bool rma_cause_is_quality(enum rma_cause c);
/* RULE WF-05 S9 / WF-20: the repair is charged when the unit is out of warranty. */
bool rma_chargeable(const char *warranty_status);

/* RULE WF-06 S2, R-065: a replacement is free and may be requested when the unit is in
 * warranty and the cause is a quality cause; out of warranty it is paid, and may be requested
 * once the customer accepted the charge the analysis proposed (accepted_fen > 0,
 * rma_accepted_fen), whatever the cause. *reason (static) names the first failing condition:
 * "warranty" (unknown), "charge" (out of warranty, no charge accepted), "cause" (installation
 * or use), "no_cause". An eligible replacement is paid when rma_chargeable(warranty_status). */
bool rma_replacement_eligible(const char *warranty_status, const char *cause, int64_t accepted_fen,
                              const char **reason);
/* The charge the customer accepted (WF-20 S4): charge_fen once the decision is accept, else 0. */
int64_t rma_accepted_fen(int64_t charge_fen, const char *decision);

/* WF-20 S4-S5: the customer's decision on the charge the analysis proposes. */
extern const char *const rma_consent_names[3]; /* accept, decline */
/* RULE WF-20 S4-S5: the consent rule an action meets once the table allows it, given the
 * charge the analysis proposed (fen, <= 0: none) and the customer's decision (NULL: none yet,
 * "accept", "decline"): "consent" when it refuses, NULL when the action may go on.
 *   consent: only while a charge is proposed and no decision is recorded;
 *   repair, replace: a proposed charge needs its accept first;
 *   ship_back from analysed: only once the customer declined (the unit goes back unrepaired). */
const char *rma_consent_guard(enum rma_state st, enum rma_action a, int64_t proposed_fen,
                              const char *decision);
/* rma_allowed_actions without consent and ship_back where rma_consent_guard refuses them
 * (repair stays: its refusal says why). */
/* advance_exchange is left out unless the ticket is a DOA (rma_advance_guard). */
int rma_offered_actions(enum rma_state st, unsigned roles, bool advance, const char *ticket_type,
                        int64_t proposed_fen, const char *decision,
                        enum rma_action out[RMA_ACTION_COUNT]);

/* The installed-base status of the old unit once replaced: returned to the factory stays
 * "returned"; scrapped or kept by the customer leaves service ("scrapped"). NULL: unknown. */
const char *rma_old_unit_status(const char *handling);

#endif
