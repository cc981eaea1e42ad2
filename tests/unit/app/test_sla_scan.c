/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* The SLA scanner (sla_scan) on a real SQLite database: batches that hold tickets of both
 * shipped policies (5x8 and 6x24 calendars), several priorities and statuses, pauses, clocks
 * already stored at some escalation level, a cancelled ticket and one without a policy. Every
 * row the scan writes — timeline events, outbox notifications, ticket_sla rows and the tickets'
 * sla_state / next_due_at / next_check_at — is compared with what the per-ticket path wrote
 * before the scan's writes were gathered per batch (the EXPECT lines were captured from that
 * code), for batches of 3 tickets and of 250. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/sla.h"
#include "base/date.h"
#include "base/sh_buf.h"

#include "../unit_db.h"

#define TS "'2026-01-01T00:00:00Z'"

static const char *const SEED[] = {
    "INSERT INTO customers (id, code, name, type, created_at, updated_at) VALUES (1, 'K1', "
    "'客户', 'company', " TS ", " TS ")",
    "INSERT INTO departments (id, code, name, created_at, updated_at) VALUES (97, 'SLA-SVC', "
    "'服务部', " TS ", " TS ")",
    "INSERT INTO users (id, username, roles, department_id, password_hash, locale, created_at, "
    "updated_at) VALUES (21, 'tech1', 'technician', 97, 'x', 'zh-CN', " TS ", " TS "), (22, "
    "'tech2', 'technician', 97, 'x', 'en', " TS ", " TS "), (23, 'head', 'agent,dept_head', 97, "
    "'x', 'zh-CN', " TS ", " TS "), (24, 'head2', 'dept_head', NULL, 'x', 'en', " TS ", " TS
    "), (25, 'boss', 'gm', NULL, 'x', 'zh-CN', " TS ", " TS ")",
    /* escalate to the department head after 60 minutes of breach on the default policy */
    ("UPDATE sla_policies SET escalate_dept_head_minutes = 60, escalate_gm_minutes = 600 "
     "WHERE id = 1"),
};

/* id, policy, status, priority, assignee, department, received_at, extra columns */
static const char *const TICKETS[] = {
    "(1, 1, 'new', 'normal', 21, 97, '2026-03-09T00:30:00Z', NULL, NULL)",
    "(2, 2, 'new', 'high', 22, 97, '2026-03-09T20:00:00Z', NULL, NULL)",
    "(3, 1, 'assigned', 'urgent', 21, NULL, '2026-03-02T01:00:00Z', '2026-03-02T02:00:00Z', "
    "NULL)",
    "(4, 2, 'assigned', 'low', 22, 97, '2026-03-06T03:00:00Z', '2026-03-06T04:00:00Z', "
    "'2026-03-06T05:00:00Z')",
    "(5, 1, 'new', 'normal', NULL, NULL, '2026-03-10T06:00:00Z', NULL, NULL)",
    "(6, 2, 'cancelled', 'normal', 21, 97, '2026-03-01T00:00:00Z', NULL, NULL)",
    "(7, NULL, 'new', 'normal', 21, 97, '2026-03-01T00:00:00Z', NULL, NULL)",
    "(8, 1, 'on_hold', 'high', 22, 97, '2026-03-05T02:00:00Z', '2026-03-05T03:00:00Z', NULL)",
    "(9, 2, 'new', 'urgent', 21, 97, '2026-03-10T07:00:00Z', NULL, NULL)",
    "(10, 1, 'assigned', 'normal', 21, 97, '2026-02-20T02:00:00Z', '2026-02-20T03:00:00Z', "
    "'2026-02-20T04:00:00Z')",
};

