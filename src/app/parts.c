/* SPDX-License-Identifier: MIT */
/* The stock ledger's write (app/parts.h uc_stock_move): one movement and its balances in the
 * caller's transaction, never below zero; a consumption on a work order priced by billing. */
#include "app/parts.h"

#include <inttypes.h>
#include <string.h>

#include "app/charges.h"
#include "base/date.h"
#include "domain/parts.h"
#include "store/stock.h"

struct loc {
    bool has;
    int64_t id, technician_id;
    enum location_kind kind;
    const char *name;
};

static enum sh_code unknown(struct sh_err *e, const char *field, int64_t id)
{
    sh_err_field(e, SH_INVALID, field, "no such record %" PRId64, id);
    return sh_err_reason(e, "unknown_reference", NULL);
}

static enum sh_code load_loc(const struct uc *u, int64_t id, const char *field, struct loc *out,
                             struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    if (!id)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT kind, technician_id, name FROM stock_locations "
                               "WHERE id = $1 AND active = 1",
                               DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows || !location_kind_parse(db_get(&r, 0, "kind"), &out->kind))
        return unknown(e, field, id);
    out->has = true;
    out->id = id;
    out->technician_id = db_get_int(&r, 0, "technician_id", 0);
    out->name = db_get(&r, 0, "name");
    return SH_OK;
}

/* The work order of a consumption: its ticket's billing, its lead, whether the caller is on
 * its crew; a cancelled work order uses no parts. */
struct wo_facts {
    int64_t ticket_id, lead_id;
    bool crew;
    const char *billing, *number;
};

static enum sh_code load_wo(const struct uc *u, int64_t id, struct wo_facts *f, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT w.number, w.status, w.ticket_id, w.lead_id, t.billing, t.status AS ticket_status, "
        "(w.lead_id = $2 OR EXISTS "
        "(SELECT 1 FROM work_order_helpers h WHERE h.work_order_id = w.id AND h.user_id = $2)) "
        "AS crew FROM work_orders w JOIN tickets t ON t.id = w.ticket_id WHERE w.id = $1",
        DB_P(DB_INT(id), DB_INT(u->who->user_id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return unknown(e, "work_order_id", id);
    f->ticket_id = db_get_int(&r, 0, "ticket_id", 0);
    f->lead_id = db_get_int(&r, 0, "lead_id", 0);
    const char *crew = db_get(&r, 0, "crew");
    f->crew = crew && (!strcmp(crew, "1") || !strcmp(crew, "t") || !strcmp(crew, "true"));
    f->billing = db_get(&r, 0, "billing");
    f->number = db_get(&r, 0, "number");
    if (principal_technician_only(u->who) && !f->crew)
        return unknown(e, "work_order_id", id);
    if (!strcmp(db_get(&r, 0, "status"), "cancelled")) {
        sh_err_field(e, SH_CONFLICT, "work_order_id", "the work order is cancelled");
        return sh_err_reason_str1(e, "illegal_action", "status", "cancelled");
    }
    /* a resolved, closed or cancelled ticket is done with: a part used on it afterwards would
     * bill the customer behind the closed ticket (reopen it first) */
    const char *ts = db_get(&r, 0, "ticket_status");
    if (ts && (!strcmp(ts, "resolved") || !strcmp(ts, "closed") || !strcmp(ts, "cancelled"))) {
        sh_err_field(e, SH_CONFLICT, "work_order_id", "the work order's ticket is %s", ts);
        return sh_err_reason_str1(e, "illegal_action", "status", ts);
    }
    return SH_OK;
}

/* The van a consumption takes from by default: the caller's, else the lead's. */
static enum sh_code default_van(const struct uc *u, const struct wo_facts *f, int64_t *van,
                                struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT id, technician_id FROM stock_locations WHERE kind = 'van' "
                               "AND active = 1 AND technician_id IN ($1, $2)",
                               DB_P(DB_INT(u->who->user_id), DB_INT(f->lead_id)), &r, e);
    if (rc)
        return rc;
    *van = 0;
    for (int i = 0; i < r.nrows; i++)
        if (!*van || db_get_int(&r, i, "technician_id", 0) == u->who->user_id)
            *van = db_get_int(&r, i, "id", 0);
    if (*van)
        return SH_OK;
    sh_err_field(e, SH_INVALID, "from_location_id", "no van to take the part from");
    return sh_err_reason(e, "required", NULL);
}

/* A technician (without another staff role) consumes and returns from their own van. */
static enum sh_code may_move(const struct uc *u, enum stock_kind k, const struct loc *from,
                             struct sh_err *e)
{
    if (!principal_technician_only(u->who))
        return SH_OK;
    if ((k == SK_CONSUME || k == SK_RETURN) && from->has && from->technician_id == u->who->user_id)
        return SH_OK;
    sh_err_field(e, SH_FORBIDDEN, "from_location_id",
                 "a technician consumes and returns parts from their own van");
    return sh_err_reason(e, "forbidden", NULL);
}

static enum sh_code take(const struct uc *u, const struct movement_in *in, const char *now,
                         struct sh_err *e)
{
    bool ok;
    enum sh_code rc = stock_take(u->tx, in->part_id, in->from_location_id, in->qty, now, &ok, e);
    if (rc || ok)
        return rc;
    int64_t have = 0;
    if ((rc = stock_at(u->tx, u->a, in->part_id, in->from_location_id, &have, e)))
        return rc;
    sh_err_field(e, SH_CONFLICT, "qty", "only %" PRId64 " in stock there", have);
    return sh_err_reason(e, "insufficient_stock", "{\"available\":%" PRId64 "}", have);
}

static enum sh_code check(const struct uc *u, struct movement_in *in, enum stock_kind k,
                          struct wo_facts *wo, struct sh_err *e)
{
    const struct stock_kind_rule *rule = stock_kind_rule(k);
    enum sh_code rc;
    if (rule->work_order && !in->work_order_id) {
        sh_err_field(e, SH_INVALID, "work_order_id", "a consumption names its work order");
        return sh_err_reason(e, "required", NULL);
    }
    if (!rule->work_order && in->work_order_id) {
        sh_err_field(e, SH_INVALID, "work_order_id", "only a consumption names a work order");
        return sh_err_reason(e, "unknown_field", NULL);
    }
    if (rule->note && (!in->note || !*in->note)) {
        sh_err_field(e, SH_INVALID, "note", "say why");
        return sh_err_reason(e, "required", NULL);
    }
    if (in->work_order_id && (rc = load_wo(u, in->work_order_id, wo, e)))
        return rc;
    if (k == SK_CONSUME && !in->from_location_id &&
        (rc = default_van(u, wo, &in->from_location_id, e)))
        return rc;
    struct loc from, to;
    if ((rc = load_loc(u, in->from_location_id, "from_location_id", &from, e)) ||
        (rc = load_loc(u, in->to_location_id, "to_location_id", &to, e)) ||
        (rc = stock_check_locations(k, from.has, from.kind, to.has, to.kind, from.id, to.id, e)))
        return rc;
    return may_move(u, k, &from, e);
}

/* A consumption priced by the billing becomes a charge line of the work order (the customer
 * paying the whole), unless the ticket's accepted quote already charged its parts. */
static enum sh_code charge_parts(const struct uc *u, const struct movement_in *in,
                                 const struct db_rows *p, const struct stock_movement *m,
                                 struct sh_err *e)
{
    struct db_rows q;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT 1 AS x FROM charges WHERE owner_kind = 'ticket' AND "
                               "owner_id = $1 AND source = 'quote' AND category = 'parts' LIMIT 1",
                               DB_P(DB_INT(m->ticket_id)), &q, e);
    if (rc || q.nrows)
        return rc;
    struct charge_in c = {
        .owner_kind = "work_order",
        .owner_id = in->work_order_id,
        .category = "parts",
        .description = sh_arena_printf(u->a, "%s %s × %" PRId64, db_get(p, 0, "code"),
                                       db_get(p, 0, "name"), in->qty),
        .amount_fen = m->amount_fen,
        .source = "parts",
        .customer_bp = CHARGE_SHARE_WHOLE,
    };
    int64_t id;
    return uc_charge_add(u, &c, &id, e);
}

