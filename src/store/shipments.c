/* SPDX-License-Identifier: MIT */
#include "store/shipments.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

enum sh_code shipments_count_prefix(struct db_tx *tx, struct sh_arena *a, const char *prefix,
                                    int64_t *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, "SELECT count(*) AS n FROM shipments WHERE number LIKE $1",
                               DB_P(DB_TEXT(sh_arena_printf(a, "%s%%", prefix))), &r, e);
    if (!rc)
        *n = db_get_int(&r, 0, "n", 0);
    return rc;
}

static struct db_val id_or_null(int64_t id)
{
    return id ? DB_INT(id) : DB_NULL;
}

enum sh_code shipments_insert(struct db_tx *tx, struct sh_arena *a, const struct shipment_new *s,
                              int64_t *id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "INSERT INTO shipments (number, kind, state, customer_id, site_id, contract_id, "
        "payment_id, ticket_id, includes_installation, ship_to, packaging, note, requested_by, "
        "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
        "$14, $14) RETURNING id",
        DB_P(DB_TEXT(s->number), DB_TEXT(s->kind), DB_TEXT(s->state), DB_INT(s->customer_id),
             id_or_null(s->site_id), id_or_null(s->contract_id), id_or_null(s->payment_id),
             id_or_null(s->ticket_id), DB_INT(s->includes_installation ? 1 : 0),
             DB_TEXT(s->ship_to), DB_TEXT(s->packaging), DB_TEXT(s->note),
             id_or_null(s->requested_by), DB_TEXT(s->at)),
        &r, e);
    if (!rc)
        *id = db_get_int(&r, 0, "id", 0);
    return rc;
}

enum sh_code shipment_line_insert(struct db_tx *tx, int64_t shipment_id, int line_no,
                                  int64_t model_id, struct sh_err *e)
{
    return db_exec(tx,
                   "INSERT INTO shipment_lines (shipment_id, line_no, model_id) VALUES ($1, $2, "
                   "$3)",
                   DB_P(DB_INT(shipment_id), DB_INT(line_no), DB_INT(model_id)), NULL, e);
}

enum sh_code shipments_get(struct db_tx *tx, struct sh_arena *a, int64_t id, struct db_rows *out,
                           struct sh_err *e)
{
    enum sh_code rc = db_query(
        tx, a,
        "SELECT s.*, c.name AS customer_name, st.name AS site_name, k.number AS contract_number, "
        "t.number AS ticket_number FROM shipments s JOIN customers c ON c.id = s.customer_id "
        "LEFT JOIN sites st ON st.id = s.site_id LEFT JOIN contracts k ON k.id = s.contract_id "
        "LEFT JOIN tickets t ON t.id = s.ticket_id WHERE s.id = $1",
        DB_P(DB_INT(id)), out, e);
    if (!rc && !out->nrows)
        return sh_err_set(e, SH_NOT_FOUND, "no shipment %" PRId64, id);
    return rc;
}

enum sh_code shipment_lines(struct db_tx *tx, struct sh_arena *a, int64_t id, struct db_rows *out,
                            struct sh_err *e)
{
    return db_query(tx, a,
                    "SELECT l.id, l.line_no, l.model_id, l.serial_no, l.production_date, "
                    "l.ship_date, l.unit_id, m.code AS model_code, m.name AS model_name FROM "
                    "shipment_lines l JOIN product_models m ON m.id = l.model_id WHERE "
                    "l.shipment_id = $1 ORDER BY l.line_no",
                    DB_P(DB_INT(id)), out, e);
}

enum sh_code shipment_events(struct db_tx *tx, struct sh_arena *a, int64_t id, struct db_rows *out,
                             struct sh_err *e)
{
    return db_query(tx, a,
                    "SELECT v.id, v.action, v.from_state, v.to_state, v.note, v.actor_id, v.at, "
                    "u.display_name AS actor_name FROM shipment_events v LEFT JOIN users u ON "
                    "u.id = v.actor_id WHERE v.shipment_id = $1 ORDER BY v.id",
                    DB_P(DB_INT(id)), out, e);
}

enum sh_code shipment_tasks(struct db_tx *tx, struct sh_arena *a, int64_t id, struct db_rows *out,
                            struct sh_err *e)
{
    return db_query(tx, a,
                    "SELECT id, role, status, reply, done_at FROM tasks WHERE source = 'shipment' "
                    "AND source_id = $1 ORDER BY id",
                    DB_P(DB_INT(id)), out, e);
}

