/* SPDX-License-Identifier: MIT */
/* The visit job's use cases: which plans to look at, and the visits of one plan. */
#include "app/visits.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/ticket_actions.h"
#include "app/ticket_intake.h"
#include "app/ticket_warranty.h"
#include "app/work_orders.h"
#include "base/date.h"
#include "domain/visit_plan.h"

enum sh_code uc_visit_plans_active(const struct uc *u, int64_t after_id, int64_t **ids, int *n,
                                   struct sh_err *e)
{
    char today[11];
    sh_date_format(ticket_local_date(u->now), today);
    struct visit_plan_row *p;
    enum sh_code rc =
        visits_active_plans(u->tx, u->a, today, after_id, VISIT_PLANS_PER_RUN, &p, n, e);
    if (rc)
        return rc;
    *ids = sh_arena_alloc(u->a, sizeof(**ids) * (size_t)(*n ? *n : 1));
    for (int i = 0; i < *n; i++)
        (*ids)[i] = p[i].id;
    return SH_OK;
}

/* The plan's rule; false when its stored dates or period do not parse. */
static bool rule_of(const struct visit_plan_row *p, struct visit_rule *r)
{
    memset(r, 0, sizeof(*r));
    r->every = p->every_n;
    r->has_end = p->end_date != NULL;
    return visit_period_parse(p->period, &r->period) && sh_date_parse(p->start_date, &r->start) &&
           (!r->has_end || sh_date_parse(p->end_date, &r->end)) && r->every >= 1;
}

/* The appointment of a due date: the plan's local time (Asia/Shanghai, UTC+8) as UTC text. */
static const char *appointment_of(const struct uc *u, const struct visit_plan_row *p,
                                  struct sh_date due)
{
    int minutes = 9 * 60;
    if (p->visit_time && !visit_time_parse(p->visit_time, &minutes))
        minutes = 9 * 60;
    int64_t t = sh_days_from_civil(due.y, due.m, due.d) * 86400 + (int64_t)minutes * 60 - 8 * 3600;
    char *out = sh_arena_alloc(u->a, 21);
    sh_ts_format(t, out);
    return out;
}

/* Without a lead, the visit ticket goes to the after-sales department (else the first active
 * one), where a dispatcher picks the technician. */
static enum sh_code route_department(const struct uc *u, int64_t *dept, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT id FROM departments WHERE active = 1 ORDER BY CASE WHEN "
                               "kind = 'after_sales' THEN 0 ELSE 1 END, id LIMIT 1",
                               DB_NOP, &r, e);
    *dept = rc ? 0 : db_get_int(&r, 0, "id", 0);
    if (!rc && !*dept)
        return sh_err_set(e, SH_UNPROCESSABLE, "no department to route a visit without a lead to");
    return rc;
}

/* The new visit ticket taken on (assigned, then accepted): a state that books a visit. */
static enum sh_code take_on(const struct uc *u, int64_t ticket, int64_t lead, struct sh_err *e)
{
    struct ticket_action_in ta = {.id = ticket, .act = TA_ASSIGN, .if_match = -1};
    struct ticket_action_out out = {0};
    enum sh_code rc;
    if (!lead && ((rc = route_department(u, &ta.department_id, e)) ||
                  (rc = uc_ticket_action(u, &ta, &out, e))))
        return rc;
    ta = (struct ticket_action_in){.id = ticket, .act = TA_ACCEPT, .if_match = -1};
    return uc_ticket_action(u, &ta, &out, e);
}

/* One visit: its ticket (type visit, owned by the lead) and its periodic_visit work order. */
static enum sh_code create_visit(const struct uc *u, const struct visit_plan_row *p,
                                 struct sh_date due, const char *due_text, struct sh_err *e)
{
    struct ticket_intake_in in = {
        .channel = "api",
        .type = "visit",
        .customer_id = p->customer_id,
        .description = sh_arena_printf(u->a, "%s (%s)%s%s", p->name, due_text,
                                       p->notes && *p->notes ? "\n" : "", p->notes ? p->notes : ""),
        .assignee_id = p->lead_id,
        .planned = true,
    };
    struct ticket_intake_out tout;
    enum sh_code rc = uc_ticket_intake(u, &in, &tout, e);
    if (rc || (rc = take_on(u, tout.id, p->lead_id, e)))
        return rc;
    struct wo_create_in w = {
        .ticket_id = tout.id,
        .kind = p->kind && *p->kind ? p->kind : "periodic_visit",
        .lead_id = p->lead_id,
        .appointment_at = appointment_of(u, p, due),
        .tolerance_min = -1,
        .early_target_min = -1,
        .note = p->name,
        /* a plan books ahead by rule: a clash with other work is the dispatcher's to move,
         * not a reason to skip the visit (the override is stored and audited) */
        .override_reason = "periodic visit plan",
    };
    struct wo_view v;
    if ((rc = uc_work_order_create(u, &w, &v, e)) ||
        (rc = visits_link_work_order(u->tx, v.row.id, p->id, e)))
        return rc;
    return visits_run_done(u->tx, p->id, due_text, tout.id, v.row.id, e);
}

