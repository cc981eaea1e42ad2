/* SPDX-License-Identifier: MIT */
#include "store/trips.h"

#include <inttypes.h>
#include <string.h>

static const char SELECT[] =
    "SELECT t.id, t.status, t.lead_id, t.purpose, t.customer_id, t.site_id, t.address, "
    "t.contact_name, t.contact_phone, t.site_details, t.ticket_id, t.project_id, t.est_days, "
    "t.planned_departure_at, t.start_at, t.end_at, t.departed_at, t.returned_at, t.closed_at, "
    "t.cancelled_at, t.cancel_reason, t.last_report_at, t.expense_transport_fen, "
    "t.expense_lodging_fen, t.expense_allowance_fen, t.expense_other_fen, t.feedback_at, "
    "t.feedback_by, t.feedback_work_done, t.feedback_result, t.feedback_problems, "
    "t.feedback_customer_opinion, t.note, t.created_by, t.created_at, t.updated_at, t.version, "
    "COALESCE(NULLIF(u.display_name, ''), u.username) AS lead_name, c.name AS customer_name, "
    "s.name AS site_name, k.number AS ticket_number FROM trips t JOIN users u ON u.id = "
    "t.lead_id LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN sites s ON s.id = "
    "t.site_id LEFT JOIN tickets k ON k.id = t.ticket_id ";

static const char *const EXPENSE_COL[TRIP_EXPENSE_COUNT] = {
    "expense_transport_fen", "expense_lodging_fen", "expense_allowance_fen", "expense_other_fen"};

static void row_read(const struct db_rows *r, int i, struct trip_row *o)
{
#define S(n) db_get(r, i, #n)
#define I(n) db_get_int(r, i, #n, 0)
    *o = (struct trip_row){
        .id = I(id),
        .lead_id = I(lead_id),
        .customer_id = I(customer_id),
        .site_id = I(site_id),
        .ticket_id = I(ticket_id),
        .project_id = I(project_id),
        .feedback_by = I(feedback_by),
        .created_by = I(created_by),
        .version = db_get_int(r, i, "version", 1),
        .est_days = (int)I(est_days),
        .status = S(status),
        .purpose = S(purpose),
        .address = S(address),
        .contact_name = S(contact_name),
        .contact_phone = S(contact_phone),
        .site_details = S(site_details),
        .planned_departure_at = S(planned_departure_at),
        .start_at = S(start_at),
        .end_at = S(end_at),
        .departed_at = S(departed_at),
        .returned_at = S(returned_at),
        .closed_at = S(closed_at),
        .cancelled_at = S(cancelled_at),
        .cancel_reason = S(cancel_reason),
        .last_report_at = S(last_report_at),
        .feedback_at = S(feedback_at),
        .feedback_work_done = S(feedback_work_done),
        .feedback_result = S(feedback_result),
        .feedback_problems = S(feedback_problems),
        .feedback_customer_opinion = S(feedback_customer_opinion),
        .note = S(note),
        .created_at = S(created_at),
        .updated_at = S(updated_at),
        .lead_name = S(lead_name),
        .customer_name = S(customer_name),
        .site_name = S(site_name),
        .ticket_number = S(ticket_number),
    };
    for (int k = 0; k < TRIP_EXPENSE_COUNT; k++)
        o->expense[k] = db_get_int(r, i, EXPENSE_COL[k], 0);
#undef S
#undef I
}

enum sh_code trips_get(struct db_tx *tx, struct sh_arena *a, int64_t id, struct trip_row *out,
                       struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, a, sh_arena_printf(a, "%sWHERE t.id = $1", SELECT), DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "trip %" PRId64 " not found", id);
    row_read(&r, 0, out);
    return SH_OK;
}

