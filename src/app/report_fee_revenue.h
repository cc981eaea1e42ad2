/* SPDX-License-Identifier: MIT */
/* Installation and management fee revenue (R-183; docs/reports.md "Fee revenue"): the
 * charges of a period (by charged_on) in the categories installation_fee, management_fee
 * and secondment_fee, summed per cabinet series and dealer. */
#ifndef SH_APP_REPORT_FEE_REVENUE_H
#define SH_APP_REPORT_FEE_REVENUE_H

#include "app/uc.h"

struct fee_revenue_row {
    const char *series;      /* "" when none */
    int64_t dealer_id;       /* 0 when none */
    const char *dealer_name; /* "" when none */
    int64_t installation, management, secondment, total, charges;
};

struct fee_revenue {
    struct fee_revenue_row *rows;
    int n;
    struct fee_revenue_row total;
};

SH_WUR enum sh_code uc_report_fee_revenue(const struct uc *u, const char *from, const char *to,
                                          struct fee_revenue *out, struct sh_err *e);

#endif
