/* SPDX-License-Identifier: MIT */
/* Trips: the actions (depart, return, close, cancel), the update of the destination and
 * expenses, and the feedback form F-07 handed in. */
#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/dealer_apps.h"
#include "app/trip_int.h"

static enum sh_code fresh(const struct trip_view *v, int64_t if_match, struct sh_err *e)
{
    if (if_match < 0 || if_match == v->row.version)
        return SH_OK;
    sh_err_set(e, SH_PRECONDITION, "the trip was changed by someone else: reload");
    return sh_err_reason(e, "stale", NULL);
}

/* Writes by the trip's technicians and after-sales, while the trip is open. */
static enum sh_code may_write(const struct uc *u, const struct trip_view *v, const char *what,
                              struct sh_err *e)
{
    if (!v->member && !(u->who->roles & TRIP_R_PLAN))
        return sh_err_set(e, SH_FORBIDDEN, "only the trip's technicians or after-sales may %s",
                          what);
    if (strcmp(v->row.status, "closed") && strcmp(v->row.status, "cancelled"))
        return SH_OK;
    sh_err_set(e, SH_CONFLICT, "a %s trip cannot be changed", v->row.status);
    return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\",\"action\":\"%s\"}",
                         v->row.status, what);
}

/* RULE: after-sales plans the trip; its technicians add what they meet on
 * the way: expenses, the note, the site's details and contact. A member without a planning
 * role changing the plan (purpose, destination, links, times, work orders): 403 naming the
 * field. */
static enum sh_code member_fields(const struct uc *u, const struct trip_in *in, struct sh_err *e)
{
    if (u->who->roles & TRIP_R_PLAN)
        return SH_OK;
    const struct {
        bool given;
        const char *field;
    } plan[] = {{in->purpose != NULL, "purpose"},
                {in->address != NULL, "address"},
                {in->has_customer, "customer_id"},
                {in->has_site, "site_id"},
                {in->has_ticket, "ticket_id"},
                {in->has_project, "project_id"},
                {in->est_days != 0, "est_days"},
                {in->planned_departure_at != NULL, "planned_departure_at"},
                {in->nwo > 0, "work_order_ids"},
                {in->has_others, "other_ids"}};
    for (size_t i = 0; i < sizeof(plan) / sizeof(plan[0]); i++) {
        if (!plan[i].given)
            continue;
        sh_err_field(e, SH_FORBIDDEN, plan[i].field,
                     "after-sales plans the trip: its technicians may not change '%s'",
                     plan[i].field);
        return sh_err_reason(e, "read_only", NULL);
    }
    return SH_OK;
}

/* Stores t, reloads the view and audits the change. */
static enum sh_code save(const struct uc *u, const struct trip_row *t, const char *action,
                         const char *before, struct trip_view *out, struct sh_err *e)
{
    enum sh_code rc;
    if ((rc = trips_store(u->tx, t, trip_ts(u, u->now), e)) ||
        (rc = uc_trip_load(u, t->id, out, e)))
        return rc;
    return uc_audit(u, "trip", t->id, action, before, trip_json(u->a, out), e);
}

/* RULE R-052: the destination is given before departure. */
static enum sh_code destination_given(const struct trip_row *t, struct sh_err *e)
{
    const char *miss = !t->address || !*t->address             ? "address"
                       : !t->contact_name || !*t->contact_name ? "contact_name"
                                                               : NULL;
    if (!miss)
        return SH_OK;
    sh_err_field(e, SH_CONFLICT, miss, "the destination (%s) is not given yet", miss);
    return sh_err_reason(e, "guard", "{\"guard\":\"destination\",\"action\":\"depart\"}");
}

static enum sh_code apply(const struct uc *u, struct trip_row *t, enum trip_action act,
                          const char *reason, struct sh_err *e)
{
    const char *now = trip_ts(u, u->now);
    switch (act) {
    case TRA_DEPART: {
        enum sh_code rc = destination_given(t, e);
        if (rc || (rc = uc_dealer_app_depart(u, t->id, t->planned_departure_at, e)))
            return rc;
        t->departed_at = t->start_at = now;
        t->end_at = trip_ts(u, u->now + (int64_t)t->est_days * 86400);
        return SH_OK;
    }
    case TRA_RETURN:
        t->returned_at = t->end_at = now;
        return SH_OK;
    case TRA_CLOSE:
        t->closed_at = now;
        return SH_OK;
    case TRA_CANCEL:
        if (!reason || !*reason) {
            sh_err_field(e, SH_INVALID, "reason", "'cancel' needs a reason");
            return sh_err_reason(e, "required", NULL);
        }
        t->cancelled_at = now;
        t->cancel_reason = reason;
        return SH_OK;
    case TRIP_ACTION_COUNT:
        break;
    }
    return sh_err_set(e, SH_INVALID, "unknown trip action");
}

