/* SPDX-License-Identifier: MIT */
/* Parts of `shouhou demo` kept in their own files, called inside its write transaction. */
#ifndef SH_CLI_DEMO_H
#define SH_CLI_DEMO_H

#include "cli/common.h"

/* Periodic visit plans for the key demo customers and their visit work orders (none when
 * the database holds plans already). */
SH_WUR enum sh_code demo_visits(const struct uc *c, int *nplans, int *nvisits, struct sh_err *e);

/* Business trips in every state by the demo technicians (none when the database holds trips
 * already or has no demo technicians). */
SH_WUR enum sh_code demo_trips(const struct uc *c, struct sh_err *e);

#endif
