/* SPDX-License-Identifier: MIT */
/* The ticket timeline's write side and the notification outbox: every use case that records
 * an event or queues a message goes through these. */
#ifndef SH_APP_TICKET_EVENTS_H
#define SH_APP_TICKET_EVENTS_H

#include "app/uc.h"

/* One timeline event; data is JSON text or NULL. */
struct ticket_ev {
    const char *kind, *visibility, *body, *data;
};
#define TICKET_EVENTS_MAX 4

/* Appends n (1 to TICKET_EVENTS_MAX) events at u->now, by u->who, in order (one
 * statement); *event_id (may be NULL; only with n = 1) gets the new event's id. */
SH_WUR enum sh_code uc_ticket_events_add(const struct uc *u, int64_t ticket_id,
                                         const struct ticket_ev *ev, int n, int64_t *event_id,
                                         struct sh_err *e);
SH_WUR enum sh_code uc_ticket_event(const struct uc *u, int64_t ticket_id, const char *kind,
                                    const char *visibility, const char *body, const char *data,
                                    int64_t *event_id, struct sh_err *e);
/* Queues a notification for delivery after deliver_after; dedupe (may be NULL) makes it
 * once only. */
SH_WUR enum sh_code uc_outbox_add(const struct uc *u, const char *kind, int64_t user_id,
                                  int64_t ticket_id, const char *subject, const char *body,
                                  int64_t deliver_after, const char *dedupe, struct sh_err *e);

#endif
