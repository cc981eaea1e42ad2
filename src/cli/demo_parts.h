/* SPDX-License-Identifier: MIT */
/* Spare parts as demo data (issue 14 item 1). */
#ifndef SH_CLI_DEMO_PARTS_H
#define SH_CLI_DEMO_PARTS_H

#include "cli/common.h"

/* Six parts, the main warehouse and a van for every technician, receipts and issues through
 * the ledger, reorder minimums (two below), a consumption on the first work order whose lead
 * has a van, and a faulty third-party part (its purchasing task); nothing when parts exist
 * already. *n gets the movements recorded. */
SH_WUR enum sh_code demo_parts(const struct uc *u, int *n, struct sh_err *e);

#endif
