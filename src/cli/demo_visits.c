/* SPDX-License-Identifier: MIT */
/* Demo data of periodic visits (issue 11 item 7): plans for the key demo customers (visits
 * by the demo technicians, one patrol of an owned site), their visit work orders created by
 * the visit job's use case, and the findings of one visit. Runs inside the demo's write
 * transaction; a database that holds plans already is left alone. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/entity.h"
#include "app/ticket_actions.h"
#include "app/visit_plan_entities.h"
#include "app/visits.h"
#include "app/work_orders.h"
#include "base/date.h"
#include "cli/common.h"
#include "cli/demo.h"
#include "cli/demo_checklists.h"
#include "cli/demo_reports.h"

struct demo_plan {
    const char *name, *purpose, *period, *time, *lead;
    int every, lead_days, start_offset; /* start: today + start_offset days */
    bool site;
    int late_min; /* the first visit, in the past, was done this late (-1: not done yet) */
};

static const struct demo_plan plans[] = {
    {"重点客户季度走访", "visit", "month", "09:30", "technician", 3, 21, -60, false, 12},
    {"重点客户月度回访", "visit", "month", "14:00", "technician2", 1, 14, -30, false, 45},
    {"现场巡查维护 (双周)", "patrol", "week", "10:00", "technician3", 2, 14, 3, true, -1},
    {"重点区域走访 (每周)", "visit", "week", "09:00", NULL, 1, 10, 1, false, -1},
};

/* What the customers said on the demo's past visits (GEN 二.4). */
static const char *const opinions[][4] = {
    {"设备每天两班运行，操作人员已熟练", "希望操作面板位置再高一些，站立操作更方便", "柜门缝隙略大",
     "外壳喷涂颜色不均匀"},
    {"主要用于夜间检测，使用频率高", "", "安装支架固定螺栓易松动", ""},
};
#define NPLANS ((int)(sizeof(plans) / sizeof(plans[0])))

/* Sets column `name` of the plan record from JSON text (a string, number or boolean). */
static enum sh_code set(const struct uc *c, struct fval *vals, const char *name, json_t *v,
                        struct sh_err *e)
{
    int i = ent_colidx(&ent_visit_plans, name);
    enum sh_code rc = i < 0 || !v ? sh_err_set(e, SH_INTERNAL, "visit plan: %s", name)
                                  : ent_parse_value(c->a, &ent_visit_plans.cols[i], v, &vals[i], e);
    json_decref(v);
    return rc;
}

static enum sh_code id_of(struct db_tx *tx, struct sh_arena *a, const char *sql, const char *arg,
                          int64_t *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, sql, DB_P(DB_TEXT(arg)), &r, e);
    *out = rc ? 0 : db_get_int(&r, 0, "id", 0);
    return rc;
}

static enum sh_code one_plan(const struct uc *c, const struct demo_plan *p, int64_t cust,
                             int64_t site, int64_t *id, struct sh_err *e)
{
    struct fval *v = sh_arena_alloc(c->a, sizeof(struct fval) * (size_t)ent_visit_plans.ncols);
    memset(v, 0, sizeof(struct fval) * (size_t)ent_visit_plans.ncols);
    char start[11];
    struct sh_date d = sh_civil_from_days((sh_now() + 8 * 3600) / 86400 + p->start_offset);
    sh_date_format(d, start);
    int64_t lead = 0;
    enum sh_code rc = SH_OK;
    if (p->lead &&
        (rc = id_of(c->tx, c->a, "SELECT id FROM users WHERE username = $1 AND active = 1", p->lead,
                    &lead, e)))
        return rc;
    if ((rc = set(c, v, "name", json_string(p->name), e)) ||
        (rc = set(c, v, "purpose", json_string(p->purpose), e)) ||
        (rc = set(c, v, "customer_id", json_integer(cust), e)) ||
        (rc = set(c, v, "every_n", json_integer(p->every), e)) ||
        (rc = set(c, v, "period", json_string(p->period), e)) ||
        (rc = set(c, v, "start_date", json_string(start), e)) ||
        (rc = set(c, v, "visit_time", json_string(p->time), e)) ||
        (rc = set(c, v, "lead_days", json_integer(p->lead_days), e)) ||
        (site && (rc = set(c, v, "site_id", json_integer(site), e))) ||
        (lead && (rc = set(c, v, "lead_id", json_integer(lead), e))))
        return rc;
    return uc_ent_insert(c, &ent_visit_plans, v, id, NULL, e);
}

/* The first visit of a plan whose due date is past: created as of five days before it,
 * confirmed, carried out by its lead late_min minutes after the appointment, with findings. */
