/* SPDX-License-Identifier: MIT */
/* SLA policies and clocks (R-112… …A-03). Every result is recomputed from the
 * ticket's history (events and pauses) and the policy in force, with `now` passed in; nothing
 * is carried over between evaluations. So changing the policy, priority or calendar mid-ticket
 * gives exactly the result the new policy would have given from the start. */
#ifndef SH_SLA_H
#define SH_SLA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/sh_err.h"
#include "domain/calendar.h"
#include "domain/ticket.h"

#define SLA_NO_TIME INT64_MIN /* an event that has not happened / no instant */
#define SLA_HOUR    3600

/* independent clocks, each optional. */
enum sla_clock {
    SLA_REPLY,   /* 24 h reply (R-112, GEN 三.4, DEN 6.4) */
    SLA_REMOTE,  /* 2 h remote solution (R-114, SLA 2) */
    SLA_ONSITE,  /* on-site arrival, 48 h */
    SLA_RESOLVE, /* resolution (no number in the text; off by default) */
    SLA_CLOCK_COUNT
};

/* Ticket events that start or stop clocks. The ticket keeps the first instant of each. */
enum sla_event {
    SLA_EV_RECEIVED,           /* registered (WF-03 T1) */
    SLA_EV_REPLIED,            /* first reply recorded (ticket action reply) */
    SLA_EV_REMOTE_SOLUTION,    /* solution given by phone / fax / e-mail (resolve_remote) */
    SLA_EV_NOT_REMOTE_FIXABLE, /* marked "cannot be removed remotely" (WF-16 S3b) */
    SLA_EV_VISIT_SCHEDULED,    /* technician dispatched (schedule_visit) */
    SLA_EV_ARRIVED,            /* arrival recorded (arrive) */
    SLA_EV_RESOLVED,           /* resolve / resolve_remote */
    SLA_EV_TO_FACTORY,         /* the unit sent to the factory (send_to_factory, WF-05) */
    SLA_EV_COUNT
};
#define SLA_EVB(e) (1u << (e))

enum sla_priority { SLA_PRIO_LOW, SLA_PRIO_NORMAL, SLA_PRIO_HIGH, SLA_PRIO_URGENT, SLA_PRIO_COUNT };

/* what the on-site deadline is. The customer's required time (客户规定的时间) always
 * wins when it is earlier than the deadline so computed. */
enum sla_onsite_mode {
    SLA_ONSITE_HOURS,    /* budget hours from the start event on the calendar (SLA 2) */
    SLA_ONSITE_PROMISED, /* the time the company promised on the ticket (DEN 6.4); hours when
                            none was promised */
    SLA_ONSITE_CUSTOMER  /* only the customer's required time (GEN 三.4); hours when none */
};

struct sla_clock_spec {
    bool enabled;
    enum sla_event start;
    unsigned stop_mask;             /* SLA_EVB() bits: the first of these stops the clock */
    int64_t budget[SLA_PRIO_COUNT]; /* business seconds per priority */
    const struct calendar *cal;     /* NULL: the policy calendar (A-02: per-clock coverage) */
};

/* Escalation chain: assignee → department head → general manager. Delays are wall-clock
 * seconds after the breach; delivery then waits for the recipient's service hours. */
struct sla_escalation {
    bool at_risk_to_assignee; /* warn the assignee when at risk (R-112 "warns before breach") */
    int64_t dept_head_after;  /* default 0: at the breach */
    int64_t gm_after;         /* default 24 h after the breach */
};

struct sla_policy {
    int64_t id;
    const struct calendar *cal; /* coverage calendar, not owned */
    struct sla_clock_spec clock[SLA_CLOCK_COUNT];
    enum sla_onsite_mode onsite_mode;
    int at_risk_pct;          /* at risk when used >= pct % of the budget; default 80 */
    bool pause_on_customer;   /* clocks pause while waiting on the customer; default true */
    bool notify_around_clock; /* deliver notifications at once, not in service hours */
    struct sla_escalation esc;
};

/* Fills the defaults: reply 24 h from receipt (stopped by reply, remote solution or
 * resolution); remote solution 2 h from receipt (stopped by a solution, by "not remotely
 * fixable" or by resolution); on-site 48 h from "not remotely fixable" (stopped by arrival;
 * off when the unit went to the factory before an arrival and before its deadline: WF-05);
 * resolution off; at risk at 80 %; pauses on; every priority the same budget. */
void sla_policy_default(struct sla_policy *p, const struct calendar *cal);

/* Sets one clock's budget for every priority. */
void sla_policy_set_budget(struct sla_policy *p, enum sla_clock c, int64_t seconds);

/* [from, to): the ticket waited on the customer. to == SLA_NO_TIME: still waiting. */
struct sla_pause {
    int64_t from, to;
};

/* The ticket's history, as stored. Events after `now` are ignored, so a past `now` replays
 * what the system showed then. */
