/* SPDX-License-Identifier: MIT */
/* Shared between the trip use cases (app/trips.c, trip_actions.c, trip_reports.c). */
#ifndef SH_APP_TRIP_INT_H
#define SH_APP_TRIP_INT_H

#include "app/trips.h"

/* t as the stored text in u->a. */
const char *trip_ts(const struct uc *u, int64_t t);
/* R-053 for row r at u->now. */
bool trip_overdue_now(const struct uc *u, const struct trip_row *r, int64_t interval);
/* start_at and end_at from the planned departure and the estimated days (validated). */
SH_WUR enum sh_code trip_set_times(const struct uc *u, struct trip_row *t, struct sh_err *e);
/* 409 trip_overlap when one of users is on another trip during t's time. */
SH_WUR enum sh_code trip_check_overlap(const struct uc *u, const struct trip_row *t,
                                       const int64_t *users, int n, struct sh_err *e);
/* A purpose when one is given; the customer, site, ticket and work orders the input names
 * exist. */
SH_WUR enum sh_code trip_check_refs(const struct uc *u, const struct trip_in *in, struct sh_err *e);

#endif
