/* SPDX-License-Identifier: MIT */
/* The dispatch record (售后服务派遣记录, R-172): every work order whose appointment falls in
 * the period — who was sent, to which customer, for which kind of work, its arrival and
 * result, and the days of the business trips it belongs to — with counts per technician. */
#ifndef SH_APP_REPORT_DISPATCH_H
#define SH_APP_REPORT_DISPATCH_H

#include "app/report_filter.h"

struct dispatch_row {
    int64_t id, ticket_id;
    const char *number, *ticket_number, *kind, *status, *lead, *customer, *region;
    const char *appointment_at, *arrived_at, *finished_at;
    int64_t helpers, trip_days;
};

struct dispatch_staff {
    int64_t user_id;
    const char *name;
    int64_t dispatches, done, trip_days;
};

struct dispatch_report {
    struct dispatch_row *rows;
    int n;
    struct dispatch_staff *staff;
    int nstaff;
    int64_t total, done, trip_days;
};

/* staff filters on the lead technician; the period on the appointment's local day. */
SH_WUR enum sh_code uc_report_dispatch(const struct uc *u, const struct report_filter *f,
                                       struct dispatch_report *out, struct sh_err *e);

#endif