static const char *const SEED2[] = {
    /* clocks stored by an earlier look: some already at risk or breached and escalated */
    "INSERT INTO ticket_sla (ticket_id, target, started_at, due_at, done_at, budget_seconds, "
    "state, escalation_level) VALUES (3, 'remote', '2026-03-02T01:00:00Z', "
    "'2026-03-02T03:00:00Z', NULL, 7200, 'breached', 1), (4, 'onsite', "
    "'2026-03-06T05:00:00Z', '2026-03-07T05:00:00Z', NULL, 86400, 'at_risk', 1), (10, "
    "'remote', '2026-02-20T02:00:00Z', '2026-02-20T04:00:00Z', NULL, 7200, 'breached', 2)",
    "INSERT INTO ticket_pauses (ticket_id, started_at, ended_at) VALUES (8, "
    "'2026-03-05T04:00:00Z', '2026-03-06T04:00:00Z'), (8, '2026-03-09T04:00:00Z', NULL), (1, "
    "'2026-03-09T01:00:00Z', '2026-03-09T02:00:00Z')",
};

static enum sh_code seed(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    enum sh_code rc = SH_OK;
    for (size_t i = 0; !rc && i < sizeof(SEED) / sizeof(SEED[0]); i++)
        rc = db_exec(tx, SEED[i], DB_NOP, NULL, e);
    for (size_t i = 0; !rc && i < sizeof(TICKETS) / sizeof(TICKETS[0]); i++) {
        char sql[1024];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO tickets (id, sla_policy_id, status, priority, assignee_id, "
                 "department_id, received_at, replied_at, not_remote_at, number, channel, type, "
                 "customer_id, created_at, updated_at, next_check_at) SELECT column1, column2, "
                 "column3, column4, column5, column6, column7, column8, column9, 'T' || column1, "
                 "'phone', 'repair', 1, column7, column7, '2026-03-10T07:59:00Z' FROM (VALUES %s)",
                 TICKETS[i]);
        rc = db_exec(tx, sql, DB_NOP, NULL, e);
    }
    for (size_t i = 0; !rc && i < sizeof(SEED2) / sizeof(SEED2[0]); i++)
        rc = db_exec(tx, SEED2[i], DB_NOP, NULL, e);
    return rc;
}

static const char *const DUMP[] = {
    "SELECT 'ev', ticket_id, at, actor, kind, visibility, body, data FROM ticket_events ORDER BY "
    "id",
    "SELECT 'out', ticket_id, kind, channel, recipient_user_id, recipient, subject, body, "
    "deliver_after, dedupe_key, params, locale, state FROM outbox ORDER BY id",
    "SELECT 'sla', ticket_id, target, started_at, due_at, done_at, budget_seconds, state, "
    "escalation_level FROM ticket_sla ORDER BY ticket_id, target",
    "SELECT 'tk', id, sla_state, next_due_at, next_check_at FROM tickets ORDER BY id",
};

static enum sh_code dump(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct sh_buf *b = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    enum sh_code rc = SH_OK;
    for (size_t q = 0; !rc && q < sizeof(DUMP) / sizeof(DUMP[0]); q++) {
        struct db_rows r;
        if ((rc = db_query(tx, &a, DUMP[q], DB_NOP, &r, e)))
            break;
        for (int i = 0; i < r.nrows; i++) {
            for (int c = 0; c < r.ncols; c++) {
                const char *v = db_cell(&r, i, c);
                if (sh_buf_addf(b, "%s%s", c ? "|" : "", v ? v : "~"))
                    rc = sh_err_set(e, SH_INTERNAL, "dump too long");
            }
            if (sh_buf_addf(b, "\n"))
                rc = sh_err_set(e, SH_INTERNAL, "dump too long");
        }
    }
    sh_arena_release(&a);
    return rc;
}

/* Seeds a fresh database, scans it in batches of `batch` at `now` (twice: the second pass an
 * hour later) and returns the dump (malloc'd). */
static char *scan_and_dump(int batch)
{
    struct unit_db u;
    struct db *db = unit_db_open(&u, "slascan", true);
    assert_non_null(db);
    struct sh_err e;
    sh_err_clear(&e);
    if (db_write(db, seed, NULL, &e))
        fail_msg("seed: %s", e.msg);
    struct app app = {.db = db};
    int64_t now;
    assert_true(sh_ts_parse("2026-03-10T08:00:00Z", &now));
    for (int pass = 0; pass < 2; pass++, now += 3600) {
        int n = batch, k = 0;
        while (n == batch && k++ < 100)
            if (sla_scan(&app, now, batch, &n, &e))
                fail_msg("sla_scan: %s", e.msg);
    }
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    if (db_read(db, dump, &b, &e))
        fail_msg("dump: %s", e.msg);
    char *out = strndup(b.buf, b.len);
    sh_buf_release(&b);
    unit_db_close(&u);
    return out;
}

