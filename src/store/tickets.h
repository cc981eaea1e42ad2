/* SPDX-License-Identifier: MIT */
/* SQL of the ticket aggregate (tickets, their timeline and search texts), read into typed
 * structs for the application layer. */
#ifndef SH_STORE_TICKETS_H
#define SH_STORE_TICKETS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"
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

#endif
