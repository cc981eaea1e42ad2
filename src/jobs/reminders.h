/* SPDX-License-Identifier: MIT */
/* The reminders job (app/notify_events.h): the pre-arrival call tasks and the
 * warranty-ending messages, at most once per REMINDERS_PERIOD_S; each message is
 * made once (the outbox's dedupe key), on any number of instances. */
#ifndef SH_JOBS_REMINDERS_H
#define SH_JOBS_REMINDERS_H

#include <stdint.h>

#include "app/uc.h"

#define REMINDERS_PERIOD_S 300

/* Runs a pass when *last is 0 or REMINDERS_PERIOD_S ago; updates *last. */
void reminders_tick(struct app *app, int64_t now, int64_t *last);

#endif
