/* SPDX-License-Identifier: MIT */
#include "cli/demo_notifications.h"

#include "base/date.h"

static const struct {
    const char *state, *channel, *recipient, *subject, *error;
    int attempts;
    int next_h; /* next attempt in hours (held, failed); 0: none */
} rows[] = {
    {"pending", "email", "zhang.wei@example.cn", "工单已受理：设备漏水（演示）", "", 0, 0},
    {"held", "sms", "13900009001", "明早 09:30 工程师上门（演示，免打扰时段暂缓）", "", 0, 10},
    {"failed", "webhook", "", "工单状态变更推送（演示）", "webhook: HTTP 503", 2, 1},
    {"dead", "sms", "13900009002", "满意度回访链接（演示）",
     "aliyun: HTTP 200 isv.MOBILE_NUMBER_ILLEGAL", 5, 0},
    {"skipped", "sms", "13900009003", "保修即将到期提醒（演示）", "the recipient opted out", 0, 0},
    {"sent", "wecom", "", "SLA 即将超时：TK 演示工单", "", 1, 0},
};

enum sh_code demo_notifications(const struct uc *u, struct sh_err *e)
{
    char now[21], next[21];
    sh_ts_format(u->now, now);
    enum sh_code rc = SH_OK;
    for (size_t i = 0; !rc && i < sizeof(rows) / sizeof(rows[0]); i++) {
        sh_ts_format(u->now + rows[i].next_h * 3600, next);
        bool sent = rows[i].state[0] == 's' && rows[i].state[1] == 'e';
        rc = db_exec(u->tx,
                     "INSERT INTO outbox (created_at, kind, channel, recipient, subject, body, "
                     "deliver_after, state, attempts, last_error, next_attempt_at, sent_at, "
                     "address, dedupe_key) VALUES ($1, 'demo', $2, $3, $4, $4, $1, $5, $6, $7, "
                     "$8, $9, $3, $10) ON CONFLICT (dedupe_key) DO NOTHING",
                     DB_P(DB_TEXT(now), DB_TEXT(rows[i].channel), DB_TEXT(rows[i].recipient),
                          DB_TEXT(rows[i].subject), DB_TEXT(rows[i].state),
                          DB_INT(rows[i].attempts), DB_TEXT(rows[i].error),
                          rows[i].next_h ? DB_TEXT(next) : DB_NULL, sent ? DB_TEXT(now) : DB_NULL,
                          DB_TEXT(sh_arena_printf(u->a, "demo-notify-%s", rows[i].state))),
                     NULL, e);
    }
    return rc;
}
