/* SPDX-License-Identifier: MIT */
/* Secondments and waiting records as demo data (issue 13 items 3 and 4). */
#ifndef SH_CLI_DEMO_FEES_H
#define SH_CLI_DEMO_FEES_H

#include "cli/common.h"

/* Two secondments to the first dealer and three waiting records (the customer at fault and
 * confirmed, the company at fault, not yet determined), each with the fee the engine
 * computes on create; nothing when secondments exist already. *n gets the records loaded. */
SH_WUR enum sh_code demo_fees(const struct uc *u, int *n, struct sh_err *e);

#endif
