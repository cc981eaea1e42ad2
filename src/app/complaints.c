/* SPDX-License-Identifier: MIT */
/* The complaint/return notice's use cases (app/complaints.h): the number, the escalation of
 * a serious quality problem, the page, the routing with its acknowledgements and the
 * explicit actions of domain/complaint.c with what each records. */
#include "app/complaints.h"

#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/charges.h"
#include "app/notify_events.h"
#include "app/tasks.h"
#include "app/ticket_warranty.h"
#include "base/date.h"
#include "domain/rma.h"
#include "store/db_set.h"
#include "store/tickets.h"

#define COMPLAINT_SQL                                                                              \
    "SELECT c.*, cu.name AS customer_name, tk.number AS ticket_number, m.name AS model_name, "     \
    "d.name AS department_name FROM complaints c JOIN customers cu ON cu.id = c.customer_id "      \
    "LEFT JOIN tickets tk ON tk.id = c.ticket_id LEFT JOIN product_models m ON m.id = "            \
    "c.model_id LEFT JOIN departments d ON d.id = c.department_id WHERE c.id = $1"

enum sh_code complaint_next_number(const struct uc *u, const char **number, struct sh_err *e)
{
    struct sh_date d = ticket_local_date(u->now);
    const char *prefix = sh_arena_printf(u->a, "CP%04d%02d%02d-", d.y, d.m, d.d);
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, "SELECT count(*) AS n FROM complaints WHERE number LIKE $1",
                 DB_P(DB_TEXT(sh_arena_printf(u->a, "%s%%", prefix))), &r, e);
    if (!rc)
        *number = sh_arena_printf(u->a, "%s%03" PRId64, prefix, db_get_int(&r, 0, "n", 0) + 1);
    return rc;
}

static enum sh_code load(const struct uc *u, int64_t id, struct db_rows *r, struct sh_err *e)
{
    enum sh_code rc = db_query(u->tx, u->a, COMPLAINT_SQL, DB_P(DB_INT(id)), r, e);
    if (!rc && !r->nrows)
        return sh_err_set(e, SH_NOT_FOUND, "complaint not found");
    return rc;
}

static enum sh_code event_add(const struct uc *u, int64_t id, const char *action, const char *from,
                              const char *to, const char *note, struct sh_err *e)
{
    char now[21];
    sh_ts_format(u->now, now);
    return db_exec(
        u->tx,
        "INSERT INTO complaint_events (complaint_id, action, from_state, to_state, "
        "note, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        DB_P(DB_INT(id), DB_TEXT(action), DB_TEXT(from), DB_TEXT(to), DB_TEXT(note ? note : ""),
             u->who && u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL, DB_TEXT(now)),
        NULL, e);
}

enum sh_code uc_complaint_escalate(const struct uc *u, int64_t id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = load(u, id, &r, e);
    if (rc)
        return rc;
    const char *number = db_get(&r, 0, "number"), *desc = db_get(&r, 0, "description");
    const char *product = db_get(&r, 0, "product");
    if ((!product || !*product) && db_get(&r, 0, "model_name"))
        product = db_get(&r, 0, "model_name");
    const struct notify_var v[] = {{"number", number},
                                   {"customer", db_get(&r, 0, "customer_name")},
                                   {"product", product ? product : ""},
                                   {"summary", desc}};
    int64_t ticket = db_get_int(&r, 0, "ticket_id", 0), task;
    struct task_in t = {.kind = "quality_major",
                        .title = sh_arena_printf(u->a, "重大质量问题 %s：%s", number,
                                                 db_get(&r, 0, "customer_name")),
                        .body = desc,
                        .role = "gm",
                        .ticket_id = ticket,
                        .source = "complaint",
                        .source_id = id};
    if ((rc = uc_notify_role(u, "quality_major", "gm", ticket, v, 4,
                             sh_arena_printf(u->a, "quality_major:%" PRId64, id), e)) ||
        (rc = uc_task_create(u, &t, &task, e)) ||
        (rc =
             event_add(u, id, "escalate", db_get(&r, 0, "state"), db_get(&r, 0, "state"), "gm", e)))
        return rc;
    return uc_audit(u, "complaint", id, "escalate", NULL,
                    sh_arena_printf(u->a, "{\"task_id\":%" PRId64 "}", task), e);
}

