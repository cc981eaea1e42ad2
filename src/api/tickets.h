/* SPDX-License-Identifier: MIT */
/* Service requests (工单): shared between the ticket handlers and the SLA job. */
#ifndef SH_TICKETS_H
#define SH_TICKETS_H

#include "api/api.h"
#include "domain/calendar.h"
#include "domain/sla.h"

extern const struct entity ent_tickets, ent_fault_categories, ent_calendars, ent_sla_policies,
    ent_calendar_days;

/* A ticket's SLA clocks evaluated at some instant, without storing anything. */
struct ticket_sla_view {
    bool has_policy; /* false: no policy (or cancelled): no clocks */
    struct sla_policy policy;
    const struct calendar *cal;
    struct sla_result result;
    const char *number;
    int64_t assignee_id, department_id;
    bool has_levels; /* set by a refresh: the escalation levels it stored */
    int level[SLA_CLOCK_COUNT];
};

SH_WUR enum sh_code ticket_sla_eval(struct api_ctx *c, struct db_tx *tx, int64_t ticket_id,
                                    int64_t now, struct ticket_sla_view *out, struct sh_err *e);

/* Re-evaluates every SLA clock of a ticket at `now` from its stored history (events,
 * pauses, policy, calendar): stores per-target due/used/state, the ticket's worst state and
 * the instant it must next be looked at, and queues escalation notifications (each level
 * once). Runs inside the caller's write transaction. *view (may be NULL) gets the
 * evaluation, valid for the request. */
SH_WUR enum sh_code ticket_sla_refresh(struct api_ctx *c, struct db_tx *tx, int64_t ticket_id,
                                       int64_t now, const struct ticket_sla_view **view,
                                       struct sh_err *e);
/* ticket_sla_refresh for a ticket created in this transaction: it has no pauses and no
 * stored clocks yet, so neither is read. */
SH_WUR enum sh_code ticket_sla_start(struct api_ctx *c, struct db_tx *tx, int64_t ticket_id,
                                     int64_t now, const struct ticket_sla_view **view,
                                     struct sh_err *e);

/* Queues a notification for delivery (the outbox; delivery comes later). dedupe may be NULL. */
SH_WUR enum sh_code outbox_add(struct api_ctx *c, struct db_tx *tx, const char *kind,
                               int64_t user_id, int64_t ticket_id, const char *subject,
                               const char *body, int64_t deliver_after, const char *dedupe,
                               struct sh_err *e);

/* Appends a timeline event; data is JSON text or NULL. */
SH_WUR enum sh_code ticket_event(struct api_ctx *c, struct db_tx *tx, int64_t ticket_id,
                                 const char *kind, const char *visibility, const char *body,
                                 const char *data, int64_t *event_id, struct sh_err *e);

/* One timeline event of ticket_events_add. */
struct ticket_ev {
    const char *kind, *visibility, *body, *data;
};
#define TICKET_EVENTS_MAX 4
/* Appends n (1 to TICKET_EVENTS_MAX) events at once, in order (one statement);
 * *event_id (may be NULL; only with n = 1) gets the new event's id. */
SH_WUR enum sh_code ticket_events_add(struct api_ctx *c, struct db_tx *tx, int64_t ticket_id,
                                      const struct ticket_ev *ev, int n, int64_t *event_id,
                                      struct sh_err *e);

/* Registers a ticket from an intake body (the fields of POST /api/v1/tickets) inside tx:
 * the path shared by the API and the public QR report. */
SH_WUR enum sh_code ticket_intake(struct api_ctx *c, struct db_tx *tx, const char *json, size_t len,
                                  int64_t *id, struct sh_err *e);
/* Stores a photo or PDF (typed by content, by hash under the data directory) on a ticket in
 * its own transaction, with its timeline event; out gets the attachment as JSON. */
SH_WUR enum sh_code ticket_attach(struct api_ctx *c, int64_t ticket_id, const void *data, size_t n,
                                  const char *filename, size_t max, struct sh_buf *out,
                                  struct sh_err *e);
/* ticket_attach refusing (422, field "file") when the ticket already has `limit`
 * attachments, counted inside the write transaction (0: no limit). */
SH_WUR enum sh_code ticket_attach_limited(struct api_ctx *c, int64_t ticket_id, const void *data,
                                          size_t n, const char *filename, size_t max, int limit,
                                          struct sh_buf *out, struct sh_err *e);

/* Editing a ticket's unit and (letters, faxes, e-mails) its receipt time (ticket_edit.c):
 * checked before the write, applied after it (warranty, billing, customer, model). */
SH_WUR enum sh_code ticket_edit_check(struct ent_write *w, struct sh_err *e);
SH_WUR enum sh_code ticket_edit_after(struct ent_write *w, struct sh_err *e);
SH_WUR enum sh_code ticket_warranty_redecide(struct api_ctx *c, struct db_tx *tx, int64_t id,
                                             int64_t unit, int64_t received, const char *exclusion,
                                             struct sh_err *e);

/* One pass of the SLA scanner over tickets due for a look; *n gets how many were refreshed. */
SH_WUR enum sh_code sla_scan(struct app *app, int64_t now, int limit, int *n, struct sh_err *e);

#endif
