/* SPDX-License-Identifier: MIT */
/* SQL of the ticket aggregate (tickets, their timeline and search texts), read into typed
 * structs for the application layer. */
#ifndef SH_STORE_TICKETS_H
#define SH_STORE_TICKETS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"
#include "domain/ticket.h"
#include "store/db.h"

/* The pair text of a search text (base/bigram.h), cut to the stored limit, in arena a. */
const char *tickets_pairs(struct sh_arena *a, const char *text);

/* Appends text to the staff search texts of ticket id, and to the customer ones when
 * customer_visible (issue 10 item 5). */
SH_WUR enum sh_code tickets_search_append(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                          const char *text, bool customer_visible,
                                          struct sh_err *e);
/* Rebuilds both search texts of ticket id from what is stored (its fields, tickets merged
 * into it, its timeline), as intake and the appends build them (issue 10 item 12). */
SH_WUR enum sh_code tickets_search_rebuild(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                           struct sh_err *e);
/* The same for every ticket (the migration that introduced the customer text). */
SH_WUR enum sh_code tickets_search_rebuild_all(struct db_tx *tx, struct sh_arena *a,
                                               struct sh_err *e);

/* ---- the ticket row ---- */

/* The columns the rules read (strings in the arena; ids 0 when NULL). */
struct ticket_row {
    int64_t id, customer_id, unit_id, assignee_id, department_id, merged_into, version;
    const char *number, *type, *status, *warranty_status, *received_at, *exclusion;
};

/* SH_NOT_FOUND when there is no such ticket (no scope check: the use case does it). */
SH_WUR enum sh_code tickets_get(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                struct ticket_row *out, struct sh_err *e);
/* Status, version and the SLA event columns an action sets (the first instant is kept). */
SH_WUR enum sh_code tickets_apply_action(struct db_tx *tx, int64_t id, enum ticket_action act,
                                         enum ticket_state to, const char *now, struct sh_err *e);
/* Owner (0: unchanged), appointment and promised arrival (NULL: unchanged). */
SH_WUR enum sh_code tickets_set_owner(struct db_tx *tx, int64_t id, int64_t assignee, int64_t dept,
                                      struct sh_err *e);
SH_WUR enum sh_code tickets_set_times(struct db_tx *tx, int64_t id, const char *visit_at,
                                      const char *promised_arrival_at, struct sh_err *e);
SH_WUR enum sh_code tickets_set_warranty(struct db_tx *tx, int64_t id, const char *billing,
                                         const char *status, const char *json, struct sh_err *e);
/* Whether the timeline holds an event of this kind (e.g. "approval"). */
SH_WUR enum sh_code tickets_has_event(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                      const char *kind, bool *out, struct sh_err *e);
/* Whether id is an active staff user / an existing department. */
SH_WUR enum sh_code tickets_staff_user(struct db_tx *tx, struct sh_arena *a, int64_t id, bool *out,
                                       struct sh_err *e);
SH_WUR enum sh_code tickets_department(struct db_tx *tx, struct sh_arena *a, int64_t id, bool *out,
                                       struct sh_err *e);

#endif
