/* SPDX-License-Identifier: MIT */
/* Business trips (出差, issue 12 item 4; WF-02 S5-S10, F-06, F-07): statuses, the action
 * table with who may take each action, the time a trip keeps its technicians away (the
 * overlap refusal and the slot ranking's exclusion), the progress-report flag and
 * the estimated against actual days of the trip report. Pure: no I/O, no clock. */
#ifndef SH_DOMAIN_TRIP_H
#define SH_DOMAIN_TRIP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_err.h"
#include "domain/roles.h"

enum trip_status {
    TRS_PLANNED,   /* F-06 filled, destination given, F-07 issued */
    TRS_DEPARTED,  /* on the trip: progress reports due */
    TRS_RETURNED,  /* back: F-07 to hand in */
    TRS_CLOSED,    /* recorded and archived */
    TRS_CANCELLED, /* never left */
    TRIP_STATUS_COUNT
};

enum trip_action { TRA_DEPART, TRA_RETURN, TRA_CLOSE, TRA_CANCEL, TRIP_ACTION_COUNT };

/* The expense kinds, in fen each. */
enum trip_expense { TRE_TRANSPORT, TRE_LODGING, TRE_ALLOWANCE, TRE_OTHER, TRIP_EXPENSE_COUNT };

/* Planners (after-sales) plan, cancel and close trips; the travelling technicians depart,
 * return, report and hand in the feedback form. */
#define TRIP_R_PLAN (RB(DISPATCHER) | RB(AGENT) | RB(DEPT_HEAD) | RB(ADMIN))

extern const char *const trip_status_names[TRIP_STATUS_COUNT + 1];
extern const char *const trip_action_names[TRIP_ACTION_COUNT + 1];
extern const char *const trip_expense_names[TRIP_EXPENSE_COUNT + 1];

bool trip_status_parse(const char *s, enum trip_status *out);
bool trip_action_parse(const char *s, enum trip_action *out);
const char *trip_status_name(enum trip_status s);
const char *trip_action_name(enum trip_action a);

/* The facts an action's guards read. */
struct trip_facts {
    unsigned roles;
    bool member;   /* the caller is one of the trip's technicians */
    bool feedback; /* the feedback form F-07 was handed in */
};

/* The status after action a from st: SH_CONFLICT reason illegal_action (the message lists
 * the legal actions), SH_FORBIDDEN for a caller who may not, SH_CONFLICT reason guard
 * {"guard":"feedback"} for closing without the feedback form. */
SH_WUR enum sh_code trip_transition(enum trip_status st, enum trip_action a,
                                    const struct trip_facts *f, enum trip_status *to,
                                    struct sh_err *err);
/* The actions the caller may take now (guards not applied); returns how many. */
int trip_allowed_actions(enum trip_status st, unsigned roles, bool member,
                         enum trip_action out[TRIP_ACTION_COUNT]);

/* The time a trip keeps its technicians away, [from, to) in unix seconds: start and end
 * are its stored start_at and end_at (planned; the departure and return once known). A
 * departed trip lasts at least until now (it runs over until the return); a cancelled
 * trip keeps nobody. Returns false when it keeps nobody. */
bool trip_away(enum trip_status st, int64_t start, int64_t end, int64_t now, int64_t *from,
               int64_t *to);
/* [a_from, a_to) and [b_from, b_to) share an instant. */
bool trip_overlap(int64_t a_from, int64_t a_to, int64_t b_from, int64_t b_to);

/* a departed trip whose last report (or, before any, its departure) is more than
 * interval_s old. */
bool trip_report_overdue(enum trip_status st, int64_t departed, int64_t last_report, int64_t now,
                         int64_t interval_s);

/* the days a trip took, from departure to return, counted in started days (at least
 * 1); -1 when it has not returned. */
int trip_actual_days(int64_t departed, int64_t returned);

#endif
