/* SPDX-License-Identifier: MIT */
/* The department's discipline (issue 18 item 7; docs/discipline.md): the name tables of spot
 * checks and patrols, staff training, conduct complaints and staff
 * suggestions, and the corrective action's life: open → in_progress → done →
 * verified by the head (or back to in_progress when the head finds it not done), with who
 * may take each step and when it is overdue. Pure: no I/O, no clock. */
#ifndef SH_DOMAIN_DISCIPLINE_H
#define SH_DOMAIN_DISCIPLINE_H

#include <stdbool.h>

#include "base/sh_err.h"
#include "domain/roles.h"

/* who heads the department's discipline: checks, verifies, reads conduct complaints */
#define DISC_HEADS (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD))

enum ca_state { CA_OPEN, CA_IN_PROGRESS, CA_DONE, CA_VERIFIED, CA_STATE_COUNT };
enum ca_action { CA_START, CA_FINISH, CA_VERIFY, CA_REOPEN, CA_ACTION_COUNT };

extern const char *const ca_state_names[CA_STATE_COUNT + 1];
extern const char *const ca_action_names[CA_ACTION_COUNT + 1];
/* spot_check, patrol */
extern const char *const spot_check_kind_names[3];
/* what was checked: work_order, ticket, technician, site, other */
extern const char *const spot_check_subject_names[6];
/* ethics (职业道德), technical (专业技术知识), safety_civilised (安全施工、文明施工), other */
extern const char *const training_category_names[5];
/* none, passed, failed */
extern const char *const training_result_names[4];
/* arguing (顶撞用户、发生口角), asking_money (索要财物), unreasonable_demand (无理要求), other */
extern const char *const conduct_category_names[5];
/* customer_call, survey, spot_check, other */
extern const char *const conduct_source_names[5];
/* open, investigating, closed */
extern const char *const conduct_status_names[4];
/* unfounded, warning, training, penalty, dismissal */
extern const char *const conduct_outcome_names[6];
/* submitted, accepted, rejected, noted */
extern const char *const suggestion_status_names[5];

bool ca_state_parse(const char *s, enum ca_state *out);
bool ca_action_parse(const char *s, enum ca_action *out);

/* The state after `action` from `st` for a caller with `roles` who is (or is not) the
 * action's owner: SH_CONFLICT (reason illegal_action, params.allowed) when the table has no
 * such row; SH_FORBIDDEN when neither the owner nor a head may take it. */
SH_WUR enum sh_code ca_transition(enum ca_state st, enum ca_action action, unsigned roles,
                                  bool is_owner, enum ca_state *to, struct sh_err *err);
/* A corrective action is overdue when it is not yet done and its due date (YYYY-MM-DD) is
 * before today (YYYY-MM-DD, the local date). */
bool ca_overdue(enum ca_state st, const char *due_date, const char *today);
/* A reply's decision to a submitted suggestion: accepted, rejected or noted. */
bool suggestion_decision_ok(const char *status);

#endif
