/* SPDX-License-Identifier: MIT */
/* Staff performance (R-181, first part; issue 11 item 9): per technician and period, the
 * work orders they led that were done, on-time arrival (within the tolerance told to the
 * customer, domain/work_order.h), average lateness, late notices sent in time, first-time
 * fix (a ticket resolved in the period whose only work order they led) and survey averages.
 * A technician without another staff role sees their own row only. The complaints about
 * their conduct are counted for the heads only. */
#ifndef SH_APP_REPORT_STAFF_H
#define SH_APP_REPORT_STAFF_H

#include "app/uc.h"

#define STAFF_SCORES 4 /* survey scores: speed, skill, attitude, overall */

struct staff_report_row {
    int64_t user_id;
    const char *name;
    int64_t done;            /* work orders led, finished done in the period */
    int64_t arrivals;        /* work orders led with an arrival in the period */
    int64_t on_time;         /* of them, within the window told to the customer */
    double on_time_pct;      /* -1 when no arrival */
    double avg_lateness_min; /* over the late arrivals (wo_arrival_class); -1: none */
    int64_t notices_due;     /* arrivals that needed a late notice (flagged in_time/late/missing) */
    int64_t notices_in_time;
    double notices_in_time_pct;      /* -1 when none was due */
    int64_t resolved;                /* tickets resolved in the period with a work order they led */
    int64_t first_time;              /* of them, with one work order only (not cancelled) */
    double first_time_pct;           /* -1 when none */
    int64_t surveys;                 /* surveys answered about their work in the period */
    double survey_avg[STAFF_SCORES]; /* -1 when no answer gave the score */
    int64_t complaints; /* conduct complaints about them that occurred in the period;
                           -1 for a caller who is not a head (ROLES_HEADS) */
};

struct staff_report {
    struct staff_report_row *rows;
    int n;
};

/* from and to are local dates "YYYY-MM-DD" (inclusive, Asia/Shanghai); rows by name. */
SH_WUR enum sh_code uc_report_staff(const struct uc *u, const char *from, const char *to,
                                    struct staff_report *out, struct sh_err *e);

#endif