enum sh_code uc_complaint_get(const struct uc *u, int64_t id, struct complaint_view *out,
                              struct sh_err *e)
{
    enum sh_code rc = load(u, id, &out->row, e);
    if (rc)
        return rc;
    out->external = principal_external(u->who);
    if (out->external && db_get_int(&out->row, 0, "customer_id", 0) != u->who->customer_id)
        return sh_err_set(e, SH_NOT_FOUND, "complaint not found");
    if ((rc = uc_ent_visible(u, &ent_complaints, id, e))) /* misconduct, heads only */
        return rc;
    out->nallowed = 0;
    out->routes.nrows = out->events.nrows = 0;
    if (out->external)
        return SH_OK;
    enum complaint_state st = CPS_RECEIVED;
    complaint_state_parse(db_get(&out->row, 0, "state"), &st);
    out->nallowed = complaint_allowed_actions(st, u->who->roles, out->allowed);
    if ((rc = db_query(u->tx, u->a,
                       "SELECT r.id, r.department_id, d.name AS department_name, r.role, r.note, "
                       "r.acknowledged_by, a.display_name AS acknowledged_name, "
                       "r.acknowledged_at, r.created_at FROM complaint_routes r LEFT JOIN "
                       "departments d ON d.id = r.department_id LEFT JOIN users a ON a.id = "
                       "r.acknowledged_by WHERE r.complaint_id = $1 ORDER BY r.id",
                       DB_P(DB_INT(id)), &out->routes, e)))
        return rc;
    return db_query(u->tx, u->a,
                    "SELECT e.id, e.action, e.from_state, e.to_state, e.note, e.at, "
                    "COALESCE(x.display_name, '') AS actor_name FROM complaint_events e LEFT "
                    "JOIN users x ON x.id = e.actor_id WHERE e.complaint_id = $1 ORDER BY e.id",
                    DB_P(DB_INT(id)), &out->events, e);
}

static enum sh_code need(const char *v, const char *field, struct sh_err *e)
{
    if (v && *v)
        return SH_OK;
    sh_err_field(e, SH_INVALID, field, "'%s' is required for this action", field);
    return sh_err_reason(e, "required", NULL);
}

static enum sh_code guard(struct sh_err *e, const char *params, const char *msg)
{
    sh_err_set(e, SH_CONFLICT, "%s", msg);
    return sh_err_reason(e, "guard", "%s", params);
}

static void stamp(const struct uc *u, struct db_set *c, const char *by, const char *at,
                  const char *now)
{
    db_set_put(c, by, DB_INT(u->who->user_id));
    db_set_put(c, at, DB_TEXT(now));
}

/* The departments from `dept` up its parent_id line, nearest first (bounded: a cycle in the
 * data ends there), as SQL text with `dept` at $1. */
#define UP_LINE                                                                                    \
    "WITH RECURSIVE up(id, parent_id, depth) AS (SELECT id, parent_id, 0 FROM departments "        \
    "WHERE id = $1 UNION ALL SELECT d.id, d.parent_id, up.depth + 1 FROM departments d JOIN up "   \
    "ON d.id = up.parent_id WHERE up.depth < 32) "

/* RULE R-037 (docs/complaints.md): who acknowledges a route to department `dept` for `role`
 * (dept_head, its head): the department's active holders of the role; a department without
 * one hands it to the nearest department above it (parent_id) with one; *ack 0 when none up
 * the line has one (or no department is named): every active holder of the role, in any
 * department. Before, a route to a department without a head waited for an admin. */
