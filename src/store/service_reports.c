/* SPDX-License-Identifier: MIT */
#include "store/service_reports.h"

#include <string.h>

#define SR_COLS                                                                                    \
    "r.id, r.work_order_id, r.ticket_id, r.version, r.content_sha256, r.signature_sha256, "        \
    "r.signature_size, r.signature_width, r.signature_height, r.signer_name, "                     \
    "r.customer_comment, r.signed_at, r.signed_by, "                                               \
    "COALESCE(NULLIF(u.display_name, ''), u.username) AS signed_by_name"

static void read_row(const struct db_rows *r, int i, struct sr_row *o)
{
    *o = (struct sr_row){
        .id = db_get_int(r, i, "id", 0),
        .work_order_id = db_get_int(r, i, "work_order_id", 0),
        .ticket_id = db_get_int(r, i, "ticket_id", 0),
        .signed_by = db_get_int(r, i, "signed_by", 0),
        .signature_size = db_get_int(r, i, "signature_size", 0),
        .version = (int)db_get_int(r, i, "version", 0),
        .signature_width = (int)db_get_int(r, i, "signature_width", 0),
        .signature_height = (int)db_get_int(r, i, "signature_height", 0),
        /* the list without snapshots does not select the column */
        .snapshot = db_colidx(r, "snapshot") >= 0 ? db_get(r, i, "snapshot") : NULL,
        .content_sha256 = db_get(r, i, "content_sha256"),
        .signature_sha256 = db_get(r, i, "signature_sha256"),
        .signer_name = db_get(r, i, "signer_name"),
        .customer_comment = db_get(r, i, "customer_comment"),
        .signed_at = db_get(r, i, "signed_at"),
        .signed_by_name = db_get(r, i, "signed_by_name"),
    };
}

enum sh_code sr_list(struct db_tx *tx, struct sh_arena *a, int64_t wo, bool with_snapshot,
                     struct sr_row **out, int *n, struct sh_err *e)
{
    struct db_rows r;
    const char *sql = with_snapshot
                          ? "SELECT " SR_COLS ", r.snapshot FROM service_reports r LEFT JOIN users "
                            "u ON u.id = r.signed_by WHERE r.work_order_id = $1 ORDER BY r.version"
                          : "SELECT " SR_COLS " FROM service_reports r LEFT JOIN users u ON u.id = "
                            "r.signed_by WHERE r.work_order_id = $1 ORDER BY r.version";
    enum sh_code rc = db_query(tx, a, sql, DB_P(DB_INT(wo)), &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(a, sizeof(**out) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++)
        read_row(&r, i, &(*out)[i]);
    return SH_OK;
}

enum sh_code sr_get(struct db_tx *tx, struct sh_arena *a, int64_t wo, int v, struct sr_row *out,
                    bool *found, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT " SR_COLS ", r.snapshot FROM service_reports r LEFT JOIN "
                               "users u ON u.id = r.signed_by WHERE r.work_order_id = $1 AND "
                               "r.version = $2",
                               DB_P(DB_INT(wo), DB_INT(v)), &r, e);
    if (rc)
        return rc;
    *found = r.nrows > 0;
    if (*found)
        read_row(&r, 0, out);
    return SH_OK;
}

enum sh_code sr_lock_work_order(struct db_tx *tx, int64_t wo, struct sh_err *e)
{
    return db_lock_row(tx, "work_orders", wo, e);
}

enum sh_code sr_insert(struct db_tx *tx, struct sh_arena *a, const struct sr_row *s, int64_t *id,
                       struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "INSERT INTO service_reports (work_order_id, ticket_id, version, snapshot, "
        "content_sha256, signature_sha256, signature_size, signature_width, signature_height, "
        "signer_name, customer_comment, signed_at, signed_by) VALUES ($1, $2, $3, $4, $5, $6, "
        "$7, $8, $9, $10, $11, $12, $13) RETURNING id",
        DB_P(DB_INT(s->work_order_id), DB_INT(s->ticket_id), DB_INT(s->version),
             DB_TEXT(s->snapshot), DB_TEXT(s->content_sha256), DB_TEXT(s->signature_sha256),
             DB_INT(s->signature_size), DB_INT(s->signature_width), DB_INT(s->signature_height),
             DB_TEXT(s->signer_name), DB_TEXT(s->customer_comment), DB_TEXT(s->signed_at),
             s->signed_by ? DB_INT(s->signed_by) : DB_NULL),
        &r, e);
    if (!rc)
        *id = db_get_int(&r, 0, "id", 0);
    return rc;
}

