/* SPDX-License-Identifier: MIT */
/* Signed service reports as demo data (issue 11 item 5). */
#ifndef SH_CLI_DEMO_REPORTS_H
#define SH_CLI_DEMO_REPORTS_H

#include "base/sh_buf.h"
#include "cli/common.h"

/* Every demo work order on site or done without a report (up to 40) gets the customer's
 * signature (a drawn PNG, the ticket's caller as the signer) through uc_report_sign, when its
 * self-check passes. *n gets the number signed. A second run signs nothing new. */
SH_WUR enum sh_code demo_reports(const struct uc *base, int *n, struct sh_err *e);

/* A PNG of w × h drawn by k into out: 480 × 160 a signature, other sizes a photo. */
SH_WUR enum sh_code demo_png(int k, int w, int h, struct sh_buf *out, struct sh_err *e);

/* The customer signs work order wo's report (a signature drawn by k) through
 * uc_report_sign as the principal of u. */
SH_WUR enum sh_code demo_report_sign(const struct uc *u, int64_t wo, int k, const char *signer,
                                     const char *comment, struct sh_err *e);

#endif
