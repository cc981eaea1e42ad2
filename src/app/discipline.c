/* SPDX-License-Identifier: MIT */
/* The steps of the discipline records (docs/discipline.md): a corrective action's start,
 * finish, verify and reopen (domain/discipline.c's table), the reply to a suggestion and
 * the count of conduct complaints per staff member. */
#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/discipline.h"
#include "base/date.h"
#include "domain/discipline.h"
#include "store/db_set.h"

static enum sh_code stale(struct sh_err *e, int64_t id)
{
    sh_err_set(e, SH_PRECONDITION, "record %" PRId64 " was changed concurrently", id);
    return sh_err_reason(e, "stale", NULL);
}

/* Writes set on record id of ent, audits the step and returns the record after it. */
static enum sh_code apply_step(const struct uc *u, const struct entity *ent, int64_t id,
                               const struct db_rows *before, const struct db_set *set,
                               const char *action, const char *now, const char **json,
                               struct sh_err *e)
{
    enum sh_code rc = db_set_apply(u->tx, ent->table, id, set, now, e);
    struct db_rows after;
    if (rc || (rc = ent_load(u->tx, u->a, ent, id, &after, e)))
        return rc;
    *json = ent_json(u->a, ent, &after, 0);
    return uc_audit(u, ent->name, id, action, ent_json(u->a, ent, before, 0), *json, e);
}

enum sh_code uc_corrective_step(const struct uc *u, const struct ca_step_in *in, const char **json,
                                struct sh_err *e)
{
    enum ca_action action;
    if (!ca_action_parse(in->action, &action)) {
        sh_err_field(e, SH_INVALID, "action", "unknown action '%s'", in->action);
        return sh_err_reason(e, "invalid_format", NULL);
    }
    struct db_rows r;
    /* review 72 #1: taken before it is read, so a parallel step checks the committed state */
    enum sh_code rc = db_lock_row(u->tx, ent_corrective_actions.table, in->id, e);
    if (rc || (rc = uc_ent_load_visible(u, &ent_corrective_actions, in->id, &r, e)))
        return rc;
    enum ca_state st, to;
    if (!ca_state_parse(db_get(&r, 0, "state"), &st))
        return sh_err_set(e, SH_INTERNAL, "corrective action %" PRId64 " has no state", in->id);
    bool owner = db_get_int(&r, 0, "owner_id", 0) == u->who->user_id;
    if ((rc = ca_transition(st, action, u->who->roles, owner, &to, e)))
        return rc;
    if (in->if_match >= 0 && db_get_int(&r, 0, "version", -1) != in->if_match)
        return stale(e, in->id);
    char now[21];
    sh_ts_format(u->now, now);
    struct db_set s = {.n = 0};
    db_set_put(&s, "state", DB_TEXT(ca_state_names[to]));
    if (action == CA_FINISH) {
        db_set_put(&s, "done_at", DB_TEXT(now));
        db_set_put(&s, "done_note", DB_TEXT(in->note ? in->note : ""));
    } else if (action == CA_VERIFY) {
        db_set_put(&s, "verified_by", DB_INT(u->who->user_id));
        db_set_put(&s, "verified_at", DB_TEXT(now));
    } else if (action == CA_REOPEN) {
        db_set_put(&s, "done_at", DB_NULL);
    }
    return apply_step(u, &ent_corrective_actions, in->id, &r, &s, ca_action_names[action], now,
                      json, e);
}

enum sh_code uc_suggestion_reply(const struct uc *u, const struct suggestion_reply_in *in,
                                 const char **json, struct sh_err *e)
{
    if (!suggestion_decision_ok(in->status)) {
        sh_err_field(e, SH_INVALID, "status", "'status' is accepted, rejected or noted");
        return sh_err_reason(e, "invalid_format", NULL);
    }
    struct db_rows r;
    enum sh_code rc = db_lock_row(u->tx, ent_suggestions.table, in->id, e);
    if (rc || (rc = uc_ent_load_visible(u, &ent_suggestions, in->id, &r, e)))
        return rc;
    if (db_get_int(&r, 0, "addressee_id", 0) != u->who->user_id)
        return sh_err_set(e, SH_FORBIDDEN, "only the superior it is addressed to replies");
    if (strcmp(db_get(&r, 0, "status"), "submitted")) {
        sh_err_set(e, SH_CONFLICT, "suggestion %" PRId64 " has been answered already", in->id);
        return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\",\"action\":\"reply\"}",
                             db_get(&r, 0, "status"));
    }
    char now[21];
    sh_ts_format(u->now, now);
    struct db_set s = {.n = 0};
    db_set_put(&s, "status", DB_TEXT(in->status));
    db_set_put(&s, "reply", DB_TEXT(in->reply ? in->reply : ""));
    db_set_put(&s, "replied_at", DB_TEXT(now));
    return apply_step(u, &ent_suggestions, in->id, &r, &s, "reply", now, json, e);
}

enum sh_code uc_suggestion_addressees(const struct uc *u, struct addressee **out, int *n,
                                      struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT id, COALESCE(NULLIF(display_name, ''), username) AS name, roles FROM users "
        "WHERE active = 1 AND id <> $1 AND ((',' || roles || ',') LIKE '%,dept_head,%' OR "
        "(',' || roles || ',') LIKE '%,gm,%') ORDER BY id LIMIT 200",
        DB_P(DB_INT(u->who->user_id)), &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(u->a, sizeof(**out) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++)
        (*out)[i] = (struct addressee){db_get_int(&r, i, "id", 0), db_get(&r, i, "name"),
                                       db_get(&r, i, "roles")};
    return SH_OK;
}

enum sh_code uc_report_conduct(const struct uc *u, const char *from, const char *to,
                               struct conduct_report *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT c.staff_user_id, COALESCE(NULLIF(us.display_name, ''), us.username) AS name, "
        "count(*) AS total, "
        "sum(CASE WHEN c.category = 'arguing' THEN 1 ELSE 0 END) AS arguing, "
        "sum(CASE WHEN c.category = 'asking_money' THEN 1 ELSE 0 END) AS asking_money, "
        "sum(CASE WHEN c.category = 'unreasonable_demand' THEN 1 ELSE 0 END) AS unreasonable, "
        "sum(CASE WHEN c.category = 'other' THEN 1 ELSE 0 END) AS other, "
        "sum(CASE WHEN c.status <> 'closed' THEN 1 ELSE 0 END) AS still_open "
        "FROM conduct_complaints c JOIN users us ON us.id = c.staff_user_id "
        "WHERE c.occurred_on >= $1 AND c.occurred_on <= $2 "
        "GROUP BY c.staff_user_id, us.display_name, us.username "
        "ORDER BY total DESC, c.staff_user_id LIMIT 1000",
        DB_P(DB_TEXT(from ? from : "0000"), DB_TEXT(to ? to : "9999")), &r, e);
    if (rc)
        return rc;
    out->n = r.nrows;
    out->total = 0;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++) {
        out->rows[i] = (struct conduct_count){
            db_get_int(&r, i, "staff_user_id", 0), db_get(&r, i, "name"),
            db_get_int(&r, i, "total", 0),         db_get_int(&r, i, "arguing", 0),
            db_get_int(&r, i, "asking_money", 0),  db_get_int(&r, i, "unreasonable", 0),
            db_get_int(&r, i, "other", 0),         db_get_int(&r, i, "still_open", 0)};
        out->total += out->rows[i].total;
    }
    return SH_OK;
}
