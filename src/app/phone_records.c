/* SPDX-License-Identifier: MIT */
/* Telephone records (电话记录, F-12, R-038; docs/telephone.md) on the entity engine, and the
 * forward to a superior with its reply (TY 4.1 "如为外地经销商,应记住对方联系电话、地址…并做电话
 * 记录"; 4.2 "如有重点事项应作好电话记录,以便向上级主管做详细的反馈"). A record is written by the
 * entity routes (its F-12 fields); the forward and the reply only by the use cases below. */
#include "app/phone_records.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/i18n.h"
#include "app/resources.h"
#include "app/tasks.h"
#include "app/ticket_entities.h"
#include "app/ticket_events.h"
#include "base/date.h"
#include "store/db_set.h"

#define RO COL_READONLY

static const char *const directions[] = {"in", "out", NULL};
const char *const phone_record_statuses[] = {"recorded", "forwarded", "answered", NULL};

static const struct col phone_cols[] = {
    COMMON_COLS,
    {"direction", F_ENUM, COL_REQUIRED | COL_FILTER | COL_SORT, 0, directions, 0, 0, NULL},
    {"called_at", F_TS, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"caller", F_STR, COL_SORT | COL_SEARCH, 100, NULL, 0, 0, NULL},
    {"callee", F_STR, COL_SEARCH, 100, NULL, 0, 0, NULL},
    {"phone", F_STR, COL_FILTER | COL_PHONE | COL_SEARCH, 40, NULL, 0, 0, NULL},
    {"address", F_STR, COL_SEARCH, 200, NULL, 0, 0, NULL},
    {"out_of_town_dealer", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"content", F_TEXT, COL_REQUIRED | COL_SEARCH, 4000, NULL, 0, 0, NULL},
    {"key_matters", F_TEXT, COL_SEARCH, 2000, NULL, 0, 0, NULL},
    {"result", F_TEXT, COL_SEARCH, 2000, NULL, 0, 0, NULL},
    {"customer_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"dealer_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"ticket_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_tickets},
    {"status", F_ENUM, RO | COL_FILTER | COL_SORT, 0, phone_record_statuses, 0, 0, NULL},
    {"recorded_by", F_ID, RO | COL_DERIVED | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"forwarded_to", F_ID, RO | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"forwarded_by", F_ID, RO | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"forwarded_at", F_TS, RO | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"forward_note", F_TEXT, RO, 2000, NULL, 0, 0, NULL},
    {"reply_due_at", F_TS, RO | COL_NULLABLE | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"task_id", F_INT, RO | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"reply", F_TEXT, RO, 4000, NULL, 0, 0, NULL},
    {"replied_by", F_ID, RO | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"replied_at", F_TS, RO | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
};

#define OVERDUE_SQL "t.status = 'forwarded' AND t.reply_due_at < {now}"

static const struct list_view phone_views[] = {
    {"overdue", "true", OVERDUE_SQL},
    {"forwarded", "mine", "t.forwarded_to = {me}"},
    {NULL, NULL, NULL},
};

static enum sh_code need_link(struct sh_err *e)
{
    sh_err_field(e, SH_INVALID, "customer_id",
                 "a telephone record is linked to a customer, a dealer or a ticket");
    return sh_err_reason(e, "required",
                         "{\"one_of\":[\"customer_id\",\"dealer_id\",\"ticket_id\"]}");
}

/* RULE R-038: linked to a customer, a dealer (a customer of type dealer) or a ticket; a call
 * from an out-of-town dealer keeps the dealer's phone and address (TY 4.1). */
static enum sh_code phone_before(struct ent_write *w, struct sh_err *e)
{
    const struct uc *u = w->u;
    if (w->creating && u->who->user_id) {
        struct fval *v = ent_slot(w, "recorded_by");
        *v = (struct fval){.present = true,
                           .text = sh_arena_printf(u->a, "%" PRId64, u->who->user_id),
                           .i = u->who->user_id};
    }
    const char *dealer = ent_val(w, "dealer_id");
    if (!ent_val(w, "customer_id") && !dealer && !ent_val(w, "ticket_id"))
        return need_link(e);
    if (dealer && (w->creating || ent_changed(w, "dealer_id"))) {
        struct db_rows r;
        enum sh_code rc = db_query(u->tx, u->a, "SELECT type FROM customers WHERE id = $1",
                                   DB_P(DB_INT(strtoll(dealer, NULL, 10))), &r, e);
        if (rc)
            return rc;
        if (r.nrows && strcmp(db_get(&r, 0, "type"), "dealer")) {
            sh_err_field(e, SH_INVALID, "dealer_id", "'dealer_id' is not a dealer");
            return sh_err_reason(e, "unknown_reference", "{\"entity\":\"dealer\"}");
        }
    }
    const char *ood = ent_val(w, "out_of_town_dealer");
    if (ood && !strcmp(ood, "1")) {
        static const char *const needed[] = {"dealer_id", "phone", "address"};
        for (int i = 0; i < 3; i++) {
            const char *v = ent_val(w, needed[i]);
            if (!v || !*v) {
                sh_err_field(e, SH_INVALID, needed[i],
                             "a call from an out-of-town dealer keeps the dealer, its phone and "
                             "its address");
                return sh_err_reason(e, "required", NULL);
            }
        }
    }
    return SH_OK;
}

/* The names of the records it refers to are searchable with it. */
static const char *phone_record_search_extra(struct ent_write *w)
{
    static const char *const refs[] = {"customer_id", "dealer_id", "ticket_id", NULL};
    return ent_ref_labels(w, refs);
}

const struct entity ent_phone_records = {
    .name = "phone_record",
    .table = "phone_records",
    .cols = phone_cols,
    .ncols = NCOLS(phone_cols),
    .views = phone_views,
    .label_col = "caller",
    .default_sort = "-called_at",
    .before_write = phone_before,
    .search = true,
    .search_extra = phone_record_search_extra,
};

static enum sh_code conflict(struct sh_err *e, const char *status, const char *action)
{
    sh_err_set(e, SH_CONFLICT, "a %s telephone record cannot be %s", status, action);
    return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\",\"action\":\"%s\"}", status,
                         action);
}

/* The superior: an active staff user other than the one forwarding. */
static enum sh_code superior_ok(const struct uc *u, int64_t id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT roles, active FROM users WHERE id = $1",
                               DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    unsigned mask = 0;
    if (r.nrows && db_get_int(&r, 0, "active", 0) && roles_parse(db_get(&r, 0, "roles"), &mask) &&
        (mask & ROLES_STAFF) && id != u->who->user_id)
        return SH_OK;
    sh_err_field(e, SH_INVALID, "superior_id", "'superior_id' must be another active staff user");
    return sh_err_reason(e, "unknown_reference", "{\"entity\":\"user\"}");
}

static enum sh_code forward_task(const struct uc *u, const struct phone_forward_in *in,
                                 const struct db_rows *r, int64_t *task, struct sh_err *e)
{
    const char *who = db_get(r, 0, "caller");
    const char *label =
        i18n_label(u->app, "zh-CN", "task.kind.phone_record_forward", "telephone record forwarded");
    struct task_in t = {
        .kind = "phone_record_forward",
        .title = sh_arena_printf(u->a, "%s: %s %s", label, who ? who : "",
                                 db_get(r, 0, "phone") ? db_get(r, 0, "phone") : ""),
        .body = in->note && *in->note ? in->note : db_get(r, 0, "content"),
        .assignee_id = in->superior_id,
        .ticket_id = db_get_int(r, 0, "ticket_id", 0),
        .source = "phone_record",
        .source_id = in->id,
        .due_at = in->due_at,
    };
    return uc_task_create(u, &t, task, e);
}

enum sh_code uc_phone_forward(const struct uc *u, const struct phone_forward_in *in,
                              const char **json, struct sh_err *e)
{
    struct db_rows r;
    /* review 72 #1: taken before it is read, so a parallel forward checks the committed state */
    enum sh_code rc = db_lock_row(u->tx, "phone_records", in->id, e);
    if (rc || (rc = ent_load(u->tx, u->a, &ent_phone_records, in->id, &r, e)))
        return rc;
    const char *status = db_get(&r, 0, "status");
    if (strcmp(status, "recorded"))
        return conflict(e, status, "forwarded");
    if ((rc = superior_ok(u, in->superior_id, e)))
        return rc;
    /* RULE: the reply is due after the call (a forward may already be overdue when the call
     * was recorded late) */
    if (strcmp(in->due_at, db_get(&r, 0, "called_at")) <= 0) {
        sh_err_field(e, SH_INVALID, "due_at", "the reply is due after the call");
        return sh_err_reason(e, "date_order", "{\"after\":\"called_at\"}");
    }
    const char *before = ent_json(u->a, &ent_phone_records, &r, 0);
    int64_t task = 0;
    if ((rc = forward_task(u, in, &r, &task, e)))
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    struct db_set s = {.n = 0};
    db_set_put(&s, "status", DB_TEXT("forwarded"));
    db_set_put(&s, "forwarded_to", DB_INT(in->superior_id));
    db_set_put(&s, "forwarded_by", u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL);
    db_set_put(&s, "forwarded_at", DB_TEXT(now));
    db_set_put(&s, "forward_note", DB_TEXT(in->note ? in->note : ""));
    db_set_put(&s, "reply_due_at", DB_TEXT(in->due_at));
    db_set_put(&s, "task_id", DB_INT(task));
    if ((rc = db_set_apply(u->tx, "phone_records", in->id, &s, now, e)) ||
        (rc = ent_load(u->tx, u->a, &ent_phone_records, in->id, &r, e)))
        return rc;
    *json = ent_json(u->a, &ent_phone_records, &r, 0);
    return uc_audit(u, "phone_record", in->id, "forward", before, *json, e);
}

/* Records the reply on a forwarded record (answered), inside the caller's transaction. */
static enum sh_code record_reply(const struct uc *u, const struct db_rows *r, int64_t id,
                                 const char *reply, struct sh_err *e)
{
    char now[21];
    sh_ts_format(u->now, now);
    struct db_set s = {.n = 0};
    db_set_put(&s, "status", DB_TEXT("answered"));
    db_set_put(&s, "reply", DB_TEXT(reply));
    db_set_put(&s, "replied_by", u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL);
    db_set_put(&s, "replied_at", DB_TEXT(now));
    enum sh_code rc = db_set_apply(u->tx, "phone_records", id, &s, now, e);
    if (rc)
        return rc;
    int64_t ticket = db_get_int(r, 0, "ticket_id", 0);
    if (ticket && (rc = uc_ticket_event(
                       u, ticket, "phone_record", "internal", reply,
                       sh_arena_printf(u->a, "{\"phone_record_id\":%" PRId64 "}", id), NULL, e)))
        return rc;
    return uc_audit(u, "phone_record", id, "reply", "{\"status\":\"forwarded\"}",
                    "{\"status\":\"answered\"}", e);
}

enum sh_code uc_phone_reply(const struct uc *u, int64_t id, const char *reply, const char **json,
                            struct sh_err *e)
{
    if (!reply || !*reply) {
        sh_err_field(e, SH_INVALID, "reply", "'reply' is required");
        return sh_err_reason(e, "required", NULL);
    }
    struct db_rows r;
    enum sh_code rc = db_lock_row(u->tx, "phone_records", id, e);
    if (rc || (rc = ent_load(u->tx, u->a, &ent_phone_records, id, &r, e)))
        return rc;
    const char *status = db_get(&r, 0, "status");
    if (strcmp(status, "forwarded"))
        return conflict(e, status, "answered");
    if (db_get_int(&r, 0, "forwarded_to", 0) != u->who->user_id && !(u->who->roles & RB(ADMIN))) {
        sh_err_set(e, SH_FORBIDDEN, "only the superior it was forwarded to replies");
        return sh_err_reason(e, "forbidden", NULL);
    }
    if ((rc = record_reply(u, &r, id, reply, e)))
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    int64_t task = db_get_int(&r, 0, "task_id", 0);
    if (task && (rc = db_exec(u->tx,
                              "UPDATE tasks SET status = 'done', reply = $2, done_at = $3, "
                              "done_by = $4, updated_at = $3, version = version + 1 WHERE id = $1 "
                              "AND status = 'open'",
                              DB_P(DB_INT(task), DB_TEXT(reply), DB_TEXT(now),
                                   u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL),
                              NULL, e)))
        return rc;
    if ((rc = ent_load(u->tx, u->a, &ent_phone_records, id, &r, e)))
        return rc;
    *json = ent_json(u->a, &ent_phone_records, &r, 0);
    return SH_OK;
}

enum sh_code phone_record_task_done(const struct uc *u, int64_t record_id, const char *reply,
                                    struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_lock_row(u->tx, "phone_records", record_id, e);
    if (!rc)
        rc = ent_load(u->tx, u->a, &ent_phone_records, record_id, &r, e);
    if (rc == SH_NOT_FOUND)
        return SH_OK;
    if (rc || strcmp(db_get(&r, 0, "status"), "forwarded"))
        return rc;
    return record_reply(u, &r, record_id, reply, e);
}

enum sh_code uc_phone_superiors(const struct uc *u, struct phone_superior **out, int *n,
                                struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT id, username, display_name, roles FROM users WHERE active = 1 AND id <> $1 AND "
        "(',' || roles || ',' LIKE '%,dept_head,%' OR ',' || roles || ',' LIKE '%,gm,%' OR "
        "',' || roles || ',' LIKE '%,admin,%') ORDER BY id LIMIT 200",
        DB_P(DB_INT(u->who->user_id)), &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(u->a, sizeof(**out) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++) {
        const char *dn = db_get(&r, i, "display_name");
        (*out)[i] = (struct phone_superior){db_get_int(&r, i, "id", 0),
                                            dn && *dn ? dn : db_get(&r, i, "username"),
                                            db_get(&r, i, "roles")};
    }
    return SH_OK;
}
