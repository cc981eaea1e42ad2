/* SPDX-License-Identifier: MIT */
#include "store/work_orders.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WO_COLS                                                                                    \
    "w.id, w.number, w.ticket_id, w.kind, w.status, w.lead_id, w.appointment_at, "                 \
    "w.appointment_day, w.tolerance_min, w.early_target_min, w.duration_min, "                     \
    "w.latest_notice_at, w.eta_at, w.late_notice_at, w.late_notice, w.confirmed_at, "              \
    "w.departed_at, w.arrived_at, w.arrived_lat, w.arrived_lon, w.lateness_min, "                  \
    "w.finished_at, w.result_note, w.findings, w.work_done, w.labour_minutes, "                    \
    "w.customer_comment, w.override_reason, w.note, w.previous_id, w.visit_plan_id, "              \
    "w.created_by, w.created_at, w.updated_at, w.version, t.number AS ticket_number, "             \
    "t.status AS ticket_status, u.display_name AS lead_name, c.name AS customer_name"
#define WO_FROM                                                                                    \
    " FROM work_orders w JOIN tickets t ON t.id = w.ticket_id LEFT JOIN users u ON "               \
    "u.id = w.lead_id LEFT JOIN customers c ON c.id = t.customer_id "

const char WO_SELECT[] = "SELECT " WO_COLS WO_FROM;

/* Where the work happens, for the list (the technician's day): the site of the unit or of
 * the visit plan, else the customer's address; the caller's phone, else the customer's. */
#define WO_PLACE_COLS                                                                              \
    ", COALESCE(s.address, c.address) AS place_address, COALESCE(s.city, c.city) AS "              \
    "place_city, s.latitude AS place_lat, s.longitude AS place_lon, COALESCE(NULLIF("              \
    "t.caller_phone, ''), c.phone, '') AS place_phone, t.caller_name AS place_contact, "           \
    "t.description AS place_fault, un.serial_no AS place_serial, m.name AS place_model "
#define WO_PLACE_FROM                                                                              \
    "LEFT JOIN units un ON un.id = t.unit_id LEFT JOIN product_models m ON m.id = "                \
    "COALESCE(t.model_id, un.model_id) LEFT JOIN visit_plans vp ON vp.id = w.visit_plan_id "       \
    "LEFT JOIN sites s ON s.id = COALESCE(un.site_id, vp.site_id) "

/* "city address", without the city when the address names it already */
static const char *place_text(struct sh_arena *a, const char *city, const char *addr)
{
    addr = addr ? addr : "";
    if (!city || !*city || strstr(addr, city))
        return addr;
    return *addr ? sh_arena_printf(a, "%s %s", city, addr) : city;
}

void wo_place_read(struct sh_arena *a, const struct db_rows *r, int i, struct wo_place *o)
{
    const char *lat = db_get(r, i, "place_lat"), *lon = db_get(r, i, "place_lon");
    *o = (struct wo_place){
        .address = place_text(a, db_get(r, i, "place_city"), db_get(r, i, "place_address")),
        .phone = db_get(r, i, "place_phone"),
        .contact_name = db_get(r, i, "place_contact"),
        .description = db_get(r, i, "place_fault"),
        .serial_no = db_get(r, i, "place_serial"),
        .model_name = db_get(r, i, "place_model"),
        .has_position = lat && lon,
        .latitude = lat ? strtod(lat, NULL) : 0,
        .longitude = lon ? strtod(lon, NULL) : 0,
    };
}

static const char *str(const struct db_rows *r, int i, const char *name)
{
    return db_get(r, i, name);
}