enum sh_code uc_visit_plan_generate(const struct uc *u, int64_t plan_id, struct visit_gen_out *out,
                                    struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    struct visit_plan_row p;
    enum sh_code rc = visits_plan_get(u->tx, u->a, plan_id, &p, e);
    struct visit_rule r;
    if (rc || !p.active || !rule_of(&p, &r))
        return rc;
    struct sh_date today = ticket_local_date(u->now);
    struct sh_date until = sh_civil_from_days(sh_days_from_civil(today.y, today.m, today.d) +
                                              (p.lead_days > 0 ? p.lead_days : 0));
    struct sh_date due[VISIT_DUES_PER_PLAN];
    int n = visit_due_dates(&r, today, until, due, VISIT_DUES_PER_PLAN);
    char now[21];
    sh_ts_format(u->now, now);
    /* the visits are the job's work, whoever runs it: its principal takes them on and books */
    struct principal jp = visits_job_principal();
    struct uc job = *u;
    job.who = &jp;
    for (int i = 0; i < n; i++) {
        char d[11];
        sh_date_format(due[i], d);
        bool claimed;
        if ((rc = visits_claim_run(u->tx, p.id, d, now, &claimed, e)))
            return rc;
        if (!claimed) {
            out->existing++;
            continue;
        }
        if ((rc = create_visit(&job, &p, due[i], sh_arena_strdup(u->a, d), e)))
            return rc;
        out->created++;
    }
    return SH_OK;
}

struct principal visits_job_principal(void)
{
    /* the desk registers and takes on the visit ticket, the dispatcher books it */
    return (struct principal){.username = "visit-job", .roles = RB(AGENT) | RB(DISPATCHER)};
}

struct gen_pass {
    struct app *app;
    const struct principal *who;
    int64_t now, plan_id, after_id;
    int64_t *ids;
    int n;
    struct visit_gen_out out;
    struct sh_arena a;
};

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct gen_pass *x = arg;
    struct uc u = {.tx = tx, .a = &x->a, .who = x->who, .now = x->now, .app = x->app};
    return uc_visit_plans_active(&u, x->after_id, &x->ids, &x->n, e);
}

static enum sh_code plan_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct gen_pass *x = arg;
    struct uc u = {.tx = tx, .a = &x->a, .who = x->who, .now = x->now, .app = x->app};
    enum sh_code rc = uc_visit_plan_generate(&u, x->plan_id, &x->out, e);
    return rc == SH_NOT_FOUND ? SH_OK : rc; /* deleted since the list was read */
}

enum sh_code app_visits_generate(struct app *app, const struct principal *who, int64_t now,
                                 struct visit_gen_all *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    struct gen_pass x = {.app = app, .who = who, .now = now};
    sh_arena_init(&x.a, 0);
    enum sh_code rc = SH_OK;
    do {
        if ((rc = db_read(app->db, list_run, &x, e)))
            break;
        for (int i = 0; i < x.n; i++) {
            struct sh_err pe;
            sh_err_clear(&pe);
            x.plan_id = x.after_id = x.ids[i];
            if (db_write(app->db, plan_run, &x, &pe)) {
                out->failed++;
                snprintf(out->last_error, sizeof(out->last_error), "plan %" PRId64 ": %.120s",
                         x.plan_id, pe.msg);
                continue;
            }
            out->plans++;
            out->created += x.out.created;
            out->existing += x.out.existing;
        }
        /* each batch in a fresh arena: a pass over many plans stays small */
        sh_arena_release(&x.a);
        sh_arena_init(&x.a, 0);
    } while (x.n == VISIT_PLANS_PER_RUN);
    sh_arena_release(&x.a);
    return rc;
}

enum sh_code uc_visit_plan_runs(const struct uc *u, int64_t plan_id, struct visit_run_row **out,
                                int *n, struct sh_err *e)
{
    struct visit_plan_row p;
    enum sh_code rc = visits_plan_get(u->tx, u->a, plan_id, &p, e);
    if (rc)
        return rc;
    if (principal_external(u->who) ||
        (principal_technician_only(u->who) && p.lead_id != u->who->user_id))
        return sh_err_set(e, SH_NOT_FOUND, "no visit plan %" PRId64, plan_id);
    return visits_runs_of_plan(u->tx, u->a, plan_id, VISIT_RUNS_MAX, out, n, e);
}
