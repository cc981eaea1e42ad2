/* SPDX-License-Identifier: MIT */
#include "app/tasks.h"

#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/phone_records.h"
#include "app/ticket_events.h"
#include "base/date.h"

#define TASK_COLS                                                                                  \
    "k.id, k.kind, k.title, k.body, k.assignee_id, k.role, k.department_id, k.ticket_id, "         \
    "t.number AS ticket_number, k.source, k.source_id, k.status, k.reply, k.done_at, k.done_by, "  \
    "k.created_by, k.created_at, k.updated_at, k.version, k.due_at"

/* Whose tasks: $1 the user, $2 ",role1,role2," of the user, $3 the user's department (0:
 * none, sees the role's tasks of every department). */
#define MINE_SQL "k.assignee_id = $1"
#define ROLE_SQL                                                                                   \
    "(k.assignee_id IS NULL AND k.role <> '' AND $2 LIKE '%,' || k.role || ',%' AND "              \
    "(k.department_id IS NULL OR $3 = 0 OR k.department_id = $3))"

const char *const task_kinds[] = {
    "survey_follow_up",
    "phone_record_forward",
    "shipment_copy",
    "visit_follow_up",
    "third_party_part",
    "supplier_case",
    "rma_return",
    "quality_major",
    "complaint_ack",
    "sales_lead",
    "phone_call",
    "factory_handover",
    NULL,
};

static bool task_kind_known(const char *kind)
{
    for (const char *const *k = task_kinds; *k; k++)
        if (!strcmp(*k, kind))
            return true;
    return false;
}

enum sh_code uc_task_create(const struct uc *u, const struct task_in *in, int64_t *id,
                            struct sh_err *e)
{
    if (!in->kind || !task_kind_known(in->kind))
        return sh_err_set(e, SH_INTERNAL, "task kind %s is not in task_kinds",
                          in->kind ? in->kind : "(null)");
    char now[21];
    sh_ts_format(u->now, now);
    struct db_rows r;
    int64_t by = u->who ? u->who->user_id : 0;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "INSERT INTO tasks (kind, title, body, assignee_id, role, department_id, ticket_id, "
        "source, source_id, created_by, created_at, updated_at, due_at) VALUES ($1, $2, $3, $4, "
        "$5, "
        "$6, $7, $8, $9, $10, $11, $11, $12) RETURNING id",
        DB_P(DB_TEXT(in->kind), DB_TEXT(in->title), DB_TEXT(in->body ? in->body : ""),
             in->assignee_id ? DB_INT(in->assignee_id) : DB_NULL, DB_TEXT(in->role ? in->role : ""),
             in->department_id ? DB_INT(in->department_id) : DB_NULL,
             in->ticket_id ? DB_INT(in->ticket_id) : DB_NULL, DB_TEXT(in->source ? in->source : ""),
             in->source_id ? DB_INT(in->source_id) : DB_NULL, by ? DB_INT(by) : DB_NULL,
             DB_TEXT(now), in->due_at ? DB_TEXT(in->due_at) : DB_NULL),
        &r, e);
    if (rc)
        return rc;
    *id = db_get_int(&r, 0, "id", 0);
    return uc_audit(u, "task", *id, "create", NULL,
                    sh_arena_printf(u->a,
                                    "{\"kind\":\"%s\",\"role\":\"%s\",\"ticket_id\":%" PRId64 "}",
                                    in->kind, in->role ? in->role : "", in->ticket_id),
                    e);
}

static void row_of(const struct db_rows *r, int i, struct task_row *o)
{
    o->id = db_get_int(r, i, "id", 0);
    o->assignee_id = db_get_int(r, i, "assignee_id", 0);
    o->department_id = db_get_int(r, i, "department_id", 0);
    o->ticket_id = db_get_int(r, i, "ticket_id", 0);
    o->source_id = db_get_int(r, i, "source_id", 0);
    o->done_by = db_get_int(r, i, "done_by", 0);
    o->created_by = db_get_int(r, i, "created_by", 0);
    o->version = db_get_int(r, i, "version", 1);
    o->kind = db_get(r, i, "kind");
    o->title = db_get(r, i, "title");
    o->body = db_get(r, i, "body");
    o->role = db_get(r, i, "role");
    o->source = db_get(r, i, "source");
    o->status = db_get(r, i, "status");
    o->reply = db_get(r, i, "reply");
    o->done_at = db_get(r, i, "done_at");
    o->created_at = db_get(r, i, "created_at");
    o->updated_at = db_get(r, i, "updated_at");
    o->ticket_number = db_get(r, i, "ticket_number");
    o->due_at = db_get(r, i, "due_at");
    o->overdue = false;
}

