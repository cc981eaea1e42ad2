/* SPDX-License-Identifier: MIT */
/* Diagnoses, recommendations and leads as demo data (cli/demo_diag.h). */
#include "cli/demo_diag.h"

#include <inttypes.h>
#include <string.h>

#include "app/diagnosis.h"
#include "app/entity.h"
#include "app/recommendations.h"
#include "app/ticket_actions.h"
#include "app/ticket_intake.h"

struct demo_case {
    const char *type, *decision, *description, *findings, *cause, *reason;
};

static const struct demo_case cases[] = {
    {"repair", "solved_remotely", "触摸屏无响应", "电话指导客户重新校准触摸屏后恢复",
     "触摸屏校准参数丢失", "客户按步骤操作后已恢复正常"},
    {"repair", "onsite_repair", "液压系统压力不足，设备报警",
     "远程查看报警记录，压力传感器读数波动", "液压泵密封件老化", "需更换密封件，安排上门维修"},
    {"repair", "return_to_factory", "主控板上电无显示", "电话排查电源正常，主控板指示灯不亮",
     "主控板损坏", "现场无法维修，返厂检测更换主控板"},
    {"repair", "replacement", "新设备运行一周后整机异响", "远程听诊确认主轴异响，序列号在质保期内",
     "主轴制造缺陷", "质量问题，申请整机更换"},
    {"consultation", "answered", "咨询导出检查报告的方法", "客户不熟悉报表导出菜单", "",
     "已告知在 文件→导出 中选择 PDF"},
    {"consultation", "onsite_repair", "咨询设备开机后异常噪音",
     "电话沟通后确认为机械故障，非操作问题", "传动皮带磨损", "需上门检查，已转维修工单"},
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* An accepted ticket of the unit (a consultation stays new: it is answered at first contact). */
static enum sh_code open_ticket(const struct uc *u, const struct demo_case *c, int64_t unit,
                                int64_t *id, struct sh_err *e)
{
    struct ticket_intake_in in = {.channel = "phone",
                                  .type = c->type,
                                  .unit_id = unit,
                                  .caller_phone = "13800000018",
                                  .description = c->description};
    struct ticket_intake_out out;
    struct ticket_action_out ao;
    enum sh_code rc = uc_ticket_intake(u, &in, &out, e);
    *id = rc ? 0 : out.id;
    if (rc || !strcmp(c->type, "consultation"))
        return rc;
    struct ticket_action_in a = {
        .id = out.id, .act = TA_ASSIGN, .assignee_id = u->who->user_id, .if_match = -1};
    if ((rc = uc_ticket_action(u, &a, &ao, e)))
        return rc;
    a.act = TA_ACCEPT;
    a.assignee_id = 0;
    return uc_ticket_action(u, &a, &ao, e);
}

static void put(const struct uc *u, const struct entity *ent, struct fval *v, const char *name,
                json_t *j, enum sh_code *rc, struct sh_err *e)
{
    int i = ent_colidx(ent, name);
    if (!*rc && i >= 0)
        *rc = ent_parse_value(u->a, &ent->cols[i], j, &v[i], e);
    json_decref(j);
}

/* Recommendations on the on-site work order; their leads moved to each status. */
static enum sh_code recommend(const struct uc *u, int64_t wo, struct sh_err *e)
{
    static const char *const items[][4] = {
        {"part", "HS-SEAL-60", "液压密封件备件包", "new"},
        {"product", "HX-300", "新款 HX-300 检测设备", "contacted"},
        {"part", "FLT-10", "液压油滤芯（年度更换）", "won"},
        {"other", "", "年度保养合同", "lost"},
    };
    enum sh_code rc = SH_OK;
    for (size_t i = 0; !rc && i < sizeof(items) / sizeof(items[0]); i++) {
        size_t sz = sizeof(struct fval) * (size_t)ent_recommendations.ncols;
        struct fval *v = sh_arena_alloc(u->a, sz);
        memset(v, 0, sz);
        const struct entity *ent = &ent_recommendations;
        put(u, ent, v, "work_order_id", json_integer(wo), &rc, e);
        put(u, ent, v, "item_kind", json_string(items[i][0]), &rc, e);
        if (*items[i][1])
            put(u, ent, v, "code", json_string(items[i][1]), &rc, e);
        put(u, ent, v, "description", json_string(items[i][2]), &rc, e);
        put(u, ent, v, "note", json_string("上门时向客户推荐"), &rc, e);
        int64_t id = 0;
        if (rc || (rc = uc_ent_insert(u, ent, v, &id, NULL, e)))
            return rc;
        rc = db_exec(u->tx, "UPDATE leads SET status = $1 WHERE recommendation_id = $2",
                     DB_P(DB_TEXT(items[i][3]), DB_INT(id)), NULL, e);
    }
    return rc;
}

enum sh_code demo_diag(const struct uc *c, int *n, struct sh_err *e)
{
    struct db_rows r, units;
    *n = 0;
    enum sh_code rc =
        db_query(c->tx, c->a, "SELECT count(*) AS n FROM ticket_diagnoses", DB_NOP, &r, e);
    if (rc || db_get_int(&r, 0, "n", 0) > 0)
        return rc;
    if ((rc = db_query(c->tx, c->a, "SELECT min(id) AS id FROM users WHERE roles LIKE '%admin%'",
                       DB_NOP, &r, e)) ||
        (rc = db_query(c->tx, c->a,
                       "SELECT id FROM units WHERE customer_id IS NOT NULL AND status = "
                       "'installed' ORDER BY id LIMIT 6",
                       DB_NOP, &units, e)))
        return rc;
    struct principal who = {
        .user_id = db_get_int(&r, 0, "id", 0), .username = "demo", .roles = RB(ADMIN)};
    if (!who.user_id || !units.nrows) /* no admin or no installed base yet: nobody to act */
        return SH_OK;
    struct uc u = *c;
    u.who = &who;
    for (size_t i = 0; !rc && i < NCASES; i++) {
        int64_t tid = 0;
        int64_t unit = db_get_int(&units, (int)(i % (size_t)units.nrows), "id", 0);
        if ((rc = open_ticket(&u, &cases[i], unit, &tid, e)))
            break;
        struct diag_in in = {.ticket_id = tid,
                             .findings = cases[i].findings,
                             .suspected_cause = cases[i].cause,
                             .decision = cases[i].decision,
                             .reason = cases[i].reason};
        struct diag_row d;
        if ((rc = uc_diagnosis_record(&u, &in, &d, e)))
            break;
        (*n)++;
        if (d.work_order_id && !strcmp(cases[i].type, "repair"))
            rc = recommend(&u, d.work_order_id, e);
    }
    return rc;
}