static enum sh_code ack_department(const struct uc *u, int64_t dept, const char *role, int64_t *ack,
                                   struct sh_err *e)
{
    struct db_rows r;
    *ack = 0;
    if (!dept)
        return SH_OK;
    enum sh_code rc = db_query(
        u->tx, u->a,
        UP_LINE "SELECT up.id FROM up WHERE EXISTS (SELECT 1 FROM users x WHERE x.department_id = "
                "up.id AND x.active = 1 AND (',' || x.roles || ',') LIKE $2) ORDER BY up.depth "
                "LIMIT 1",
        DB_P(DB_INT(dept), DB_TEXT(sh_arena_printf(u->a, "%%,%s,%%", role))), &r, e);
    if (!rc && r.nrows)
        *ack = db_get_int(&r, 0, "id", 0);
    return rc;
}

/* RULE: each route names a department (its head) or a role (a bought-in part
 * goes to purchasing); those who acknowledge it (ack_department) get a task for it. */
static enum sh_code route(const struct uc *u, const struct db_rows *row,
                          const struct complaint_action_in *in, struct db_set *c, const char *now,
                          struct sh_err *e)
{
    int64_t id = in->id;
    if (in->nroutes < 1) {
        sh_err_field(e, SH_INVALID, "routes", "at least one department or role");
        return sh_err_reason(e, "required", NULL);
    }
    /* each route and its task in a row (task_done pairs them by their order): a route action
     * at the same time on the notice waits here */
    enum sh_code rc = db_lock_row(u->tx, "complaints", id, e);
    for (int i = 0; !rc && i < in->nroutes; i++) {
        const struct complaint_route_in *r = &in->routes[i];
        const char *role = r->role ? r->role : "dept_head";
        int64_t ack = 0;
        if ((rc = ack_department(u, r->department_id, role, &ack, e)))
            break;
        rc = db_exec(u->tx,
                     "INSERT INTO complaint_routes (complaint_id, department_id, role, note, "
                     "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                     DB_P(DB_INT(id), r->department_id ? DB_INT(r->department_id) : DB_NULL,
                          DB_TEXT(role), DB_TEXT(in->note ? in->note : ""), DB_INT(u->who->user_id),
                          DB_TEXT(now)),
                     NULL, e);
        struct task_in t = {
            .kind = "complaint_ack",
            .title = sh_arena_printf(u->a, "客户抱怨通知单 %s 待处理", db_get(row, 0, "number")),
            .body = db_get(row, 0, "description"),
            .role = role,
            .department_id = ack,
            .ticket_id = db_get_int(row, 0, "ticket_id", 0),
            .source = "complaint",
            .source_id = id};
        int64_t task;
        if (!rc)
            rc = uc_task_create(u, &t, &task, e);
        if (!rc && i == 0 && r->department_id && !db_get(row, 0, "department_id"))
            db_set_put(c, "department_id", DB_INT(r->department_id));
    }
    return rc;
}

/* RULE WF-09 S3→S4: the analysis starts once every routed department acknowledged. */
static enum sh_code analyse(const struct uc *u, const struct complaint_action_in *in,
                            struct db_set *c, const char *now, struct sh_err *e)
{
    enum rma_cause cause;
    enum sh_code rc;
    if ((rc = need(in->cause_category, "cause_category", e)) ||
        (rc = need(in->cause_analysis, "cause_analysis", e)) ||
        (rc = need(in->corrective_action, "corrective_action", e)))
        return rc;
    if (!rma_cause_parse(in->cause_category, &cause)) {
        sh_err_field(e, SH_INVALID, "cause_category", "unknown cause category");
        return sh_err_reason(e, "unknown_value", NULL);
    }
    struct db_rows r;
    if ((rc = db_query(u->tx, u->a,
                       "SELECT count(*) AS n FROM complaint_routes WHERE complaint_id = $1 AND "
                       "acknowledged_at IS NULL",
                       DB_P(DB_INT(in->id)), &r, e)))
        return rc;
    int64_t open = db_get_int(&r, 0, "n", 0);
    if (open > 0)
        return guard(
            e, sh_arena_printf(u->a, "{\"guard\":\"unacknowledged\",\"count\":%" PRId64 "}", open),
            "every routed department must acknowledge the notice first");
    db_set_put(c, "cause_category", DB_TEXT(in->cause_category));
    db_set_put(c, "cause_analysis", DB_TEXT(in->cause_analysis));
    db_set_put(c, "corrective_action", DB_TEXT(in->corrective_action));
    stamp(u, c, "analysed_by", "analysed_at", now);
    return SH_OK;
}

