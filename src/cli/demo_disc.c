/* SPDX-License-Identifier: MIT */
/* Demo data of the department's discipline (issue 18 item 7; docs/discipline.md). */
#include <inttypes.h>
#include <string.h>

#include "app/discipline.h"
#include "base/date.h"
#include "cli/demo_disc.h"

enum who { HEAD, TECH, TECH2, TECH3, AGENT, GM, NWHO };
static const char *const usernames[NWHO] = {"dept_head",   "technician", "technician2",
                                            "technician3", "agent",      "gm"};

struct ctx {
    const struct uc *c;
    int64_t uid[NWHO];
    unsigned roles[NWHO];
    int n;
};

/* YYYY-MM-DD of today (Asia/Shanghai) + days, in the arena. */
static const char *day(const struct ctx *x, int days)
{
    char d[11];
    sh_date_format(sh_civil_from_days((x->c->now + 8 * 3600) / 86400 + days), d);
    return sh_arena_strdup(x->c->a, d);
}

/* Inserts a record of ent from a JSON object of its columns, as user `by`. */
static enum sh_code ins(struct ctx *x, enum who by, const struct entity *ent, json_t *obj,
                        int64_t *id, struct sh_err *e)
{
    struct principal p = {.user_id = x->uid[by], .username = usernames[by], .roles = x->roles[by]};
    struct uc u = *x->c;
    u.who = &p;
    struct fval *v = sh_arena_alloc(u.a, sizeof(struct fval) * (size_t)ent->ncols);
    memset(v, 0, sizeof(struct fval) * (size_t)ent->ncols);
    const char *k;
    json_t *val;
    enum sh_code rc = SH_OK;
    json_object_foreach(obj, k, val)
    {
        int i = ent_colidx(ent, k);
        rc = i < 0 ? sh_err_set(e, SH_INTERNAL, "demo %s: %s", ent->name, k)
                   : ent_parse_value(u.a, &ent->cols[i], val, &v[i], e);
        if (rc)
            break;
    }
    json_decref(obj);
    int64_t dummy;
    if (!rc && !(rc = uc_ent_insert(&u, ent, v, id ? id : &dummy, NULL, e)))
        x->n++;
    return rc;
}

/* Takes corrective action id through the steps to reach `target`, each by its owner or head. */
static enum sh_code steps(struct ctx *x, int64_t id, enum who owner, const char *target,
                          struct sh_err *e)
{
    static const char *const path[] = {"start", "finish", "verify"};
    static const char *const reach[] = {"in_progress", "done", "verified"};
    enum sh_code rc = SH_OK;
    for (int i = 0; !rc && i < 3 && strcmp(target, "open"); i++) {
        enum who by = i == 2 ? HEAD : owner;
        struct principal p = {
            .user_id = x->uid[by], .username = usernames[by], .roles = x->roles[by]};
        struct uc u = *x->c;
        u.who = &p;
        const char *json;
        struct ca_step_in in = {.id = id,
                                .if_match = -1,
                                .action = path[i],
                                .note = i == 1 ? "已整改，已在班前会上通报" : NULL};
        rc = uc_corrective_step(&u, &in, &json, e);
        if (!strcmp(target, reach[i]))
            break;
    }
    return rc;
}

static enum sh_code problem(struct ctx *x, int64_t check, const char *what, const char *fix,
                            enum who owner, int due, const char *target, struct sh_err *e)
{
    int64_t id;
    enum sh_code rc = ins(x, HEAD, &ent_corrective_actions,
                          json_pack("{sI,ss,ss,sI,ss}", "spot_check_id", (json_int_t)check,
                                    "problem", what, "action", fix, "owner_id",
                                    (json_int_t)x->uid[owner], "due_date", day(x, due)),
                          &id, e);
    return rc ? rc : steps(x, id, owner, target, e);
}

