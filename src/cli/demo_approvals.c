/* SPDX-License-Identifier: MIT */
#include "cli/demo_approvals.h"

#include <inttypes.h>
#include <string.h>

#include "app/approvals.h"
#include "app/coordination.h"
#include "base/date.h"

struct req {
    const char *kind, *purpose, *site, *units;
    int technicians, trip_days;
    int64_t cost_fen;
    char outcome; /* 'p' pending, 'a' approved, 'r' rejected, 'o' pending and overdue */
    const char *comment;
};

static const struct req reqs[] = {
    {"installation", "新购全自动生化分析仪两台，安装调试并培训检验科人员", "院区检验科二楼",
     "生化分析仪 ×2", 2, 3, 480000, 'p', NULL},
    {"onsite_repair", "离心机主板故障，电话指导无效，需上门更换", "中心实验室", "离心机 ×1", 1, 2,
     160000, 'o', NULL},
    {"installation", "新院区 CT 安装调试，合同约定 30 日内完成", "新院区放射科", "CT ×1", 3, 5,
     1250000, 'a', "同意，按合同期限安排。"},
    {"training", "客户要求增加一次操作培训", "检验科", "—", 1, 1, 90000, 'r',
     "合同内已含三人培训，请先电话沟通。"},
};

struct coord {
    const char *kind, *dept, *subject, *details;
    int due_hours; /* from now; negative: overdue */
    const char *status, *reply;
};

static const struct coord coords[] = {
    {"vehicle", "logistics", "明早用车去客户现场", "两名工程师及工具箱，往返约 4 小时", 20,
     "raised", NULL},
    {"technical_support", "engineering", "CT 安装需工程部派人支援调试", "现场需要高压测试经验", -30,
     "raised", NULL},
    {"materials_check", "purchasing", "核对现场安装材料清单", "见附件清单", 48, "acknowledged",
     NULL},
    {"delivery_date", "production", "确认半成品机柜交期", "客户催问交货时间", -4, "fulfilled",
     "机柜下周三完工，周四发货。"},
    {"manpower", "hr", "下周需临时增派两名安装人员", NULL, 72, "raised", NULL},
    {"vehicle", "logistics", "周末用车送备件", "备件两箱，约 30 公斤", -50, "refused",
     "周末车辆已全部派出，请改用快递。"},
    {"materials_check", "purchasing", "核对安装用电缆库存", NULL, -120, "closed",
     "库存充足，已备齐。"},
};

static enum sh_code one_id(const struct uc *u, const char *sql, const char *arg, int64_t *id,
                           struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = arg ? db_query(u->tx, u->a, sql, DB_P(DB_TEXT(arg)), &r, e)
                          : db_query(u->tx, u->a, sql, DB_NOP, &r, e);
    *id = rc || !r.nrows ? 0 : db_get_int(&r, 0, "id", 0);
    return rc;
}

static struct fval *vals_of(const struct uc *u, const struct entity *ent)
{
    return sh_arena_alloc(u->a, sizeof(struct fval) * (size_t)ent->ncols);
}

static void put(const struct uc *u, const struct entity *ent, struct fval *v, const char *name,
                const char *text)
{
    int i = ent_colidx(ent, name);
    if (i < 0 || !text)
        return;
    v[i] = (struct fval){.present = true, .text = sh_arena_strdup(u->a, text)};
}

static void put_int(const struct uc *u, const struct entity *ent, struct fval *v, const char *name,
                    int64_t n)
{
    put(u, ent, v, name, sh_arena_printf(u->a, "%" PRId64, n));
    int i = ent_colidx(ent, name);
    if (i >= 0)
        v[i].i = n;
}

