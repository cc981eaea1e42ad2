/* SPDX-License-Identifier: MIT */
/* Service requests (工单): shared between the ticket handlers and the SLA job. */
#ifndef SH_TICKETS_H
#define SH_TICKETS_H

#include "api/api.h"
#include "app/sla.h"
#include "app/ticket_events.h"
#include "base/date.h"

#include "app/ticket_entities.h" /* ent_tickets and the ticket configuration entities */

/* The application layer's context for a request of the ticket handlers. */
static inline struct uc ticket_uc(struct api_ctx *c, struct db_tx *tx)
{
    return api_uc(c, tx);
}

/* The SLA use cases (app/sla.h) for a request. */
SH_WUR enum sh_code ticket_sla_eval(struct api_ctx *c, struct db_tx *tx, int64_t ticket_id,
                                    int64_t now, struct ticket_sla_view *out, struct sh_err *e);
SH_WUR enum sh_code ticket_sla_refresh(struct api_ctx *c, struct db_tx *tx, int64_t ticket_id,
                                       int64_t now, const struct ticket_sla_view **view,
                                       struct sh_err *e);
SH_WUR enum sh_code ticket_sla_start(struct api_ctx *c, struct db_tx *tx, int64_t ticket_id,
                                     int64_t now, const struct ticket_sla_view **view,
                                     struct sh_err *e);

/* The timeline and outbox use cases (app/ticket_events.h) for a request. */
SH_WUR enum sh_code outbox_add(struct api_ctx *c, struct db_tx *tx, const char *kind,
                               int64_t user_id, int64_t ticket_id, const char *subject,
                               const char *body, int64_t deliver_after, const char *dedupe,
                               struct sh_err *e);
SH_WUR enum sh_code ticket_event(struct api_ctx *c, struct db_tx *tx, int64_t ticket_id,
                                 const char *kind, const char *visibility, const char *body,
                                 const char *data, int64_t *event_id, struct sh_err *e);
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
/* Serves a blob of the attachment store (app/ticket_attach.h) as a download named filename. */
void api_serve_blob(struct api_ctx *c, const char *sha, const char *mime, const char *filename);
/* A work order's, RMA's or trip's photo: as api_serve_blob, but inline (the pages show it)
 * when its stored type is an image the uploads sniff (JPEG, PNG, GIF, WebP). */
void api_serve_photo(struct api_ctx *c, const char *sha, const char *mime, const char *filename);
SH_WUR enum sh_code ticket_attach_limited(struct api_ctx *c, int64_t ticket_id, const void *data,
                                          size_t n, const char *filename, size_t max, int limit,
                                          struct sh_buf *out, struct sh_err *e);

/* ---- shared by the ticket handlers (api/ticket_*.c) ---- */
/* 201 {"id": event_id, "ticket_id", "kind"}: the timeline event a request added. */
void reply_ticket_event(struct api_ctx *c, int64_t event_id, int64_t ticket_id, const char *kind);
#include "app/ticket_warranty.h"
#include "store/tickets.h"
#define local_date ticket_local_date
#define cause_of   ticket_cause_of

/* The enums of the ticket columns (NULL-terminated). */
/* A field's text, NULL when absent or null. */
const char *fv(const struct fval *v);
/* Loads a ticket for the caller: 404 outside their scope. */
SH_WUR enum sh_code load_ticket(struct api_ctx *c, struct db_tx *tx, int64_t id,
                                struct db_rows *out, struct sh_err *e);
/* The ticket as JSON with its SLA targets and allowed actions; view: the SLA evaluation the
 * caller just made (NULL: evaluate now). */
SH_WUR enum sh_code render_ticket(struct api_ctx *c, struct db_tx *tx, int64_t id,
                                  const struct ticket_sla_view *view, struct sh_buf *out,
                                  const char **version, struct sh_err *e);
/* The same from row (every column of the ticket, as the caller just stored it; NULL: read
 * it). */
SH_WUR enum sh_code render_ticket_row(struct api_ctx *c, struct db_tx *tx, int64_t id,
                                      const struct db_rows *row, const struct ticket_sla_view *view,
                                      struct sh_buf *out, const char **version, struct sh_err *e);

#endif
