/* SPDX-License-Identifier: MIT */
/* Service quality per staff member and in total: repeat-repair rate, first-time fix
 * and satisfaction. Cohort: the tickets resolved in the period (index
 * tickets_resolved, 0031); survey scores from the surveys answered in the period. */
#ifndef SH_APP_REPORT_QUALITY_H
#define SH_APP_REPORT_QUALITY_H

#include "app/report_filter.h"

struct quality_row {
    int64_t user_id; /* the assignee; 0: none (and the total line) */
    const char *name;
    int64_t resolved;                    /* tickets resolved in the period */
    int64_t repairs, repeats;            /* of them, repairs; repairs flagged as a repeat */
    int64_t with_wo, first_time;         /* resolved with a work order; with exactly one */
    int64_t surveyed;                    /* resolved tickets with a submitted survey */
    int64_t answered, score_sum, scored; /* surveys answered in the period; overall scores */
    double repeat_pct, first_time_pct, survey_pct, score_avg; /* -1: no base */
};

struct quality_report {
    struct quality_row *rows; /* per assignee */
    int n;
    struct quality_row total;
};

/* staff filters on the assignee. */
SH_WUR enum sh_code uc_report_quality(const struct uc *u, const struct report_filter *f,
                                      struct quality_report *out, struct sh_err *e);

#endif