static enum sh_code one_request(const struct uc *sales, const struct uc *gm, const struct req *q,
                                int64_t customer, struct sh_err *e)
{
    const struct entity *ent = &ent_approvals;
    struct fval *v = vals_of(sales, ent);
    memset(v, 0, sizeof(*v) * (size_t)ent->ncols);
    put(sales, ent, v, "kind", q->kind);
    put(sales, ent, v, "purpose", q->purpose);
    put_int(sales, ent, v, "customer_id", customer);
    put(sales, ent, v, "site", q->site);
    put(sales, ent, v, "units", q->units);
    put_int(sales, ent, v, "technicians", q->technicians);
    put_int(sales, ent, v, "trip_days", q->trip_days);
    put_int(sales, ent, v, "cost_fen", q->cost_fen);
    int64_t id = 0;
    enum sh_code rc = uc_ent_insert(sales, ent, v, &id, NULL, e);
    if (rc)
        return rc;
    if (q->outcome == 'o') {
        /* filed three days ago: its working day is over */
        char at[21], due[21];
        sh_ts_format(sales->now - 3 * 86400, at);
        sh_ts_format(sales->now - 2 * 86400, due);
        return db_exec(sales->tx,
                       "UPDATE approvals SET created_at = $1, updated_at = $1, decision_due_at = "
                       "$2 WHERE id = $3",
                       DB_P(DB_TEXT(at), DB_TEXT(due), DB_INT(id)), NULL, e);
    }
    if (q->outcome == 'p')
        return SH_OK;
    struct approval_decide_in in = {
        .id = id, .approve = q->outcome == 'a', .comment = q->comment, .if_match = -1};
    const char *json;
    return uc_approval_decide(gm, &in, &json, e);
}

static enum sh_code one_coord(const struct uc *u, const struct coord *c, int64_t customer,
                              struct sh_err *e)
{
    const struct entity *ent = &ent_coordination;
    int64_t dept = 0;
    enum sh_code rc = one_id(u, "SELECT id FROM departments WHERE code = $1", c->dept, &dept, e);
    if (rc || !dept)
        return rc;
    struct fval *v = vals_of(u, ent);
    memset(v, 0, sizeof(*v) * (size_t)ent->ncols);
    char due[21];
    sh_ts_format(u->now + (int64_t)c->due_hours * 3600, due);
    put(u, ent, v, "kind", c->kind);
    put_int(u, ent, v, "department_id", dept);
    put(u, ent, v, "subject", c->subject);
    put(u, ent, v, "details", c->details);
    put_int(u, ent, v, "customer_id", customer);
    put(u, ent, v, "due_at", due);
    int64_t id = 0;
    if ((rc = uc_ent_insert(u, ent, v, &id, NULL, e)) || !strcmp(c->status, "raised"))
        return rc;
    bool closed = !strcmp(c->status, "closed"); /* fulfilled first, then closed */
    v = vals_of(u, ent);
    memset(v, 0, sizeof(*v) * (size_t)ent->ncols);
    put(u, ent, v, "status", closed ? "fulfilled" : c->status);
    put(u, ent, v, "reply", c->reply);
    struct ent_written w;
    if ((rc = uc_ent_update(u, ent, id, -1, v, &w, e)) || !closed)
        return rc;
    v = vals_of(u, ent);
    memset(v, 0, sizeof(*v) * (size_t)ent->ncols);
    put(u, ent, v, "status", "closed");
    return uc_ent_update(u, ent, id, -1, v, &w, e);
}

enum sh_code demo_approvals(const struct uc *u, int *n, struct sh_err *e)
{
    *n = 0;
    int64_t any = 0, sales_id = 0, gm_id = 0, agent_id = 0, customer = 0;
    enum sh_code rc;
    if ((rc = one_id(u, "SELECT id FROM approvals LIMIT 1", NULL, &any, e)) || any ||
        (rc = one_id(u, "SELECT id FROM users WHERE username = $1", "sales", &sales_id, e)) ||
        (rc = one_id(u, "SELECT id FROM users WHERE username = $1", "gm", &gm_id, e)) ||
        (rc = one_id(u, "SELECT id FROM users WHERE username = $1", "agent", &agent_id, e)) ||
        (rc = one_id(u, "SELECT id FROM customers ORDER BY id LIMIT 1", NULL, &customer, e)))
        return rc;
    if (!sales_id || !gm_id || !customer)
        return SH_OK;
    struct principal ps = {.user_id = sales_id, .username = "sales", .roles = RB(SALES)};
    struct principal pg = {.user_id = gm_id, .username = "gm", .roles = RB(GM)};
    struct principal pa = {.user_id = agent_id, .username = "agent", .roles = RB(AGENT)};
    struct uc us = *u, ug = *u, ua = *u;
    us.who = &ps;
    ug.who = &pg;
    ua.who = &pa;
    for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++, ++*n)
        if ((rc = one_request(&us, &ug, &reqs[i], customer, e)))
            return rc;
    for (size_t i = 0; i < sizeof(coords) / sizeof(coords[0]); i++, ++*n)
        if ((rc = one_coord(&ua, &coords[i], customer, e)))
            return rc;
    return SH_OK;
}