/* A charge line's description: the notice number and the note cut to fit the charge's 500
 * characters (UTF-8; a note may have 2000). */
static const char *line_text(struct sh_arena *a, const char *what, const char *number,
                             const char *note)
{
    size_t n = 0, i = 0;
    for (; note[i]; i++)
        if (((unsigned char)note[i] & 0xC0) != 0x80 && n++ == 400)
            break;
    return sh_arena_printf(a, "客户抱怨 %s %s：%.*s%s", number, what, (int)i, note,
                           note[i] ? "…" : "");
}

/* RULE: a credit is a credit line (category credit, a negative amount) of the notice's
 * customer, owned by the notice, in the decision's transaction (docs/complaints.md). */
static enum sh_code credit(const struct uc *u, const struct db_rows *row,
                           const struct complaint_action_in *in, struct db_set *c, struct sh_err *e)
{
    int64_t line;
    struct charge_in ch = {.owner_kind = "complaint",
                           .owner_id = in->id,
                           .customer_id = db_get_int(row, 0, "customer_id", 0),
                           .category = "credit",
                           .source = "complaint",
                           .description =
                               line_text(u->a, "补偿", db_get(row, 0, "number"), in->note),
                           .amount_fen = -in->credit_fen,
                           .customer_bp = CHARGE_SHARE_WHOLE};
    enum sh_code rc = uc_charge_add(u, &ch, &line, e);
    if (!rc) {
        db_set_put(c, "credit_fen", DB_INT(in->credit_fen));
        db_set_put(c, "charge_id", DB_INT(line));
    }
    return rc;
}

/* RULE: the decision and its money; a charge is a charge line of the linked ticket
 * (app/charges.c), a credit a credit line of the notice (above). */
static enum sh_code act(const struct uc *u, const struct db_rows *row,
                        const struct complaint_action_in *in, struct db_set *c, const char *now,
                        struct sh_err *e)
{
    const char *field, *reason;
    enum sh_code rc;
    if (in->decision && !strcmp(in->decision, "refuse"))
        return guard(e, "{\"guard\":\"refuse_action\"}",
                     "a refusal is the action refuse, before any action is taken");
    if (!complaint_decision_money(in->decision, in->charge_fen > 0, in->credit_fen > 0, &field,
                                  &reason)) {
        sh_err_field(e, SH_INVALID, field, "'%s' is %s for this decision", field, reason);
        return sh_err_reason(e, reason, NULL);
    }
    if ((rc = need(in->note, "note", e)))
        return rc;
    db_set_put(c, "decision", DB_TEXT(in->decision));
    db_set_put(c, "action_note", DB_TEXT(in->note));
    stamp(u, c, "acted_by", "acted_at", now);
    if (in->credit_fen > 0)
        return credit(u, row, in, c, e);
    if (in->charge_fen <= 0)
        return SH_OK;
    int64_t ticket = db_get_int(row, 0, "ticket_id", 0), charge;
    if (!ticket)
        return guard(e, "{\"guard\":\"no_ticket\"}",
                     "a charge belongs to a ticket: link the notice to its ticket first");
    /* RULE: in warranty the company bears a quality defect; a cause outside the
     * warranty (human, force majeure) is recorded on the ticket first (its exclusion), which
     * makes its billing other than warranty */
    struct ticket_row t;
    if ((rc = tickets_get(u->tx, u->a, ticket, &t, e)))
        return rc;
    if (t.billing && !strcmp(t.billing, "warranty"))
        return guard(e, "{\"guard\":\"in_warranty\"}",
                     "the ticket is in warranty: record the exclusion first, or no charge");
    struct charge_in ch = {.owner_kind = "ticket",
                           .owner_id = ticket,
                           .customer_id = db_get_int(row, 0, "customer_id", 0),
                           .category = "repair",
                           .description =
                               line_text(u->a, "收费", db_get(row, 0, "number"), in->note),
                           .amount_fen = in->charge_fen,
                           .customer_bp = CHARGE_SHARE_WHOLE};
    if ((rc = uc_charge_add(u, &ch, &charge, e)))
        return rc;
    db_set_put(c, "charge_fen", DB_INT(in->charge_fen));
    db_set_put(c, "charge_id", DB_INT(charge));
    return SH_OK;
}