/* What the per-ticket path wrote (captured from it before the batch's writes were gathered). */
static const char *const EXPECT[] = {
    "ev|1|2026-03-10T08:00:00Z|sla-job|sla|internal|remote ",
    "breached|{\"target\":\"remote\",\"state\":\"breached\"}\n",
    "ev|2|2026-03-10T08:00:00Z|sla-job|sla|internal|reply ",
    "breached|{\"target\":\"reply\",\"state\":\"breached\"}\n",
    "ev|2|2026-03-10T08:00:00Z|sla-job|sla|internal|remote ",
    "breached|{\"target\":\"remote\",\"state\":\"breached\"}\n",
    "ev|4|2026-03-10T08:00:00Z|sla-job|sla|internal|onsite ",
    "breached|{\"target\":\"onsite\",\"state\":\"breached\"}\n",
    "ev|5|2026-03-10T08:00:00Z|sla-job|sla|internal|remote ",
    "at_risk|{\"target\":\"remote\",\"state\":\"at_risk\"}\n",
    "ev|8|2026-03-10T08:00:00Z|sla-job|sla|internal|remote ",
    "breached|{\"target\":\"remote\",\"state\":\"breached\"}\n",
    "ev|10|2026-03-10T08:00:00Z|sla-job|sla|internal|onsite ",
    "breached|{\"target\":\"onsite\",\"state\":\"breached\"}\n",
    "ev|5|2026-03-10T09:00:00Z|sla-job|sla|internal|remote ",
    "breached|{\"target\":\"remote\",\"state\":\"breached\"}\n",
    "ev|9|2026-03-10T09:00:00Z|sla-job|sla|internal|remote ",
    "at_risk|{\"target\":\"remote\",\"state\":\"at_risk\"}\n",
    "out|1|sla_breached|email|21||SLA 已超时：T1|工单 T1 的 remote 已于 2026-03-09 11:30 ",
    "超时，请升级处理。|2026-03-10T08:00:00Z|sla:1:remote:1:21|{\"number\":\"T1\",\"clock\":",
    "\"remote\",\"due_at\":\"2026-03-09 11:30\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|1|sla_breached|email|23||SLA 已超时：T1|工单 T1 的 remote 已于 2026-03-09 11:30 ",
    "超时，请升级处理。|2026-03-10T08:00:00Z|sla:1:remote:2:23|{\"number\":\"T1\",\"clock\":",
    "\"remote\",\"due_at\":\"2026-03-09 11:30\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|1|sla_breached|email|24||SLA breached: T1|The remote of T1 was due at 2026-03-09 11:30: ",
    "escalate.|2026-03-10T08:00:00Z|sla:1:remote:2:24|{\"number\":\"T1\",\"clock\":\"remote\",",
    "\"due_at\":\"2026-03-09 11:30\",\"state\":\"breached\"}|en|pending\n",
    "out|1|sla_breached|email|25||SLA 已超时：T1|工单 T1 的 remote 已于 2026-03-09 11:30 ",
    "超时，请升级处理。|2026-03-10T08:00:00Z|sla:1:remote:3:25|{\"number\":\"T1\",\"clock\":",
    "\"remote\",\"due_at\":\"2026-03-09 11:30\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|2|sla_breached|email|22||SLA breached: T2|The reply of T2 was due at 2026-03-10 08:00: ",
    "escalate.|2026-03-10T08:00:00Z|sla:2:reply:1:22|{\"number\":\"T2\",\"clock\":\"reply\",\"due_",
    "at\":\"2026-03-10 08:00\",\"state\":\"breached\"}|en|pending\n",
    "out|2|sla_breached|email|23||SLA 已超时：T2|工单 T2 的 reply 已于 2026-03-10 08:00 ",
    "超时，请升级处理。|2026-03-10T08:00:00Z|sla:2:reply:2:23|{\"number\":\"T2\",\"clock\":",
    "\"reply\",\"due_at\":\"2026-03-10 08:00\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|2|sla_breached|email|24||SLA breached: T2|The reply of T2 was due at 2026-03-10 08:00: ",
    "escalate.|2026-03-10T08:00:00Z|sla:2:reply:2:24|{\"number\":\"T2\",\"clock\":\"reply\",\"due_",
    "at\":\"2026-03-10 08:00\",\"state\":\"breached\"}|en|pending\n",
    "out|2|sla_breached|email|22||SLA breached: T2|The remote of T2 was due at 2026-03-10 06:00: ",
    "escalate.|2026-03-10T08:00:00Z|sla:2:remote:1:22|{\"number\":\"T2\",\"clock\":\"remote\",",
    "\"due_at\":\"2026-03-10 06:00\",\"state\":\"breached\"}|en|pending\n",
    "out|2|sla_breached|email|23||SLA 已超时：T2|工单 T2 的 remote 已于 2026-03-10 06:00 ",
    "超时，请升级处理。|2026-03-10T08:00:00Z|sla:2:remote:2:23|{\"number\":\"T2\",\"clock\":",
    "\"remote\",\"due_at\":\"2026-03-10 06:00\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|2|sla_breached|email|24||SLA breached: T2|The remote of T2 was due at 2026-03-10 06:00: ",
    "escalate.|2026-03-10T08:00:00Z|sla:2:remote:2:24|{\"number\":\"T2\",\"clock\":\"remote\",",
    "\"due_at\":\"2026-03-10 06:00\",\"state\":\"breached\"}|en|pending\n",
    "out|3|sla_breached|email|23||SLA 已超时：T3|工单 T3 的 remote 已于 2026-03-02 11:00 ",
    "超时，请升级处理。|2026-03-10T08:00:00Z|sla:3:remote:2:23|{\"number\":\"T3\",\"clock\":",
    "\"remote\",\"due_at\":\"2026-03-02 11:00\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|3|sla_breached|email|24||SLA breached: T3|The remote of T3 was due at 2026-03-02 11:00: ",
    "escalate.|2026-03-10T08:00:00Z|sla:3:remote:2:24|{\"number\":\"T3\",\"clock\":\"remote\",",
    "\"due_at\":\"2026-03-02 11:00\",\"state\":\"breached\"}|en|pending\n",
    "out|3|sla_breached|email|25||SLA 已超时：T3|工单 T3 的 remote 已于 2026-03-02 11:00 ",
    "超时，请升级处理。|2026-03-10T08:00:00Z|sla:3:remote:3:25|{\"number\":\"T3\",\"clock\":",
    "\"remote\",\"due_at\":\"2026-03-02 11:00\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|4|sla_breached|email|23||SLA 已超时：T4|工单 T4 的 onsite 已于 2026-03-07 13:00 ",
    "超时，请升级处理。|2026-03-10T08:00:00Z|sla:4:onsite:2:23|{\"number\":\"T4\",\"clock\":",
    "\"onsite\",\"due_at\":\"2026-03-07 13:00\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|4|sla_breached|email|24||SLA breached: T4|The onsite of T4 was due at 2026-03-07 13:00: ",
    "escalate.|2026-03-10T08:00:00Z|sla:4:onsite:2:24|{\"number\":\"T4\",\"clock\":\"onsite\",",
    "\"due_at\":\"2026-03-07 13:00\",\"state\":\"breached\"}|en|pending\n",
    "out|4|sla_breached|email|25||SLA 已超时：T4|工单 T4 的 onsite 已于 2026-03-07 13:00 ",
    "超时，请升级处理。|2026-03-10T08:00:00Z|sla:4:onsite:3:25|{\"number\":\"T4\",\"clock\":",
    "\"onsite\",\"due_at\":\"2026-03-07 13:00\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|8|sla_breached|email|22||SLA breached: T8|The remote of T8 was due at 2026-03-05 12:00: ",
    "escalate.|2026-03-10T08:00:00Z|sla:8:remote:1:22|{\"number\":\"T8\",\"clock\":\"remote\",",
    "\"due_at\":\"2026-03-05 12:00\",\"state\":\"breached\"}|en|pending\n",
    "out|8|sla_breached|email|23||SLA 已超时：T8|工单 T8 的 remote 已于 2026-03-05 12:00 ",
    "超时，请升级处理。|2026-03-10T08:00:00Z|sla:8:remote:2:23|{\"number\":\"T8\",\"clock\":",
    "\"remote\",\"due_at\":\"2026-03-05 12:00\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|8|sla_breached|email|24||SLA breached: T8|The remote of T8 was due at 2026-03-05 12:00: ",
    "escalate.|2026-03-10T08:00:00Z|sla:8:remote:2:24|{\"number\":\"T8\",\"clock\":\"remote\",",
    "\"due_at\":\"2026-03-05 12:00\",\"state\":\"breached\"}|en|pending\n",
    "out|8|sla_breached|email|25||SLA 已超时：T8|工单 T8 的 remote 已于 2026-03-05 12:00 ",
    "超时，请升级处理。|2026-03-10T08:00:00Z|sla:8:remote:3:25|{\"number\":\"T8\",\"clock\":",
    "\"remote\",\"due_at\":\"2026-03-05 12:00\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|10|sla_breached|email|21||SLA 已超时：T10|工单 T10 的 onsite 已于 2026-03-02 17:30 ",
    "超时，请升级处理。|2026-03-10T08:00:00Z|sla:10:onsite:1:21|{\"number\":\"T10\",\"clock\":",
    "\"onsite\",\"due_at\":\"2026-03-02 17:30\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|10|sla_breached|email|23||SLA 已超时：T10|工单 T10 的 onsite 已于 2026-03-02 17:30 ",
    "超时，请升级处理。|2026-03-10T08:00:00Z|sla:10:onsite:2:23|{\"number\":\"T10\",\"clock\":",
    "\"onsite\",\"due_at\":\"2026-03-02 17:30\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|10|sla_breached|email|24||SLA breached: T10|The onsite of T10 was due at 2026-03-02 ",
    "17:30: ",
    "escalate.|2026-03-10T08:00:00Z|sla:10:onsite:2:24|{\"number\":\"T10\",\"clock\":\"onsite\",",
    "\"due_at\":\"2026-03-02 17:30\",\"state\":\"breached\"}|en|pending\n",
    "out|10|sla_breached|email|25||SLA 已超时：T10|工单 T10 的 onsite 已于 2026-03-02 17:30 ",
    "超时，请升级处理。|2026-03-10T08:00:00Z|sla:10:onsite:3:25|{\"number\":\"T10\",\"clock\":",
    "\"onsite\",\"due_at\":\"2026-03-02 17:30\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|5|sla_breached|email|23||SLA 已超时：T5|工单 T5 的 remote 已于 2026-03-10 16:00 ",
    "超时，请升级处理。|2026-03-10T09:00:00Z|sla:5:remote:2:23|{\"number\":\"T5\",\"clock\":",
    "\"remote\",\"due_at\":\"2026-03-10 16:00\",\"state\":\"breached\"}|zh-CN|pending\n",
    "out|5|sla_breached|email|24||SLA breached: T5|The remote of T5 was due at 2026-03-10 16:00: ",
    "escalate.|2026-03-10T09:00:00Z|sla:5:remote:2:24|{\"number\":\"T5\",\"clock\":\"remote\",",
    "\"due_at\":\"2026-03-10 16:00\",\"state\":\"breached\"}|en|pending\n",
    "out|9|sla_at_risk|email|21||SLA 即将超时：T9|工单 T9 的 remote 将于 2026-03-10 17:00 ",
    "到期。|2026-03-10T09:00:00Z|sla:9:remote:1:21|{\"number\":\"T9\",\"clock\":\"remote\",\"due_",
    "at\":\"2026-03-10 17:00\",\"state\":\"at_risk\"}|zh-CN|pending\n",
    "sla|1|onsite|~|~|~|0|pending|0\n",
    "sla|1|remote|2026-03-09T00:30:00Z|2026-03-09T03:30:00Z|~|7200|breached|3\n",
    "sla|1|reply|2026-03-09T00:30:00Z|2026-03-12T01:30:00Z|~|86400|running|0\n",
    "sla|2|onsite|~|~|~|0|pending|0\n",
    "sla|2|remote|2026-03-09T20:00:00Z|2026-03-09T22:00:00Z|~|7200|breached|2\n",
    "sla|2|reply|2026-03-09T20:00:00Z|2026-03-10T00:00:00Z|~|14400|breached|2\n",
    "sla|3|onsite|~|~|~|0|pending|0\n",
    "sla|3|remote|2026-03-02T01:00:00Z|2026-03-02T03:00:00Z|~|7200|breached|3\n",
    "sla|3|reply|2026-03-02T01:00:00Z|2026-03-05T01:00:00Z|2026-03-02T02:00:00Z|86400|met|0\n",
    "sla|4|onsite|2026-03-06T05:00:00Z|2026-03-07T05:00:00Z|~|86400|breached|3\n",
    "sla|4|remote|2026-03-06T03:00:00Z|2026-03-06T05:00:00Z|2026-03-06T05:00:00Z|7200|met|0\n",
    "sla|4|reply|2026-03-06T03:00:00Z|2026-03-06T07:00:00Z|2026-03-06T04:00:00Z|14400|met|0\n",
    "sla|5|onsite|~|~|~|0|pending|0\n",
    "sla|5|remote|2026-03-10T06:00:00Z|2026-03-10T08:00:00Z|~|7200|breached|2\n",
    "sla|5|reply|2026-03-10T06:00:00Z|2026-03-13T06:00:00Z|~|86400|running|0\n",
    "sla|8|onsite|~|~|~|0|pending|0\n",
    "sla|8|remote|2026-03-05T02:00:00Z|2026-03-05T04:00:00Z|~|7200|breached|3\n",
    "sla|8|reply|2026-03-05T02:00:00Z|2026-03-10T02:00:00Z|2026-03-05T03:00:00Z|86400|met|0\n",
    "sla|9|onsite|~|~|~|0|pending|0\n",
    "sla|9|remote|2026-03-10T07:00:00Z|2026-03-10T09:00:00Z|~|7200|at_risk|1\n",
    "sla|9|reply|2026-03-10T07:00:00Z|2026-03-10T11:00:00Z|~|14400|running|0\n",
    "sla|10|onsite|2026-02-20T04:00:00Z|2026-03-02T09:30:00Z|~|172800|breached|3\n",
    "sla|10|remote|2026-02-20T02:00:00Z|2026-02-24T02:30:00Z|2026-02-20T04:00:00Z|7200|met|2\n",
    "sla|10|reply|2026-02-20T02:00:00Z|2026-02-26T09:30:00Z|2026-02-20T03:00:00Z|86400|met|0\n",
    "tk|1|breached|2026-03-09T03:30:00Z|2026-03-11T05:42:00Z\n",
    "tk|2|breached|2026-03-09T22:00:00Z|2026-03-10T22:00:00Z\n",
    "tk|3|breached|2026-03-02T03:00:00Z|~\n",
    "tk|4|breached|2026-03-07T05:00:00Z|~\n",
    "tk|5|breached|2026-03-10T08:00:00Z|2026-03-10T18:00:00Z\n",
    "tk|6|ok|~|~\n",
    "tk|7|ok|~|~\n",
    "tk|8|breached|2026-03-05T04:00:00Z|~\n",
    "tk|9|at_risk|2026-03-10T09:00:00Z|2026-03-10T09:00:00Z\n",
    "tk|10|breached|2026-03-02T09:30:00Z|~\n",
};

static void check(int batch)
{
    char *got = scan_and_dump(batch);
    struct sh_buf want = SH_BUF_INIT(1 << 20);
    for (size_t i = 0; i < sizeof(EXPECT) / sizeof(EXPECT[0]); i++)
        assert_int_equal(sh_buf_addf(&want, "%s", EXPECT[i]), 0);
    if (strcmp(got, want.buf))
        fprintf(stderr, "---- got (batch %d) ----\n%s---- end ----\n", batch, got);
    assert_string_equal(got, want.buf);
    sh_buf_release(&want);
    free(got);
}

static void scan_small_batches(void **state)
{
    (void)state;
    check(3);
}

static void scan_one_batch(void **state)
{
    (void)state;
    check(250);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scan_small_batches),
        cmocka_unit_test(scan_one_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