void wo_row_read(const struct db_rows *r, int i, struct wo_row *o)
{
    const char *lat = db_get(r, i, "arrived_lat"), *lon = db_get(r, i, "arrived_lon");
    *o = (struct wo_row){
        .id = db_get_int(r, i, "id", 0),
        .ticket_id = db_get_int(r, i, "ticket_id", 0),
        .lead_id = db_get_int(r, i, "lead_id", 0),
        .previous_id = db_get_int(r, i, "previous_id", 0),
        .visit_plan_id = db_get_int(r, i, "visit_plan_id", 0),
        .created_by = db_get_int(r, i, "created_by", 0),
        .version = db_get_int(r, i, "version", 1),
        .tolerance_min = (int)db_get_int(r, i, "tolerance_min", 30),
        .early_target_min = (int)db_get_int(r, i, "early_target_min", 5),
        .duration_min = (int)db_get_int(r, i, "duration_min", 90),
        .labour_minutes = (int)db_get_int(r, i, "labour_minutes", 0),
        .lateness_min = (int)db_get_int(r, i, "lateness_min", -1),
        .has_position = lat && lon,
        .arrived_lat = lat ? strtod(lat, NULL) : 0,
        .arrived_lon = lon ? strtod(lon, NULL) : 0,
        .number = str(r, i, "number"),
        .kind = str(r, i, "kind"),
        .status = str(r, i, "status"),
        .appointment_at = str(r, i, "appointment_at"),
        .appointment_day = str(r, i, "appointment_day"),
        .latest_notice_at = str(r, i, "latest_notice_at"),
        .eta_at = str(r, i, "eta_at"),
        .late_notice_at = str(r, i, "late_notice_at"),
        .late_notice = str(r, i, "late_notice"),
        .confirmed_at = str(r, i, "confirmed_at"),
        .departed_at = str(r, i, "departed_at"),
        .arrived_at = str(r, i, "arrived_at"),
        .finished_at = str(r, i, "finished_at"),
        .result_note = str(r, i, "result_note"),
        .findings = str(r, i, "findings"),
        .work_done = str(r, i, "work_done"),
        .customer_comment = str(r, i, "customer_comment"),
        .override_reason = str(r, i, "override_reason"),
        .note = str(r, i, "note"),
        .created_at = str(r, i, "created_at"),
        .updated_at = str(r, i, "updated_at"),
        .ticket_number = str(r, i, "ticket_number"),
        .ticket_status = str(r, i, "ticket_status"),
        .lead_name = str(r, i, "lead_name"),
        .customer_name = str(r, i, "customer_name"),
    };
}

static enum sh_code one(struct db_tx *tx, struct sh_arena *a, const char *where,
                        const struct db_val *p, int np, struct wo_row *out, bool *found,
                        struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, sh_arena_printf(a, "%s%s", WO_SELECT, where), p, np, &r, e);
    if (rc)
        return rc;
    *found = r.nrows > 0;
    if (*found)
        wo_row_read(&r, 0, out);
    return SH_OK;
}

enum sh_code wo_get(struct db_tx *tx, struct sh_arena *a, int64_t id, struct wo_row *out,
                    struct sh_err *e)
{
    bool found;
    enum sh_code rc = one(tx, a, "WHERE w.id = $1", DB_P(DB_INT(id)), out, &found, e);
    if (!rc && !found)
        return sh_err_set(e, SH_NOT_FOUND, "work order %" PRId64 " not found", id);
    return rc;
}

enum sh_code wo_open_of_ticket(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                               struct wo_row *out, bool *found, struct sh_err *e)
{
    return one(tx, a,
               "WHERE w.ticket_id = $1 AND w.status IN ('planned', 'confirmed', 'departed', "
               "'on_site') ORDER BY w.id DESC LIMIT 1",
               DB_P(DB_INT(ticket_id)), out, found, e);
}

enum sh_code wo_latest_of_ticket(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                 struct wo_row *out, bool *found, struct sh_err *e)
{
    return one(tx, a,
               "WHERE w.ticket_id = $1 AND w.status <> 'cancelled' ORDER BY w.id DESC LIMIT 1",
               DB_P(DB_INT(ticket_id)), out, found, e);
}

enum sh_code wo_previous_of_ticket(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                   int64_t *id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT id FROM work_orders WHERE ticket_id = $1 AND status IN "
                               "('not_fixed', 'needs_factory') ORDER BY id DESC LIMIT 1",
                               DB_P(DB_INT(ticket_id)), &r, e);
    if (!rc)
        *id = r.nrows ? db_get_int(&r, 0, "id", 0) : 0;
    return rc;
}

enum sh_code wo_count_of_ticket(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id, int64_t *n,
                                struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, "SELECT count(*) AS n FROM work_orders WHERE ticket_id = $1",
                               DB_P(DB_INT(ticket_id)), &r, e);
    if (!rc)
        *n = db_get_int(&r, 0, "n", 0);
    return rc;
}

