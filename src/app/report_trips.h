/* SPDX-License-Identifier: MIT */
/* The trip report: per trip of a period (by its planned departure, local date),
 * the estimated against the actual days, the progress reports it has and whether one is
 * overdue, and whether the feedback form was handed in; with totals.
 * Cancelled trips are left out. */
#ifndef SH_APP_REPORT_TRIPS_H
#define SH_APP_REPORT_TRIPS_H

#include "app/uc.h"

struct trip_report_item {
    int64_t id;
    const char *status, *lead_name, *customer_name, *purpose, *planned_departure_at;
    int est_days, actual_days; /* actual: -1 until returned */
    int64_t reports;
    bool report_overdue, feedback_handed_in;
};

struct trip_report_total {
    int64_t trips, returned, est_days, actual_days; /* days: of the returned trips */
    int64_t over_estimate, without_reports, report_overdue, feedback_missing;
};

struct trip_report {
    struct trip_report_item *items;
    int n;
    struct trip_report_total total;
};

/* from and to are local dates "YYYY-MM-DD" (inclusive). */
SH_WUR enum sh_code uc_report_trips(const struct uc *u, const char *from, const char *to,
                                    struct trip_report *out, struct sh_err *e);

#endif
