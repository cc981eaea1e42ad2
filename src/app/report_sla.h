/* SPDX-License-Identifier: MIT */
/* SLA compliance per clock with the list of breaches. The cohort is the tickets
 * received in the period (not cancelled); each of their clocks with a deadline is judged:
 * met when it stopped at or before its deadline, breached when it stopped after it or is
 * still running past it at `now`, open when still running within it. The rate is
 * met / (met + breached). */
#ifndef SH_APP_REPORT_SLA_H
#define SH_APP_REPORT_SLA_H

#include "app/report_filter.h"

#define SLA_REPORT_CLOCKS 4 /* reply, remote, onsite, resolve */
#define SLA_BREACHES_MAX  500

struct sla_report_clock {
    const char *target;
    int64_t clocks, met, breached, open;
    double pct; /* -1 when nothing was decided */
};

struct sla_breach {
    int64_t ticket_id;
    const char *number, *customer, *assignee, *target, *received_at, *due_at, *done_at;
    int64_t over_min; /* minutes past the deadline (to now when still running) */
};

struct sla_report {
    struct sla_report_clock clock[SLA_REPORT_CLOCKS];
    struct sla_breach *breaches;
    int nbreaches;
};

extern const char *const sla_report_targets[SLA_REPORT_CLOCKS];

/* staff filters on the assignee; with_list false skips the breach list (the dashboard). */
SH_WUR enum sh_code uc_report_sla(const struct uc *u, const struct report_filter *f, bool with_list,
                                  struct sla_report *out, struct sh_err *e);

#endif