enum sh_code trips_list(struct db_tx *tx, struct sh_arena *a, const struct trip_filter *f,
                        struct trip_row **out, int *n, struct sh_err *e)
{
    /* every filter is a parameter; an absent one binds NULL and matches all */
    const char *sql = sh_arena_printf(
        a,
        "%sWHERE (CAST($1 AS TEXT) IS NULL OR t.status = $1) AND (CAST($2 AS BIGINT) IS NULL "
        "OR EXISTS (SELECT 1 FROM trip_members m WHERE m.trip_id = t.id AND m.user_id = $2)) "
        "AND (CAST($3 AS BIGINT) IS NULL OR t.ticket_id = $3) AND (CAST($4 AS BIGINT) IS NULL OR "
        "t.project_id = $4) AND (CAST($5 AS TEXT) IS NULL OR (t.status = 'departed' AND "
        "COALESCE(t.last_report_at, t.departed_at) < $5)) ORDER BY t.id DESC LIMIT $6",
        SELECT);
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, a, sql,
                 DB_P(DB_TEXT(f->status), f->member ? DB_INT(f->member) : DB_NULL,
                      f->ticket_id ? DB_INT(f->ticket_id) : DB_NULL,
                      f->project_id ? DB_INT(f->project_id) : DB_NULL, DB_TEXT(f->report_before),
                      DB_INT(f->limit > 0 ? f->limit : 100)),
                 &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(a, sizeof(**out) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++)
        row_read(&r, i, &(*out)[i]);
    return SH_OK;
}

