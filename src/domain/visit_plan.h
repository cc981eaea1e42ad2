/* SPDX-License-Identifier: MIT */
/* Periodic visit plans (WF-10, R-185): every N weeks or months from a start date, until an
 * optional end date. Occurrence k is anchored on the start date, never chained from the one
 * before: a plan starting on the 31st visits on the last day of the shorter months and on
 * the 31st again after them (01-31, 02-28, 03-31). Pure: no I/O, no clock. */
#ifndef SH_DOMAIN_VISIT_PLAN_H
#define SH_DOMAIN_VISIT_PLAN_H

#include <stdbool.h>

#include "base/date.h"

enum visit_period { VISIT_WEEK, VISIT_MONTH };

#define VISIT_EVERY_MAX     52  /* every 1 … 52 weeks or months */
#define VISIT_LEAD_DAYS_MAX 120 /* created up to 120 days ahead */

struct visit_rule {
    struct sh_date start;
    enum visit_period period;
    int every; /* 1 … VISIT_EVERY_MAX */
    bool has_end;
    struct sh_date end; /* inclusive */
};

/* "week" / "month"; false when unknown. */
bool visit_period_parse(const char *s, enum visit_period *out);
const char *visit_period_name(enum visit_period p);

/* Occurrence k (k ≥ 0) of the rule; false when k < 0 or it falls after the end date. */
bool visit_occurrence(const struct visit_rule *r, int k, struct sh_date *out);

/* The due dates in [from, to] (inclusive), in order, at most max; returns the count. */
int visit_due_dates(const struct visit_rule *r, struct sh_date from, struct sh_date to,
                    struct sh_date *out, int max);

/* The first due date on or after `from`; false when none (past the end date). */
bool visit_next_due(const struct visit_rule *r, struct sh_date from, struct sh_date *out);

/* The number of due dates in [from, to] (inclusive): the "planned" count of a period. */
int visit_count_due(const struct visit_rule *r, struct sh_date from, struct sh_date to);

/* "HH:MM" with 00 ≤ HH ≤ 23, 00 ≤ MM ≤ 59; *minutes gets HH*60+MM. */
bool visit_time_parse(const char *s, int *minutes);

#endif
