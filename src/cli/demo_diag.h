/* SPDX-License-Identifier: MIT */
/* Diagnoses, recommendations and sales leads as demo data (issue 18 items 1 and 8). */
#ifndef SH_CLI_DEMO_DIAG_H
#define SH_CLI_DEMO_DIAG_H

#include "cli/common.h"

/* A diagnosis with each decision (each on its own accepted repair ticket), a consultation
 * routed on site with its linked ticket, and recommendations on the on-site work order whose
 * leads are in each status; taken through the same use cases as the API by the first admin
 * user. Nothing when the database holds diagnoses already. *n gets the number of diagnoses. */
SH_WUR enum sh_code demo_diag(const struct uc *c, int *n, struct sh_err *e);

#endif