static enum sh_code apply(const struct uc *u, const struct db_rows *row,
                          const struct complaint_action_in *in, struct db_set *c, const char *now,
                          struct sh_err *e)
{
    enum sh_code rc;
    switch (in->action) {
    case CPA_ROUTE:
        return route(u, row, in, c, now, e);
    case CPA_ANALYSE:
        return analyse(u, in, c, now, e);
    case CPA_ACT:
        return act(u, row, in, c, now, e);
    case CPA_VERIFY:
    case CPA_REOPEN:
        if (!(rc = need(in->verification, "verification", e))) {
            db_set_put(c, "verification", DB_TEXT(in->verification));
            stamp(u, c, "verified_by", "verified_at", now);
        }
        return rc;
    case CPA_CLOSE:
        db_set_put(c, "closed_at", DB_TEXT(now));
        return SH_OK;
    case CPA_REFUSE:
        if (!(rc = need(in->note, "note", e))) {
            db_set_put(c, "decision", DB_TEXT("refuse"));
            db_set_put(c, "action_note", DB_TEXT(in->note));
            stamp(u, c, "acted_by", "acted_at", now);
            db_set_put(c, "closed_at", DB_TEXT(now));
        }
        return rc;
    case COMPLAINT_ACTION_COUNT:
        break;
    }
    return sh_err_set(e, SH_INVALID, "unknown action");
}

enum sh_code uc_complaint_action(const struct uc *u, const struct complaint_action_in *in,
                                 struct sh_err *e)
{
    struct db_rows row;
    if (principal_external(u->who))
        return sh_err_set(e, SH_NOT_FOUND, "complaint not found");
    enum sh_code rc = uc_ent_visible(u, &ent_complaints, in->id, e);
    /* review 72 #1: taken before it is read, so a parallel action checks the committed state */
    if (rc || (rc = db_lock_row(u->tx, "complaints", in->id, e)) || (rc = load(u, in->id, &row, e)))
        return rc;
    int64_t version = db_get_int(&row, 0, "version", 1);
    if (in->if_match >= 0 && in->if_match != version) {
        sh_err_set(e, SH_PRECONDITION, "the complaint changed since you read it");
        return sh_err_reason(e, "stale", "{\"version\":%" PRId64 "}", version);
    }
    enum complaint_state st = CPS_RECEIVED, to;
    complaint_state_parse(db_get(&row, 0, "state"), &st);
    if ((rc = complaint_transition(st, in->action, u->who->roles, &to, e)))
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    struct db_set c = {.n = 0};
    db_set_put(&c, "state", DB_TEXT(complaint_state_name(to)));
    const char *note = in->verification && *in->verification ? in->verification : in->note;
    if (in->action == CPA_ANALYSE)
        note = in->cause_analysis;
    if ((rc = apply(u, &row, in, &c, now, e)) ||
        (rc = db_set_apply(u->tx, "complaints", in->id, &c, now, e)) ||
        (rc = event_add(u, in->id, complaint_action_name(in->action), complaint_state_name(st),
                        complaint_state_name(to), note, e)))
        return rc;
    return uc_audit(u, "complaint", in->id, complaint_action_name(in->action),
                    sh_arena_printf(u->a, "{\"state\":\"%s\"}", complaint_state_name(st)),
                    sh_arena_printf(u->a, "{\"state\":\"%s\"}", complaint_state_name(to)), e);
}

/* The caller acknowledges the route: admin, or a holder of its role in the department that
 * acknowledges it now (ack_department: the routed one, else the nearest above it with a
 * holder, else any); *ack gets that department (0: any). */
