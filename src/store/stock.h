/* SPDX-License-Identifier: MIT */
/* The stock ledger's SQL (migration 0028): one movement row and the balance rows it moves,
 * in the caller's write transaction. The decrement is a conditional UPDATE (… AND qty >= n):
 * on PostgreSQL (READ COMMITTED) the row lock makes a concurrent consumer wait and re-check
 * the condition against the committed quantity; on SQLite the one writer serialises. */
#ifndef SH_STORE_STOCK_H
#define SH_STORE_STOCK_H

#include "store/db.h"

/* Takes qty of part from location: *ok false (nothing changed) when fewer are there. */
SH_WUR enum sh_code stock_take(struct db_tx *tx, int64_t part, int64_t loc, int64_t qty,
                               const char *now, bool *ok, struct sh_err *e);
/* Puts qty of part into location (creates its balance row). */
SH_WUR enum sh_code stock_put(struct db_tx *tx, int64_t part, int64_t loc, int64_t qty,
                              const char *now, struct sh_err *e);
/* The stock of part at location (0 when it has no balance row). */
SH_WUR enum sh_code stock_at(struct db_tx *tx, struct sh_arena *a, int64_t part, int64_t loc,
                             int64_t *qty, struct sh_err *e);
/* The same added up from the ledger (a check of the balance row). */
SH_WUR enum sh_code stock_ledger_at(struct db_tx *tx, struct sh_arena *a, int64_t part, int64_t loc,
                                    int64_t *qty, struct sh_err *e);

struct stock_movement {
    const char *kind, *billing, *price_basis, *note, *created_at;
    int64_t part_id, qty, from_id, to_id, work_order_id, ticket_id, unit_price_fen, amount_fen,
        created_by;
};
/* Appends a movement to the ledger; *id gets its id. */
SH_WUR enum sh_code stock_movement_add(struct db_tx *tx, struct sh_arena *a,
                                       const struct stock_movement *m, int64_t *id,
                                       struct sh_err *e);

#endif
