/* SPDX-License-Identifier: MIT */
/* Background work of `shouhou serve`: the SLA scanner marks tickets at risk and
 * breached and queues escalations; the retention job (jobs/retention.h) prunes old
 * failed sign-ins and idempotency keys. One thread, stopped before the database closes. */
#ifndef SH_JOBS_H
#define SH_JOBS_H

#include "app/uc.h"

struct jobs;

/* Starts the jobs; interval_s is the SLA scan period (0 = default 30 s). */
struct jobs *jobs_start(struct app *app, int interval_s);
/* Stops and joins the thread (a scan in progress finishes first). */
void jobs_stop(struct jobs *j);

#endif