static struct db_val id_or_null(int64_t id)
{
    return id ? DB_INT(id) : DB_NULL;
}

enum sh_code wo_insert(struct db_tx *tx, const struct wo_row *w, int64_t *id, struct sh_err *e)
{
    struct db_rows r;
    struct sh_arena a;
    sh_arena_init(&a, 1 << 16);
    enum sh_code rc = db_query(
        tx, &a,
        "INSERT INTO work_orders (number, ticket_id, kind, status, lead_id, appointment_at, "
        "appointment_day, tolerance_min, early_target_min, latest_notice_at, override_reason, "
        "note, previous_id, visit_plan_id, created_by, created_at, updated_at, duration_min) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17) "
        "RETURNING id",
        DB_P(DB_TEXT(w->number), DB_INT(w->ticket_id), DB_TEXT(w->kind), DB_TEXT(w->status),
             id_or_null(w->lead_id), DB_TEXT(w->appointment_at), DB_TEXT(w->appointment_day),
             DB_INT(w->tolerance_min), DB_INT(w->early_target_min), DB_TEXT(w->latest_notice_at),
             DB_TEXT(w->override_reason ? w->override_reason : ""), DB_TEXT(w->note ? w->note : ""),
             id_or_null(w->previous_id), id_or_null(w->visit_plan_id), id_or_null(w->created_by),
             DB_TEXT(w->created_at), DB_INT(w->duration_min > 0 ? w->duration_min : 90)),
        &r, e);
    if (!rc)
        *id = db_get_int(&r, 0, "id", 0);
    sh_arena_release(&a);
    return rc;
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

enum sh_code wo_store(struct db_tx *tx, const struct wo_row *w, const char *now, struct sh_err *e)
{
    int64_t n = 0;
    enum sh_code rc = db_exec(
        tx,
        "UPDATE work_orders SET kind = $3, status = $4, lead_id = $5, appointment_at = $6, "
        "appointment_day = $7, tolerance_min = $8, early_target_min = $9, latest_notice_at = $10, "
        "eta_at = $11, late_notice_at = $12, late_notice = $13, confirmed_at = $14, "
        "departed_at = $15, arrived_at = $16, arrived_lat = $17, arrived_lon = $18, "
        "lateness_min = $19, finished_at = $20, result_note = $21, findings = $22, "
        "work_done = $23, labour_minutes = $24, customer_comment = $25, override_reason = $26, "
        "note = $27, updated_at = $28, duration_min = $29, version = version + 1 WHERE id = $1 "
        "AND version = $2",
        DB_P(DB_INT(w->id), DB_INT(w->version), DB_TEXT(w->kind), DB_TEXT(w->status),
             id_or_null(w->lead_id), DB_TEXT(w->appointment_at), DB_TEXT(w->appointment_day),
             DB_INT(w->tolerance_min), DB_INT(w->early_target_min), DB_TEXT(w->latest_notice_at),
             DB_TEXT(w->eta_at), DB_TEXT(w->late_notice_at), DB_TEXT(nz(w->late_notice)),
             DB_TEXT(w->confirmed_at), DB_TEXT(w->departed_at), DB_TEXT(w->arrived_at),
             w->has_position ? DB_REAL(w->arrived_lat) : DB_NULL,
             w->has_position ? DB_REAL(w->arrived_lon) : DB_NULL,
             w->lateness_min >= 0 ? DB_INT(w->lateness_min) : DB_NULL, DB_TEXT(w->finished_at),
             DB_TEXT(nz(w->result_note)), DB_TEXT(nz(w->findings)), DB_TEXT(nz(w->work_done)),
             DB_INT(w->labour_minutes), DB_TEXT(nz(w->customer_comment)),
             DB_TEXT(nz(w->override_reason)), DB_TEXT(nz(w->note)), DB_TEXT(now),
             DB_INT(w->duration_min > 0 ? w->duration_min : 90)),
        &n, e);
    if (!rc && n != 1) {
        sh_err_set(e, SH_PRECONDITION, "the work order was changed by someone else: reload");
        return sh_err_reason(e, "stale", NULL);
    }
    return rc;
}

enum sh_code wo_helpers(struct db_tx *tx, struct sh_arena *a, int64_t id, struct wo_helper **out,
                        int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT h.user_id, u.display_name FROM work_order_helpers h JOIN "
                               "users u ON u.id = h.user_id WHERE h.work_order_id = $1 ORDER BY "
                               "h.user_id",
                               DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(a, sizeof(**out) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++)
        (*out)[i] =
            (struct wo_helper){db_get_int(&r, i, "user_id", 0), db_get(&r, i, "display_name")};
    return SH_OK;
}

enum sh_code wo_set_helpers(struct db_tx *tx, int64_t id, const int64_t *users, int n,
                            struct sh_err *e)
{
    enum sh_code rc = db_exec(tx, "DELETE FROM work_order_helpers WHERE work_order_id = $1",
                              DB_P(DB_INT(id)), NULL, e);
    for (int i = 0; !rc && i < n; i++)
        rc = db_exec(tx,
                     "INSERT INTO work_order_helpers (work_order_id, user_id) VALUES ($1, $2) "
                     "ON CONFLICT DO NOTHING",
                     DB_P(DB_INT(id), DB_INT(users[i])), NULL, e);
    return rc;
}

enum sh_code wo_parts(struct db_tx *tx, struct sh_arena *a, int64_t id, struct wo_part **out,
                      int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT id, name, quantity, unit, note FROM work_order_parts "
                               "WHERE work_order_id = $1 ORDER BY id",
                               DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(a, sizeof(**out) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++) {
        const char *q = db_get(&r, i, "quantity");
        (*out)[i] =
            (struct wo_part){db_get_int(&r, i, "id", 0), db_get(&r, i, "name"),
                             db_get(&r, i, "unit"), db_get(&r, i, "note"), q ? strtod(q, NULL) : 0};
    }
    return SH_OK;
}

enum sh_code wo_set_parts(struct db_tx *tx, int64_t id, const struct wo_part *parts, int n,
                          struct sh_err *e)
{
    enum sh_code rc = db_exec(tx, "DELETE FROM work_order_parts WHERE work_order_id = $1",
                              DB_P(DB_INT(id)), NULL, e);
    for (int i = 0; !rc && i < n; i++)
        rc = db_exec(tx,
                     "INSERT INTO work_order_parts (work_order_id, name, quantity, unit, note) "
                     "VALUES ($1, $2, $3, $4, $5)",
                     DB_P(DB_INT(id), DB_TEXT(parts[i].name), DB_REAL(parts[i].quantity),
                          DB_TEXT(nz(parts[i].unit)), DB_TEXT(nz(parts[i].note))),
                     NULL, e);
    return rc;
}

enum sh_code wo_is_crew(struct db_tx *tx, struct sh_arena *a, int64_t id, int64_t user, bool *out,
                        struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT 1 AS x FROM work_orders WHERE id = $1 AND lead_id = $2 "
                               "UNION ALL SELECT 1 AS x FROM work_order_helpers WHERE "
                               "work_order_id = $1 AND user_id = $2",
                               DB_P(DB_INT(id), DB_INT(user)), &r, e);
    if (!rc)
        *out = user && r.nrows > 0;
    return rc;
}

