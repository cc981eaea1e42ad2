/* SPDX-License-Identifier: MIT */
/* The raw durable-insert runner shared by bench_raw_insert and bench_raw_ticket: one row
 * per transaction (or --batch N), on SQLite opened the way the server's writer is (WAL,
 * synchronous=FULL, foreign_keys=ON, the search flush before COMMIT) or on PostgreSQL
 * with its defaults (fsync=on, synchronous_commit=on; --clients C threads). A program
 * describes its row (struct raw_row) and calls raw_main().
 * Prints one line: "<name> <engine> batch=N clients=C rows=R seconds=T rate=X". */
#ifndef SH_BENCH_RAW_COMMON_H
#define SH_BENCH_RAW_COMMON_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "bench_util.h"

#define RAW_MAX_PARAMS 8

/* Storage for one row's generated text. */
struct raw_buf {
    char key[64], search[512], extra[72]; /* extra: a prefix and key */
};

struct raw_row {
    const char *name;         /* "raw_insert" */
    const char *const *setup; /* run once with $1 = now; NULL-terminated */
    const char *ids;          /* one row: the ids the rows point at (up to 2) */
    const char *insert;       /* the row, $1… in order of first use */
    int nparams;
    /* fills p[0..nparams-1] for a row with the unique key, using b for storage */
    void (*fill)(const char *key, const char *now, const char *const ids[2], struct raw_buf *b,
                 const char **p);
};

struct raw_opts {
    const char *sqlite, *pg;
    double seconds;
    int batch, clients;
};

static void raw_key(struct raw_buf *b, int client, long n)
{
    snprintf(b->key, sizeof(b->key), "%ld-%d-%08ld", (long)getpid(), client, n);
}

/* ---- SQLite ---- */

static void raw_sqlite(const struct raw_row *row, const struct raw_opts *o)
{
    sqlite3 *h;
    if (sqlite3_open_v2(o->sqlite, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        die(o->sqlite, sqlite3_errmsg(h));
    sqlite3_busy_timeout(h, 10000);
    sq_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
               "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;");
    char now[21];
    utc_now(now);
    for (const char *const *s = row->setup; *s; s++) {
        sqlite3_stmt *st = sq_prep(h, *s);
        sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
        sq_step_done(h, st);
        sqlite3_finalize(st);
    }
    sqlite3_stmt *q = sq_prep(h, row->ids);
    if (sqlite3_step(q) != SQLITE_ROW)
        die("ids", sqlite3_errmsg(h));
    char idtext[2][24] = {"", ""};
    for (int i = 0; i < 2 && i < sqlite3_column_count(q); i++)
        snprintf(idtext[i], sizeof(idtext[i]), "%s", (const char *)sqlite3_column_text(q, i));
    sqlite3_finalize(q);
    const char *const ids[2] = {idtext[0], idtext[1]};

    sqlite3_stmt *ins = sq_prep(h, row->insert), *begin = sq_prep(h, "BEGIN IMMEDIATE"),
                 *commit = sq_prep(h, "COMMIT"), *flush = sq_prep(h, SQ_SEARCH_FLUSH);
    long rows = 0;
    double t0 = now_s(), t;
    do {
        sq_step_done(h, begin);
        for (int b = 0; b < o->batch; b++) {
            struct raw_buf buf;
            const char *p[RAW_MAX_PARAMS];
            raw_key(&buf, 0, rows);
            utc_now(now);
            row->fill(buf.key, now, ids, &buf, p);
            for (int i = 0; i < row->nparams; i++)
                sqlite3_bind_text(ins, i + 1, p[i], -1, SQLITE_TRANSIENT);
            sq_step_done(h, ins);
            rows++;
        }
        sq_step_done(h, flush);
        sq_step_done(h, commit);
        t = now_s() - t0;
    } while (t < o->seconds);
    printf("%s sqlite batch=%d clients=1 rows=%ld seconds=%.2f rate=%.0f\n", row->name, o->batch,
           rows, t, (double)rows / t);
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
    const struct raw_row *row;
    const struct raw_opts *o;
    int idx;
    char ids[2][24];
    long rows;
    pthread_t th;
};

static atomic_int pg_stop;

static void *pg_worker_main(void *arg)
{
    struct pg_worker *w = arg;
    PGconn *c = pg_connect(w->o->pg);
    PGresult *r = PQprepare(c, "ins", w->row->insert, w->row->nparams, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        die("prepare", PQerrorMessage(c));
    PQclear(r);
    const char *const ids[2] = {w->ids[0], w->ids[1]};
    while (!atomic_load(&pg_stop)) {
        if (w->o->batch > 1)
            PQclear(pg_do(c, "BEGIN", 0, NULL));
        for (int b = 0; b < w->o->batch; b++) {
            char now[21];
            struct raw_buf buf;
            const char *p[RAW_MAX_PARAMS];
            utc_now(now);
            raw_key(&buf, w->idx, w->rows);
            w->row->fill(buf.key, now, ids, &buf, p);
            r = PQexecPrepared(c, "ins", w->row->nparams, p, NULL, NULL, 0);
            if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
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

static void raw_pg(const struct raw_row *row, const struct raw_opts *o)
{
    PGconn *c = pg_connect(o->pg);
    char now[21];
    utc_now(now);
    const char *p[1] = {now};
    for (const char *const *s = row->setup; *s; s++)
        PQclear(pg_do(c, *s, 1, p));
    PGresult *r = pg_do(c, row->ids, 0, NULL);
    struct pg_worker *w = calloc((size_t)o->clients, sizeof(*w));
    if (!w)
        die("workers", "out of memory");
    for (int i = 0; i < o->clients; i++) {
        w[i].row = row;
        w[i].o = o;
        w[i].idx = i;
        for (int k = 0; k < 2 && k < PQnfields(r); k++)
            snprintf(w[i].ids[k], sizeof(w[i].ids[k]), "%s", PQgetvalue(r, 0, k));
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
    printf("%s pg batch=%d clients=%d rows=%ld seconds=%.2f rate=%.0f\n", row->name, o->batch,
           o->clients, rows, t, (double)rows / t);
    free(w);
}

static int raw_main(const struct raw_row *row, int argc, char **argv)
{
    struct raw_opts o = {.seconds = 3, .batch = 1, .clients = 1};
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            die(a, "needs a value");
        if (!strcmp(a, "--sqlite"))
            o.sqlite = v;
        else if (!strcmp(a, "--pg"))
            o.pg = v;
        else if (!strcmp(a, "--seconds"))
            o.seconds = strtod(v, NULL);
        else if (!strcmp(a, "--batch"))
            o.batch = (int)strtol(v, NULL, 10);
        else if (!strcmp(a, "--clients"))
            o.clients = (int)strtol(v, NULL, 10);
        else
            die(a, "unknown option");
    }
    if ((!o.sqlite == !o.pg) || o.seconds <= 0 || o.batch < 1 || o.clients < 1) {
        fprintf(stderr,
                "usage: bench_%s (--sqlite PATH | --pg DSN) [--seconds S] [--batch N] "
                "[--clients C]\n",
                row->name);
        return 2;
    }
    if (row->nparams > RAW_MAX_PARAMS)
        die(row->name, "too many parameters");
    if (o.sqlite)
        raw_sqlite(row, &o);
    else
        raw_pg(row, &o);
    return 0;
}

#endif
