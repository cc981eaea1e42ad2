/* SPDX-License-Identifier: MIT */
/* The technicians' calendar feeds (issue 15 item 5, docs/notifications.md "Calendar feeds"):
 * a read-only iCalendar (RFC 5545) of a technician's appointments (work-order bookings as
 * lead or helper) and trips, at a secret URL; rotating the token ends the old URL. */
#ifndef SH_APP_ICAL_FEEDS_H
#define SH_APP_ICAL_FEEDS_H

#include "app/uc.h"
#include "base/sh_buf.h"

struct ical_feed {
    int64_t technician_id, user_id;
    const char *token;      /* NULL: no feed yet */
    const char *created_at; /* NULL: no feed yet */
};

/* The technician's feed (the technician themself, admin, dept_head, dispatcher: 403 for
 * anyone else; 404 for no such technician). */
SH_WUR enum sh_code uc_ical_feed_get(const struct uc *u, int64_t technician_id,
                                     struct ical_feed *out, struct sh_err *e);
/* A new secret token (the old URL stops working at once), audited. */
SH_WUR enum sh_code uc_ical_feed_rotate(const struct uc *u, int64_t technician_id,
                                        struct ical_feed *out, struct sh_err *e);
/* The calendar of the token's technician into out (404 for an unknown token). */
SH_WUR enum sh_code uc_ical_render(const struct uc *u, const char *token, struct sh_buf *out,
                                   struct sh_err *e);

#endif
