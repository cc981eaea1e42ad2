/* SPDX-License-Identifier: MIT */
/* Shipment monitoring (R-174; docs/reports.md "Shipment monitoring"): the shipments created in
 * the period with their state, waybill, days in transit and whether the arrival is overdue or
 * the receipt unconfirmed, and the counts per state. */
#ifndef SH_APP_REPORT_SHIPMENTS_H
#define SH_APP_REPORT_SHIPMENTS_H

#include "app/report_filter.h"

#define SHIPMENT_REPORT_MAX 5000
#define SHIPMENT_STATES     9

extern const char *const shipment_report_states[SHIPMENT_STATES];

struct shipment_report_row {
    int64_t id, customer_id, units;
    const char *number, *customer, *region, *state, *carrier, *waybill_no;
    const char *dispatched_on, *arrival_due_on, *arrived_on, *received_on; /* local days */
    int64_t days_in_transit;                                               /* -1: not dispatched */
    bool overdue, unconfirmed;
};

struct shipment_report {
    struct shipment_report_row *rows;
    int n;
    int64_t shipments, by_state[SHIPMENT_STATES], in_transit, overdue, unconfirmed;
    int64_t arrived, transit_days_sum; /* arrived ones and their days in transit */
    double avg_transit_days;           /* -1: none arrived */
    bool truncated;
};

/* f: the period (created_at, local days) and the filters staff_id (who requested it),
 * customer_id, model_id (a line of that model) and region (the customer's). */
SH_WUR enum sh_code uc_report_shipments(const struct uc *u, const struct report_filter *f,
                                        struct shipment_report *out, struct sh_err *e);

#endif
