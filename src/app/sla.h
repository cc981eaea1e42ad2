/* SPDX-License-Identifier: MIT */
/* SLA use cases: a ticket's clocks evaluated and stored, and the scanner the background job
 * runs (src/jobs/ calls these, never the API layer). */
#ifndef SH_APP_SLA_H
#define SH_APP_SLA_H

#include "app/uc.h"
#include "domain/calendar.h"
#include "domain/sla.h"

/* A ticket's SLA clocks evaluated at some instant, without storing anything. */
struct ticket_sla_view {
    bool has_policy; /* false: no policy (or cancelled): no clocks */
    struct sla_policy policy;
    const struct calendar *cal;
    struct sla_result result;
    const char *number;
    int64_t assignee_id, department_id;
    bool has_levels; /* set by a refresh: the escalation levels it stored */
    int level[SLA_CLOCK_COUNT];
};

/* The company calendar (the default SLA policy's) loaded around u->now: the working days of
 * other clocks than a ticket's (the installation deadline, issue 12 item 2). */
SH_WUR enum sh_code uc_company_calendar(const struct uc *u, struct calendar *cal, struct sh_err *e);

SH_WUR enum sh_code uc_ticket_sla_eval(const struct uc *u, int64_t ticket_id, int64_t now,
                                       struct ticket_sla_view *out, struct sh_err *e);
/* Re-evaluates every SLA clock of a ticket at `now` from its stored history (events,
 * pauses, policy, calendar): stores per-target due/used/state, the ticket's worst state and
 * the instant it must next be looked at, and queues escalation notifications (each level
 * once). *view (may be NULL) gets the evaluation, in u->a. */
SH_WUR enum sh_code uc_ticket_sla_refresh(const struct uc *u, int64_t ticket_id, int64_t now,
                                          const struct ticket_sla_view **view, struct sh_err *e);
/* uc_ticket_sla_refresh for a ticket created in this transaction: it has no pauses and no
 * stored clocks yet, so neither is read. */
SH_WUR enum sh_code uc_ticket_sla_start(const struct uc *u, int64_t ticket_id, int64_t now,
                                        const struct ticket_sla_view **view, struct sh_err *e);

/* A ticket about to be inserted, as its clocks read it (times as stored text). */
struct sla_new_ticket {
    const char *number, *status, *priority, *received_at, *required_arrival_at;
    int64_t policy_id, assignee_id, department_id;
};
/* Its policy and calendar, read once, and the summary the INSERT stores (sla_state,
 * next_due_at, next_check_at): the start after the INSERT then writes only the clocks. */
struct sla_prepared {
    bool ready; /* false: nothing prepared (no policy): the start reads what it needs */
    int64_t policy_id;
    struct sla_policy policy;
    const struct calendar *cal;
    const char *sla_state, *next_due_at, *next_check_at;
};
/* Prepares the clocks of t from its policy's row among `policies` (every column of
 * sla_policies) and the policy's calendar (from cals, calendars_of_active_ahead's rows, or
 * read when NULL), at `now`. */
SH_WUR enum sh_code uc_ticket_sla_prepare(const struct uc *u, const struct sla_new_ticket *t,
                                          const struct db_rows *policies,
                                          const struct db_rows *cals, int64_t now,
                                          struct sla_prepared *out, struct sh_err *e);
/* uc_ticket_sla_start from the inserted row tr (every column of tickets, as the INSERT
 * answered it) and what uc_ticket_sla_prepare read (p may be NULL); *wrote is set when it
 * changed the ticket's row (its summary was not the one stored). */
SH_WUR enum sh_code uc_ticket_sla_start_row(const struct uc *u, const struct db_rows *tr,
                                            int64_t now, const struct sla_prepared *p,
                                            const struct ticket_sla_view **view, bool *wrote,
                                            struct sh_err *e);
/* Calendar `id` with its exception days around `now` (built-in China table and the company's
 * own days): the SLA clocks use it, and so does the decision deadline of approvals. */
SH_WUR enum sh_code calendar_load(struct db_tx *tx, struct sh_arena *a, int64_t id, int64_t now,
                                  struct calendar *cal, struct sh_err *e);

/* Every calendar of the active SLA policies with its days around `now`, sent ahead
 * (db_query_ahead) for calendar_from. */
SH_WUR enum sh_code calendars_of_active_ahead(struct db_tx *tx, struct sh_arena *a, int64_t now,
                                              struct db_rows *out, struct sh_err *e);
/* Calendar `id` from cals (calendars_of_active_ahead's rows), or read when cals is NULL or
 * does not hold it (as calendar_load). */
SH_WUR enum sh_code calendar_from(struct db_tx *tx, struct sh_arena *a, const struct db_rows *cals,
                                  int64_t id, int64_t now, struct calendar *cal, struct sh_err *e);
/* Validates a calendar's working-hours text ("1-5 08:30-12:00,13:00-17:30;6 09:00-12:00"). */
SH_WUR enum sh_code calendar_hours_check(const char *kind, const char *hours, struct sh_err *e);

/* One pass of the SLA scanner over at most `limit` (capped at SLA_SCAN_MAX) tickets due for a
 * look, in its own write transaction; *n gets how many were refreshed. */
#define SLA_SCAN_MAX 1000
SH_WUR enum sh_code sla_scan(struct app *app, int64_t now, int limit, int *n, struct sh_err *e);

#endif
