/* SPDX-License-Identifier: MIT */
/* The complaints-and-returns register (R-179; issue 15 item 3; docs/reports.md): the
 * complaint/return notices received in the period counted by channel, product, cause,
 * decision, category and responsible department, each with open / closed / refused, serious
 * and bought-in counts, the average days to close, charges and credits. */
#ifndef SH_APP_REPORT_COMPLAINTS_H
#define SH_APP_REPORT_COMPLAINTS_H

#include "app/report_filter.h"

#define COMPLAINT_DIMENSIONS 6

extern const char *const complaint_dimension_names[COMPLAINT_DIMENSIONS + 1];

struct complaint_report_row {
    const char *dimension; /* channel product cause decision category department */
    const char *key;       /* the value ("" none): a code, or the product's / department's name */
    int64_t received, open, closed, refused, serious, bought_in;
    int64_t closed_days_sum_s, closed_n; /* seconds from filing to closing, of the closed ones */
    int64_t charge_fen, credit_fen;
    double days_to_close; /* average; -1 when none closed */
};

struct complaint_report {
    struct complaint_report_row *rows; /* by dimension in that order, then by key */
    int n;
    struct complaint_report_row total; /* dimension and key NULL */
};

/* department filters on the responsible department, staff on the staff member concerned
 * customer, model; region is not kept by the notices. */
SH_WUR enum sh_code uc_report_complaints(const struct uc *u, const struct report_filter *f,
                                         struct complaint_report *out, struct sh_err *e);

#endif
