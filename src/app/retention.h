/* SPDX-License-Identifier: MIT */
/* Retention: failed sign-in records and Idempotency-Key answers older than their
 * configured ages (app->retention_*_s) are deleted. Run by the jobs thread. */
#ifndef SH_APP_RETENTION_H
#define SH_APP_RETENTION_H

#include "app/uc.h"

struct retention_out {
    int64_t login_failures, idempotency_keys; /* rows deleted */
};

/* Inside a write transaction: deletes what is older than the ages (never login failures
 * younger than the 15-minute throttle window). */
SH_WUR enum sh_code uc_retention_prune(const struct uc *u, struct retention_out *out,
                                       struct sh_err *e);

#endif
