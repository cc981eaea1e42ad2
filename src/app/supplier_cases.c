/* SPDX-License-Identifier: MIT */
/* Supplier cases (WF-09 S3a, R-013, R-068; docs/telephone.md): a problem on a bought-in
 * component routed to purchasing, sent to the outside maker, its answer with the hours it took
 * against the commitment (met / late), closed. */
#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/i18n.h"
#include "app/suppliers.h"
#include "app/tasks.h"
#include "app/ticket_entities.h"
#include "app/ticket_events.h"
#include "base/date.h"
#include "domain/supplier.h"
#include "store/db_set.h"

/* The commitment covering the part (first) or the model, valid on u's day (Asia/Shanghai). */
static enum sh_code find_commitment(const struct uc *u, int64_t part, int64_t model,
                                    struct db_rows *r, struct sh_err *e)
{
    char day[11];
    sh_date_format(sh_civil_from_days((u->now + 8 * 3600) / 86400), day);
    return db_query(u->tx, u->a,
                    "SELECT c.id, c.supplier_id, c.response_hours, c.part_id FROM "
                    "supplier_commitments c JOIN suppliers s ON s.id = c.supplier_id WHERE "
                    "s.active = 1 AND c.valid_from <= $3 AND (c.valid_to IS NULL OR c.valid_to >= "
                    "$3) AND ((c.part_id = $1 AND $1 > 0) OR (c.part_id IS NULL AND c.model_id = "
                    "$2 AND $2 > 0)) ORDER BY c.part_id IS NULL, c.id LIMIT 1",
                    DB_P(DB_INT(part), DB_INT(model), DB_TEXT(day)), r, e);
}

/* The model of the ticket's unit when the case names neither part nor model. */
static enum sh_code ticket_model(const struct uc *u, int64_t ticket, int64_t *model,
                                 struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT u.model_id FROM tickets t JOIN units u ON u.id = t.unit_id "
                               "WHERE t.id = $1",
                               DB_P(DB_INT(ticket)), &r, e);
    if (!rc && r.nrows)
        *model = db_get_int(&r, 0, "model_id", 0);
    return rc;
}

static enum sh_code purchasing_task(const struct uc *u, const struct supplier_case_in *in,
                                    int64_t case_id, int64_t *task, struct sh_err *e)
{
    struct task_in t = {
        .kind = "supplier_case",
        .title = sh_arena_printf(
            u->a, "%s #%" PRId64,
            i18n_label(u->app, "zh-CN", "task.kind.supplier_case", "supplier case"), case_id),
        .body = in->problem ? in->problem : "",
        .role = "purchasing",
        .ticket_id = in->ticket_id,
        .source = "supplier_case",
        .source_id = case_id,
    };
    return uc_task_create(u, &t, task, e);
}

static enum sh_code insert_case(const struct uc *u, const struct supplier_case_in *in,
                                const struct db_rows *c, int64_t model, int64_t *id,
                                struct sh_err *e)
{
    char now[21];
    sh_ts_format(u->now, now);
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "INSERT INTO supplier_cases (ticket_id, faulty_part_id, part_id, model_id, supplier_id, "
        "commitment_id, response_hours, problem, task_id, created_by, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        DB_P(in->ticket_id ? DB_INT(in->ticket_id) : DB_NULL,
             in->faulty_part_id ? DB_INT(in->faulty_part_id) : DB_NULL,
             in->part_id ? DB_INT(in->part_id) : DB_NULL, model ? DB_INT(model) : DB_NULL,
             DB_INT(db_get_int(c, 0, "supplier_id", 0)), DB_INT(db_get_int(c, 0, "id", 0)),
             DB_INT(db_get_int(c, 0, "response_hours", 0)), DB_TEXT(in->problem ? in->problem : ""),
             in->task_id ? DB_INT(in->task_id) : DB_NULL,
             u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL, DB_TEXT(now)),
        &r, e);
    if (!rc)
        *id = db_get_int(&r, 0, "id", 0);
    return rc;
}

