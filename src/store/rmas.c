/* SPDX-License-Identifier: MIT */
#include "store/rmas.h"

#include <stdio.h>

static struct db_val id_or_null(int64_t id)
{
    return id ? DB_INT(id) : DB_NULL;
}

enum sh_code rmas_count_prefix(struct db_tx *tx, struct sh_arena *a, const char *prefix, int64_t *n,
                               struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, "SELECT count(*) AS n FROM rmas WHERE number LIKE $1",
                               DB_P(DB_TEXT(sh_arena_printf(a, "%s%%", prefix))), &r, e);
    if (!rc)
        *n = db_get_int(&r, 0, "n", 0);
    return rc;
}

enum sh_code rmas_insert(struct db_tx *tx, struct sh_arena *a, const struct rma_new *r, int64_t *id,
                         struct sh_err *e)
{
    struct db_rows out;
    enum sh_code rc = db_query(
        tx, a,
        "INSERT INTO rmas (number, state, ticket_id, unit_id, customer_id, site_id, "
        "warranty_status, chargeable, fault, created_by, created_at, updated_at) VALUES ($1, $2, "
        "$3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        DB_P(DB_TEXT(r->number), DB_TEXT(r->state), DB_INT(r->ticket_id), DB_INT(r->unit_id),
             DB_INT(r->customer_id), id_or_null(r->site_id), DB_TEXT(r->warranty_status),
             DB_INT(r->chargeable ? 1 : 0), DB_TEXT(r->fault), id_or_null(r->created_by),
             DB_TEXT(r->at)),
        &out, e);
    if (!rc)
        *id = db_get_int(&out, 0, "id", 0);
    return rc;
}

enum sh_code rmas_get(struct db_tx *tx, struct sh_arena *a, int64_t id, struct db_rows *out,
                      struct sh_err *e)
{
    enum sh_code rc = db_query(
        tx, a,
        "SELECT r.*, c.name AS customer_name, un.serial_no AS serial_no, un.model_id AS model_id, "
        "m.name AS model_name, t.number AS ticket_number, t.status AS ticket_status, "
        "t.type AS ticket_type, "
        "s.number AS shipment_number, s.state AS shipment_state, ch.id AS charge_id, "
        "ch.amount_fen AS charge_amount_fen, ch.paid_fen AS charge_paid_fen, "
        "ch.pay_state AS charge_pay_state FROM rmas r "
        "JOIN customers c ON c.id = r.customer_id JOIN units un ON un.id = r.unit_id "
        "JOIN product_models m ON m.id = un.model_id JOIN tickets t ON t.id = r.ticket_id "
        "LEFT JOIN shipments s ON s.id = r.shipment_id LEFT JOIN charges ch ON ch.id = "
        "(SELECT min(b.id) FROM charges b WHERE r.charge_fen > 0 AND b.owner_kind = 'ticket' "
        "AND b.owner_id = r.ticket_id AND b.source = 'rma' AND b.created_at >= r.created_at) "
        "WHERE r.id = $1",
        DB_P(DB_INT(id)), out, e);
    if (!rc && !out->nrows)
        return sh_err_set(e, SH_NOT_FOUND, "RMA not found");
    return rc;
}

enum sh_code rmas_open_of_ticket(struct db_tx *tx, struct sh_arena *a, int64_t ticket, int64_t *id,
                                 struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT id FROM rmas WHERE ticket_id = $1 AND state NOT IN "
                               "('closed', 'cancelled') ORDER BY id DESC LIMIT 1",
                               DB_P(DB_INT(ticket)), &r, e);
    if (!rc)
        *id = r.nrows ? db_get_int(&r, 0, "id", 0) : 0;
    return rc;
}

enum sh_code rmas_open_of_unit_elsewhere(struct db_tx *tx, struct sh_arena *a, int64_t unit_id,
                                         int64_t shipment_id, struct db_rows *out, struct sh_err *e)
{
    return db_query(tx, a,
                    "SELECT id, number, state, CASE WHEN shipment_id = $2 THEN 1 ELSE 0 END "
                    "AS own FROM rmas WHERE unit_id = $1 AND state NOT IN ('closed', "
                    "'cancelled') AND (shipment_id IS NULL OR shipment_id <> $2 OR "
                    "old_unit_handling IS NOT NULL) ORDER BY id LIMIT 1",
                    DB_P(DB_INT(unit_id), DB_INT(shipment_id)), out, e);
}

enum sh_code rma_event_add(struct db_tx *tx, int64_t id, const char *action, const char *from,
                           const char *to, const char *note, int64_t actor, const char *at,
                           struct sh_err *e)
{
    return db_exec(tx,
                   "INSERT INTO rma_events (rma_id, action, from_state, to_state, note, actor_id, "
                   "at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   DB_P(DB_INT(id), DB_TEXT(action), DB_TEXT(from ? from : ""),
                        DB_TEXT(to ? to : ""), DB_TEXT(note ? note : ""), id_or_null(actor),
                        DB_TEXT(at)),
                   NULL, e);
}

enum sh_code rma_events(struct db_tx *tx, struct sh_arena *a, int64_t id, struct db_rows *out,
                        struct sh_err *e)
{
    return db_query(
        tx, a,
        "SELECT ev.id, ev.action, ev.from_state, ev.to_state, ev.note, ev.actor_id, "
        "ev.at, COALESCE(NULLIF(us.display_name, ''), us.username, '') AS actor_name FROM "
        "rma_events ev LEFT JOIN "
        "users us ON us.id = ev.actor_id WHERE ev.rma_id = $1 ORDER BY ev.id",
        DB_P(DB_INT(id)), out, e);
}

enum sh_code rma_photo_insert(struct db_tx *tx, struct sh_arena *a, const struct rma_photo_new *p,
                              int64_t *id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "INSERT INTO rma_photos (rma_id, phase, sha256, filename, mime, size, created_by, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        DB_P(DB_INT(p->rma_id), DB_TEXT(p->phase), DB_TEXT(p->sha256), DB_TEXT(p->filename),
             DB_TEXT(p->mime), DB_INT(p->size), id_or_null(p->created_by), DB_TEXT(p->at)),
        &r, e);
    if (!rc)
        *id = db_get_int(&r, 0, "id", 0);
    return rc;
}

enum sh_code rma_photos(struct db_tx *tx, struct sh_arena *a, int64_t id, int64_t photo_id,
                        struct db_rows *out, struct sh_err *e)
{
    return db_query(tx, a,
                    "SELECT id, rma_id, phase, sha256, filename, mime, size, created_by, "
                    "created_at FROM rma_photos WHERE rma_id = $1 AND ($2 = 0 OR id = $2) "
                    "ORDER BY id",
                    DB_P(DB_INT(id), DB_INT(photo_id)), out, e);
}
