/* SPDX-License-Identifier: MIT */
/* What the registers and KPI reports of issue 15 share: the period as UTC instants
 * of local (Asia/Shanghai) days, and the filters by department, staff, customer, product
 * (model) and region. REPORT_TICKET_FILTER is the filter's SQL on tickets `t`, with the
 * period as $1, $2 and the filters as $3…$7 (REPORT_FILTER_VALS binds them in that order). */
#ifndef SH_APP_REPORT_FILTER_H
#define SH_APP_REPORT_FILTER_H

#include "app/uc.h"

struct report_filter {
    char from[21], to[21];         /* [from, to): the local days as UTC instants */
    char from_day[11], to_day[11]; /* the local days themselves, inclusive */
    int64_t department_id, staff_id, customer_id, model_id; /* 0: any */
    const char *region;                                     /* "": any */
};

/* from and to are local dates "YYYY-MM-DD", inclusive; f's other members are kept. */
SH_WUR enum sh_code report_filter_period(const char *from, const char *to, struct report_filter *f,
                                         struct sh_err *e);

/* staff: the column the staff filter applies to (t.assignee_id, w.lead_id). */
#define REPORT_TICKET_FILTER(staff)                                                                \
    "($3 = 0 OR t.department_id = $3) AND ($4 = 0 OR " staff " = $4) AND ($5 = 0 OR "              \
    "t.customer_id = $5) AND ($6 = 0 OR t.model_id = $6) AND ($7 = '' OR t.region = $7)"
#define REPORT_FILTER_VALS(f)                                                                      \
    DB_TEXT((f)->from), DB_TEXT((f)->to), DB_INT((f)->department_id), DB_INT((f)->staff_id),       \
        DB_INT((f)->customer_id), DB_INT((f)->model_id), DB_TEXT((f)->region ? (f)->region : "")

/* a / b × scale, or -1 when b is 0 (shown as null / an empty cell) */
double report_ratio(int64_t a, int64_t b, double scale);

#endif
