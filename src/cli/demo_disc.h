/* SPDX-License-Identifier: MIT */
/* The department's discipline as demo data (issue 18 item 7). */
#ifndef SH_CLI_DEMO_DISC_H
#define SH_CLI_DEMO_DISC_H

#include "cli/common.h"

/* Spot checks and patrols with corrective actions in every state (one overdue), staff
 * training sessions with attendance and results, conduct complaints in every status and
 * suggestions with each reply, written through the same use cases as the API by the demo
 * department head and staff; nothing when the demo users are missing or spot checks exist
 * already. *n gets the number of records. */
SH_WUR enum sh_code demo_disc(const struct uc *c, int *n, struct sh_err *e);

#endif
