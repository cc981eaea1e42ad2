/* SPDX-License-Identifier: MIT */
/* The stock of a part at a location over a ledger of 1,000,000 movements (issue 14 item 1:
 * target p99 <= 5 ms). Makes a fresh SQLite database with the server's schema (db_open
 * migrates it), 50 parts and 20 locations, appends N movements (receipts, transfers, issues,
 * consumptions, returns, scraps, corrections; never below zero) and the balance rows, then,
 * after one warm-up pass over every (part, location), times in process, each query in its
 * own read transaction as a request would:
 *   ledger  - the stock added up from the movements (store/stock.c stock_ledger_at),
 *   balance - the balance row the API serves (stock_at),
 * and checks that both agree with the loader's count. PASS/MISS judges the ledger's p99.
 * ledger_cpu_p99_ms is the process's CPU time of the ledger query: the wall-clock tail
 * without the waits of a busy machine.
 *
 * usage:  bench_parts_stock [--movements N] [--queries Q] [--db PATH]
 * prints: parts_stock movements=N queries=Q ledger_p50_ms=... ledger_p99_ms=...
 *         ledger_cpu_p99_ms=... balance_p50_ms=... balance_p99_ms=... load_s=...
 *         mismatches=0 PASS|MISS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "bench_parts_stock"
#include "bench_util.h"

#include "base/log.h"
#include "store/db.h"
#include "store/stock.h"

#define NPARTS 50
#define NLOCS  20

static int64_t bal[NPARTS + 1][NLOCS + 1];

static enum sh_code seed(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    enum sh_code rc = SH_OK;
    for (int p = 1; !rc && p <= NPARTS; p++) {
        char code[16];
        snprintf(code, sizeof code, "P%03d", p);
        rc = db_exec(tx,
                     "INSERT INTO parts (id, code, name, price_fen, cost_fen, created_at, "
                     "updated_at) VALUES ($1, $2, $2, 1000, 600, '2026-01-01T00:00:00Z', "
                     "'2026-01-01T00:00:00Z')",
                     DB_P(DB_INT(p), DB_TEXT(code)), NULL, e);
    }
    for (int l = 1; !rc && l <= NLOCS; l++) {
        char code[16];
        snprintf(code, sizeof code, "L%02d", l);
        rc = db_exec(tx,
                     "INSERT INTO stock_locations (id, code, name, kind, created_at, updated_at) "
                     "VALUES ($1, $2, $2, 'warehouse', '2026-01-01T00:00:00Z', "
                     "'2026-01-01T00:00:00Z')",
                     DB_P(DB_INT(l), DB_TEXT(code)), NULL, e);
    }
    return rc;
}

/* One movement that keeps every balance at or above zero. */
static void pick(struct stock_movement *m)
{
    static const char *const kinds[] = {"transfer", "issue", "consume",
                                        "return",   "scrap", "correction"};
    int p = 1 + (int)(bench_rnd() % NPARTS), from = 1 + (int)(bench_rnd() % NLOCS),
        to = 1 + (int)(bench_rnd() % NLOCS);
    int64_t q = 1 + (int64_t)(bench_rnd() % 5);
    int r = (int)(bench_rnd() % 10);
    *m = (struct stock_movement){.part_id = p, .qty = q, .created_at = "2026-06-01T00:00:00Z"};
    if (r < 4 || bal[p][from] < q) { /* a receipt */
        m->kind = "receipt";
        m->to_id = to;
        bal[p][to] += q;
        return;
    }
    m->kind = kinds[r - 4];
    m->from_id = from;
    bal[p][from] -= q;
    if (r == 4 || r == 5 || r == 7) {
        if (to == from)
            to = from % NLOCS + 1;
        m->to_id = to;
        bal[p][to] += q;
    }
}

/* The ledger appended with one prepared statement in one transaction (the server's
 * store/stock.c writes the same columns one movement per request). */
static void load_raw(const char *path, long n)
{
    sqlite3 *h;
    if (sqlite3_open(path, &h) != SQLITE_OK)
        die(path, sqlite3_errmsg(h));
    sq_exec(h, "PRAGMA foreign_keys=ON; PRAGMA cache_size=-262144; BEGIN");
    sqlite3_stmt *st = sq_prep(h, "INSERT INTO stock_movements (kind, part_id, qty, "
                                  "from_location_id, to_location_id, created_at) VALUES "
                                  "(?1, ?2, ?3, ?4, ?5, '2026-06-01T00:00:00Z')");
    for (long i = 0; i < n; i++) {
        struct stock_movement m;
        pick(&m);
        sqlite3_bind_text(st, 1, m.kind, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, m.part_id);
        sqlite3_bind_int64(st, 3, m.qty);
        if (m.from_id)
            sqlite3_bind_int64(st, 4, m.from_id);
        else
            sqlite3_bind_null(st, 4);
        if (m.to_id)
            sqlite3_bind_int64(st, 5, m.to_id);
        else
            sqlite3_bind_null(st, 5);
        sq_step_done(h, st);
    }
    sqlite3_finalize(st);
    sq_exec(h, "COMMIT");
    sqlite3_close(h);
}

