/* SPDX-License-Identifier: MIT */
/* The call and letter register (来电来函登记, R-171): every request received in the period —
 * its channel, type, customer, caller, who took it and whether a follow-up is still open —
 * with counts per channel. */
#ifndef SH_APP_REPORT_CALLS_H
#define SH_APP_REPORT_CALLS_H

#include "app/report_filter.h"

#define CALLS_MAX 5000 /* rows listed; the counts cover the whole period */

struct calls_row {
    int64_t id;
    const char *number, *received_at, *channel, *type, *status, *customer, *caller, *phone;
    const char *taken_by, *assignee, *fault, *description;
    bool open; /* not resolved, closed or cancelled */
};

struct calls_channel {
    const char *channel;
    int64_t n, open;
};

struct calls_report {
    struct calls_row *rows;
    int n;
    struct calls_channel *channels;
    int nchannels;
    int64_t total, open;
};

/* staff filters on the assignee. */
SH_WUR enum sh_code uc_report_calls(const struct uc *u, const struct report_filter *f,
                                    struct calls_report *out, struct sh_err *e);

#endif
