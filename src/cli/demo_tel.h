/* SPDX-License-Identifier: MIT */
/* Telephone records, suppliers' commitments and supplier cases, contract requirements as demo
 * data (issue 18 items 2, 5, 6). */
#ifndef SH_CLI_DEMO_TEL_H
#define SH_CLI_DEMO_TEL_H

#include "cli/common.h"

/* A telephone record in each state (recorded, forwarded, answered) and an overdue forward; a
 * supplier with commitments and a supplier case in each state (one met, one late); two
 * contracts with service requirements, one reviewed. Nothing when telephone records exist. */
SH_WUR enum sh_code demo_tel(const struct uc *u, struct sh_err *e);

#endif
