/* SPDX-License-Identifier: MIT */
/* Demo work orders through the use cases (ticket intake and actions, work-order actions),
 * at instants in the past where the story needs them. */
#include "cli/demo_work_orders.h"

#include <string.h>

#include "app/ticket_actions.h"
#include "app/ticket_intake.h"
#include "app/ticket_warranty.h"
#include "cli/demo_quotes.h"
#include "app/work_orders.h"
#include "base/date.h"
#include "cli/demo_checklists.h"
#include "cli/demo_reports.h"

struct who {
    struct principal agent, dispatcher, tech[3];
};

struct demo_wo {
    struct db_tx *tx;
    struct sh_arena *a;
    const struct app *app;
    struct who w;
    int64_t base; /* local midnight today, unix seconds */
    int n;
};

static enum sh_code principal_of(struct demo_wo *d, const char *username, struct principal *p,
                                 bool *found, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(d->tx, d->a, "SELECT id, roles FROM users WHERE username = $1",
                               DB_P(DB_TEXT(username)), &r, e);
    *found = !rc && r.nrows > 0;
    if (!*found)
        return rc;
    unsigned roles = 0;
    roles_parse(db_get(&r, 0, "roles"), &roles);
    *p = (struct principal){
        .user_id = db_get_int(&r, 0, "id", 0), .username = username, .roles = roles};
    return SH_OK;
}

static struct uc uc_at(struct demo_wo *d, const struct principal *p, int64_t t)
{
    return (struct uc){.tx = d->tx, .a = d->a, .who = p, .now = t, .app = d->app};
}

static const char *ts(struct demo_wo *d, int64_t t)
{
    char *s = sh_arena_alloc(d->a, 21);
    sh_ts_format(t, s);
    return s;
}

/* local day offset (0 today) and hh:mm as unix seconds */
static int64_t at(const struct demo_wo *d, int day, int hh, int mm)
{
    return d->base + (int64_t)day * 86400 + hh * 3600 + mm * 60;
}

static enum sh_code ticket_act(struct demo_wo *d, const struct principal *p, int64_t t, int64_t id,
                               enum ticket_action act, const char *note, const char *visit,
                               struct sh_err *e)
{
    struct uc u = uc_at(d, p, t);
    struct ticket_action_in in = {
        .id = id, .act = act, .note = note, .visit_at = visit, .if_match = -1};
    struct ticket_action_out out;
    return uc_ticket_action(&u, &in, &out, e);
}

static enum sh_code wo_act(struct demo_wo *d, const struct principal *p, int64_t t, int64_t wo,
                           enum wo_action act, const char *result, const char *note,
                           const char *eta, struct sh_err *e)
{
    struct uc u = uc_at(d, p, t);
    struct wo_action_in in = {
        .id = wo, .act = act, .result = result, .note = note, .eta_at = eta, .if_match = -1};
    struct wo_view v;
    return uc_work_order_action(&u, &in, &v, e);
}

/* A repair ticket on unit, accepted by the agent, with a visit booked at appt by the
 * dispatcher (received two days before the appointment, at most 3 days ago). */
static enum sh_code booked(struct demo_wo *d, int64_t unit, const struct principal *tech,
                           int64_t appt, const char *desc, int64_t *tid, int64_t *wo,
                           struct sh_err *e)
{
    int64_t t0 = appt - 2 * 86400;
    struct uc u = uc_at(d, &d->w.agent, t0);
    struct ticket_intake_in in = {.channel = "phone",
                                  .type = "repair",
                                  .unit_id = unit,
                                  .caller_name = "设备科",
                                  .caller_phone = "13800138000",
                                  .description = desc,
                                  .assignee_id = tech->user_id};
    struct ticket_intake_out out;
    enum sh_code rc;
    if ((rc = uc_ticket_intake(&u, &in, &out, e)) ||
        (rc = ticket_act(d, &d->w.agent, t0 + 600, out.id, TA_ACCEPT, NULL, NULL, e)) ||
        /* out of warranty: the customer accepts a quote before the visit (WF-20) */
        (rc = demo_quote_accepted(&(struct uc[]){uc_at(d, &d->w.agent, t0 + 900)}[0], out.id, e)) ||
        (rc = ticket_act(d, &d->w.dispatcher, t0 + 1800, out.id, TA_SCHEDULE_VISIT, NULL,
                         ts(d, appt), e)))
        return rc;
    struct wo_row w;
    bool found = false;
    if ((rc = wo_open_of_ticket(d->tx, d->a, out.id, &w, &found, e)) || !found)
        return rc ? rc : sh_err_set(e, SH_INTERNAL, "demo: no work order booked");
    *tid = out.id;
    *wo = w.id;
    d->n++;
    return SH_OK;
}

