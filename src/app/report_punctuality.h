/* SPDX-License-Identifier: MIT */
/* Appointment punctuality, per engineer and in total: of the work orders whose
 * appointment falls in the period and that recorded an arrival, those on time (within the
 * tolerance told to the customer), early (before the window), late with the late notice
 * sent in time (R-120: ≥ 30 min before) and late without it. */
#ifndef SH_APP_REPORT_PUNCTUALITY_H
#define SH_APP_REPORT_PUNCTUALITY_H

#include "app/report_filter.h"

struct punct_row {
    int64_t user_id; /* 0: the total line */
    const char *name;
    int64_t arrivals, on_time, early, late_notified, late_unnotified;
    double on_time_pct, early_pct; /* -1 when no arrival */
    double avg_late_min;           /* minutes late averaged over the late ones; -1: none */
    int64_t late_min_sum;
};

struct punct_report {
    struct punct_row *rows; /* per engineer, by name */
    int n;
    struct punct_row total;
};

/* staff filters on the lead technician; the period on the appointment's local day. */
SH_WUR enum sh_code uc_report_punctuality(const struct uc *u, const struct report_filter *f,
                                          struct punct_report *out, struct sh_err *e);

#endif
