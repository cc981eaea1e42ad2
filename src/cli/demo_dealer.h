/* SPDX-License-Identifier: MIT */
/* Dealers' installation applications as demo data (issue 13 item 2). */
#ifndef SH_CLI_DEMO_DEALER_H
#define SH_CLI_DEMO_DEALER_H

#include "cli/common.h"

/* Applications of the first dealer in each state (submitted, one of them overdue; approved;
 * refused; not supported; agreement sent; confirmed; cancelled), through the same use cases
 * as the API; nothing when applications exist already. *n gets how many were loaded. */
SH_WUR enum sh_code demo_dealer(const struct uc *u, int *n, struct sh_err *e);

#endif