static enum sh_code spot_checks(struct ctx *x, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(x->c->tx, x->c->a,
                               "SELECT (SELECT min(id) FROM sites) AS site, (SELECT max(id) FROM "
                               "tickets) AS ticket",
                               DB_NOP, &r, e);
    int64_t c1, c2, c3, site = db_get_int(&r, 0, "site", 0), tk = db_get_int(&r, 0, "ticket", 0);
    if (rc ||
        (rc = ins(x, HEAD, &ent_spot_checks,
                  json_pack("{ss,ss,ss,sI,ss,ss}", "kind", "spot_check", "checked_on", day(x, -12),
                            "subject", "technician", "staff_user_id", (json_int_t)x->uid[TECH],
                            "summary", "抽查吴磊上门维修的服务规范与单据", "finding",
                            "服务态度良好；两处单据问题"),
                  &c1, e)))
        return rc;
    if ((rc = problem(x, c1, "未让用户填写售后服务满意度调查表", "补填调查表，班前会说明要求", TECH,
                      -4, "open", e)) ||
        (rc = problem(x, c1, "售后服务报告单故障描述不完整", "补全报告单，按模板填写", TECH, 6,
                      "in_progress", e)))
        return rc;
    json_t *patrol =
        json_pack("{ss,ss,ss,ss,ss}", "kind", "patrol", "checked_on", day(x, -6), "subject",
                  site ? "site" : "other", "summary", "巡视售后工地：现场文明施工与安全", "finding",
                  "材料堆放不整齐；未设警示标志");
    if (site)
        json_object_set_new(patrol, "site_id", json_integer(site));
    if ((rc = ins(x, HEAD, &ent_spot_checks, patrol, &c2, e)) ||
        (rc = problem(x, c2, "施工材料堆放不整齐", "按区域整理堆放并拍照回传", TECH2, 2, "done",
                      e)) ||
        (rc = problem(x, c2, "作业区未设置安全警示标志", "设置警示标志和围挡", TECH3, -1,
                      "verified", e)))
        return rc;
    if (!tk)
        return SH_OK;
    return ins(x, GM, &ent_spot_checks,
               json_pack("{ss,ss,ss,sI,ss}", "kind", "spot_check", "checked_on", day(x, -2),
                         "subject", "ticket", "ticket_id", (json_int_t)tk, "summary",
                         "抽查报修单的回访记录：未发现问题"),
               &c3, e);
}

static enum sh_code attend(struct ctx *x, int64_t t, enum who w, int attended, const char *res,
                           int score, struct sh_err *e)
{
    json_t *o = json_pack("{sI,sI,sb,ss}", "training_id", (json_int_t)t, "user_id",
                          (json_int_t)x->uid[w], "attended", attended, "result", res);
    if (score >= 0)
        json_object_set_new(o, "score", json_integer(score));
    return ins(x, HEAD, &ent_training_attendances, o, NULL, e);
}

static enum sh_code trainings(struct ctx *x, struct sh_err *e)
{
    int64_t t1, t2, t3;
    enum sh_code rc;
    if ((rc =
             ins(x, HEAD, &ent_staff_trainings,
                 json_pack("{ss,ss,ss,sI,si,ss}", "category", "ethics", "title",
                           "职业道德：不顶撞用户，不索要财物", "held_on", day(x, -30), "trainer_id",
                           (json_int_t)x->uid[HEAD], "hours", 2, "location", "公司二楼会议室"),
                 &t1, e)) ||
        (rc = attend(x, t1, TECH, 1, "passed", 92, e)) ||
        (rc = attend(x, t1, TECH2, 1, "passed", 85, e)) ||
        (rc = attend(x, t1, TECH3, 0, "none", -1, e)))
        return rc;
    if ((rc = ins(x, HEAD, &ent_staff_trainings,
                  json_pack("{ss,ss,ss,ss,si}", "category", "safety_civilised", "title",
                            "安全施工与文明施工", "held_on", day(x, -14), "external_trainer",
                            "外聘安全讲师 陈工", "hours", 3),
                  &t2, e)) ||
        (rc = attend(x, t2, TECH, 1, "passed", 88, e)) ||
        (rc = attend(x, t2, TECH2, 1, "failed", 55, e)))
        return rc;
    if ((rc = ins(x, HEAD, &ent_staff_trainings,
                  json_pack("{ss,ss,ss,sI}", "category", "technical", "title",
                            "新型号设备调试与常见故障排查", "held_on", day(x, -3), "trainer_id",
                            (json_int_t)x->uid[TECH3]),
                  &t3, e)) ||
        (rc = attend(x, t3, TECH, 1, "none", -1, e)))
        return rc;
    return attend(x, t3, TECH2, 1, "none", -1, e);
}