static enum sh_code past_visit(const struct uc *c, const struct demo_plan *p, int64_t plan_id,
                               int k, int *nvisits, struct sh_err *e)
{
    struct principal job = visits_job_principal();
    int64_t start = (sh_now() + 8 * 3600) / 86400 + p->start_offset;
    struct uc u = {.tx = c->tx, .a = c->a, .who = &job, .now = (start - 5) * 86400, .app = c->app};
    struct visit_gen_out g;
    enum sh_code rc = uc_visit_plan_generate(&u, plan_id, &g, e);
    if (rc || !g.created)
        return rc;
    *nvisits += g.created;
    struct db_rows r;
    if ((rc = db_query(
             c->tx, c->a,
             "SELECT w.id, w.ticket_id, w.lead_id, w.appointment_at FROM visit_plan_runs r JOIN "
             "work_orders w ON w.id = r.work_order_id WHERE r.plan_id = $1 ORDER BY "
             "r.due_date LIMIT 1",
             DB_P(DB_INT(plan_id)), &r, e)))
        return rc;
    int64_t wo = db_get_int(&r, 0, "id", 0), at;
    /* without demo users (no --password-file) nobody leads the visit: it stays planned */
    if (!wo || !db_get_int(&r, 0, "lead_id", 0) ||
        !sh_ts_parse(db_get(&r, 0, "appointment_at"), &at))
        return SH_OK;
    struct principal tech = {
        .user_id = db_get_int(&r, 0, "lead_id", 0), .username = p->lead, .roles = RB(TECHNICIAN)};
    static const enum wo_action steps[] = {WOA_CONFIRM, WOA_DEPART, WOA_ARRIVE, WOA_FINISH};
    static const int minutes[] = {-2 * 1440, -40, 0, 90};
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        struct uc su = u;
        su.who = steps[i] == WOA_CONFIRM ? &job : &tech;
        su.now = at + 60LL * (minutes[i] + (i >= 2 ? p->late_min : 0));
        struct wo_action_in in = {.id = wo, .act = steps[i], .if_match = -1};
        struct wo_view v;
        if (steps[i] == WOA_FINISH) { /* the self-check, the customer's signature, then done */
            in.result = "done";
            su.now -= 600;
            if ((rc = demo_checklist_pass(&su, wo, e)) ||
                (rc = demo_report_sign(&su, wo, k, "设备科", "走访及时，满意", e)))
                return rc;
            su.now += 600;
        }
        if ((rc = uc_work_order_action(&su, &in, &v, e)))
            return rc;
    }
    struct visit_findings_in f = {.work_order_id = wo,
                                  .usage = opinions[k][0],
                                  .design = opinions[k][1],
                                  .assembly = opinions[k][2],
                                  .process = opinions[k][3]};
    struct visit_findings_out fo;
    u.who = &tech;
    u.now = at + 60LL * (60 + p->late_min);
    if ((rc = uc_visit_findings_record(&u, &f, &fo, e)))
        return rc;
    /* the visit's ticket is resolved by its technician once the report is signed */
    struct uc ru = u;
    ru.who = &tech;
    ru.now = at + 60LL * (100 + p->late_min);
    struct ticket_action_in ta = {.id = db_get_int(&r, 0, "ticket_id", 0),
                                  .act = TA_RESOLVE,
                                  .note = "走访完成",
                                  .if_match = -1};
    struct ticket_action_out tout;
    return uc_ticket_action(&ru, &ta, &tout, e);
}

enum sh_code demo_visits(const struct uc *c, int *nplans, int *nvisits, struct sh_err *e)
{
    struct db_rows r;
    *nplans = *nvisits = 0;
    enum sh_code rc = db_query(c->tx, c->a, "SELECT count(*) AS n FROM visit_plans", DB_NOP, &r, e);
    if (rc || db_get_int(&r, 0, "n", 0) > 0)
        return rc;
    /* the key customers of the demo, with a site each when they have one */
    if ((rc = db_query(c->tx, c->a,
                       "SELECT c.id, (SELECT min(s.id) FROM sites s WHERE s.customer_id = c.id) "
                       "AS site FROM customers c WHERE c.is_key = 1 AND c.code LIKE 'DEMO-%' "
                       "ORDER BY c.id LIMIT 4",
                       DB_NOP, &r, e)))
        return rc;
    struct principal who = visits_job_principal();
    struct uc u = {.tx = c->tx, .a = c->a, .who = &who, .now = sh_now(), .app = c->app};
    for (int i = 0; i < NPLANS && i < r.nrows; i++) {
        int64_t id;
        int64_t site = plans[i].site ? db_get_int(&r, i, "site", 0) : 0;
        if ((rc = one_plan(c, &plans[i], db_get_int(&r, i, "id", 0), site, &id, e)))
            return rc;
        (*nplans)++;
        if (plans[i].late_min >= 0 && (rc = past_visit(c, &plans[i], id, i, nvisits, e)))
            return rc;
        struct visit_gen_out out;
        if ((rc = uc_visit_plan_generate(&u, id, &out, e)))
            return rc;
        *nvisits += out.created;
    }
    return SH_OK;
}