static enum sh_code open_case(const struct uc *u, const struct supplier_case_in *in, bool must,
                              int64_t *id, struct sh_err *e)
{
    int64_t model = in->model_id;
    enum sh_code rc = SH_OK;
    if (!in->part_id && !model && in->ticket_id && (rc = ticket_model(u, in->ticket_id, &model, e)))
        return rc;
    struct db_rows c;
    if ((rc = find_commitment(u, in->part_id, model, &c, e)))
        return rc;
    if (!c.nrows) {
        *id = 0;
        if (!must)
            return SH_OK;
        sh_err_field(e, SH_UNPROCESSABLE, in->part_id ? "part_id" : "model_id",
                     "no supplier has a valid after-sales commitment for it");
        return sh_err_reason(e, "no_commitment", NULL);
    }
    if ((rc = insert_case(u, in, &c, model, id, e)))
        return rc;
    int64_t task = in->task_id;
    if (!task && ((rc = purchasing_task(u, in, *id, &task, e)) ||
                  (rc = db_exec(u->tx, "UPDATE supplier_cases SET task_id = $1 WHERE id = $2",
                                DB_P(DB_INT(task), DB_INT(*id)), NULL, e))))
        return rc;
    if (in->ticket_id &&
        (rc = uc_ticket_event(
             u, in->ticket_id, "supplier_case", "internal", in->problem ? in->problem : "",
             sh_arena_printf(u->a, "{\"supplier_case_id\":%" PRId64 "}", *id), NULL, e)))
        return rc;
    return uc_audit(
        u, "supplier_case", *id, "create", NULL,
        sh_arena_printf(u->a, "{\"state\":\"to_purchasing\",\"task_id\":%" PRId64 "}", task), e);
}

enum sh_code uc_supplier_case_open(const struct uc *u, const struct supplier_case_in *in,
                                   int64_t *id, struct sh_err *e)
{
    if (!in->part_id && !in->model_id && !in->ticket_id) {
        sh_err_field(e, SH_INVALID, "part_id", "name the component, the model or the ticket");
        return sh_err_reason(e, "required",
                             "{\"one_of\":[\"part_id\",\"model_id\",\"ticket_id\"]}");
    }
    struct db_rows t;
    enum sh_code rc;
    if (in->ticket_id &&
        (rc = ent_load(u->tx, u->a, &ent_tickets, in->ticket_id, &t, e)) == SH_NOT_FOUND) {
        sh_err_field(e, SH_INVALID, "ticket_id", "'ticket_id': no such ticket");
        return sh_err_reason(e, "unknown_reference", "{\"entity\":\"ticket\"}");
    } else if (in->ticket_id && rc)
        return rc;
    return open_case(u, in, true, id, e);
}

enum sh_code supplier_case_route_part(const struct uc *u, const struct supplier_case_in *in,
                                      struct sh_err *e)
{
    int64_t id = 0;
    return open_case(u, in, false, &id, e);
}

static enum sh_code when(const struct uc *u, const char *at, int64_t *t, struct sh_err *e)
{
    *t = u->now;
    if (!at)
        return SH_OK;
    if (!sh_ts_parse(at, t) || *t > u->now) {
        sh_err_field(e, SH_INVALID, "at", "'at' is a time not in the future");
        return sh_err_reason(e, "out_of_range", NULL);
    }
    return SH_OK;
}