static enum sh_code record_work(struct demo_wo *d, const struct principal *p, int64_t t, int64_t wo,
                                struct sh_err *e)
{
    static const struct wo_part parts[] = {{0, "电源板", "块", "", 1},
                                           {0, "保险丝 5A", "只", "", 2}};
    struct uc u = uc_at(d, p, t);
    struct wo_update_in in = {.id = wo,
                              .if_match = -1,
                              .tolerance_min = -1,
                              .early_target_min = -1,
                              .labour_minutes = 95,
                              .findings = "电源板电容鼓包，保险丝熔断",
                              .work_done = "更换电源板和保险丝，通电试机 30 分钟正常",
                              .customer_comment = "处理及时，满意",
                              .has_parts = true,
                              .parts = parts,
                              .nparts = 2};
    struct wo_view v;
    return uc_work_order_update(&u, &in, &v, e);
}

/* On site: the self-check with its photos, then the customer signs the report (the
 * acceptance after the self-check, R-149; the report guard of the resolve, R-198). */
static enum sh_code accepted(struct demo_wo *d, const struct principal *p, int64_t t, int64_t wo,
                             struct sh_err *e)
{
    struct uc u = uc_at(d, p, t);
    enum sh_code rc = demo_checklist_pass(&u, wo, e);
    u.now = t + 300;
    return rc ? rc : demo_report_sign(&u, wo, (int)wo, "设备科", "处理及时，满意", e);
}

/* One story per state (planned … cancelled), a late notice, a missing one, a second visit. */
static enum sh_code stories(struct demo_wo *d, const int64_t *unit, struct sh_err *e)
{
    const struct principal *t1 = &d->w.tech[0], *t2 = &d->w.tech[1], *t3 = &d->w.tech[2];
    const struct principal *ds = &d->w.dispatcher;
    int64_t tid, wo, a;
    enum sh_code rc;
    /* planned and confirmed: tomorrow */
    if ((rc = booked(d, unit[0], t1, at(d, 1, 9, 30), "设备开机无显示", &tid, &wo, e)) ||
        (rc = booked(d, unit[1], t2, at(d, 1, 14, 0), "运行噪音大", &tid, &wo, e)) ||
        (rc = wo_act(d, ds, d->base - 3600, wo, WOA_CONFIRM, NULL, NULL, NULL, e)))
        return rc;
    /* departed: this afternoon */
    a = at(d, 0, 16, 0);
    if ((rc = booked(d, unit[2], t3, a, "温度控制失灵", &tid, &wo, e)) ||
        (rc = wo_act(d, ds, a - 86400, wo, WOA_CONFIRM, NULL, NULL, NULL, e)) ||
        (rc = wo_act(d, t3, a - 2400, wo, WOA_DEPART, NULL, NULL, NULL, e)))
        return rc;
    /* on site after a late notice sent too late: this morning */
    a = at(d, 0, 9, 0);
    if ((rc = booked(d, unit[3], t1, a, "屏幕花屏", &tid, &wo, e)) ||
        (rc = wo_act(d, t1, a - 2700, wo, WOA_DEPART, NULL, NULL, NULL, e)) ||
        (rc = wo_act(d, t1, a - 600, wo, WOA_RUNNING_LATE, NULL, "堵车", ts(d, a + 1800), e)) ||
        (rc = wo_act(d, t1, a + 1500, wo, WOA_ARRIVE, NULL, NULL, NULL, e)))
        return rc;
    /* done yesterday, 5 minutes early: the self-check passed with its photos, the customer
     * signed the report, the work order finished and the ticket resolved */
    a = at(d, -1, 10, 0);
    if ((rc = booked(d, unit[4], t2, a, "无法启动", &tid, &wo, e)) ||
        (rc = wo_act(d, t2, a - 2400, wo, WOA_DEPART, NULL, NULL, NULL, e)) ||
        (rc = wo_act(d, t2, a - 300, wo, WOA_ARRIVE, NULL, NULL, NULL, e)) ||
        (rc = record_work(d, t2, a + 5400, wo, e)) || (rc = accepted(d, t2, a + 5500, wo, e)) ||
        (rc = wo_act(d, t2, a + 6000, wo, WOA_FINISH, "done", "已修复", NULL, e)) ||
        (rc = ticket_act(d, t2, a + 6100, tid, TA_RESOLVE, "已修复，客户已签字", NULL, e)))
        return rc;
    /* not fixed, 50 minutes late without a notice, then a second visit tomorrow */
    a = at(d, -2, 10, 0);
    if ((rc = booked(d, unit[5], t3, a, "间歇性报警", &tid, &wo, e)) ||
        (rc = wo_act(d, t3, a + 3000, wo, WOA_ARRIVE, NULL, NULL, NULL, e)) ||
        (rc = wo_act(d, t3, a + 9000, wo, WOA_FINISH, "not_fixed", "缺少主板，需带配件二次上门",
                     NULL, e)) ||
        (rc =
             ticket_act(d, ds, a + 10800, tid, TA_SCHEDULE_VISIT, NULL, ts(d, at(d, 1, 10, 0)), e)))
        return rc;
    d->n++;
    /* needs the factory: the assignee's finish sends the ticket there (its RMA) */
    a = at(d, -2, 15, 0);
    if ((rc = booked(d, unit[6], t1, a, "压缩机异响", &tid, &wo, e)) ||
        (rc = wo_act(d, t1, a + 120, wo, WOA_ARRIVE, NULL, NULL, NULL, e)) ||
        (rc = wo_act(d, t1, a + 5400, wo, WOA_FINISH, "needs_factory", "压缩机损坏，需返厂", NULL,
                     e)))
        return rc;
    /* cancelled with the ticket */
    a = at(d, 2, 9, 0);
    if ((rc = booked(d, unit[7], t2, a, "门封条老化", &tid, &wo, e)))
        return rc;
    return ticket_act(d, &d->w.agent, d->base - 1800, tid, TA_CANCEL, "客户已自行更换", NULL, e);
}