/* An open task past its due time (issue 18 item 2: a forward not answered in time). */
static void mark_overdue(const struct uc *u, struct task_row *o)
{
    char now[21];
    sh_ts_format(u->now, now);
    o->overdue =
        o->due_at && *o->due_at && !strcmp(o->status, "open") && strcmp(o->due_at, now) < 0;
}

static const char *roles_list(const struct uc *u)
{
    char names[256];
    roles_format(u->who->roles, names, sizeof(names));
    return sh_arena_printf(u->a, ",%s,", names);
}

enum sh_code uc_task_list(const struct uc *u, const struct task_list_in *in, struct task_list *out,
                          struct sh_err *e)
{
    /* $5: 0 both, 1 mine only, 2 role only (every parameter appears in every variant) */
    static const char where[] = "((" MINE_SQL " AND $5 <> 2) OR (" ROLE_SQL " AND $5 <> 1)) "
                                "AND ($4 = '' OR k.status = $4)";
    int scope = in->scope == TASK_SCOPE_MINE ? 1 : in->scope == TASK_SCOPE_ROLE ? 2 : 0;
    const struct db_val p[] = {DB_INT(u->who->user_id),
                               DB_TEXT(roles_list(u)),
                               DB_INT(u->who->department_id),
                               DB_TEXT(in->status ? in->status : ""),
                               DB_INT(scope),
                               DB_INT(in->limit),
                               DB_INT(in->offset)};
    struct db_rows n, r;
    enum sh_code rc = db_query(
        u->tx, u->a, sh_arena_printf(u->a, "SELECT count(*) AS n FROM tasks k WHERE %s", where), p,
        5, &n, e);
    if (rc || (rc = db_query(u->tx, u->a,
                             sh_arena_printf(u->a,
                                             "SELECT " TASK_COLS " FROM tasks k LEFT JOIN tickets "
                                             "t ON t.id = k.ticket_id WHERE %s ORDER BY k.id DESC "
                                             "LIMIT $6 OFFSET $7",
                                             where),
                             p, 7, &r, e)))
        return rc;
    out->total = db_get_int(&n, 0, "n", 0);
    out->n = r.nrows;
    out->items = sh_arena_alloc(u->a, sizeof(*out->items) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++) {
        row_of(&r, i, &out->items[i]);
        mark_overdue(u, &out->items[i]);
    }
    return SH_OK;
}

static enum sh_code load_mine(const struct uc *u, int64_t id, struct task_row *out,
                              struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT " TASK_COLS " FROM tasks k LEFT JOIN tickets t ON t.id = k.ticket_id WHERE k.id = "
        "$4 AND (" MINE_SQL " OR " ROLE_SQL " OR $5 = 1)",
        DB_P(DB_INT(u->who->user_id), DB_TEXT(roles_list(u)), DB_INT(u->who->department_id),
             DB_INT(id), DB_INT((u->who->roles & RB(ADMIN)) ? 1 : 0)),
        &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "task %" PRId64 " not found", id);
    row_of(&r, 0, out);
    mark_overdue(u, out);
    return SH_OK;
}

enum sh_code uc_task_done(const struct uc *u, int64_t id, const char *reply, struct task_row *out,
                          struct sh_err *e)
{
    if (!reply || !*reply) {
        sh_err_field(e, SH_INVALID, "reply", "say what was done");
        return sh_err_reason(e, "required", NULL);
    }
    enum sh_code rc = load_mine(u, id, out, e);
    if (rc)
        return rc;
    if (strcmp(out->status, "open")) {
        sh_err_set(e, SH_CONFLICT, "task %" PRId64 " is done already", id);
        return sh_err_reason(e, "illegal_action", NULL);
    }
    char now[21];
    sh_ts_format(u->now, now);
    if ((rc = db_exec(u->tx,
                      "UPDATE tasks SET status = 'done', reply = $2, done_at = $3, done_by = $4, "
                      "updated_at = $3, version = version + 1 WHERE id = $1 AND status = 'open'",
                      DB_P(DB_INT(id), DB_TEXT(reply), DB_TEXT(now), DB_INT(u->who->user_id)), NULL,
                      e)))
        return rc;
    /* a forwarded telephone record gets the superior's reply too (issue 18 item 2) */
    if (!strcmp(out->source, "phone_record") && out->source_id &&
        (rc = phone_record_task_done(u, out->source_id, reply, e)))
        return rc;
    if (out->ticket_id &&
        (rc = uc_ticket_event(u, out->ticket_id, "task", "internal", reply,
                              sh_arena_printf(u->a,
                                              "{\"task_id\":%" PRId64 ",\"kind\":\"%s\","
                                              "\"event\":\"done\"}",
                                              id, out->kind),
                              NULL, e)))
        return rc;
    if ((rc = uc_audit(u, "task", id, "done", "{\"status\":\"open\"}", "{\"status\":\"done\"}", e)))
        return rc;
    return load_mine(u, id, out, e);
}
