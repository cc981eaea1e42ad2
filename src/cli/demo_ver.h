/* SPDX-License-Identifier: MIT */
/* Software versions and upgrade campaigns as demo data (issue 18 item 3). */
#ifndef SH_CLI_DEMO_VER_H
#define SH_CLI_DEMO_VER_H

#include "cli/common.h"

/* Version rules of the model with the most units (one version withdrawn), versions with
 * history on its units, one campaign launched through the same use case as the API with its
 * tickets in several states, and one draft campaign; nothing when campaigns exist. */
SH_WUR enum sh_code demo_ver(const struct uc *c, int *n, struct sh_err *e);

#endif
