/* SPDX-License-Identifier: MIT */
/* The department's own records as demo data, after the tickets, work orders and RMAs they
 * refer to: discipline (issue 18 item 7), diagnoses and leads (items 1, 8), complaint notices
 * and samples (issue 14 items 4-5), software versions and campaigns (item 3), telephone
 * records, suppliers and contract requirements (items 2, 5, 6). */
#ifndef SH_CLI_DEMO_DEPT_H
#define SH_CLI_DEMO_DEPT_H

#include "cli/common.h"

SH_WUR enum sh_code demo_dept(const struct uc *u, struct sh_err *e);

#endif
