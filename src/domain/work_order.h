/* SPDX-License-Identifier: MIT */
/* Work orders (派工单, issue 11 items 1 and 2): kinds, statuses, the action table with the
 * roles that may take each action, and the appointment-window arithmetic (R-118 tolerance
 * told to the customer, R-119 early target and lateness in minutes, R-120 the latest notice
 * time and the late-notice flag). Pure: no I/O, no clock (the caller passes instants). */
#ifndef SH_DOMAIN_WORK_ORDER_H
#define SH_DOMAIN_WORK_ORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_err.h"
#include "domain/roles.h"
#include "domain/ticket.h"

enum wo_kind {
    WOK_ONSITE_REPAIR,  /* WF-04 */
    WOK_INSTALLATION,   /* WF-02 installation and commissioning */
    WOK_PERIODIC_VISIT, /* WF-10 */
    WOK_TRAINING,       /* WF-24 */
    WOK_FACTORY_REPAIR, /* WF-05: a step of a factory repair */
    WO_KIND_COUNT
};

enum wo_status {
    WOS_PLANNED,
    WOS_CONFIRMED,
    WOS_DEPARTED,
    WOS_ON_SITE,
    WOS_DONE,          /* finished: fixed */
    WOS_NOT_FIXED,     /* finished: a new visit is needed (R-061: a new, linked work order) */
    WOS_NEEDS_FACTORY, /* finished: the unit goes to the factory */
    WOS_CANCELLED,
    WO_STATUS_COUNT
};

enum wo_action {
    WOA_CONFIRM,      /* the customer confirmed the appointment */
    WOA_DEPART,       /* the crew left for the site */
    WOA_ARRIVE,       /* the crew arrived (R-119: lateness measured) */
    WOA_RUNNING_LATE, /* a new arrival time told to the customer and the manager */
    WOA_FINISH,       /* result done | not_fixed | needs_factory */
    WOA_CANCEL,
    WO_ACTION_COUNT
};

/* The late notice of R-120 as stored ('' none yet). */
enum wo_late_notice { WLN_NONE, WLN_IN_TIME, WLN_LATE, WLN_MISSING, WLN_COUNT };

/* Who acts: a planner role (dispatcher, agent, dept head, admin) or a member of the crew
 * (the lead technician or a helper, whatever their roles). */
#define WO_R_PLAN (RB(DISPATCHER) | RB(AGENT) | RB(DEPT_HEAD) | RB(ADMIN))

/* NULL-terminated name tables, indexed by the enums (served by GET /api/v1/meta). */
extern const char *const wo_kind_names[WO_KIND_COUNT + 1];
extern const char *const wo_status_names[WO_STATUS_COUNT + 1];
extern const char *const wo_action_names[WO_ACTION_COUNT + 1];
extern const char *const wo_result_names[4];                  /* done, not_fixed, needs_factory */
extern const char *const wo_late_notice_names[WLN_COUNT + 1]; /* "", in_time, late, missing */

const char *wo_kind_name(enum wo_kind k);
const char *wo_status_name(enum wo_status s);
const char *wo_action_name(enum wo_action a);
const char *wo_late_notice_name(enum wo_late_notice n);
bool wo_kind_parse(const char *s, enum wo_kind *out);
bool wo_status_parse(const char *s, enum wo_status *out);
bool wo_action_parse(const char *s, enum wo_action *out);
/* A finish result: WOS_DONE, WOS_NOT_FIXED or WOS_NEEDS_FACTORY. */
bool wo_result_parse(const char *s, enum wo_status *out);
bool wo_late_notice_parse(const char *s, enum wo_late_notice *out);

/* The work-order kind a ticket type books by default. */
enum wo_kind wo_kind_for_ticket(enum ticket_type t);

/* Planned, confirmed, departed or on site: the work order is still open. */
bool wo_status_open(enum wo_status s);
/* Done, not fixed, needs factory or cancelled. */
bool wo_status_final(enum wo_status s);

/* The state after `action` from `st`: SH_CONFLICT (reason illegal_action, the message lists
 * the legal actions) when the table has no such row; SH_FORBIDDEN when neither the caller's
 * roles nor crew membership (lead or helper) allow it. For WOA_FINISH, result is the status
 * it ends in (WOS_DONE, WOS_NOT_FIXED, WOS_NEEDS_FACTORY); ignored otherwise. */
SH_WUR enum sh_code wo_transition(enum wo_status st, enum wo_action action, enum wo_status result,
                                  unsigned roles, bool crew, enum wo_status *to,
                                  struct sh_err *err);
/* The actions the caller may take from st, in enum order; returns the count. */
int wo_allowed_actions(enum wo_status st, unsigned roles, bool crew,
                       enum wo_action out[WO_ACTION_COUNT]);

/* ---- appointments as windows (R-118, R-119, R-120, R-197) ---- */

/* A company's appointment policy (settings appointment_*). */
struct wo_policy {
    int tolerance_min;    /* told to the customer: ± minutes (default 30) */
    int early_target_min; /* arrive this many minutes early (default 5; the rule says 3–5) */
    int notice_lead_min;  /* a late notice at least this long before the appointment (30) */
    int precall_min;      /* the pre-arrival call window starts this long before (120) */
    int duration_min;     /* the planned time on site of a visit (90) */
    bool messages;        /* late notices are sent to the customer (true) */
};
#define WO_POLICY_DEFAULT                                                                          \
    {                                                                                              \
        30, 5, 30, 120, 90, true                                                                   \
    }

/* The window of an appointment at `at` (unix seconds) with a tolerance. */
struct wo_window {
    int64_t start, end, target, latest_notice;
};
struct wo_window wo_window(int64_t at, int tolerance_min, int early_target_min,
                           int notice_lead_min);

/* Minutes late at arrival against the appointment (whole minutes, 0 when on time or
 * early). */
int wo_lateness_min(int64_t appointment, int64_t arrived);
/* True when the arrival lies after the window told to the customer. */
bool wo_arrived_late(int64_t appointment, int tolerance_min, int64_t arrived);
/* RULE R-176, HW 1.1.5: an arrival against the window told to the customer (the appointment
 * ± the tolerance): early before it, on time within it, late after it. Every report that
 * counts arrivals classes them by this one rule (the punctuality report, the staff report,
 * the dashboard), so 准时到达率 is one number wherever it is shown (review 71 #10). */
enum wo_arrival { WOA_EARLY, WOA_ON_TIME, WOA_LATE };
enum wo_arrival wo_arrival_class(int64_t appointment, int tolerance_min, int64_t arrived);
/* The flag of a late notice sent at `sent`: in time up to the latest notice time. */
enum wo_late_notice wo_notice_flag(int64_t latest_notice, int64_t sent);
/* The flag at arrival: `current` is kept when a notice was given; an arrival after the
 * window without a notice is WLN_MISSING. */
enum wo_late_notice wo_arrival_flag(enum wo_late_notice current, int64_t appointment,
                                    int tolerance_min, int64_t arrived);

/* RULE item 8: two bookings of one person overlap when their times on site intersect:
 * [a, a + da) and [b, b + db), durations in minutes. */
bool wo_overlaps(int64_t a, int da_min, int64_t b, int db_min);

/* Checks the policy numbers: 0 ≤ tolerance ≤ 240, 0 ≤ early ≤ 60, 0 ≤ notice ≤ 1440,
 * 0 ≤ precall ≤ 1440. SH_INVALID naming the field (reason out_of_range) otherwise. */
SH_WUR enum sh_code wo_policy_check(const struct wo_policy *p, struct sh_err *err);

#endif
