/* SPDX-License-Identifier: MIT */
/* Returns to factory as demo data (issue 14 item 2). */
#ifndef SH_CLI_DEMO_RMA_H
#define SH_CLI_DEMO_RMA_H

#include "cli/common.h"

/* An RMA in every state, each opened by a repair ticket's send_to_factory and taken through
 * the same use cases as the API by the first admin user; nothing when the database holds
 * RMAs already. *n gets the number of RMAs. */
SH_WUR enum sh_code demo_rma(const struct uc *c, int *n, struct sh_err *e);

#endif