static enum sh_code complaints(struct ctx *x, struct sh_err *e)
{
    enum sh_code rc;
    if ((rc = ins(x, HEAD, &ent_conduct_complaints,
                  json_pack("{sI,ss,ss,ss,ss}", "staff_user_id", (json_int_t)x->uid[TECH2],
                            "category", "arguing", "source", "customer_call", "occurred_on",
                            day(x, -5), "description", "用户来电反映维修时与设备科人员发生口角"),
                  NULL, e)) ||
        (rc = ins(x, HEAD, &ent_conduct_complaints,
                  json_pack("{sI,ss,ss,ss,ss,ss,ss}", "staff_user_id", (json_int_t)x->uid[TECH2],
                            "category", "asking_money", "source", "survey", "occurred_on",
                            day(x, -20), "description", "满意度调查中用户称服务人员索要购物卡",
                            "status", "investigating", "investigation",
                            "已电话核实用户，正在约谈当事人"),
                  NULL, e)))
        return rc;
    return ins(x, HEAD, &ent_conduct_complaints,
               json_pack("{sI,ss,ss,ss,ss,ss,ss,ss,ss}", "staff_user_id", (json_int_t)x->uid[TECH],
                         "category", "unreasonable_demand", "source", "spot_check", "occurred_on",
                         day(x, -40), "description", "抽查发现要求用户安排专车接送", "status",
                         "closed", "investigation", "情况属实", "outcome", "warning",
                         "action_taken", "书面警告，参加职业道德培训"),
               NULL, e);
}

static enum sh_code suggestion(struct ctx *x, enum who from, enum who to, const char *title,
                               const char *body, const char *status, const char *reply,
                               struct sh_err *e)
{
    int64_t id;
    enum sh_code rc = ins(x, from, &ent_suggestions,
                          json_pack("{sI,ss,ss}", "addressee_id", (json_int_t)x->uid[to], "title",
                                    title, "body", body),
                          &id, e);
    if (rc || !status)
        return rc;
    struct principal p = {.user_id = x->uid[to], .username = usernames[to], .roles = x->roles[to]};
    struct uc u = *x->c;
    u.who = &p;
    const char *json;
    struct suggestion_reply_in in = {.id = id, .status = status, .reply = reply};
    return uc_suggestion_reply(&u, &in, &json, e);
}

static enum sh_code suggestions(struct ctx *x, struct sh_err *e)
{
    enum sh_code rc;
    if ((rc = suggestion(x, TECH, HEAD, "建议服务车配备常用备件箱",
                         "常用保险丝、传感器随车携带，可减少二次上门", NULL, NULL, e)) ||
        (rc = suggestion(x, TECH2, HEAD, "建议每月召开一次疑难问题研讨会",
                         "交流各自维修心得，总结教训", "accepted", "同意，每月最后一个周五下午",
                         e)) ||
        (rc = suggestion(x, AGENT, GM, "建议来电记录增加外地经销商地址字段", "方便回访外地经销商",
                         "noted", "已转技术部评估", e)))
        return rc;
    return suggestion(x, TECH3, HEAD, "建议取消周末值班", "周末报修较少", "rejected",
                      "周末仍需保证24小时内答复用户", e);
}

enum sh_code demo_disc(const struct uc *c, int *n, struct sh_err *e)
{
    struct ctx x = {.c = c};
    *n = 0;
    struct db_rows r;
    enum sh_code rc = db_query(c->tx, c->a, "SELECT count(*) AS n FROM spot_checks", DB_NOP, &r, e);
    if (rc || db_get_int(&r, 0, "n", 0) > 0)
        return rc;
    for (int i = 0; i < NWHO; i++) {
        if ((rc = db_query(c->tx, c->a,
                           "SELECT id, roles FROM users WHERE username = $1 AND active = 1",
                           DB_P(DB_TEXT(usernames[i])), &r, e)))
            return rc;
        if (!r.nrows) /* the demo users are loaded with --password-file only */
            return SH_OK;
        x.uid[i] = db_get_int(&r, 0, "id", 0);
        if (!roles_parse(db_get(&r, 0, "roles"), &x.roles[i]))
            return SH_OK;
    }
    if ((rc = spot_checks(&x, e)) || (rc = trainings(&x, e)) || (rc = complaints(&x, e)) ||
        (rc = suggestions(&x, e)))
        return rc;
    *n = x.n;
    return SH_OK;
}