/* The WHERE of a list: every filter bound, unused ones as 0 / '' so that the statement is the
 * same text whatever the filters (one prepared plan). */
#define LIST_WHERE                                                                                 \
    "WHERE ($1 = 0 OR w.ticket_id = $1) AND ($2 = 0 OR w.lead_id = $2) AND ($3 = '' OR "           \
    "w.status = $3) AND ($4 = '' OR w.appointment_day = $4) AND ($5 = 0 OR w.lead_id = $5 OR "     \
    "EXISTS (SELECT 1 FROM work_order_helpers h WHERE h.work_order_id = w.id AND h.user_id = "     \
    "$5)) "

enum sh_code wo_list(struct db_tx *tx, struct sh_arena *a, const struct wo_filter *f,
                     struct db_rows *out, int64_t *total, struct sh_err *e)
{
    struct db_rows c;
    enum sh_code rc =
        db_query(tx, a, "SELECT count(*) AS n FROM work_orders w " LIST_WHERE,
                 DB_P(DB_INT(f->ticket_id), DB_INT(f->lead_id), DB_TEXT(nz(f->status)),
                      DB_TEXT(nz(f->day)), DB_INT(f->crew_user)),
                 &c, e);
    if (rc)
        return rc;
    *total = db_get_int(&c, 0, "n", 0);
    const char *sql = sh_arena_printf(
        a,
        "SELECT " WO_COLS WO_PLACE_COLS WO_FROM WO_PLACE_FROM LIST_WHERE
        "AND ($6 = 0 OR COALESCE(w.appointment_at, '') > $7 OR (COALESCE(w.appointment_at, '') = "
        "$7 AND w.id > $6)) ORDER BY COALESCE(w.appointment_at, ''), w.id LIMIT $8");
    return db_query(tx, a, sql,
                    DB_P(DB_INT(f->ticket_id), DB_INT(f->lead_id), DB_TEXT(nz(f->status)),
                         DB_TEXT(nz(f->day)), DB_INT(f->crew_user), DB_INT(f->after_id),
                         DB_TEXT(nz(f->after_at)), DB_INT(f->limit + 1)),
                    out, e);
}

