/* SPDX-License-Identifier: MIT */
/* The ceiling for "create a unit": how fast the database itself commits the unit
 * row durably, one row per transaction, with no HTTP and no engine around it.
 *
 * usage: bench_raw_insert --sqlite PATH [--seconds S] [--batch N]
 *        bench_raw_insert --pg DSN      [--seconds S] [--batch N] [--clients C]
 *
 * PATH / DSN must hold the Shouhou schema (`shouhou init`), so the table, its
 * indexes, the search indexes (SQLite: the FTS5 trigram and character-pair indexes,
 * brought up to date before each COMMIT by the same statement the server's writer
 * runs; PostgreSQL: the GIN indexes) and the foreign keys are exactly the server's. SQLite is
 * opened the way the server's writer is: WAL, synchronous=FULL, foreign_keys=ON. PostgreSQL runs
 * with its defaults (fsync=on, synchronous_commit=on). The row has the columns the server writes
 * for POST /api/v1/units {serial_no, model_id, customer_id}: timestamps, status, the derived
 * warranty columns, the search text and its character pairs.
 * --batch N puts N rows in one transaction (default 1). --clients C (PostgreSQL
 * only) runs C connections in parallel threads. The runner is bench/raw_common.h.
 * Prints one line: "raw_insert <engine> batch=N clients=C rows=R seconds=T rate=X". */
#define BENCH_NAME "bench_raw_insert"
#include "raw_common.h"

/* one model and one customer to point at; created when the database has none */
static const char *const SETUP_MODEL =
    "INSERT INTO product_models (code, name, category, search, created_at, updated_at) "
    "SELECT 'RAW-100', '数控机床', 'equipment', 'RAW-100 数控机床 ', $1, $1 "
    "WHERE NOT EXISTS (SELECT 1 FROM product_models WHERE code = 'RAW-100')";
static const char *const SETUP_CUSTOMER =
    "INSERT INTO customers (code, name, type, search, created_at, updated_at, first_contact_at) "
    "SELECT 'RAW000001', '苏州华鑫机械有限公司', 'company', "
    "'RAW000001 苏州华鑫机械有限公司 ', $1, $1, $1 "
    "WHERE NOT EXISTS (SELECT 1 FROM customers WHERE code = 'RAW000001')";
static const char *const IDS = "SELECT (SELECT id FROM product_models WHERE code = 'RAW-100'), "
                               "(SELECT id FROM customers WHERE code = 'RAW000001')";
static const char *const INSERT =
    "INSERT INTO units (created_at, updated_at, serial_no, model_id, customer_id, status, "
    "warranty_end, warranty_basis, warranty_start, warranty_months, search, search_bi) "
    "VALUES ($1, $1, $2, $3, $4, 'shipped', NULL, 'none', NULL, NULL, $5, $6) RETURNING id";

static const char *const SETUP[] = {SETUP_MODEL, SETUP_CUSTOMER, NULL};

/* ids: model, customer */
static void fill(const char *key, const char *now, const char *const ids[2], struct raw_buf *b,
                 const char **p)
{
    snprintf(b->extra, sizeof(b->extra), "RAW%s", key);
    snprintf(b->search, sizeof(b->search), "%s RAW-100 数控机床 苏州华鑫机械有限公司", b->extra);
    p[0] = now;
    p[1] = b->extra;
    p[2] = ids[0];
    p[3] = ids[1];
    p[4] = b->search;
    p[5] = pairs_of(b->search);
}

int main(int argc, char **argv)
{
    static const struct raw_row row = {"raw_insert", SETUP, IDS, INSERT, 6, fill};
    return raw_main(&row, argc, argv);
}