static struct db_val id_or_null(int64_t id)
{
    return id ? DB_INT(id) : DB_NULL;
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

enum sh_code trips_insert(struct db_tx *tx, const struct trip_row *t, int64_t *id, struct sh_err *e)
{
    struct db_rows r;
    struct sh_arena a;
    sh_arena_init(&a, 1 << 14);
    enum sh_code rc = db_query(
        tx, &a,
        "INSERT INTO trips (status, lead_id, purpose, customer_id, site_id, address, "
        "contact_name, contact_phone, site_details, ticket_id, project_id, est_days, "
        "planned_departure_at, start_at, end_at, note, created_by, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
        "$18) RETURNING id",
        DB_P(DB_TEXT(t->status), DB_INT(t->lead_id), DB_TEXT(t->purpose),
             id_or_null(t->customer_id), id_or_null(t->site_id), DB_TEXT(nz(t->address)),
             DB_TEXT(nz(t->contact_name)), DB_TEXT(nz(t->contact_phone)),
             DB_TEXT(nz(t->site_details)), id_or_null(t->ticket_id), id_or_null(t->project_id),
             DB_INT(t->est_days), DB_TEXT(t->planned_departure_at), DB_TEXT(t->start_at),
             DB_TEXT(t->end_at), DB_TEXT(nz(t->note)), id_or_null(t->created_by),
             DB_TEXT(t->created_at)),
        &r, e);
    if (!rc)
        *id = db_get_int(&r, 0, "id", 0);
    sh_arena_release(&a);
    return rc;
}

enum sh_code trips_store(struct db_tx *tx, const struct trip_row *t, const char *now,
                         struct sh_err *e)
{
    int64_t n = 0;
    enum sh_code rc = db_exec(
        tx,
        "UPDATE trips SET status = $3, purpose = $4, customer_id = $5, site_id = $6, address = $7, "
        "contact_name = $8, contact_phone = $9, site_details = $10, ticket_id = $11, "
        "project_id = $12, est_days = $13, planned_departure_at = $14, start_at = $15, "
        "end_at = $16, departed_at = $17, returned_at = $18, closed_at = $19, cancelled_at = $20, "
        "cancel_reason = $21, last_report_at = $22, expense_transport_fen = $23, "
        "expense_lodging_fen = $24, expense_allowance_fen = $25, expense_other_fen = $26, "
        "feedback_at = $27, feedback_by = $28, feedback_work_done = $29, feedback_result = $30, "
        "feedback_problems = $31, feedback_customer_opinion = $32, note = $33, updated_at = $34, "
        "version = version + 1 WHERE id = $1 AND version = $2",
        DB_P(DB_INT(t->id), DB_INT(t->version), DB_TEXT(t->status), DB_TEXT(t->purpose),
             id_or_null(t->customer_id), id_or_null(t->site_id), DB_TEXT(nz(t->address)),
             DB_TEXT(nz(t->contact_name)), DB_TEXT(nz(t->contact_phone)),
             DB_TEXT(nz(t->site_details)), id_or_null(t->ticket_id), id_or_null(t->project_id),
             DB_INT(t->est_days), DB_TEXT(t->planned_departure_at), DB_TEXT(t->start_at),
             DB_TEXT(t->end_at), DB_TEXT(t->departed_at), DB_TEXT(t->returned_at),
             DB_TEXT(t->closed_at), DB_TEXT(t->cancelled_at), DB_TEXT(nz(t->cancel_reason)),
             DB_TEXT(t->last_report_at), DB_INT(t->expense[TRE_TRANSPORT]),
             DB_INT(t->expense[TRE_LODGING]), DB_INT(t->expense[TRE_ALLOWANCE]),
             DB_INT(t->expense[TRE_OTHER]), DB_TEXT(t->feedback_at), id_or_null(t->feedback_by),
             DB_TEXT(nz(t->feedback_work_done)), DB_TEXT(nz(t->feedback_result)),
             DB_TEXT(nz(t->feedback_problems)), DB_TEXT(nz(t->feedback_customer_opinion)),
             DB_TEXT(nz(t->note)), DB_TEXT(now)),
        &n, e);
    if (!rc && n != 1) {
        sh_err_set(e, SH_PRECONDITION, "the trip was changed by someone else: reload");
        return sh_err_reason(e, "stale", NULL);
    }
    return rc;
}

enum sh_code trips_member_add(struct db_tx *tx, int64_t trip, int64_t user, bool lead,
                              struct sh_err *e)
{
    return db_exec(tx, "INSERT INTO trip_members (trip_id, user_id, lead) VALUES ($1, $2, $3)",
                   DB_P(DB_INT(trip), DB_INT(user), DB_INT(lead ? 1 : 0)), NULL, e);
}

enum sh_code trips_members_of(struct db_tx *tx, struct sh_arena *a, int64_t trip,
                              struct trip_member **out, int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "SELECT m.user_id, m.lead, COALESCE(NULLIF(u.display_name, ''), u.username) AS name FROM "
        "trip_members m JOIN users u ON u.id = m.user_id WHERE m.trip_id = $1 ORDER BY m.lead "
        "DESC, m.user_id",
        DB_P(DB_INT(trip)), &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(a, sizeof(**out) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++)
        (*out)[i] = (struct trip_member){.user_id = db_get_int(&r, i, "user_id", 0),
                                         .lead = db_get_int(&r, i, "lead", 0) != 0,
                                         .name = db_get(&r, i, "name")};
    return SH_OK;
}

enum sh_code trips_wo_add(struct db_tx *tx, int64_t trip, int64_t wo, struct sh_err *e)
{
    return db_exec(tx, "INSERT INTO trip_work_orders (trip_id, work_order_id) VALUES ($1, $2)",
                   DB_P(DB_INT(trip), DB_INT(wo)), NULL, e);
}

enum sh_code trips_wos_of(struct db_tx *tx, struct sh_arena *a, int64_t trip, int64_t **out, int *n,
                          struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT work_order_id FROM trip_work_orders WHERE trip_id = $1 "
                               "ORDER BY work_order_id",
                               DB_P(DB_INT(trip)), &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(a, sizeof(int64_t) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++)
        (*out)[i] = db_get_int(&r, i, "work_order_id", 0);
    return SH_OK;
}

enum sh_code trips_of_user(struct db_tx *tx, struct sh_arena *a, int64_t user, int64_t except,
                           const char *before, struct db_rows *out, struct sh_err *e)
{
    return db_query(tx, a,
                    "SELECT t.id, t.status, t.start_at, t.end_at FROM trips t JOIN trip_members m "
                    "ON m.trip_id = t.id WHERE m.user_id = $1 AND t.id <> $2 AND t.status <> "
                    "'cancelled' AND t.start_at < $3 ORDER BY t.id LIMIT 1000",
                    DB_P(DB_INT(user), DB_INT(except), DB_TEXT(before)), out, e);
}

enum sh_code trips_open_members(struct db_tx *tx, struct sh_arena *a, const char *before,
                                struct db_rows *out, struct sh_err *e)
{
    return db_query(tx, a,
                    "SELECT m.user_id, t.status, t.start_at, t.end_at FROM trips t JOIN "
                    "trip_members m ON m.trip_id = t.id WHERE t.status IN ('planned', "
                    "'departed') AND t.start_at < $1 ORDER BY m.user_id LIMIT 5000",
                    DB_P(DB_TEXT(before)), out, e);
}

enum sh_code trips_report_insert(struct db_tx *tx, const struct trip_report_row *r, int64_t *id,
                                 struct sh_err *e)
{
    struct db_rows o;
    struct sh_arena a;
    sh_arena_init(&a, 1 << 12);
    enum sh_code rc = db_query(tx, &a,
                               "INSERT INTO trip_reports (trip_id, body, created_by, created_at) "
                               "VALUES ($1, $2, $3, $4) RETURNING id",
                               DB_P(DB_INT(r->trip_id), DB_TEXT(r->body), id_or_null(r->created_by),
                                    DB_TEXT(r->created_at)),
                               &o, e);
    if (!rc)
        *id = db_get_int(&o, 0, "id", 0);
    sh_arena_release(&a);
    return rc;
}

enum sh_code trips_reports_of(struct db_tx *tx, struct sh_arena *a, int64_t trip,
                              struct trip_report_row **out, int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "SELECT p.id, p.trip_id, p.body, p.created_by, p.created_at, COALESCE(NULLIF("
        "u.display_name, ''), u.username) AS created_by_name FROM trip_reports p LEFT JOIN users u "
        "ON u.id = p.created_by WHERE p.trip_id = $1 ORDER BY p.id LIMIT 1000",
        DB_P(DB_INT(trip)), &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(a, sizeof(**out) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++)
        (*out)[i] = (struct trip_report_row){.id = db_get_int(&r, i, "id", 0),
                                             .trip_id = db_get_int(&r, i, "trip_id", 0),
                                             .created_by = db_get_int(&r, i, "created_by", 0),
                                             .body = db_get(&r, i, "body"),
                                             .created_at = db_get(&r, i, "created_at"),
                                             .created_by_name = db_get(&r, i, "created_by_name")};
    return SH_OK;
}

enum sh_code trips_photo_insert(struct db_tx *tx, const struct trip_photo_row *p, int64_t *id,
                                struct sh_err *e)
{
    struct db_rows o;
    struct sh_arena a;
    sh_arena_init(&a, 1 << 12);
    enum sh_code rc = db_query(
        tx, &a,
        "INSERT INTO trip_photos (trip_id, report_id, filename, mime, size, sha256, created_by, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        DB_P(DB_INT(p->trip_id), DB_INT(p->report_id), DB_TEXT(p->filename), DB_TEXT(p->mime),
             DB_INT(p->size), DB_TEXT(p->sha256), id_or_null(p->created_by),
             DB_TEXT(p->created_at)),
        &o, e);
    if (!rc)
        *id = db_get_int(&o, 0, "id", 0);
    sh_arena_release(&a);
    return rc;
}