enum sh_code shipment_event_add(struct db_tx *tx, int64_t id, const char *action, const char *from,
                                const char *to, const char *note, int64_t actor, const char *at,
                                struct sh_err *e)
{
    return db_exec(tx,
                   "INSERT INTO shipment_events (shipment_id, action, from_state, to_state, note, "
                   "actor_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   DB_P(DB_INT(id), DB_TEXT(action), DB_TEXT(from ? from : ""),
                        DB_TEXT(to ? to : ""), DB_TEXT(note ? note : ""), id_or_null(actor),
                        DB_TEXT(at)),
                   NULL, e);
}

enum sh_code shipment_line_set(struct db_tx *tx, int64_t shipment_id, int64_t line_id,
                               const char *serial, const char *production, const char *ship,
                               struct sh_err *e)
{
    return db_exec(tx,
                   "UPDATE shipment_lines SET serial_no = $1, production_date = $2, "
                   "ship_date = $3 WHERE id = $4 AND shipment_id = $5",
                   DB_P(DB_TEXT(serial), DB_TEXT(production), DB_TEXT(ship), DB_INT(line_id),
                        DB_INT(shipment_id)),
                   NULL, e);
}

enum sh_code shipment_unit_of_serial(struct db_tx *tx, struct sh_arena *a, int64_t model_id,
                                     const char *serial, int64_t *unit_id, int64_t *customer_id,
                                     struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT id, customer_id FROM units WHERE model_id = $1 AND "
                               "serial_no = $2",
                               DB_P(DB_INT(model_id), DB_TEXT(serial)), &r, e);
    if (!rc) {
        *unit_id = r.nrows ? db_get_int(&r, 0, "id", 0) : 0;
        *customer_id = r.nrows ? db_get_int(&r, 0, "customer_id", 0) : 0;
    }
    return rc;
}

enum sh_code shipment_line_set_unit(struct db_tx *tx, int64_t line_id, int64_t unit_id,
                                    struct sh_err *e)
{
    return db_exec(tx, "UPDATE shipment_lines SET unit_id = $1 WHERE id = $2",
                   DB_P(DB_INT(unit_id), DB_INT(line_id)), NULL, e);
}

enum sh_code payments_latest(struct db_tx *tx, struct sh_arena *a, int64_t contract_id,
                             int64_t *payment_id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, a, "SELECT id FROM payments WHERE contract_id = $1 ORDER BY id DESC LIMIT 1",
                 DB_P(DB_INT(contract_id)), &r, e);
    if (!rc)
        *payment_id = r.nrows ? db_get_int(&r, 0, "id", 0) : 0;
    return rc;
}

enum sh_code shipment_unit_received_on(struct db_tx *tx, struct sh_arena *a, int64_t unit_id,
                                       const char **received_on, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "SELECT s.received_on FROM shipment_lines l JOIN shipments s ON s.id = l.shipment_id "
        "WHERE l.unit_id = $1 AND s.state = 'received' AND s.received_on IS NOT NULL ORDER BY "
        "s.received_on DESC LIMIT 1",
        DB_P(DB_INT(unit_id)), &r, e);
    if (!rc)
        *received_on = r.nrows ? db_get(&r, 0, "received_on") : NULL;
    return rc;
}

static enum sh_code ref_query(struct db_tx *tx, struct sh_arena *a, const char *sql, int64_t id,
                              struct shipment_refs *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, sql, DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    *out = (struct shipment_refs){.found = r.nrows > 0};
    if (r.nrows) {
        out->customer_id = db_get_int(&r, 0, "customer_id", 0);
        out->flag = db_get_int(&r, 0, "flag", 0) != 0;
        out->type = db_get(&r, 0, "type");
    }
    return SH_OK;
}

enum sh_code shipment_contract_ref(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                   struct shipment_refs *out, struct sh_err *e)
{
    return ref_query(tx, a,
                     "SELECT customer_id, installation_included AS flag, '' AS type FROM "
                     "contracts WHERE id = $1",
                     id, out, e);
}

enum sh_code shipment_ticket_ref(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                 struct shipment_refs *out, struct sh_err *e)
{
    return ref_query(tx, a, "SELECT customer_id, 0 AS flag, type FROM tickets WHERE id = $1", id,
                     out, e);
}

enum sh_code shipment_model_exists(struct db_tx *tx, struct sh_arena *a, int64_t id, bool *found,
                                   struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, a, "SELECT id FROM product_models WHERE id = $1", DB_P(DB_INT(id)), &r, e);
    if (!rc)
        *found = r.nrows > 0;
    return rc;
}

enum sh_code shipment_setting(struct db_tx *tx, struct sh_arena *a, const char *key,
                              const char *def, const char **out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, a, "SELECT value FROM settings WHERE key = $1", DB_P(DB_TEXT(key)), &r, e);
    if (!rc)
        *out = r.nrows ? db_get(&r, 0, "value") : def;
    return rc;
}
