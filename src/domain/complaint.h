/* SPDX-License-Identifier: MIT */
/* The customer complaint/return notice (客户抱怨(退货)通知单, F-11; WF-07, WF-09, R-037,
 * issue 14 item 4): its states, actions and the roles that may take each,
 * the channels, requests, categories, decisions and the serious-defect rule. The cause
 * categories are those of the RMA's analysis (domain/rma.h). Pure: no I/O, no clock.
 * docs/complaints.md. */
#ifndef SH_DOMAIN_COMPLAINT_H
#define SH_DOMAIN_COMPLAINT_H

#include <stdbool.h>

#include "base/sh_err.h"
#include "domain/roles.h"

enum complaint_state {
    CPS_RECEIVED,     /* S1/S2 信件、传真件或上门投诉: the notice filed */
    CPS_ROUTED,       /* S3 由相关部门做出处理: routed to one or more departments */
    CPS_ANALYSED,     /* S4 工程研发部: cause and corrective action */
    CPS_ACTION_TAKEN, /* S6 the decision carried out (repair, replace, credit) */
    CPS_VERIFIED,     /* S5 质量管理部: QA verified the corrective action */
    CPS_CLOSED,       /* S7 the customer informed */
    CPS_REFUSED,      /* the complaint refused (not justified) */
    COMPLAINT_STATE_COUNT
};

enum complaint_action {
    CPA_ROUTE,   /* add departments / roles (received or routed) */
    CPA_ANALYSE, /* cause category, analysis, corrective action */
    CPA_ACT,     /* the decision with its charge or credit */
    CPA_VERIFY,  /* QA: the corrective action works */
    CPA_REOPEN,  /* QA: it does not: back to analysis */
    CPA_CLOSE,
    CPA_REFUSE,
    COMPLAINT_ACTION_COUNT
};

/* after-sales files, routes and closes */
#define CMP_R_DESK (RB(AGENT) | RB(DEPT_HEAD) | RB(ADMIN))
/* the responsible department analyses (its head; QA may too) */
#define CMP_R_ANALYSE (RB(DEPT_HEAD) | RB(QC) | RB(ADMIN))
/* the decision is the department head's or the general manager's */
#define CMP_R_DECIDE (RB(DEPT_HEAD) | RB(GM) | RB(ADMIN))
/* quality assurance follows up until verified */
#define CMP_R_QA (RB(QC) | RB(ADMIN))

extern const char *const complaint_state_names[COMPLAINT_STATE_COUNT + 1];
extern const char *const complaint_action_names[COMPLAINT_ACTION_COUNT + 1];
/* F-11 channels: letter, fax, visit (上门), sample (寄样品), phone */
extern const char *const complaint_channel_names[];
/* what the customer asks for: repair, replace, return, compensation */
extern const char *const complaint_request_names[];
/* quality, misconduct (of staff), service, other */
extern const char *const complaint_category_names[];
/* where the defect was found: customer, installation, visit, picking */
extern const char *const complaint_source_names[];
/* the decision: repair, replace, refuse, credit */
extern const char *const complaint_decision_names[];
/* defect codes; the first five are serious quality problems (FUR 2.4.8) */
extern const char *const complaint_defect_names[];

const char *complaint_state_name(enum complaint_state s);
const char *complaint_action_name(enum complaint_action a);
bool complaint_state_parse(const char *s, enum complaint_state *out);
bool complaint_action_parse(const char *s, enum complaint_action *out);

/* The state after `action` from `st`: SH_CONFLICT (reason illegal_action, params.allowed)
 * when the table has no such row; SH_FORBIDDEN when the roles may not. */
SH_WUR enum sh_code complaint_transition(enum complaint_state st, enum complaint_action action,
                                         unsigned roles, enum complaint_state *to,
                                         struct sh_err *err);
/* The actions the roles may take from st, in enum order; returns the count. */
int complaint_allowed_actions(enum complaint_state st, unsigned roles,
                              enum complaint_action out[COMPLAINT_ACTION_COUNT]);
bool complaint_state_terminal(enum complaint_state st);

/* RULE FUR 2.4.8, GEN 三.9, R-157: a serious quality problem (重大质量问题) is one the staff
 * flags as such, or one whose defect is obvious cracking, deformation, paint loss, obvious
 * colour difference or cannot be installed. */
bool complaint_serious(bool flagged, const char *defect);

/* RULE: the decision's money: repair and replace may carry a charge (out of warranty),
 * credit needs a credit amount, refuse carries neither. *field names the offending input;
 * *reason is "required" or "not_allowed". */
bool complaint_decision_money(const char *decision, bool has_charge, bool has_credit,
                              const char **field, const char **reason);

#endif
