/* SPDX-License-Identifier: MIT */
/* Demo installation projects in every state, one with a signed acceptance and training
 * (issue 12 items 2 and 5). */
#ifndef SH_CLI_DEMO_PROJECTS_H
#define SH_CLI_DEMO_PROJECTS_H

#include "cli/common.h"

/* Once: nothing when projects exist; the visits need the demo technician. *n gets the number
 * of projects opened. */
SH_WUR enum sh_code demo_projects(const struct uc *u, int *n, struct sh_err *e);

#endif
