/* SPDX-License-Identifier: MIT */
/* Demo work orders (issue 11): repair tickets on installed demo units, each with a work
 * order in another state, so that `make run` shows every status, a late notice, a missing
 * one and a second visit. */
#ifndef SH_CLI_DEMO_WORK_ORDERS_H
#define SH_CLI_DEMO_WORK_ORDERS_H

#include "base/sh_arena.h"
#include "base/sh_err.h"
#include "app/uc.h"
#include "store/db.h"

/* Once: nothing when work orders exist or the demo users (agent, dispatcher, technicians)
 * are missing. *n gets the number of work orders made. The done one's photos and signature
 * go to app->data_dir's blob store. */
SH_WUR enum sh_code demo_work_orders(struct db_tx *tx, struct sh_arena *a, const struct app *app,
                                     int *n, struct sh_err *e);

#endif