enum sh_code sr_source(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id, struct sr_source *o,
                       struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "SELECT t.number, t.type, t.description, t.fault_category, t.caller_name, "
        "t.caller_phone, t.billing, t.warranty_status, t.public_token, c.name AS customer_name, "
        "c.address AS customer_address, c.phone AS customer_phone, un.serial_no, "
        "m.name AS model_name, m.code AS model_code, s.address AS site_address "
        "FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id "
        "LEFT JOIN units un ON un.id = t.unit_id "
        "LEFT JOIN product_models m ON m.id = COALESCE(un.model_id, t.model_id) "
        "LEFT JOIN sites s ON s.id = un.site_id WHERE t.id = $1",
        DB_P(DB_INT(ticket_id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "ticket not found");
#define G(col) db_get(&r, 0, col) ? db_get(&r, 0, col) : ""
    *o = (struct sr_source){
        .ticket_number = G("number"),
        .ticket_type = G("type"),
        .description = G("description"),
        .fault_category = G("fault_category"),
        .caller_name = G("caller_name"),
        .caller_phone = G("caller_phone"),
        .billing = G("billing"),
        .warranty_status = G("warranty_status"),
        .public_token = db_get(&r, 0, "public_token"),
        .customer_name = G("customer_name"),
        .customer_address = G("customer_address"),
        .customer_phone = G("customer_phone"),
        .serial_no = G("serial_no"),
        .model_name = G("model_name"),
        .model_code = G("model_code"),
        .site_address = G("site_address"),
    };
#undef G
    return SH_OK;
}

enum sh_code sr_public_token(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                             const char *fresh, const char **token, struct sh_err *e)
{
    enum sh_code rc = db_exec(tx,
                              "UPDATE tickets SET public_token = $2 WHERE id = $1 AND "
                              "public_token IS NULL",
                              DB_P(DB_INT(ticket_id), DB_TEXT(fresh)), NULL, e);
    struct db_rows r;
    if (!rc)
        rc = db_query(tx, a, "SELECT public_token FROM tickets WHERE id = $1",
                      DB_P(DB_INT(ticket_id)), &r, e);
    if (!rc)
        *token = r.nrows ? db_get(&r, 0, "public_token") : NULL;
    return rc;
}

enum sh_code sr_ticket_current(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id, int64_t *wo,
                               const char **status, bool *has_signed, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "SELECT w.id, w.status, (SELECT count(*) FROM service_reports r WHERE r.work_order_id = "
        "w.id) AS signed FROM work_orders w WHERE w.ticket_id = $1 AND w.status <> 'cancelled' "
        "ORDER BY w.id DESC LIMIT 1",
        DB_P(DB_INT(ticket_id)), &r, e);
    if (rc)
        return rc;
    *wo = r.nrows ? db_get_int(&r, 0, "id", 0) : 0;
    *status = r.nrows ? db_get(&r, 0, "status") : NULL;
    *has_signed = r.nrows && db_get_int(&r, 0, "signed", 0) > 0;
    return SH_OK;
}

enum sh_code sr_used_parts(struct db_tx *tx, struct sh_arena *a, int64_t wo, struct db_rows *out,
                           struct sh_err *e)
{
    return db_query(tx, a,
                    "SELECT p.code, p.name, p.unit, SUM(m.qty) AS qty, SUM(m.amount_fen) AS "
                    "amount_fen FROM stock_movements m JOIN parts p ON p.id = m.part_id WHERE "
                    "m.work_order_id = $1 AND m.kind = 'consume' GROUP BY p.id, p.code, p.name, "
                    "p.unit ORDER BY MIN(m.id)",
                    DB_P(DB_INT(wo)), out, e);
}

enum sh_code sr_customer_charges(struct db_tx *tx, struct sh_arena *a, int64_t wo,
                                 int64_t ticket_id, struct db_rows *out, struct sh_err *e)
{
    return db_query(tx, a,
                    "SELECT description, customer_fen FROM charges WHERE ((owner_kind = "
                    "'work_order' AND owner_id = $1) OR (owner_kind = 'ticket' AND owner_id = $2)) "
                    "AND customer_fen <> 0 ORDER BY id",
                    DB_P(DB_INT(wo), DB_INT(ticket_id)), out, e);
}

enum sh_code sr_accepted_quote(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                               struct db_rows *out, struct sh_err *e)
{
    return db_query(tx, a,
                    "SELECT number, total_fen FROM quotes WHERE ticket_id = $1 AND status = "
                    "'accepted' ORDER BY id DESC LIMIT 1",
                    DB_P(DB_INT(ticket_id)), out, e);
}