static void photo_read(const struct db_rows *r, int i, struct trip_photo_row *o)
{
    *o = (struct trip_photo_row){.id = db_get_int(r, i, "id", 0),
                                 .trip_id = db_get_int(r, i, "trip_id", 0),
                                 .report_id = db_get_int(r, i, "report_id", 0),
                                 .size = db_get_int(r, i, "size", 0),
                                 .created_by = db_get_int(r, i, "created_by", 0),
                                 .filename = db_get(r, i, "filename"),
                                 .mime = db_get(r, i, "mime"),
                                 .sha256 = db_get(r, i, "sha256"),
                                 .created_at = db_get(r, i, "created_at")};
}

#define PHOTO_COLS                                                                                 \
    "SELECT id, trip_id, report_id, filename, mime, size, sha256, created_by, created_at FROM "    \
    "trip_photos "

enum sh_code trips_photos_of(struct db_tx *tx, struct sh_arena *a, int64_t trip,
                             struct trip_photo_row **out, int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, PHOTO_COLS "WHERE trip_id = $1 ORDER BY id LIMIT 1000",
                               DB_P(DB_INT(trip)), &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(a, sizeof(**out) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++)
        photo_read(&r, i, &(*out)[i]);
    return SH_OK;
}

enum sh_code trips_photo_get(struct db_tx *tx, struct sh_arena *a, int64_t id,
                             struct trip_photo_row *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, PHOTO_COLS "WHERE id = $1", DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "photo not found");
    photo_read(&r, 0, out);
    return SH_OK;
}
