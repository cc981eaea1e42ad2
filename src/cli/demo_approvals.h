/* SPDX-License-Identifier: MIT */
/* Demo market-support approvals and coordination requests (issue 12 items 3 and 7). */
#ifndef SH_CLI_DEMO_APPROVALS_H
#define SH_CLI_DEMO_APPROVALS_H

#include "app/uc.h"

/* Requests pending, approved, rejected and overdue (filed by the demo sales user, decided by
 * the demo gm), and coordination requests open, acknowledged, answered and overdue; made
 * through the same use cases as the API. Nothing when approvals exist already; *n gets the
 * records made. */
SH_WUR enum sh_code demo_approvals(const struct uc *u, int *n, struct sh_err *e);

#endif
