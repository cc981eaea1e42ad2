/* SPDX-License-Identifier: MIT */
/* Recording a diagnosis and opening the work its decision names (app/diagnosis.h). */
#include "app/diagnosis.h"

#include <inttypes.h>
#include <string.h>

#include "app/approvals.h"
#include "app/audit_row.h"
#include "app/entity.h"
#include "app/ticket_actions.h"
#include "app/ticket_events.h"
#include "app/ticket_intake.h"
#include "app/work_order_int.h"
#include "base/date.h"

/* What the decision opened. */
struct diag_opened {
    int64_t work_order_id, rma_id, approval_id, linked_ticket_id;
};

static enum sh_code ticket_act(const struct uc *u, int64_t id, enum ticket_action act,
                               const char *note, struct sh_err *e)
{
    struct ticket_action_in ta = {.id = id, .act = act, .note = note, .if_match = -1};
    struct ticket_action_out out = {0};
    return uc_ticket_action(u, &ta, &out, e);
}

/* A visit work order waiting for its booking: a planner gives it the appointment with the
 * ticket's schedule_visit (which re-books the open work order) or PATCH. An open work order
 * of the ticket is the one the diagnosis points to. */
static enum sh_code open_work_order(const struct uc *u, const struct ticket_row *t,
                                    const char *reason, int64_t *id, struct sh_err *e)
{
    struct wo_row w;
    bool found = false;
    enum sh_code rc = wo_open_of_ticket(u->tx, u->a, t->id, &w, &found, e);
    if (rc || found) {
        *id = found ? w.id : 0;
        return rc;
    }
    int64_t lead = t->assignee_id;
    if (!lead && principal_technician_only(u->who))
        lead = u->who->user_id;
    struct wo_booking b = {
        .lead_id = lead, .tolerance_min = -1, .early_target_min = -1, .note = reason};
    return wo_book(u, t, &b, id, e);
}

static enum sh_code open_rma_id(const struct uc *u, int64_t ticket_id, int64_t *id,
                                struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT id FROM rmas WHERE ticket_id = $1 AND state NOT IN "
                               "('closed', 'cancelled') ORDER BY id DESC LIMIT 1",
                               DB_P(DB_INT(ticket_id)), &r, e);
    *id = !rc && r.nrows ? db_get_int(&r, 0, "id", 0) : 0;
    return rc;
}

static void put(const struct uc *u, struct fval *v, const char *name, json_t *j, enum sh_code *rc,
                struct sh_err *e)
{
    int i = ent_colidx(&ent_approvals, name);
    if (!*rc && i >= 0)
        *rc = ent_parse_value(u->a, &ent_approvals.cols[i], j, &v[i], e);
    json_decref(j);
}

/* WF-06: the replacement request of the approval matrix (kind replacement, docs/rma.md),
 * linked to the ticket; the RMA's replace waits for its approval. */
static enum sh_code file_replacement(const struct uc *u, const struct ticket_row *t,
                                     const char *reason, int64_t *id, struct sh_err *e)
{
    *id = 0;
    if (!t->customer_id)
        return SH_OK;
    size_t sz = sizeof(struct fval) * (size_t)ent_approvals.ncols;
    struct fval *v = sh_arena_alloc(u->a, sz);
    memset(v, 0, sz);
    enum sh_code rc = SH_OK;
    put(u, v, "kind", json_string("replacement"), &rc, e);
    put(u, v, "purpose", json_string(reason), &rc, e);
    put(u, v, "customer_id", json_integer(t->customer_id), &rc, e);
    put(u, v, "ticket_id", json_integer(t->id), &rc, e);
    return rc ? rc : uc_ent_insert(u, &ent_approvals, v, id, NULL, e);
}

/* A consultation that needs field or factory work: a new ticket of the matching type for the
 * same caller, customer and unit (docs/tickets.md), then the consultation resolved. */
