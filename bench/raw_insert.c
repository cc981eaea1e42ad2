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
 * only) runs C connections in parallel threads.
 * Prints one line: "raw_insert <engine> batch=N clients=C rows=R seconds=T rate=X". */
#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "bench_raw_insert"
#include "bench_util.h"

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

struct opts {
    const char *sqlite, *pg;
    double seconds;
    int batch, clients;
};

/* ---- SQLite ---- */

static void run_sqlite(const struct opts *o)
{
    sqlite3 *h;
    if (sqlite3_open_v2(o->sqlite, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        die(o->sqlite, sqlite3_errmsg(h));
    sqlite3_busy_timeout(h, 10000);
    sq_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
               "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;");
    char now[21];
    utc_now(now);
    const char *setup[] = {SETUP_MODEL, SETUP_CUSTOMER};
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *st = sq_prep(h, setup[i]);
        sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
        sq_step_done(h, st);
        sqlite3_finalize(st);
    }
    sqlite3_stmt *ids = sq_prep(h, IDS);
    if (sqlite3_step(ids) != SQLITE_ROW)
        die("ids", sqlite3_errmsg(h));
    sqlite3_int64 model = sqlite3_column_int64(ids, 0), cust = sqlite3_column_int64(ids, 1);
    sqlite3_finalize(ids);

    sqlite3_stmt *ins = sq_prep(h, INSERT), *begin = sq_prep(h, "BEGIN IMMEDIATE"),
                 *commit = sq_prep(h, "COMMIT"), *flush = sq_prep(h, SQ_SEARCH_FLUSH);
    long pid = (long)getpid();
    long rows = 0;
    double t0 = now_s(), t;
    do {
        sq_step_done(h, begin);
        for (int b = 0; b < o->batch; b++) {
            char serial[64], search[256];
            snprintf(serial, sizeof(serial), "RAW%ld-%08ld", pid, rows);
            snprintf(search, sizeof(search), "%s RAW-100 数控机床 苏州华鑫机械有限公司", serial);
            utc_now(now);
            sqlite3_bind_text(ins, 1, now, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 2, serial, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(ins, 3, model);
            sqlite3_bind_int64(ins, 4, cust);
            sqlite3_bind_text(ins, 5, search, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 6, pairs_of(search), -1, SQLITE_TRANSIENT);
            sq_step_done(h, ins);
            rows++;
        }
        sq_step_done(h, flush);
        sq_step_done(h, commit);
        t = now_s() - t0;
    } while (t < o->seconds);
    printf("raw_insert sqlite batch=%d clients=1 rows=%ld seconds=%.2f rate=%.0f\n", o->batch, rows,
           t, (double)rows / t);
    sqlite3_finalize(ins);
    sqlite3_finalize(begin);
    sqlite3_finalize(commit);
    sqlite3_finalize(flush);
    sqlite3_close(h);
}

/* ---- PostgreSQL ---- */

static PGconn *pg_connect(const char *dsn)
{
    PGconn *c = PQconnectdb(dsn);
    if (PQstatus(c) != CONNECTION_OK)
        die(dsn, PQerrorMessage(c));
    return c;
}

static PGresult *pg_do(PGconn *c, const char *sql, int n, const char *const *p)
{
    PGresult *r = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        die(sql, PQerrorMessage(c));
    return r;
}

struct pg_worker {
    const struct opts *o;
    int idx;
    char model[24], cust[24];
    long rows;
    pthread_t th;
};

static atomic_int pg_stop;

static void *pg_worker_main(void *arg)
{
    struct pg_worker *w = arg;
    PGconn *c = pg_connect(w->o->pg);
    PGresult *r = PQprepare(c, "ins", INSERT, 6, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        die("prepare", PQerrorMessage(c));
    PQclear(r);
    long pid = (long)getpid();
    while (!atomic_load(&pg_stop)) {
        if (w->o->batch > 1)
            PQclear(pg_do(c, "BEGIN", 0, NULL));
        for (int b = 0; b < w->o->batch; b++) {
            char now[21], serial[64], search[256];
            utc_now(now);
            snprintf(serial, sizeof(serial), "RAW%ld-%d-%08ld", pid, w->idx, w->rows);
            snprintf(search, sizeof(search), "%s RAW-100 数控机床 苏州华鑫机械有限公司", serial);
            const char *p[6] = {now, serial, w->model, w->cust, search, pairs_of(search)};
            r = PQexecPrepared(c, "ins", 6, p, NULL, NULL, 0);
            if (PQresultStatus(r) != PGRES_TUPLES_OK)
                die("insert", PQerrorMessage(c));
            PQclear(r);
            w->rows++;
        }
        if (w->o->batch > 1)
            PQclear(pg_do(c, "COMMIT", 0, NULL));
    }
    PQfinish(c);
    return NULL;
}

static void run_pg(const struct opts *o)
{
    PGconn *c = pg_connect(o->pg);
    char now[21];
    utc_now(now);
    const char *p[1] = {now};
    PQclear(pg_do(c, SETUP_MODEL, 1, p));
    PQclear(pg_do(c, SETUP_CUSTOMER, 1, p));
    PGresult *r = pg_do(c, IDS, 0, NULL);
    struct pg_worker *w = calloc((size_t)o->clients, sizeof(*w));
    for (int i = 0; i < o->clients; i++) {
        w[i].o = o;
        w[i].idx = i;
        snprintf(w[i].model, sizeof(w[i].model), "%s", PQgetvalue(r, 0, 0));
        snprintf(w[i].cust, sizeof(w[i].cust), "%s", PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    PQfinish(c);
    double t0 = now_s();
    for (int i = 0; i < o->clients; i++)
        pthread_create(&w[i].th, NULL, pg_worker_main, &w[i]);
    struct timespec ts = {(time_t)o->seconds,
                          (long)((o->seconds - (double)(time_t)o->seconds) * 1e9)};
    nanosleep(&ts, NULL);
    atomic_store(&pg_stop, 1);
    long rows = 0;
    for (int i = 0; i < o->clients; i++) {
        pthread_join(w[i].th, NULL);
        rows += w[i].rows;
    }
    double t = now_s() - t0;
    printf("raw_insert pg batch=%d clients=%d rows=%ld seconds=%.2f rate=%.0f\n", o->batch,
           o->clients, rows, t, (double)rows / t);
    free(w);
}

int main(int argc, char **argv)
{
    struct opts o = {.seconds = 3, .batch = 1, .clients = 1};
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            die(a, "needs a value");
        if (!strcmp(a, "--sqlite"))
            o.sqlite = v;
        else if (!strcmp(a, "--pg"))
            o.pg = v;
        else if (!strcmp(a, "--seconds"))
            o.seconds = atof(v);
        else if (!strcmp(a, "--batch"))
            o.batch = atoi(v);
        else if (!strcmp(a, "--clients"))
            o.clients = atoi(v);
        else
            die(a, "unknown option");
    }
    if ((!o.sqlite == !o.pg) || o.seconds <= 0 || o.batch < 1 || o.clients < 1) {
        fprintf(stderr, "usage: bench_raw_insert (--sqlite PATH | --pg DSN) [--seconds S] "
                        "[--batch N] [--clients C]\n");
        return 2;
    }
    if (o.sqlite)
        run_sqlite(&o);
    else
        run_pg(&o);
    return 0;
}
