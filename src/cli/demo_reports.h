/* SPDX-License-Identifier: MIT */
/* Signed service reports as demo data (issue 11 item 5). */
#ifndef SH_CLI_DEMO_REPORTS_H
#define SH_CLI_DEMO_REPORTS_H

#include "base/sh_buf.h"
#include "cli/common.h"

/* A demo signature PNG (a few strokes that differ by k), appended to out. */
SH_WUR enum sh_code demo_signature_png(int k, struct sh_buf *out, struct sh_err *e);

/* Every demo work order on site or done without a report (up to 40) gets the customer's
 * signature (a drawn PNG, the ticket's caller as the signer) through uc_report_sign, when its
 * self-check passes. *n gets the number signed. A second run signs nothing new. */
SH_WUR enum sh_code demo_reports(const struct uc *base, int *n, struct sh_err *e);

#endif
