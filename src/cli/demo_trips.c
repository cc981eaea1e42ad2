/* SPDX-License-Identifier: MIT */
/* Demo data of business trips (issue 12 item 4): a trip in every state by the demo
 * technicians, with progress reports, expenses in fen and feedback forms; one departed trip
 * is overdue for its progress report and one returned trip still owes its feedback
 * form. Each step goes through the trip use cases as of its own time. Runs inside the demo's
 * write transaction; a database that holds trips already (or has no demo technicians) is
 * left alone. */
#include <string.h>

#include "app/trips.h"
#include "base/date.h"
#include "cli/common.h"
#include "cli/demo.h"

#define H 3600
#define D 86400

struct demo_trip {
    const char *lead, *purpose, *contact, *phone, *details;
    int est_days;
    /* hours from now (negative: past); 0: not done */
    int depart_h, return_h, close_h, cancel_h;
    int report_h[2]; /* progress reports */
    bool feedback;   /* handed in on return */
    int64_t expense[TRIP_EXPENSE_COUNT];
};

static const struct demo_trip trips[] = {
    {"technician",
     "CT 扫描仪安装调试及操作培训",
     "王主任",
     "010-69156114",
     "三楼影像科，货梯可用",
     3,
     -20 * 24,
     -16 * 24,
     -15 * 24,
     0,
     {-19 * 24, -17 * 24},
     true,
     {86000, 120000, 40000, 5000}},
    {"technician2",
     "冷水机组上门维修",
     "陈工",
     "021-64370045",
     "机房在地下一层",
     2,
     -6 * 24,
     -3 * 24,
     0,
     0,
     {-5 * 24, 0},
     false,
     {42000, 30000, 20000, 0}},
    {"technician3",
     "离心机年度巡检",
     "刘科长",
     "020-83827812",
     "需提前一天预约门禁",
     4,
     -30,
     0,
     0,
     0,
     {-3, 0},
     false,
     {36000, 0, 0, 0}},
    {"technician2",
     "显示屏安装指导",
     "赵经理",
     "0755-86012345",
     "钢结构已完工",
     3,
     -50,
     0,
     0,
     0,
     {-40, 0},
     false,
     {0}},
    {"technician",
     "新装设备验收与培训",
     "孙老师",
     "025-83304616",
     "",
     2,
     0,
     0,
     0,
     0,
     {0, 0},
     false,
     {0}},
    {"technician",
     "配件更换 (客户推迟)",
     "周主管",
     "0571-87236114",
     "",
     1,
     0,
     0,
     0,
     -2 * 24,
     {0, 0},
     false,
     {0}},
};
#define NTRIPS ((int)(sizeof(trips) / sizeof(trips[0])))

static enum sh_code user_id(const struct uc *c, const char *name, int64_t *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(c->tx, c->a, "SELECT id FROM users WHERE username = $1 AND active = 1",
                 DB_P(DB_TEXT(name)), &r, e);
    *out = rc || !r.nrows ? 0 : db_get_int(&r, 0, "id", 0);
    return rc;
}

/* The steps of trip p after its creation, each as of its own time and by its actor. */
static enum sh_code steps(const struct uc *c, const struct demo_trip *p, int64_t id,
                          const struct principal *tech, struct sh_err *e)
{
    struct uc u = *c;
    struct trip_view v;
    struct trip_report_row rep;
    enum sh_code rc = SH_OK;
    static const char *const bodies[] = {"已到达现场，设备开箱检查完好，开始安装",
                                         "调试完成，正在培训操作人员"};
    u.who = tech;
    if (p->cancel_h) {
        u.who = c->who;
        u.now = c->now + (int64_t)p->cancel_h * H;
        return uc_trip_action(&u, id, TRA_CANCEL, "客户推迟，另行安排", -1, &v, e);
    }
    if (!p->depart_h)
        return SH_OK;
    u.now = c->now + (int64_t)p->depart_h * H;
    if ((rc = uc_trip_action(&u, id, TRA_DEPART, NULL, -1, &v, e)))
        return rc;
    for (int k = 0; !rc && k < 2 && p->report_h[k]; k++) {
        u.now = c->now + (int64_t)p->report_h[k] * H;
        rc = uc_trip_report_add(&u, id, bodies[k], &rep, e);
    }
    struct trip_in ex = {.if_match = -1};
    for (int k = 0; k < TRIP_EXPENSE_COUNT; k++)
        ex.has_expense[k] = (ex.expense[k] = p->expense[k]) != 0;
    if (rc || (rc = uc_trip_update(&u, id, &ex, &v, e)) || !p->return_h)
        return rc;
    u.now = c->now + (int64_t)p->return_h * H;
    if ((rc = uc_trip_action(&u, id, TRA_RETURN, NULL, -1, &v, e)) || !p->feedback)
        return rc;
    struct trip_feedback_in fb = {.work_done = "安装调试完成，培训操作人员 2 名",
                                  .result = "设备运行正常，客户签字验收",
                                  .problems = "客户希望增加一次回访",
                                  .customer_opinion = "服务及时，技术熟练"};
    if ((rc = uc_trip_feedback(&u, id, &fb, &v, e)) || !p->close_h)
        return rc;
    u.who = c->who;
    u.now = c->now + (int64_t)p->close_h * H;
    return uc_trip_action(&u, id, TRA_CLOSE, NULL, -1, &v, e);
}

static enum sh_code one(const struct uc *c, const struct demo_trip *p, int64_t cust,
                        const char *address, int *n, struct sh_err *e)
{
    int64_t lead;
    enum sh_code rc = user_id(c, p->lead, &lead, e);
    if (rc || !lead)
        return rc;
    int64_t first = p->cancel_h ? p->cancel_h + 24 : p->depart_h ? p->depart_h : 48;
    char dep[21];
    sh_ts_format(c->now + first * H, dep);
    struct uc u = *c;
    u.now = c->now + (first - 48) * H; /* planned two days before */
    struct trip_in in = {.lead_id = lead,
                         .purpose = p->purpose,
                         .customer_id = cust,
                         .has_customer = true,
                         .address = address,
                         .contact_name = p->contact,
                         .contact_phone = p->phone,
                         .site_details = p->details,
                         .est_days = p->est_days,
                         .planned_departure_at = dep,
                         .if_match = -1};
    struct trip_view v;
    struct principal tech = {.user_id = lead, .username = p->lead, .roles = RB(TECHNICIAN)};
    if ((rc = uc_trip_create(&u, &in, &v, e)) || (rc = steps(c, p, v.row.id, &tech, e)))
        return rc;
    (*n)++;
    return SH_OK;
}

enum sh_code demo_trips(const struct uc *c, struct sh_err *e)
{
    int made = 0, *n = &made;
    struct db_rows r, cu;
    enum sh_code rc = db_query(c->tx, c->a, "SELECT count(*) AS n FROM trips", DB_NOP, &r, e);
    if (rc || db_get_int(&r, 0, "n", 0) > 0)
        return rc;
    if ((rc = db_query(c->tx, c->a, "SELECT id, address FROM customers ORDER BY id LIMIT 8", DB_NOP,
                       &cu, e)))
        return rc;
    for (int k = 0; !rc && k < NTRIPS && cu.nrows; k++) {
        int i = k % cu.nrows;
        const char *addr = db_get(&cu, i, "address");
        rc = one(c, &trips[k], db_get_int(&cu, i, "id", 0), addr && *addr ? addr : "现场地址待补充",
                 n, e);
    }
    return rc;
}
