/* SPDX-License-Identifier: MIT */
/* Shared by the work-order use cases (app/work_order*.c): booking, re-booking, arrival and
 * the timeline event, each inside the caller's transaction. */
#ifndef SH_APP_WORK_ORDER_INT_H
#define SH_APP_WORK_ORDER_INT_H

#include "app/work_orders.h"
#include "store/tickets.h"

/* What a new booking holds. */
struct wo_booking {
    const char *kind;                    /* NULL: from the ticket type */
    int64_t lead_id;                     /* 0: none */
    const char *appointment_at;          /* NULL: none (a factory step) */
    int tolerance_min, early_target_min; /* -1: the policy */
    int duration_min;                    /* 0: the policy */
    const char *note, *override_reason;
};

/* Inserts a planned work order on ticket t (number "<ticket>-W<n>", linked to the ticket's
 * last not-fixed one), with its timeline event; *id gets its id. */
SH_WUR enum sh_code wo_book(const struct uc *u, const struct ticket_row *t,
                            const struct wo_booking *b, int64_t *id, struct sh_err *e);
/* Sets a new appointment (and lead when lead != 0) on an open work order w (not on site):
 * the window again, the late notice cleared, back to planned; with its timeline event.
 * Stores w (w->version is bumped in memory). No-op when nothing changes. */
SH_WUR enum sh_code wo_rebook(const struct uc *u, struct wo_row *w, const char *appointment_at,
                              int64_t lead, const char *note, struct sh_err *e);
/* The window fields of w from its appointment and tolerance and the policy's notice lead. */
SH_WUR enum sh_code wo_set_window(const struct uc *u, struct wo_row *w, struct sh_err *e);
/* Arrival at u->now: on site, lateness in minutes, the late-notice flag (missing when late
 * past the window with no notice). Does not store. */
void wo_apply_arrival(const struct uc *u, struct wo_row *w, bool has_pos, double lat, double lon);
/* A timeline event of kind work_order on w's ticket; extra is JSON members (",\"k\":v") or
 * NULL. */
SH_WUR enum sh_code wo_event(const struct uc *u, const struct wo_row *w, const char *action,
                             const char *from, const char *to, const char *vis, const char *note,
                             const char *extra, struct sh_err *e);
/* Fills v (helpers, parts, crew, actions, window) for w. */
SH_WUR enum sh_code wo_view_fill(const struct uc *u, const struct wo_row *w, struct wo_view *v,
                                 struct sh_err *e);
/* The caller is a planner (dispatcher, agent, dept head, admin). */
bool wo_is_planner(const struct uc *u);
/* Checks that a user id is an active staff user (field names the input). */
SH_WUR enum sh_code wo_check_staff(const struct uc *u, int64_t user, const char *field,
                                   struct sh_err *e);

#endif
