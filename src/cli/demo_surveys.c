/* SPDX-License-Identifier: MIT */
#include "cli/demo_surveys.h"

#include <string.h>

#include "app/surveys.h"
#include "app/ticket_actions.h"
#include "app/ticket_intake.h"
#include "base/date.h"
#include "cli/common.h"

struct plan {
    const char *tech, *caller, *phone, *fault, *answer;
    char outcome;  /* 'l' link, 'p' phone, 'r' refused, '-' pending */
    int scores[4]; /* speed, skill, attitude, overall */
    const char *comment;
};

static const struct plan plans[] = {
    {"technician",
     "王先生",
     "13812345601",
     "开机后屏幕无显示",
     "远程指导更换电源适配器后恢复",
     'l',
     {5, 5, 5, 5},
     "响应很快，工程师讲解清楚。"},
    {"technician2",
     "李女士",
     "13812345602",
     "离心机运行时异响",
     "电话指导调整配平后异响消失",
     'p',
     {3, 4, 2, 3},
     "工程师态度有些急躁。"},
    {"technician",
     "陈工",
     "13812345603",
     "温度显示偏高 2 ℃",
     "指导重新校准温度传感器",
     'r',
     {0, 0, 0, 0},
     NULL},
    {"technician3",
     "赵主任",
     "13812345604",
     "打印机卡纸",
     "远程指导清理进纸通道",
     '-',
     {0, 0, 0, 0},
     NULL},
    {"technician2",
     "刘经理",
     "13812345605",
     "软件升级后无法登录",
     "重置账号权限后恢复",
     'l',
     {4, 5, 4, 4},
     NULL},
};

static enum sh_code user_id(struct db_tx *tx, struct sh_arena *a, const char *name, int64_t *id,
                            struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, a, "SELECT id FROM users WHERE username = $1", DB_P(DB_TEXT(name)), &r, e);
    *id = rc || !r.nrows ? 0 : db_get_int(&r, 0, "id", 0);
    return rc;
}

/* A repair solved by phone: registered, accepted, resolved (the survey and its link follow). */
static enum sh_code resolved(const struct uc *u, const struct plan *p, int64_t unit, int64_t tech,
                             int64_t *id, struct sh_err *e)
{
    struct ticket_intake_in in = {.channel = "phone",
                                  .type = "repair",
                                  .unit_id = unit,
                                  .caller_name = p->caller,
                                  .caller_phone = p->phone,
                                  .description = p->fault,
                                  .assignee_id = tech};
    struct ticket_intake_out out;
    enum sh_code rc = uc_ticket_intake(u, &in, &out, e);
    if (rc)
        return rc;
    *id = out.id;
    struct ticket_action_out ao;
    struct ticket_action_in a = {.id = out.id, .act = TA_ACCEPT, .if_match = -1};
    if ((rc = uc_ticket_action(u, &a, &ao, e)))
        return rc;
    a = (struct ticket_action_in){.id = out.id,
                                  .act = TA_RESOLVE_REMOTE,
                                  .note = p->answer,
                                  .visibility = "customer",
                                  .if_match = -1};
    return uc_ticket_action(u, &a, &ao, e);
}

static enum sh_code answer(const struct uc *u, const struct plan *p, int64_t id, struct sh_err *e)
{
    int64_t scores[SURVEY_SCORE_COUNT];
    for (int k = 0; k < SURVEY_SCORE_COUNT; k++)
        scores[k] = p->scores[k];
    if (p->outcome == 'l') {
        struct survey_link_out link;
        enum sh_code rc = uc_survey_link(u, id, &link, e);
        struct principal anon = {.username = "public-survey"};
        struct uc pub = *u;
        pub.who = &anon;
        return rc ? rc
                  : uc_survey_public_submit(&pub, link.token, scores, p->comment ? p->comment : "",
                                            e);
    }
    if (p->outcome == '-')
        return SH_OK;
    struct survey_record_in in = {.ticket_id = id,
                                  .refused = p->outcome == 'r',
                                  .comment = p->comment,
                                  .respondent = p->caller,
                                  .reason = "客户表示工作繁忙，不便填写"};
    memcpy(in.scores, scores, sizeof(scores));
    struct survey_row row;
    return uc_survey_record(u, &in, &row, e);
}

enum sh_code demo_surveys(const struct app *app, struct db_tx *tx, struct sh_arena *a, int *n,
                          struct sh_err *e)
{
    *n = 0;
    struct db_rows units;
    enum sh_code rc =
        db_query(tx, a, "SELECT id FROM units ORDER BY id LIMIT 5", DB_NOP, &units, e);
    if (rc || units.nrows < 5)
        return rc;
    struct principal who = cli_principal();
    struct uc u = {.tx = tx, .a = a, .who = &who, .now = sh_now(), .app = app};
    for (size_t i = 0; i < sizeof(plans) / sizeof(plans[0]); i++) {
        int64_t tech = 0, id = 0;
        if ((rc = user_id(tx, a, plans[i].tech, &tech, e)) || !tech)
            return rc;
        if ((rc = resolved(&u, &plans[i], db_get_int(&units, (int)i, "id", 0), tech, &id, e)) ||
            (rc = answer(&u, &plans[i], id, e)))
            return rc;
        ++*n;
    }
    return SH_OK;
}
