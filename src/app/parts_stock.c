/* SPDX-License-Identifier: MIT */
/* The stock ledger read: the movements (newest first) and the stock on hand per part and
 * location with its reorder minimum (app/parts.h). A technician sees their own van only. */
#include <inttypes.h>
#include <string.h>

#include "app/parts.h"
#include "store/sql_build.h"

static void eq(struct q *q, const char *col, int64_t v)
{
    if (v)
        qadd(q, " AND %s = $%d", col, qparam(q, DB_INT(v)));
}

static enum sh_code run(const struct uc *u, struct q *q, struct db_rows *r, struct sh_err *e)
{
    enum sh_code rc = q->overflow ? sh_err_set(e, SH_INTERNAL, "stock: statement too long")
                                  : db_query(u->tx, u->a, q->sql.buf, q->p, q->n, r, e);
    sh_buf_release(&q->sql);
    return rc;
}

static void movement_where(const struct uc *u, struct q *q, const struct movement_list_in *in)
{
    qadd(q, " FROM stock_movements m JOIN parts p ON p.id = m.part_id"
            " LEFT JOIN stock_locations fl ON fl.id = m.from_location_id"
            " LEFT JOIN stock_locations tl ON tl.id = m.to_location_id"
            " LEFT JOIN work_orders w ON w.id = m.work_order_id WHERE 1=1");
    eq(q, "m.id", in->id);
    eq(q, "m.part_id", in->part_id);
    eq(q, "m.work_order_id", in->work_order_id);
    if (in->location_id) {
        int n = qparam(q, DB_INT(in->location_id));
        qadd(q, " AND (m.from_location_id = $%d OR m.to_location_id = $%d)", n, n);
    }
    if (in->kind)
        qadd(q, " AND m.kind = $%d", qparam(q, DB_TEXT(in->kind)));
    if (in->since)
        qadd(q, " AND m.created_at >= $%d", qparam(q, DB_TEXT(in->since)));
    if (in->mine)
        eq(q, "m.created_by", u->who->user_id);
    if (principal_technician_only(u->who)) {
        int n = qparam(q, DB_INT(u->who->user_id));
        qadd(q, " AND (fl.technician_id = $%d OR tl.technician_id = $%d)", n, n);
    }
}

static struct movement_row movement_of(const struct db_rows *r, int i)
{
    return (struct movement_row){
        .id = db_get_int(r, i, "id", 0),
        .part_id = db_get_int(r, i, "part_id", 0),
        .qty = db_get_int(r, i, "qty", 0),
        .from_location_id = db_get_int(r, i, "from_location_id", 0),
        .to_location_id = db_get_int(r, i, "to_location_id", 0),
        .work_order_id = db_get_int(r, i, "work_order_id", 0),
        .ticket_id = db_get_int(r, i, "ticket_id", 0),
        .unit_price_fen = db_get_int(r, i, "unit_price_fen", 0),
        .amount_fen = db_get_int(r, i, "amount_fen", 0),
        .created_by = db_get_int(r, i, "created_by", 0),
        .kind = db_get(r, i, "kind"),
        .part_code = db_get(r, i, "part_code"),
        .part_name = db_get(r, i, "part_name"),
        .unit = db_get(r, i, "unit"),
        .from_name = db_get(r, i, "from_name"),
        .to_name = db_get(r, i, "to_name"),
        .wo_number = db_get(r, i, "wo_number"),
        .billing = db_get(r, i, "billing"),
        .price_basis = db_get(r, i, "price_basis"),
        .note = db_get(r, i, "note"),
        .created_at = db_get(r, i, "created_at"),
    };
}

