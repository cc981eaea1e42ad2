/* SPDX-License-Identifier: MIT */
/* Training report (R-189; docs/reports.md "Training report"): the customer training sessions
 * of the period — the training records (培训确认单, F-25) of installation projects, the
 * projects accepted in the period whose training record is still owed, and the training work
 * orders finished — with trainees, free and chargeable seats, topics and whether the
 * confirmation was signed. */
#ifndef SH_APP_REPORT_TRAINING_H
#define SH_APP_REPORT_TRAINING_H

#include "app/report_filter.h"

#define TRAINING_REPORT_MAX 5000
#define TRAINING_TOPICS_MAX 64

struct training_row {
    const char *source; /* project, work_order */
    int64_t record_id, customer_id, staff_id;
    const char *number, *at, *customer, *region, *staff;
    int64_t trainees, chargeable; /* free = trainees − chargeable */
    const char *topics;           /* the topics joined by "、" ("" when none recorded) */
    bool signed_;                 /* the confirmation (F-25, or the service report) signed */
};

struct training_topic_count {
    const char *topic;
    int64_t sessions;
};

struct training_report {
    struct training_row *rows;
    int n;
    int64_t sessions, trainees, free, chargeable, signed_, unsigned_;
    struct training_topic_count topics[TRAINING_TOPICS_MAX];
    int ntopics;
    bool truncated;
};

/* f: the period and all five filters (department: the project's or work order's ticket;
 * staff: who recorded the training / the work order's lead; model: a unit of the project or
 * the ticket's; region: the customer's / the ticket's). */
SH_WUR enum sh_code uc_report_training(const struct uc *u, const struct report_filter *f,
                                       struct training_report *out, struct sh_err *e);

#endif
