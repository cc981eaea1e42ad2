/* SPDX-License-Identifier: MIT */
/* The visit job: creates the visits of the periodic visit plans ahead of time
 * (app/visits.h) at most once per VISITS_PERIOD_S. Several instances may run it at once:
 * each visit is claimed by its plan and due date, so it is created once. */
#ifndef SH_JOBS_VISITS_H
#define SH_JOBS_VISITS_H

#include <stdint.h>

#include "app/uc.h"

#define VISITS_PERIOD_S 300

/* Runs a pass when *last is 0 or VISITS_PERIOD_S ago; updates *last. */
void visits_tick(struct app *app, int64_t now, int64_t *last);

#endif