enum sh_code uc_stock_movements(const struct uc *u, const struct movement_list_in *in,
                                struct movement_row **out, int *n, int64_t *total, struct sh_err *e)
{
    struct q q = {.sql = SH_BUF_INIT(1 << 12)};
    qadd(&q, "SELECT COUNT(*) AS n");
    movement_where(u, &q, in);
    struct db_rows r;
    enum sh_code rc = run(u, &q, &r, e);
    if (rc)
        return rc;
    *total = r.nrows ? db_get_int(&r, 0, "n", 0) : 0;
    q = (struct q){.sql = SH_BUF_INIT(1 << 12)};
    qadd(&q, "SELECT m.id, m.kind, m.part_id, m.qty, m.from_location_id, m.to_location_id, "
             "m.work_order_id, m.ticket_id, m.billing, m.price_basis, m.unit_price_fen, "
             "m.amount_fen, m.note, m.created_by, m.created_at, p.code AS part_code, "
             "p.name AS part_name, p.unit, fl.name AS from_name, tl.name AS to_name, "
             "w.number AS wo_number");
    movement_where(u, &q, in);
    qadd(&q, " ORDER BY m.id DESC LIMIT %d OFFSET %d", in->limit, in->offset);
    if ((rc = run(u, &q, &r, e)))
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(u->a, sizeof(**out) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++)
        (*out)[i] = movement_of(&r, i);
    return SH_OK;
}

/* Every (part, location) with a balance row or a minimum. */
static void stock_where(const struct uc *u, struct q *q, const struct stock_list_in *in)
{
    qadd(q, " FROM (SELECT part_id, location_id FROM stock_balances UNION SELECT part_id, "
            "location_id FROM stock_minimums) k JOIN parts p ON p.id = k.part_id"
            " JOIN stock_locations l ON l.id = k.location_id"
            " LEFT JOIN stock_balances b ON b.part_id = k.part_id AND b.location_id = "
            "k.location_id LEFT JOIN stock_minimums mn ON mn.part_id = k.part_id AND "
            "mn.location_id = k.location_id WHERE 1=1");
    eq(q, "k.part_id", in->part_id);
    eq(q, "k.location_id", in->location_id);
    if (in->below_min)
        qadd(q, " AND mn.min_qty IS NOT NULL AND COALESCE(b.qty, 0) < mn.min_qty");
    else
        qadd(q, " AND b.part_id IS NOT NULL");
    if (in->mine || principal_technician_only(u->who))
        eq(q, "l.technician_id", u->who->user_id);
}

enum sh_code uc_stock_list(const struct uc *u, const struct stock_list_in *in,
                           struct stock_row **out, int *n, int64_t *total, struct sh_err *e)
{
    struct q q = {.sql = SH_BUF_INIT(1 << 12)};
    qadd(&q, "SELECT COUNT(*) AS n");
    stock_where(u, &q, in);
    struct db_rows r;
    enum sh_code rc = run(u, &q, &r, e);
    if (rc)
        return rc;
    *total = r.nrows ? db_get_int(&r, 0, "n", 0) : 0;
    q = (struct q){.sql = SH_BUF_INIT(1 << 12)};
    qadd(&q, "SELECT k.part_id, k.location_id, COALESCE(b.qty, 0) AS qty, mn.min_qty, "
             "p.code AS part_code, p.name AS part_name, p.unit, p.price_fen, p.cost_fen, "
             "l.code AS location_code, l.name AS location_name, l.kind AS location_kind, "
             "l.technician_id");
    stock_where(u, &q, in);
    qadd(&q, " ORDER BY l.code, p.code LIMIT %d OFFSET %d", in->limit, in->offset);
    if ((rc = run(u, &q, &r, e)))
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(u->a, sizeof(**out) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++)
        (*out)[i] = (struct stock_row){
            .part_id = db_get_int(&r, i, "part_id", 0),
            .location_id = db_get_int(&r, i, "location_id", 0),
            .technician_id = db_get_int(&r, i, "technician_id", 0),
            .qty = db_get_int(&r, i, "qty", 0),
            .min_qty = db_get_int(&r, i, "min_qty", 0),
            .has_min = db_get(&r, i, "min_qty") != NULL,
            .part_code = db_get(&r, i, "part_code"),
            .part_name = db_get(&r, i, "part_name"),
            .unit = db_get(&r, i, "unit"),
            .location_code = db_get(&r, i, "location_code"),
            .location_name = db_get(&r, i, "location_name"),
            .location_kind = db_get(&r, i, "location_kind"),
            .price_fen = db_get_int(&r, i, "price_fen", 0),
            .cost_fen = db_get_int(&r, i, "cost_fen", 0),
        };
    return SH_OK;
}