static enum sh_code open_linked(const struct uc *u, const struct ticket_row *t,
                                enum ticket_type type, const struct diag_in *in, int64_t *id,
                                struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT channel, priority, caller_name, caller_phone, "
                               "fault_category, description FROM tickets WHERE id = $1",
                               DB_P(DB_INT(t->id)), &r, e);
    if (rc)
        return rc;
    const char *desc = db_get(&r, 0, "description");
    struct ticket_intake_in ti = {
        .channel = db_get(&r, 0, "channel"),
        .type = ticket_type_name(type),
        .customer_id = t->customer_id,
        .unit_id = t->unit_id,
        .caller_name = db_get(&r, 0, "caller_name"),
        .caller_phone = db_get(&r, 0, "caller_phone"),
        .fault_category = db_get(&r, 0, "fault_category"),
        .priority = db_get(&r, 0, "priority"),
        .description = desc && *desc ? desc : in->findings,
        .department_id = t->department_id,
    };
    struct ticket_intake_out to = {0};
    if ((rc = uc_ticket_intake(u, &ti, &to, e)))
        return rc;
    *id = to.id;
    return ticket_act(u, t->id, TA_RESOLVE_REMOTE, in->reason, e);
}

static enum sh_code apply(const struct uc *u, const struct ticket_row *t, struct diag_route route,
                          const struct diag_in *in, struct diag_opened *o, struct sh_err *e)
{
    enum sh_code rc;
    switch (route.effect) {
    case DE_RESOLVE_REMOTE:
        return ticket_act(u, t->id, TA_RESOLVE_REMOTE, in->reason, e);
    case DE_WORK_ORDER:
        return open_work_order(u, t, in->reason, &o->work_order_id, e);
    case DE_RMA:
    case DE_REPLACEMENT:
        if ((rc = ticket_act(u, t->id, TA_SEND_TO_FACTORY, in->reason, e)) ||
            (rc = open_rma_id(u, t->id, &o->rma_id, e)) || route.effect == DE_RMA)
            return rc;
        return file_replacement(u, t, in->reason, &o->approval_id, e);
    case DE_LINKED_TICKET:
        return open_linked(u, t, route.linked_type, in, &o->linked_ticket_id, e);
    case DE_NONE:
        break;
    }
    return sh_err_set(e, SH_INTERNAL, "no effect");
}

/* The ticket takes this diagnosis (state and type), or the 409 that says why not. */
static enum sh_code check(const struct ticket_row *t, enum diag_decision d,
                          struct diag_route *route, struct sh_err *e)
{
    enum ticket_type type;
    enum ticket_state st;
    if (!ticket_type_parse(t->type, &type) || !ticket_state_parse(t->status, &st))
        return sh_err_set(e, SH_INTERNAL, "stored ticket has an unknown type or state");
    if (t->merged_into || !diag_state_allows(type, st)) {
        sh_err_set(e, SH_CONFLICT, "ticket %s is %s: a diagnosis is recorded while it is handled",
                   t->number, t->status);
        return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\",\"action\":\"diagnose\"}",
                             t->status);
    }
    *route = diag_route_of(type, d);
    if (route->effect == DE_NONE) {
        sh_err_field(e, SH_CONFLICT, "decision", "a %s ticket has no %s path", t->type,
                     diag_decision_name(d));
        return sh_err_reason(e, "illegal_action", "{\"type\":\"%s\",\"decision\":\"%s\"}", t->type,
                             diag_decision_name(d));
    }
    return SH_OK;
}

static enum sh_code validate(const struct uc *u, const struct diag_in *in, enum diag_decision *d,
                             struct sh_err *e)
{
    if (!u->who || !(u->who->roles & DIAG_ROLES))
        return sh_err_set(e, SH_FORBIDDEN, "the technical department records a diagnosis");
    const char *req = !in->findings || !*in->findings ? "findings"
                      : !in->reason || !*in->reason   ? "reason"
                                                      : NULL;
    if (req) {
        sh_err_field(e, SH_INVALID, req, "'%s' is required", req);
        return sh_err_reason(e, "required", NULL);
    }
    if (!diag_decision_parse(in->decision, d)) {
        sh_err_field(e, SH_INVALID, "decision", "'decision' must be one of the decisions");
        return sh_err_reason(e, "unknown_value", NULL);
    }
    return SH_OK;
}