enum sh_code uc_trip_action(const struct uc *u, int64_t id, enum trip_action act,
                            const char *reason, int64_t if_match, struct trip_view *out,
                            struct sh_err *e)
{
    struct trip_view v;
    enum sh_code rc = uc_trip_load(u, id, &v, e);
    if (rc || (rc = fresh(&v, if_match, e)))
        return rc;
    enum trip_status st, to;
    if (!trip_status_parse(v.row.status, &st))
        return sh_err_set(e, SH_INTERNAL, "stored trip has an unknown status");
    struct trip_facts f = {
        .roles = u->who->roles, .member = v.member, .feedback = v.row.feedback_at != NULL};
    if ((rc = trip_transition(st, act, &f, &to, e)))
        return rc;
    const char *before = trip_json(u->a, &v);
    struct trip_row t = v.row;
    t.status = trip_status_name(to);
    if ((rc = apply(u, &t, act, reason, e)))
        return rc;
    return save(u, &t, trip_action_name(act), before, out, e);
}

/* The planned departure and the estimate move the trip's time (checked for overlaps). */
static enum sh_code update_times(const struct uc *u, const struct trip_view *v,
                                 const struct trip_in *in, struct trip_row *t, struct sh_err *e)
{
    if (!in->est_days && !in->planned_departure_at)
        return SH_OK;
    if (strcmp(t->status, "planned")) {
        sh_err_field(e, SH_CONFLICT, in->est_days ? "est_days" : "planned_departure_at",
                     "the trip has departed: its planned times are history");
        return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\",\"action\":\"update\"}",
                             t->status);
    }
    if (in->est_days)
        t->est_days = in->est_days;
    if (in->planned_departure_at)
        t->planned_departure_at = in->planned_departure_at;
    enum sh_code rc = trip_set_times(u, t, e);
    if (rc)
        return rc;
    int64_t *people = sh_arena_alloc(u->a, sizeof(int64_t) * (size_t)(v->nmembers + 1));
    for (int i = 0; i < v->nmembers; i++)
        people[i] = v->members[i].user_id;
    return trip_check_overlap(u, t, people, v->nmembers, e);
}

#define SET(f)                                                                                     \
    if (in->f)                                                                                     \
    t.f = in->f

enum sh_code uc_trip_update(const struct uc *u, int64_t id, const struct trip_in *in,
                            struct trip_view *out, struct sh_err *e)
{
    struct trip_view v;
    enum sh_code rc = uc_trip_load(u, id, &v, e);
    if (rc || (rc = fresh(&v, in->if_match, e)) || (rc = may_write(u, &v, "update", e)) ||
        (rc = member_fields(u, in, e)) || (rc = trip_check_refs(u, in, e)))
        return rc;
    struct trip_row t = v.row;
    SET(purpose);
    SET(address);
    SET(contact_name);
    SET(contact_phone);
    SET(site_details);
    SET(note);
    if (in->has_customer)
        t.customer_id = in->customer_id;
    if (in->has_site)
        t.site_id = in->site_id;
    if (in->has_ticket)
        t.ticket_id = in->ticket_id;
    if (in->has_project)
        t.project_id = in->project_id;
    for (int k = 0; k < TRIP_EXPENSE_COUNT; k++)
        if (in->has_expense[k])
            t.expense[k] = in->expense[k];
    if ((rc = update_times(u, &v, in, &t, e)))
        return rc;
    for (int i = 0; !rc && i < in->nwo; i++) {
        bool known = false;
        for (int k = 0; k < v.nwo; k++)
            known |= v.wo_ids[k] == in->wo_ids[i];
        for (int k = 0; k < i; k++)
            known |= in->wo_ids[k] == in->wo_ids[i];
        if (!known)
            rc = trips_wo_add(u->tx, id, in->wo_ids[i], e);
    }
    return rc ? rc : save(u, &t, "update", trip_json(u->a, &v), out, e);
}

/* RULE R-033: the feedback form is handed in during or after the trip (before closing). */
enum sh_code uc_trip_feedback(const struct uc *u, int64_t id, const struct trip_feedback_in *in,
                              struct trip_view *out, struct sh_err *e)
{
    struct trip_view v;
    enum sh_code rc = uc_trip_load(u, id, &v, e);
    if (rc || (rc = may_write(u, &v, "feedback", e)))
        return rc;
    if (!strcmp(v.row.status, "planned")) {
        sh_err_set(e, SH_CONFLICT, "the feedback form is handed in once the trip has departed");
        return sh_err_reason(e, "illegal_action",
                             "{\"status\":\"planned\",\"action\":\"feedback\"}");
    }
    struct trip_row t = v.row;
    t.feedback_at = trip_ts(u, u->now);
    t.feedback_by = u->who->user_id;
    t.feedback_work_done = in->work_done;
    t.feedback_result = in->result;
    t.feedback_problems = in->problems ? in->problems : "";
    t.feedback_customer_opinion = in->customer_opinion ? in->customer_opinion : "";
    return save(u, &t, "feedback", trip_json(u->a, &v), out, e);
}