static enum sh_code balances(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    enum sh_code rc = SH_OK;
    for (int p = 1; !rc && p <= NPARTS; p++)
        for (int l = 1; !rc && l <= NLOCS; l++)
            if (bal[p][l])
                rc = stock_put(tx, p, l, bal[p][l], "2026-06-01T00:00:00Z", e);
    return rc;
}

struct query {
    int64_t part, loc, qty;
    bool ledger;
};

static enum sh_code query_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct query *q = arg;
    struct sh_arena a;
    sh_arena_init(&a, 1 << 16);
    enum sh_code rc = q->ledger ? stock_ledger_at(tx, &a, q->part, q->loc, &q->qty, e)
                                : stock_at(tx, &a, q->part, q->loc, &q->qty, e);
    sh_arena_release(&a);
    return rc;
}

int main(int argc, char **argv)
{
    long n = 1000000, queries = 2000;
    const char *path = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--movements"))
            n = strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--queries"))
            queries = strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--db"))
            path = argv[i + 1];
    }
    if (n < 1 || queries < 10 || queries > 1000000)
        return 2;
    char tmp[] = "/tmp/bench-parts-XXXXXX";
    char url[300];
    if (!path) {
        if (!mkdtemp(tmp))
            return 1;
        snprintf(url, sizeof url, "sqlite:%s/stock.db", tmp);
    } else {
        snprintf(url, sizeof url, "sqlite:%s", path);
    }
    log_set_level(LOG_WARN);
    struct sh_err e;
    sh_err_clear(&e);
    struct db_options o = {.pg_pool_size = 2, .migrate = true};
    struct db *db;
    if (db_open(url, &o, &db, &e) || db_write(db, seed, NULL, &e)) {
        fprintf(stderr, "bench_parts_stock: %s: %s\n", url, e.msg);
        return 1;
    }
    double t0 = now_ms();
    db_close(db);
    load_raw(url + strlen("sqlite:"), n);
    if (db_open(url, &o, &db, &e) || db_write(db, balances, NULL, &e)) {
        fprintf(stderr, "bench_parts_stock: balances: %s\n", e.msg);
        return 1;
    }
    double load_s = (now_ms() - t0) / 1e3;
    /* warm: one pass over every (part, location), as a running server's cache would be */
    for (int p = 1; p <= NPARTS; p++)
        for (int l = 1; l <= NLOCS; l++) {
            struct query w = {p, l, 0, true};
            if (db_read(db, query_run, &w, &e))
                return 1;
        }
    double *tl = calloc((size_t)queries, sizeof *tl), *tb = calloc((size_t)queries, sizeof *tb),
           *tc = calloc((size_t)queries, sizeof *tc);
    long bad = 0;
    for (long k = 0; k < queries; k++) {
        struct query ql = {1 + (int64_t)(bench_rnd() % NPARTS), 1 + (int64_t)(bench_rnd() % NLOCS),
                           0, true};
        struct query qb = ql;
        qb.ledger = false;
        double a = now_ms(), ca = cpu_ms();
        if (db_read(db, query_run, &ql, &e))
            return 1;
        double b = now_ms();
        tc[k] = cpu_ms() - ca;
        if (db_read(db, query_run, &qb, &e))
            return 1;
        double c = now_ms();
        tl[k] = b - a;
        tb[k] = c - b;
        bad += ql.qty != qb.qty || ql.qty != bal[ql.part][ql.loc];
    }
    qsort(tl, (size_t)queries, sizeof *tl, cmp_d);
    qsort(tb, (size_t)queries, sizeof *tb, cmp_d);
    qsort(tc, (size_t)queries, sizeof *tc, cmp_d);
    double p99 = tl[queries * 99 / 100];
    printf(
        "parts_stock movements=%ld queries=%ld ledger_p50_ms=%.3f ledger_p99_ms=%.3f "
        "ledger_cpu_p99_ms=%.3f balance_p50_ms=%.3f balance_p99_ms=%.3f load_s=%.1f mismatches=%ld "
        "%s\n",
        n, queries, tl[queries / 2], p99, tc[queries * 99 / 100], tb[queries / 2],
        tb[queries * 99 / 100], load_s, bad, p99 <= 5.0 && !bad ? "PASS" : "MISS");
    free(tl);
    free(tb);
    free(tc);
    db_close(db);
    if (!path) {
        snprintf(url, sizeof url, "%s/stock.db", tmp);
        unlink(url);
        char side[320];
        snprintf(side, sizeof side, "%s-wal", url);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", url);
        unlink(side);
        rmdir(tmp);
    }
    return bad ? 1 : 0;
}
