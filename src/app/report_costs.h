/* SPDX-License-Identifier: MIT */
/* The cost report (R-147, R-173; docs/reports.md "Costs"): the costs of a period — each
 * trip's own expenses (transport as travel, lodging, allowance, other; dated by the trip's
 * planned start, local day) and the cost lines on trips and tickets (dated by incurred_on)
 * — summed by category and grouped by month, department, customer, technician, trip or
 * ticket. A trip's cost belongs to its customer, its lead and the lead's department; a
 * ticket's to its customer, its assignee and its department. Cancelled trips are left out. */
#ifndef SH_APP_REPORT_COSTS_H
#define SH_APP_REPORT_COSTS_H

#include "app/uc.h"

enum cost_cat { COST_TRAVEL, COST_LODGING, COST_ALLOWANCE, COST_PARTS, COST_OTHER, COST_CATS };

struct cost_row {
    const char *key;   /* the group's key: "2026-11", an id as text, "" when none */
    const char *label; /* the name shown (month, department, customer, person, trip, ticket) */
    int64_t cat[COST_CATS];
    int64_t total;
};

struct cost_report {
    struct cost_row *rows;
    int n;
    struct cost_row total;
};

/* The groups (NULL-terminated); group must be one of them. */
extern const char *const cost_groups[];
/* The category of a cost line's category text (pure). */
enum cost_cat cost_cat_of(const char *category);

/* from, to: local dates (inclusive). */
SH_WUR enum sh_code uc_report_costs(const struct uc *u, const char *from, const char *to,
                                    const char *group, struct cost_report *out, struct sh_err *e);

#endif