enum sh_code uc_stock_move(const struct uc *u, const struct movement_in *in0,
                           struct movement_row *out, struct sh_err *e)
{
    struct movement_in in = *in0;
    char *now = sh_arena_alloc(u->a, 21);
    sh_ts_format(u->now, now);
    enum stock_kind k;
    if (!stock_kind_parse(in.kind, &k))
        return sh_err_field(e, SH_INVALID, "kind", "unknown kind of movement");
    struct db_rows p;
    enum sh_code rc =
        db_query(u->tx, u->a, "SELECT code, name, price_fen, cost_fen FROM parts WHERE id = $1",
                 DB_P(DB_INT(in.part_id)), &p, e);
    if (rc)
        return rc;
    if (!p.nrows)
        return unknown(e, "part_id", in.part_id);
    struct wo_facts wo = {0};
    if ((rc = check(u, &in, k, &wo, e)))
        return rc;
    struct stock_movement m = {.kind = in.kind,
                               .part_id = in.part_id,
                               .qty = in.qty,
                               .from_id = in.from_location_id,
                               .to_id = in.to_location_id,
                               .work_order_id = in.work_order_id,
                               .ticket_id = wo.ticket_id,
                               .note = in.note,
                               .created_by = u->who->user_id,
                               .created_at = now};
    if (k == SK_CONSUME) {
        struct part_charge c;
        if ((rc = part_charge_for(wo.billing, db_get_int(&p, 0, "price_fen", 0),
                                  db_get_int(&p, 0, "cost_fen", 0), in.qty, &c, e)))
            return rc;
        m.billing = wo.billing;
        m.price_basis = part_basis_names[c.basis];
        m.unit_price_fen = c.unit_fen;
        m.amount_fen = c.amount_fen;
    }
    if ((in.from_location_id && (rc = take(u, &in, m.created_at, e))) ||
        (in.to_location_id &&
         (rc = stock_put(u->tx, in.part_id, in.to_location_id, in.qty, m.created_at, e))))
        return rc;
    int64_t id;
    if ((rc = stock_movement_add(u->tx, u->a, &m, &id, e)) ||
        (k == SK_CONSUME && m.amount_fen > 0 && (rc = charge_parts(u, &in, &p, &m, e))))
        return rc;
    struct movement_row *rows;
    int n;
    int64_t total;
    struct movement_list_in q = {.id = id, .limit = 1};
    if ((rc = uc_stock_movements(u, &q, &rows, &n, &total, e)))
        return rc;
    if (n != 1)
        return sh_err_set(e, SH_INTERNAL, "movement %" PRId64 " not read back", id);
    *out = rows[0];
    return SH_OK;
}
