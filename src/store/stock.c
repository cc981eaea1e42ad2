/* SPDX-License-Identifier: MIT */
/* The stock ledger's SQL (store/stock.h). */
#include "store/stock.h"

#include <stdlib.h>

SH_WUR enum sh_code stock_take(struct db_tx *tx, int64_t part, int64_t loc, int64_t qty,
                               const char *now, bool *ok, struct sh_err *e)
{
    int64_t n = 0;
    enum sh_code rc = db_exec(tx,
                              "UPDATE stock_balances SET qty = qty - $3, updated_at = $4 "
                              "WHERE part_id = $1 AND location_id = $2 AND qty >= $3",
                              DB_P(DB_INT(part), DB_INT(loc), DB_INT(qty), DB_TEXT(now)), &n, e);
    *ok = !rc && n == 1;
    return rc;
}

SH_WUR enum sh_code stock_put(struct db_tx *tx, int64_t part, int64_t loc, int64_t qty,
                              const char *now, struct sh_err *e)
{
    return db_exec(tx,
                   "INSERT INTO stock_balances (part_id, location_id, qty, updated_at) "
                   "VALUES ($1, $2, $3, $4) ON CONFLICT (part_id, location_id) DO UPDATE "
                   "SET qty = stock_balances.qty + excluded.qty, updated_at = excluded.updated_at",
                   DB_P(DB_INT(part), DB_INT(loc), DB_INT(qty), DB_TEXT(now)), NULL, e);
}

SH_WUR enum sh_code stock_at(struct db_tx *tx, struct sh_arena *a, int64_t part, int64_t loc,
                             int64_t *qty, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT qty FROM stock_balances WHERE part_id = $1 AND "
                               "location_id = $2",
                               DB_P(DB_INT(part), DB_INT(loc)), &r, e);
    *qty = !rc && r.nrows ? db_get_int(&r, 0, "qty", 0) : 0;
    return rc;
}

SH_WUR enum sh_code stock_ledger_at(struct db_tx *tx, struct sh_arena *a, int64_t part, int64_t loc,
                                    int64_t *qty, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, a,
                 "SELECT (SELECT COALESCE(SUM(qty), 0) FROM stock_movements WHERE part_id = $1 AND "
                 "to_location_id = $2) - (SELECT COALESCE(SUM(qty), 0) FROM stock_movements WHERE "
                 "part_id = $1 AND from_location_id = $2) AS qty",
                 DB_P(DB_INT(part), DB_INT(loc)), &r, e);
    *qty = !rc && r.nrows ? db_get_int(&r, 0, "qty", 0) : 0;
    return rc;
}

static struct db_val id_or_null(int64_t v)
{
    return v ? DB_INT(v) : DB_NULL;
}

SH_WUR enum sh_code stock_movement_add(struct db_tx *tx, struct sh_arena *a,
                                       const struct stock_movement *m, int64_t *id,
                                       struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "INSERT INTO stock_movements (kind, part_id, qty, from_location_id, to_location_id, "
        "work_order_id, ticket_id, billing, price_basis, unit_price_fen, amount_fen, note, "
        "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
        "$14) RETURNING id",
        DB_P(DB_TEXT(m->kind), DB_INT(m->part_id), DB_INT(m->qty), id_or_null(m->from_id),
             id_or_null(m->to_id), id_or_null(m->work_order_id), id_or_null(m->ticket_id),
             DB_TEXT(m->billing ? m->billing : ""), DB_TEXT(m->price_basis ? m->price_basis : ""),
             DB_INT(m->unit_price_fen), DB_INT(m->amount_fen), DB_TEXT(m->note ? m->note : ""),
             id_or_null(m->created_by), DB_TEXT(m->created_at)),
        &r, e);
    *id = !rc && r.nrows ? db_get_int(&r, 0, "id", 0) : 0;
    return rc;
}
