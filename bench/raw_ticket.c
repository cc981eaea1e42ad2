/* SPDX-License-Identifier: MIT */
/* The ceiling for "create a ticket": how fast the database itself commits the
 * ticket row durably, one row per transaction, with no HTTP and no engine around it.
 *
 * usage: bench_raw_ticket --sqlite PATH [--seconds S] [--batch N]
 *        bench_raw_ticket --pg DSN      [--seconds S] [--batch N] [--clients C]
 *
 * PATH / DSN must hold the Shouhou schema (`shouhou init`), so the tickets table,
 * its indexes, the search indexes (SQLite: FTS5 trigram and character pairs, brought
 * up to date before each COMMIT by the statement the server's writer runs; PostgreSQL:
 * the GIN indexes) and the foreign keys are exactly the server's. SQLite is opened the
 * way the server's writer is: WAL, synchronous=FULL, foreign_keys=ON. PostgreSQL
 * runs with its defaults (fsync=on, synchronous_commit=on). The row has the columns
 * POST /api/v1/tickets writes for {channel: phone, type: repair, customer_id,
 * caller_name, caller_phone, description}: number, status, priority, region,
 * received_at, the default SLA policy, billing, warranty status, the search text
 * ("number caller phone customer serial description"), its character pairs and
 * timestamps. Only the
 * ticket row: not the counter, events, SLA rows, audit row or read-back the
 * server adds in the same transaction.
 * The runner is bench/raw_common.h.
 * Prints one line: "raw_ticket <engine> batch=N clients=C rows=R seconds=T rate=X". */
#define BENCH_NAME "bench_raw_ticket"
#include "raw_common.h"

/* one customer to point at; created when the database has none */
static const char *const SETUP_CUSTOMER =
    "INSERT INTO customers (code, name, type, province, search, created_at, updated_at, "
    "first_contact_at) SELECT 'RAW000001', '苏州华鑫机械有限公司', 'company', '江苏', "
    "'RAW000001 苏州华鑫机械有限公司 江苏    ', $1, $1, $1 "
    "WHERE NOT EXISTS (SELECT 1 FROM customers WHERE code = 'RAW000001')";
static const char *const IDS = "SELECT (SELECT id FROM sla_policies WHERE code = 'default'), "
                               "(SELECT id FROM customers WHERE code = 'RAW000001')";
static const char *const INSERT =
    "INSERT INTO tickets (number, channel, type, status, priority, customer_id, unit_id, "
    "model_id, region, caller_name, caller_phone, fault_category, description, "
    "required_arrival_at, received_at, assignee_id, department_id, sla_policy_id, billing, "
    "warranty_status, warranty_json, search, created_by, created_at, updated_at, search_bi) "
    "VALUES ($1, 'phone', 'repair', 'new', 'normal', $2, NULL, NULL, '江苏', '王建国', "
    "'13812345678', '', $3, NULL, $4, NULL, NULL, $5, 'warranty', 'unknown', NULL, $6, 1, $4, $4, "
    "$7) RETURNING id";
/* (SQLite numbers "$N" parameters in order of first appearance: keep them in order) */
#define DESC       "客户来电反映注塑机今早开始无法开机，已断电重启无效，影响生产，客户要求尽快上门。"
#define SEARCH_FMT "%s 王建国 13812345678 苏州华鑫机械有限公司  " DESC

static const char *const SETUP[] = {SETUP_CUSTOMER, NULL};

/* ids: SLA policy, customer */
static void fill(const char *key, const char *now, const char *const ids[2], struct raw_buf *b,
                 const char **p)
{
    snprintf(b->extra, sizeof(b->extra), "RT%s", key);
    snprintf(b->search, sizeof(b->search), SEARCH_FMT, b->extra);
    p[0] = b->extra;
    p[1] = ids[1];
    p[2] = DESC;
    p[3] = now;
    p[4] = ids[0];
    p[5] = b->search;
    p[6] = pairs_of(b->search);
}

int main(int argc, char **argv)
{
    static const struct raw_row row = {"raw_ticket", SETUP, IDS, INSERT, 7, fill};
    return raw_main(&row, argc, argv);
}