static enum sh_code route_mine(const struct uc *u, const struct db_rows *r, bool *mine,
                               int64_t *ack, struct sh_err *e)
{
    const char *role = db_get(r, 0, "role");
    unsigned mask = 0;
    enum sh_code rc = ack_department(u, db_get_int(r, 0, "department_id", 0), role, ack, e);
    bool role_ok = !role || !*role || (roles_parse(role, &mask) && (mask & u->who->roles));
    *mine = (u->who->roles & RB(ADMIN)) || (role_ok && (!*ack || *ack == u->who->department_id));
    return rc;
}

/* The route's task done, and no other: route() opens one task per route right after inserting
 * the route, under the notice's lock, so the n-th complaint_ack task of the notice (by id) is
 * the n-th route's. Only that pairing says whose a task is: the department ack_department gave
 * it when routed may not be the one that acknowledges now (its heads left), and several routes
 * may have a task for any head (no department). Before, the task was matched by department,
 * and an acknowledgement could close another route's "any head" task (review 2026-12-07). A
 * paired task of another role (data made otherwise) is left alone. */
static enum sh_code task_done(const struct uc *u, int64_t id, const struct db_rows *r,
                              const char *note, const char *now, struct sh_err *e)
{
    struct db_rows n;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT COUNT(*) AS n FROM complaint_routes WHERE complaint_id = $1 "
                               "AND id < $2",
                               DB_P(DB_INT(id), DB_INT(db_get_int(r, 0, "id", 0))), &n, e);
    if (rc)
        return rc;
    return db_exec(u->tx,
                   "UPDATE tasks SET status = 'done', reply = $1, done_by = $2, done_at = $3, "
                   "updated_at = $3, version = version + 1 WHERE status = 'open' AND role = $4 "
                   "AND id = (SELECT k.id FROM tasks k WHERE k.source = 'complaint' AND "
                   "k.source_id = $5 AND k.kind = 'complaint_ack' ORDER BY k.id LIMIT 1 OFFSET $6)",
                   DB_P(DB_TEXT(note && *note ? note : "ack"), DB_INT(u->who->user_id),
                        DB_TEXT(now), DB_TEXT(db_get(r, 0, "role")), DB_INT(id),
                        DB_INT(db_get_int(&n, 0, "n", 0))),
                   NULL, e);
}

enum sh_code uc_complaint_ack(const struct uc *u, int64_t id, int64_t route_id, const char *note,
                              struct sh_err *e)
{
    struct db_rows r;
    if (principal_external(u->who))
        return sh_err_set(e, SH_NOT_FOUND, "complaint not found");
    enum sh_code rc = uc_ent_visible(u, &ent_complaints, id, e);
    if (rc)
        return rc;
    rc = db_query(u->tx, u->a,
                  "SELECT id, department_id, role, acknowledged_at FROM "
                  "complaint_routes WHERE id = $1 AND complaint_id = $2",
                  DB_P(DB_INT(route_id), DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "route not found");
    bool mine = false;
    int64_t ack = 0;
    if ((rc = route_mine(u, &r, &mine, &ack, e)))
        return rc;
    if (!mine)
        return sh_err_set(e, SH_FORBIDDEN, "the notice is routed to another department or role");
    if (db_get(&r, 0, "acknowledged_at"))
        return guard(e, "{\"guard\":\"acknowledged\"}", "acknowledged already");
    char now[21];
    sh_ts_format(u->now, now);
    if ((rc = db_exec(u->tx,
                      "UPDATE complaint_routes SET acknowledged_by = $1, acknowledged_at = $2 "
                      "WHERE id = $3",
                      DB_P(DB_INT(u->who->user_id), DB_TEXT(now), DB_INT(route_id)), NULL, e)) ||
        (rc = task_done(u, id, &r, note, now, e)) ||
        (rc = event_add(u, id, "acknowledge", "", "", note, e)))
        return rc;
    return uc_audit(u, "complaint", id, "acknowledge", NULL,
                    sh_arena_printf(u->a, "{\"route_id\":%" PRId64 "}", route_id), e);
}