/* answer: the supplier's answer, the hours from sent, met or late. */
static enum sh_code answer(const struct uc *u, const struct supplier_case_act_in *in,
                           const struct db_rows *r, int64_t t, struct db_set *s, struct sh_err *e)
{
    if (!in->answer || !*in->answer) {
        sh_err_field(e, SH_INVALID, "answer", "the supplier's answer is required");
        return sh_err_reason(e, "required", NULL);
    }
    int64_t sent = 0, hours = 0;
    sh_ts_parse(db_get(r, 0, "sent_at"), &sent);
    if (t < sent) {
        sh_err_field(e, SH_INVALID, "at", "the answer comes after the case was sent");
        return sh_err_reason(e, "date_order", "{\"after\":\"sent_at\"}");
    }
    bool met = supplier_case_met(sent, t, db_get_int(r, 0, "response_hours", 0), &hours);
    db_set_put(s, "answer", DB_TEXT(in->answer));
    db_set_put(s, "answered_by", u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL);
    db_set_put(s, "hours_taken", DB_INT(hours));
    db_set_put(s, "outcome", DB_TEXT(met ? "met" : "late"));
    return SH_OK;
}

static enum sh_code step(const struct uc *u, const struct supplier_case_act_in *in,
                         const struct db_rows *r, struct db_set *s, struct sh_err *e)
{
    enum supplier_case_state from = SC_CLOSED, to;
    enum supplier_case_action a;
    supplier_case_state_parse(db_get(r, 0, "state"), &from);
    if (!supplier_case_action_parse(in->action, &a)) {
        sh_err_field(e, SH_INVALID, "action", "send, answer or close");
        return sh_err_reason(e, "unknown_value", NULL);
    }
    if (!supplier_case_next(from, a, &to)) {
        sh_err_set(e, SH_CONFLICT, "a %s case cannot take %s", supplier_case_state_names[from],
                   in->action);
        return sh_err_reason(e, "illegal_action", "{\"state\":\"%s\",\"action\":\"%s\"}",
                             supplier_case_state_names[from], in->action);
    }
    int64_t t;
    char at[21];
    enum sh_code rc = when(u, in->at, &t, e);
    if (rc)
        return rc;
    sh_ts_format(t, at);
    db_set_put(s, "state", DB_TEXT(supplier_case_state_names[to]));
    if (a == SCA_SEND) {
        db_set_put(s, "sent_at", DB_TEXT(sh_arena_strdup(u->a, at)));
        db_set_put(s, "sent_by", u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL);
        return SH_OK;
    }
    if (a == SCA_CLOSE) {
        db_set_put(s, "closed_at", DB_TEXT(sh_arena_strdup(u->a, at)));
        return SH_OK;
    }
    db_set_put(s, "answered_at", DB_TEXT(sh_arena_strdup(u->a, at)));
    return answer(u, in, r, t, s, e);
}

enum sh_code uc_supplier_case_act(const struct uc *u, const struct supplier_case_act_in *in,
                                  const char **json, struct sh_err *e)
{
    struct db_rows r;
    /* review 72 #1: taken before it is read, so a parallel step checks the committed state */
    enum sh_code rc = db_lock_row(u->tx, "supplier_cases", in->id, e);
    if (rc || (rc = ent_load(u->tx, u->a, &ent_supplier_cases, in->id, &r, e)))
        return rc;
    const char *before = ent_json(u->a, &ent_supplier_cases, &r, 0);
    struct db_set s = {.n = 0};
    char now[21];
    sh_ts_format(u->now, now);
    if ((rc = step(u, in, &r, &s, e)) ||
        (rc = db_set_apply(u->tx, "supplier_cases", in->id, &s, now, e)))
        return rc;
    int64_t task = db_get_int(&r, 0, "task_id", 0);
    if (!strcmp(in->action, "close") && task &&
        (rc = db_exec(u->tx,
                      "UPDATE tasks SET status = 'done', reply = $2, done_at = $3, done_by = $4, "
                      "updated_at = $3, version = version + 1 WHERE id = $1 AND status = 'open'",
                      DB_P(DB_INT(task), DB_TEXT(db_get(&r, 0, "answer")), DB_TEXT(now),
                           u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL),
                      NULL, e)))
        return rc;
    if ((rc = ent_load(u->tx, u->a, &ent_supplier_cases, in->id, &r, e)))
        return rc;
    *json = ent_json(u->a, &ent_supplier_cases, &r, 0);
    return uc_audit(u, "supplier_case", in->id, in->action, before, *json, e);
}
