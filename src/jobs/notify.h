/* SPDX-License-Identifier: MIT */
/* The outbox delivery worker of `shouhou serve` (docs/notifications.md): every
 * notify_poll_seconds it claims due messages in batches (app/notifications.h), sends each
 * through its channel outside any transaction, and records the outcome. Several servers on
 * one PostgreSQL database share the work without sending a message twice. */
#ifndef SH_JOBS_NOTIFY_H
#define SH_JOBS_NOTIFY_H

#include "app/uc.h"

struct notify_worker;

struct notify_worker *notify_worker_start(struct app *app, int interval_s);
void notify_worker_stop(struct notify_worker *w);
/* One pass: delivers everything due now; returns the number of messages sent or failed. */
int notify_tick(struct app *app, int64_t now, const bool *stop);

#endif