static int clamp(int64_t v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : (int)v;
}

enum sh_code wo_policy_load(struct db_tx *tx, struct sh_arena *a, struct wo_policy *out,
                            struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a, "SELECT key, value FROM settings WHERE key LIKE 'appointment_%'", DB_NOP, &r, e);
    if (rc)
        return rc;
    *out = (struct wo_policy)WO_POLICY_DEFAULT;
    for (int i = 0; i < r.nrows; i++) {
        const char *k = db_get(&r, i, "key"), *v = db_get(&r, i, "value");
        int64_t n = v ? strtoll(v, NULL, 10) : 0;
        if (!strcmp(k, "appointment_tolerance_min"))
            out->tolerance_min = clamp(n, 0, 240);
        else if (!strcmp(k, "appointment_early_target_min"))
            out->early_target_min = clamp(n, 0, 60);
        else if (!strcmp(k, "appointment_notice_lead_min"))
            out->notice_lead_min = clamp(n, 0, 1440);
        else if (!strcmp(k, "appointment_precall_min"))
            out->precall_min = clamp(n, 0, 1440);
        else if (!strcmp(k, "appointment_duration_min"))
            out->duration_min = clamp(n, 1, 1440);
        else if (!strcmp(k, "appointment_messages"))
            out->messages = v && !strcmp(v, "true");
    }
    return SH_OK;
}

enum sh_code wo_outbox_customer(struct db_tx *tx, int64_t ticket_id, const char *kind,
                                const char *subject, const char *body, const char *now,
                                struct sh_err *e)
{
    return db_exec(
        tx,
        "INSERT INTO outbox (created_at, kind, channel, recipient, subject, body, "
        "ticket_id, deliver_after) SELECT $1, $2, 'sms', COALESCE(NULLIF(t.caller_phone, "
        "''), c.phone, ''), $3, $4, t.id, $1 FROM tickets t LEFT JOIN customers c ON "
        "c.id = t.customer_id WHERE t.id = $5",
        DB_P(DB_TEXT(now), DB_TEXT(kind), DB_TEXT(subject), DB_TEXT(body), DB_INT(ticket_id)), NULL,
        e);
}

enum sh_code wo_accepted_quote(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                               struct db_rows *quote, struct db_rows *parts, struct sh_err *e)
{
    enum sh_code rc = db_query(tx, a,
                               "SELECT id, number, total_fen FROM quotes WHERE ticket_id = $1 AND "
                               "status = 'accepted' ORDER BY id DESC LIMIT 1",
                               DB_P(DB_INT(ticket_id)), quote, e);
    *parts = (struct db_rows){0};
    if (rc || !quote->nrows)
        return rc;
    return db_query(tx, a,
                    "SELECT l.code, l.name, l.qty_centi, COALESCE(p.unit, '') AS unit FROM "
                    "quote_lines l LEFT JOIN parts p ON p.code = l.code AND l.code <> '' WHERE "
                    "l.quote_id = $1 AND l.kind = 'part' ORDER BY l.pos",
                    DB_P(DB_INT(db_get_int(quote, 0, "id", 0))), parts, e);
}
