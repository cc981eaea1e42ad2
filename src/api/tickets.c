/* SPDX-License-Identifier: MIT */
/* Service requests (来电来函登记, R-055…R-059): intake from every channel, the
 * lifecycle through explicit actions checked by the state machine of
 * domain/ticket.c, the timeline (comments, call records, state changes, SLA
 * events, attachments), the warranty decision, repeat-repair detection
 * and merging duplicates. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/handlers.h"
#include "api/policy.h"
#include "api/tickets.h"
#include "base/date.h"
#include "base/log.h"
#include "domain/sla.h"
#include "domain/ticket.h"
#include "domain/warranty.h"
#include "app/settings.h"
#include "store/settings.h"
#include "store/tickets.h"
#include "api/ifmatch.h"

/* ---- shared helpers ---- */

enum sh_code ticket_events_add(struct api_ctx *c, struct db_tx *tx, int64_t ticket_id,
                               const struct ticket_ev *ev, int n, int64_t *event_id,
                               struct sh_err *e)
{
    const struct uc u = ticket_uc(c, tx);
    return uc_ticket_events_add(&u, ticket_id, ev, n, event_id, e);
}

enum sh_code ticket_event(struct api_ctx *c, struct db_tx *tx, int64_t ticket_id, const char *kind,
                          const char *visibility, const char *body, const char *data,
                          int64_t *event_id, struct sh_err *e)
{
    const struct uc u = ticket_uc(c, tx);
    return uc_ticket_event(&u, ticket_id, kind, visibility, body, data, event_id, e);
}

enum sh_code outbox_add(struct api_ctx *c, struct db_tx *tx, const char *kind, int64_t user_id,
                        int64_t ticket_id, const char *subject, const char *body,
                        int64_t deliver_after, const char *dedupe, struct sh_err *e)
{
    const struct uc u = ticket_uc(c, tx);
    return uc_outbox_add(&u, kind, user_id, ticket_id, subject, body, deliver_after, dedupe, e);
}

enum sh_code ticket_sla_eval(struct api_ctx *c, struct db_tx *tx, int64_t id, int64_t now,
                             struct ticket_sla_view *out, struct sh_err *e)
{
    const struct uc u = ticket_uc(c, tx);
    return uc_ticket_sla_eval(&u, id, now, out, e);
}

enum sh_code ticket_sla_refresh(struct api_ctx *c, struct db_tx *tx, int64_t id, int64_t now,
                                const struct ticket_sla_view **view, struct sh_err *e)
{
    const struct uc u = ticket_uc(c, tx);
    return uc_ticket_sla_refresh(&u, id, now, view, e);
}

enum sh_code ticket_sla_start(struct api_ctx *c, struct db_tx *tx, int64_t id, int64_t now,
                              const struct ticket_sla_view **view, struct sh_err *e)
{
    const struct uc u = ticket_uc(c, tx);
    return uc_ticket_sla_start(&u, id, now, view, e);
}

/* Loads a ticket for the caller: 404 outside their scope. */
enum sh_code load_ticket(struct api_ctx *c, struct db_tx *tx, int64_t id, struct db_rows *out,
                         struct sh_err *e)
{
    const struct uc u = ticket_uc(c, tx);
    return uc_ent_load_visible(&u, &ent_tickets, id, out, e);
}

const char *fv(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}
