/* SPDX-License-Identifier: MIT */
/* Periodic visits, planned vs done: per region and customer, the visits the plans
 * called for in a period (their due dates, domain/visit_plan.h), those created, done,
 * cancelled and still open, and how many brought findings and opinions on design, assembly
 * or process. A visit belongs to the period of its due date. */
#ifndef SH_APP_REPORT_VISITS_H
#define SH_APP_REPORT_VISITS_H

#include "app/uc.h"

struct visit_report_row {
    const char *region, *customer;
    int64_t customer_id;
    bool is_key;
    int64_t plans, patrols; /* plans of the customer in the period; of them patrols */
    int64_t planned, created, done, cancelled, open, findings, opinions;
    double done_pct; /* done / planned × 100; -1 when nothing was planned */
};

struct visit_report {
    struct visit_report_row *rows;
    int n;
    struct visit_report_row total; /* region and customer NULL */
};

/* from and to are local dates "YYYY-MM-DD" (inclusive); rows by region, then customer. */
SH_WUR enum sh_code uc_report_visits(const struct uc *u, const char *from, const char *to,
                                     struct visit_report *out, struct sh_err *e);

#endif