static const char *opened_json(const struct uc *u, const struct diag_in *in, enum diag_effect eff,
                               const struct diag_opened *o, int64_t id)
{
    struct sh_buf b = SH_BUF_INIT(1 << 16);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kint(&w, "diagnosis_id", id);
    jw_kint(&w, "ticket_id", in->ticket_id);
    jw_kstr(&w, "decision", in->decision);
    jw_kstr(&w, "effect", diag_effect_name(eff));
    jw_kstr(&w, "suspected_cause", in->suspected_cause ? in->suspected_cause : "");
    jw_kstr(&w, "reason", in->reason);
    const char *keys[] = {"work_order_id", "rma_id", "approval_id", "linked_ticket_id"};
    const int64_t vals[] = {o->work_order_id, o->rma_id, o->approval_id, o->linked_ticket_id};
    for (int i = 0; i < 4; i++) {
        if (vals[i])
            jw_kint(&w, keys[i], vals[i]);
        else
            jw_knull(&w, keys[i]);
    }
    jw_obj_end(&w);
    const char *s = jw_finish(&w) ? "{}" : sh_arena_strdup(u->a, b.buf);
    sh_buf_release(&b);
    return s;
}

static enum sh_code store(const struct uc *u, const struct diag_in *in, enum diag_effect eff,
                          const struct diag_opened *o, int64_t *id, struct sh_err *e)
{
    char now[21];
    sh_ts_format(u->now, now);
#define OPT(x) ((x) ? DB_INT(x) : DB_NULL)
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "INSERT INTO ticket_diagnoses (ticket_id, findings, suspected_cause, decision, reason, "
        "effect, work_order_id, rma_id, approval_id, linked_ticket_id, created_by, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        DB_P(DB_INT(in->ticket_id), DB_TEXT(in->findings),
             DB_TEXT(in->suspected_cause ? in->suspected_cause : ""), DB_TEXT(in->decision),
             DB_TEXT(in->reason), DB_TEXT(diag_effect_name(eff)), OPT(o->work_order_id),
             OPT(o->rma_id), OPT(o->approval_id), OPT(o->linked_ticket_id), OPT(u->who->user_id),
             DB_TEXT(now)),
        &r, e);
#undef OPT
    if (rc)
        return rc;
    *id = db_get_int(&r, 0, "id", 0);
    const char *data = opened_json(u, in, eff, o, *id);
    if ((rc = uc_ticket_event(u, in->ticket_id, "diagnosis", "internal", in->findings, data, NULL,
                              e)) ||
        (o->linked_ticket_id && (rc = uc_ticket_event(u, o->linked_ticket_id, "diagnosis",
                                                      "internal", in->findings, data, NULL, e))))
        return rc;
    return uc_audit(u, "ticket_diagnosis", *id, "create", NULL, data, e);
}

static enum sh_code load_one(const struct uc *u, int64_t id, int64_t seen_from,
                             struct diag_row *out, struct sh_err *e);

enum sh_code uc_diagnosis_record(const struct uc *u, const struct diag_in *in, struct diag_row *out,
                                 struct sh_err *e)
{
    enum diag_decision d;
    struct ticket_row t;
    struct diag_route route;
    enum sh_code rc;
    if ((rc = validate(u, in, &d, e)) || (rc = uc_ticket_load(u, in->ticket_id, &t, e)) ||
        (rc = check(&t, d, &route, e)))
        return rc;
    struct diag_opened o = {0};
    int64_t id = 0;
    if ((rc = apply(u, &t, route, in, &o, e)) || (rc = store(u, in, route.effect, &o, &id, e)))
        return rc;
    return load_one(u, id, in->ticket_id, out, e);
}

#define DIAG_SELECT                                                                                \
    "SELECT d.id, d.ticket_id, d.findings, d.suspected_cause, d.decision, d.reason, d.effect, "    \
    "d.work_order_id, d.rma_id, d.approval_id, d.linked_ticket_id, d.created_by, d.created_at, "   \
    "t.number AS ticket_number, lt.number AS linked_number, lt.type AS linked_type, "              \
    "w.number AS wo_number, r.number AS rma_number, us.display_name AS by_name "                   \
    "FROM ticket_diagnoses d JOIN tickets t ON t.id = d.ticket_id "                                \
    "LEFT JOIN tickets lt ON lt.id = d.linked_ticket_id "                                          \
    "LEFT JOIN work_orders w ON w.id = d.work_order_id LEFT JOIN rmas r ON r.id = d.rma_id "       \
    "LEFT JOIN users us ON us.id = d.created_by "

