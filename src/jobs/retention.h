/* SPDX-License-Identifier: MIT */
/* The retention job: prunes failed sign-in records and idempotency keys (app/retention.h)
 * at most once per RETENTION_PERIOD_S; on PostgreSQL only the instance that gets the
 * advisory lock prunes. */
#ifndef SH_JOBS_RETENTION_H
#define SH_JOBS_RETENTION_H

#include <stdint.h>

#include "app/uc.h"

#define RETENTION_PERIOD_S 60

/* Prunes when *last is 0 or RETENTION_PERIOD_S ago; updates *last. */
void retention_tick(struct app *app, int64_t now, int64_t *last);

#endif
