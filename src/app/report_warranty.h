/* SPDX-License-Identifier: MIT */
/* Warranty expiry list (R-190; docs/reports.md "Warranty expiry"): the units whose warranty
 * ends in the period, with the state of the customer's 30-day notice (the warranty_ending
 * message of notify_reminders.c), and the counts per notice state. */
#ifndef SH_APP_REPORT_WARRANTY_H
#define SH_APP_REPORT_WARRANTY_H

#include "app/report_filter.h"

#define WARRANTY_REPORT_MAX 5000

struct warranty_row {
    int64_t unit_id, customer_id, model_id;
    const char *serial_no, *model, *customer, *region, *warranty_start, *warranty_end, *basis;
    int64_t days_left;  /* warranty_end − today (local); negative when already ended */
    const char *notice; /* none, or the message's state: pending, sent, failed, dead … */
};

struct warranty_report {
    struct warranty_row *rows;
    int n;
    int64_t units, notified, queued, not_notified; /* over the whole period */
    bool truncated;
};

/* f: the period (local days) and the filters customer_id, model_id and region (the unit's
 * customer's); a unit carries no department or staff: those filters do not apply. */
SH_WUR enum sh_code uc_report_warranty(const struct uc *u, const struct report_filter *f,
                                       struct warranty_report *out, struct sh_err *e);

#endif