static void fill(const struct db_rows *r, int i, int64_t seen_from, struct diag_row *d)
{
    *d = (struct diag_row){
        .id = db_get_int(r, i, "id", 0),
        .ticket_id = db_get_int(r, i, "ticket_id", 0),
        .work_order_id = db_get_int(r, i, "work_order_id", 0),
        .rma_id = db_get_int(r, i, "rma_id", 0),
        .approval_id = db_get_int(r, i, "approval_id", 0),
        .linked_ticket_id = db_get_int(r, i, "linked_ticket_id", 0),
        .created_by = db_get_int(r, i, "created_by", 0),
        .ticket_number = db_get(r, i, "ticket_number"),
        .findings = db_get(r, i, "findings"),
        .suspected_cause = db_get(r, i, "suspected_cause"),
        .decision = db_get(r, i, "decision"),
        .reason = db_get(r, i, "reason"),
        .effect = db_get(r, i, "effect"),
        .work_order_number = db_get(r, i, "wo_number"),
        .rma_number = db_get(r, i, "rma_number"),
        .linked_ticket_number = db_get(r, i, "linked_number"),
        .linked_ticket_type = db_get(r, i, "linked_type"),
        .created_by_name = db_get(r, i, "by_name"),
        .created_at = db_get(r, i, "created_at"),
    };
    d->incoming = d->ticket_id != seen_from;
}

static enum sh_code load_one(const struct uc *u, int64_t id, int64_t seen_from,
                             struct diag_row *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, DIAG_SELECT "WHERE d.id = $1", DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return sh_err_set(e, SH_INTERNAL, "diagnosis %" PRId64 " not stored", id);
    fill(&r, 0, seen_from, out);
    return SH_OK;
}

enum sh_code uc_diagnosis_list(const struct uc *u, int64_t ticket_id, struct diag_row **out, int *n,
                               struct sh_err *e)
{
    struct ticket_row t;
    enum sh_code rc;
    if (principal_external(u->who))
        return sh_err_set(e, SH_NOT_FOUND, "ticket %" PRId64 " not found", ticket_id);
    if ((rc = uc_ticket_load(u, ticket_id, &t, e)))
        return rc;
    struct db_rows r;
    if ((rc = db_query(u->tx, u->a,
                       DIAG_SELECT "WHERE d.ticket_id = $1 OR d.linked_ticket_id = $1 "
                                   "ORDER BY d.id DESC LIMIT 200",
                       DB_P(DB_INT(ticket_id)), &r, e)))
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(u->a, sizeof(**out) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++)
        fill(&r, i, ticket_id, &(*out)[i]);
    return SH_OK;
}

static void kid(struct jw *w, const char *k, int64_t v)
{
    if (v)
        jw_kint(w, k, v);
    else
        jw_knull(w, k);
}

void diag_render(struct jw *w, const struct diag_row *d)
{
    jw_obj_begin(w);
    jw_kint(w, "id", d->id);
    jw_kint(w, "ticket_id", d->ticket_id);
    jw_kstr(w, "ticket_number", d->ticket_number);
    jw_kstr(w, "findings", d->findings);
    jw_kstr(w, "suspected_cause", d->suspected_cause ? d->suspected_cause : "");
    jw_kstr(w, "decision", d->decision);
    jw_kstr(w, "reason", d->reason);
    jw_kstr(w, "effect", d->effect);
    kid(w, "work_order_id", d->work_order_id);
    jw_kstr(w, "work_order_number", d->work_order_number);
    kid(w, "rma_id", d->rma_id);
    jw_kstr(w, "rma_number", d->rma_number);
    kid(w, "approval_id", d->approval_id);
    kid(w, "linked_ticket_id", d->linked_ticket_id);
    jw_kstr(w, "linked_ticket_number", d->linked_ticket_number);
    jw_kstr(w, "linked_ticket_type", d->linked_ticket_type);
    jw_kbool(w, "incoming", d->incoming);
    kid(w, "created_by", d->created_by);
    jw_kstr(w, "created_by_name", d->created_by_name);
    jw_kstr(w, "created_at", d->created_at);
    jw_obj_end(w);
}
