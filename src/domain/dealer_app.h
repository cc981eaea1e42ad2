/* SPDX-License-Identifier: MIT */
/* Dealers' installation applications (工程项目安装服务申请, issue 13 item 2; WF-11, F-15,
 * F-16, R-123…R-125): the statuses, the actions with who takes them, and the working-day
 * deadlines (answer, agreement, confirmation before departure). Pure: no I/O, no clock. */
#ifndef SH_DOMAIN_DEALER_APP_H
#define SH_DOMAIN_DEALER_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_err.h"
#include "domain/calendar.h"
#include "domain/roles.h"

enum dapp_status {
    DAS_SUBMITTED,      /* S2: filed by the dealer, waiting in the FIFO queue for an answer */
    DAS_APPROVED,       /* S4/S5: approved and told; the agreement is due */
    DAS_REFUSED,        /* S4r: refused with a reason */
    DAS_NOT_SUPPORTED,  /* S6x: no installer available */
    DAS_AGREEMENT_SENT, /* S8: F-16 sent; the dealer's confirmation is due */
    DAS_CONFIRMED,      /* S9: the dealer confirmed the agreement */
    DAS_DISPATCHED,     /* S10: the linked trip departed */
    DAS_CANCELLED,      /* withdrawn by the dealer or after-sales */
    DAPP_STATUS_COUNT
};

enum dapp_action {
    DAA_APPROVE,
    DAA_REFUSE,
    DAA_NOT_SUPPORTED,
    DAA_SEND_AGREEMENT,
    DAA_CONFIRM,
    DAA_ASSIGN_TRIP,
    DAA_CANCEL,
    DAPP_ACTION_COUNT
};

/* after-sales: who answers, sends the agreement and links the trip (安装售服组, 营销总监) */
#define DAPP_R_STAFF (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD) | RB(AGENT) | RB(DISPATCHER))

extern const char *const dapp_status_names[DAPP_STATUS_COUNT + 1];
extern const char *const dapp_action_names[DAPP_ACTION_COUNT + 1];

bool dapp_status_parse(const char *s, enum dapp_status *out);
bool dapp_action_parse(const char *s, enum dapp_action *out);
const char *dapp_status_name(enum dapp_status s);

/* The status after action a from st for a caller with `roles` (a dealer account: the
 * dealer's own actions, confirm and cancel): SH_CONFLICT reason illegal_action (params
 * status, action), SH_FORBIDDEN reason not_allowed for a caller who may not. */
SH_WUR enum sh_code dapp_transition(enum dapp_status st, enum dapp_action a, unsigned roles,
                                    enum dapp_status *to, struct sh_err *err);

/* The end (next local midnight) of the n-th working day after the local date of t: the
 * answer (n = 1, R-123) and the agreement (n = 2, R-124) deadlines. */
int64_t dapp_workdays_end(const struct calendar *cal, int64_t t, int n);
/* the end of the last working day before local date `departure`: the dealer's
 * confirmation is back by then. */
int64_t dapp_confirm_due(const struct calendar *cal, struct sh_date departure);

#endif
