/* SPDX-License-Identifier: MIT */
/* Complaint/return notices and material samples as demo data (issue 14 items 4 and 5). */
#ifndef SH_CLI_DEMO_CMPL_H
#define SH_CLI_DEMO_CMPL_H

#include "cli/common.h"

/* A notice in every state (one of them a serious quality problem escalated to the general
 * manager) and a sample request in every state, through the same use cases as the API;
 * nothing when the database holds notices already. *n gets the number of notices. */
SH_WUR enum sh_code demo_cmpl(const struct uc *c, int *n, struct sh_err *e);

#endif
