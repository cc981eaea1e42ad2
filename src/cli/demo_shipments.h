/* SPDX-License-Identifier: MIT */
/* Shipments as demo data (issue 12 items 1 and 6). */
#ifndef SH_CLI_DEMO_SHIPMENTS_H
#define SH_CLI_DEMO_SHIPMENTS_H

#include "cli/common.h"

/* A shipment in every state (one in transit past its expected arrival, one replacement for a
 * ticket), each through the same use cases as the API, by the first admin user; nothing when
 * the database holds shipments already. *n gets the number of shipments. */
SH_WUR enum sh_code demo_shipments(const struct uc *c, int *n, struct sh_err *e);

#endif