struct sla_ticket {
    enum sla_priority priority;
    int64_t ev[SLA_EV_COUNT];       /* SLA_NO_TIME when it has not happened */
    int64_t customer_due;           /* customer-required arrival, SLA_NO_TIME when none */
    int64_t promised_due;           /* company-promised arrival, SLA_NO_TIME when none */
    const struct sla_pause *pauses; /* sorted by `from`, disjoint; not owned */
    size_t npauses;
};

/* Sets every event and due to SLA_NO_TIME, priority normal, no pauses. */
void sla_ticket_init(struct sla_ticket *t);

enum sla_status {
    SLA_OFF,     /* clock disabled in the policy */
    SLA_PENDING, /* start event not yet happened */
    SLA_RUNNING,
    SLA_PAUSED,   /* waiting on the customer, not yet breached */
    SLA_AT_RISK,  /* used >= at_risk_pct of the budget */
    SLA_BREACHED, /* past due (open), or completed late */
    SLA_MET       /* completed on or before due */
};

struct sla_clock_state {
    enum sla_status status;
    int64_t start;       /* start event, or SLA_NO_TIME */
    int64_t stop;        /* stop event, or SLA_NO_TIME while open */
    int64_t due;         /* deadline; while paused, the deadline if work resumed at `now` */
    int64_t budget;      /* business seconds allowed; with an absolute deadline, the business
                            seconds from start to it */
    int64_t used;        /* business seconds used by `now` (or by the stop), pauses excluded */
    int64_t breached_at; /* == due when breached, else SLA_NO_TIME */
    int64_t at_risk_at;  /* open clock: when used reaches at_risk_pct of the budget (<= now once
                            at risk; projected from now while paused); else SLA_NO_TIME */
    bool completed;      /* stop event happened: status is MET or BREACHED for good */
    bool due_absolute;   /* due came from the customer's or the promised time */
};

struct sla_result {
    struct sla_clock_state clock[SLA_CLOCK_COUNT];
};

/* Evaluates every clock of `t` under `p` at `now`. SH_INVALID on a policy without a calendar,
 * a bad budget or percentage, or pauses that are unsorted, overlapping or open before the
 * last; SH_UNPROCESSABLE when a calendar never opens. */
SH_WUR enum sh_code sla_evaluate(const struct sla_policy *p, const struct sla_ticket *t,
                                 int64_t now, struct sla_result *out, struct sh_err *err);

const char *sla_status_name(enum sla_status s);
const char *sla_clock_name(enum sla_clock c);

/* RULE R-117 policy selection: a policy on the ticket's contract wins, then one for the
 * customer's tier (key customer, 重点客户), then one for the ticket type, then the default. */
enum sla_scope { SLA_SCOPE_DEFAULT, SLA_SCOPE_TICKET_TYPE, SLA_SCOPE_TIER, SLA_SCOPE_CONTRACT };
enum sla_tier { SLA_TIER_STANDARD, SLA_TIER_KEY };

struct sla_candidate {
    const struct sla_policy *policy;
    enum sla_scope scope;
    int64_t contract_id;   /* SLA_SCOPE_CONTRACT */
    enum sla_tier tier;    /* SLA_SCOPE_TIER */
    enum ticket_type type; /* SLA_SCOPE_TICKET_TYPE */
};

struct sla_subject {
    int64_t contract_id; /* 0: the unit is on no contract */
    enum sla_tier tier;
    enum ticket_type type;
};

/* Index in `c` of the policy that applies. SH_NOT_FOUND when none matches (no default),
 * SH_CONFLICT when two candidates match at the winning level (a configuration error). */
SH_WUR enum sh_code sla_select(const struct sla_candidate *c, size_t n, const struct sla_subject *s,
                               size_t *idx, struct sh_err *err);

enum sla_level { SLA_LEVEL_NONE, SLA_LEVEL_ASSIGNEE, SLA_LEVEL_DEPT_HEAD, SLA_LEVEL_GM };

const char *sla_level_name(enum sla_level l);

/* Who should be notified now for clock state `c`: nobody for a completed, pending, paused or
 * running clock; the assignee when at risk; after a breach the assignee, then the department
 * head after dept_head_after, then the GM after gm_after (time since the breach). */
enum sla_level sla_escalation_level(const struct sla_escalation *e, const struct sla_clock_state *c,
                                    int64_t now);

/* The instant the level will next rise for an open breached clock, or SLA_NO_TIME. */
int64_t sla_escalation_next(const struct sla_escalation *e, const struct sla_clock_state *c,
                            int64_t now);

/* When a notification raised at `now` should be delivered: at once when the policy says
 * around the clock or no recipient calendar is known, else the next instant inside the
 * recipient's service hours. */
SH_WUR enum sh_code sla_delivery_at(const struct sla_policy *p, const struct calendar *recipient,
                                    int64_t now, int64_t *out, struct sh_err *err);

#endif