enum sh_code demo_work_orders(struct db_tx *tx, struct sh_arena *a, const struct app *app, int *n,
                              struct sh_err *e)
{
    struct demo_wo d = {.tx = tx, .a = a, .app = app};
    *n = 0;
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, "SELECT count(*) AS n FROM work_orders", DB_NOP, &r, e);
    if (rc || db_get_int(&r, 0, "n", 0) > 0)
        return rc;
    static const char *const names[] = {"agent", "dispatcher", "technician", "technician2",
                                        "technician3"};
    struct principal *ps[] = {&d.w.agent, &d.w.dispatcher, &d.w.tech[0], &d.w.tech[1],
                              &d.w.tech[2]};
    for (int i = 0; i < 5; i++) {
        bool found = false;
        if ((rc = principal_of(&d, names[i], ps[i], &found, e)) || !found)
            return rc;
    }
    if ((rc = db_query(tx, a,
                       "SELECT un.id FROM units un JOIN sites s ON s.id = un.site_id WHERE "
                       "un.install_date IS NOT NULL AND s.latitude IS NOT NULL ORDER BY un.id "
                       "LIMIT 8",
                       DB_NOP, &r, e)))
        return rc;
    if (r.nrows < 8)
        return SH_OK;
    int64_t unit[8];
    for (int i = 0; i < 8; i++)
        unit[i] = db_get_int(&r, i, "id", 0);
    /* the technicians' homes, for the slot ranking (Shanghai, Beijing, Guangzhou) */
    static const double home[3][2] = {{31.23, 121.47}, {39.91, 116.40}, {23.13, 113.26}};
    /* their skills (codes of the catalogue cmd_demo.c loads): every model has someone, but
     * not everyone can do every job, and nobody holds `gas` (ANA-GC9800 stays a conflict) */
    static const char *const skills[3][2] = {
        {"electrical:3,carpentry:3,plumbing:2,led:2", "high_work"},
        {"electrical:2,server:3,network:3,software:2,analysis:2,led:1", ""},
        {"dental:3,electrical:2,plumbing:2,analysis:1", "xray"}};
    char now_s[21];
    sh_ts_format(sh_now(), now_s);
    for (int i = 0; i < 3; i++)
        if ((rc =
                 db_exec(tx,
                         "INSERT INTO technicians (user_id, name, home_latitude, home_longitude, "
                         "shift, skills, authorisations, created_at, updated_at) SELECT id, "
                         "display_name, $2, $3, '1-6 08:30-17:30', $5, $6, $4, $4 FROM users "
                         "WHERE id = $1 AND NOT EXISTS "
                         "(SELECT 1 FROM technicians WHERE user_id = $1)",
                         DB_P(DB_INT(d.w.tech[i].user_id), DB_REAL(home[i][0]), DB_REAL(home[i][1]),
                              DB_TEXT(now_s), DB_TEXT(skills[i][0]), DB_TEXT(skills[i][1])),
                         NULL, e)))
            return rc;
    int64_t now = sh_now();
    struct sh_date today = ticket_local_date(now);
    d.base = sh_days_from_civil(today.y, today.m, today.d) * 86400 - 8 * 3600;
    if ((rc = stories(&d, unit, e)))
        return rc;
    *n = d.n;
    return SH_OK;
}
