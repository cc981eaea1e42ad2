/* SPDX-License-Identifier: MIT */
/* The database interface. Two drivers behind it: SQLite (embedded; one writer
 * thread that groups the write transactions of many requests into one durable
 * commit, each inside its own SAVEPOINT) and PostgreSQL (a connection pool).
 *
 * SQL is written once with $1, $2… placeholders. Results are materialised as
 * text cells in the caller's arena: a NULL cell pointer is SQL NULL. */
#ifndef SH_DB_H
#define SH_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"

enum db_dialect { DB_SQLITE, DB_PG };

struct db;
struct db_tx;

enum db_val_type { DBV_NULL, DBV_TEXT, DBV_INT, DBV_REAL };

struct db_val {
    enum db_val_type t;
    const char *s;
    int64_t i;
    double r;
};

static inline struct db_val db_text(const char *s)
{
    struct db_val v = {.t = s ? DBV_TEXT : DBV_NULL, .s = s};
    return v;
}

/* A text parameter; a NULL pointer binds SQL NULL. */
#define DB_TEXT(x) db_text(x)
#define DB_INT(x)  ((struct db_val){.t = DBV_INT, .i = (int64_t)(x)})
#define DB_REAL(x) ((struct db_val){.t = DBV_REAL, .r = (x)})
#define DB_NULL    ((struct db_val){.t = DBV_NULL})
/* DB_P(DB_INT(1), DB_TEXT(s)) → array + count for db_query/db_exec */
#define DB_P(...)                                                                                  \
    (const struct db_val[]){__VA_ARGS__},                                                          \
        (int)(sizeof((const struct db_val[]){__VA_ARGS__}) / sizeof(struct db_val))
#define DB_NOP NULL, 0

struct db_rows {
    int nrows, ncols;
    const char **names; /* ncols column names */
    const char **cells; /* nrows × ncols, row-major; NULL = SQL NULL */
};

/* The work of one transaction. Runs with the transaction open; returning
 * anything but SH_OK rolls back exactly this function's writes. It may run more than once
 * for one call (PostgreSQL: a named statement gone stale after a migration, the first run
 * rolled back), so it starts from ctx's input every time: what it finds or makes goes to
 * outputs it resets first, never into its input (tests/api/test_pgdrv.py). */
typedef enum sh_code (*db_fn)(struct db_tx *tx, void *ctx, struct sh_err *e);

/* PostgreSQL named (protocol-level) prepared statements: AUTO uses them when connected
 * directly to PostgreSQL, not behind a pooler (docs/operations.md, PgBouncer). */
enum db_prepared { DB_PREPARED_AUTO, DB_PREPARED_ON, DB_PREPARED_OFF };

struct db_options {
    int pg_pool_size;          /* PostgreSQL connections (0: db_pool_default) */
    bool migrate;              /* apply pending migrations at open (default true via db_open) */
    enum db_prepared prepared; /* PostgreSQL named statements (default AUTO) */
    /* tests (PostgreSQL): every transaction function runs twice, its first run rolled back
     * just before its COMMIT, as when a named statement goes stale (db_fn's contract) */
    bool test_rerun;
};

/* The PostgreSQL pool's size when none is set: this host's cores, at least 2 and at most 8.
 * A request's statements keep its connection's backend busy on a CPU; more backends than
 * cores add no throughput and time-share them (on 2 cores with PostgreSQL beside the server,
 * 8 connections against 2: GET p99 38-374 ms against 4-6 ms at the same rates). */
int db_pool_default(long cores);

/* Opens "sqlite:PATH", a bare path, or "postgresql://…"/"postgres://…".
 * Applies pending migrations in one transaction when opts->migrate. */
SH_WUR enum sh_code db_open(const char *url, const struct db_options *opts, struct db **out,
                            struct sh_err *e);
void db_close(struct db *db);
enum db_dialect db_dialect(const struct db *db);

/* Runs fn in a write transaction; on SH_OK it is durably committed on return. */
SH_WUR enum sh_code db_write(struct db *db, db_fn fn, void *ctx, struct sh_err *e);
/* Runs fn on a read connection, in one consistent snapshot (SQLite WAL read;
 * PostgreSQL REPEATABLE READ READ ONLY). */
SH_WUR enum sh_code db_read(struct db *db, db_fn fn, void *ctx, struct sh_err *e);

/* One transaction for a request's authentication and its handler (PostgreSQL; SQLite
 * ignores both). After db_request_hold, the calling thread's next db_read stays open when
 * its function succeeds, and the thread's following db_read continues it (same snapshot,
 * no second BEGIN or COMMIT); a db_write ends it first. db_request_release ends whatever
 * is still open and disarms the hold: call it when the request is done. */
void db_request_hold(struct db *db, bool checks);
void db_request_release(struct db *db);

/* A check of the request's read-only transaction (PostgreSQL; db_request_hold with checks):
 * sql (parameters and their strings living in a) is sent with the request's first waited
 * statement, in the same round trip, and fn judges its rows (in a) before any answer of that
 * round trip is used; sent alone before a write, before a read that needs BEGIN, and at
 * db_request_release when nothing carried it. Judged false (or not judged at all: a failure)
 * the request is refused: that call and every later one of the request fail with SH_UNAUTH,
 * and db_request_refused says so after db_request_release: the caller discards what it
 * made of the request and asks again without a check. SH_UNSUPPORTED when there is no such
 * request (SQLite, a write request, a repeated request). Used to speculate on who is calling
 * (app_resolve) while the credentials are still read and judged in every request. */
typedef bool (*db_check_fn)(const struct db_rows *rows, void *ctx);
SH_WUR enum sh_code db_request_check(struct db *db, struct sh_arena *a, const char *sql,
                                     const struct db_val *p, int n, db_check_fn fn, void *ctx,
                                     struct sh_err *e);
bool db_request_refused(struct db *db);

enum db_dialect db_tx_dialect(const struct db_tx *tx);

/* A statement that starts with this runs with PostgreSQL's generic plan (plan_cache_mode
 * force_generic_plan for it alone) once it is a named prepared statement: for a statement
 * whose custom plans cost far more to make than to run, which PostgreSQL's choice keeps
 * making when the generic plan's estimate is higher (e.g. a parameter that is NULL turns a
 * lookup off). After it the transaction's statements run with plan_cache_mode auto,
 * PostgreSQL's default. SQLite reads it as the comment it is. */
#define DB_GENERIC_PLAN "/* generic plan */ "

/* Runs one statement and materialises every row into arena a. */
SH_WUR enum sh_code db_query(struct db_tx *tx, struct sh_arena *a, const char *sql,
                             const struct db_val *params, int nparams, struct db_rows *out,
                             struct sh_err *e);
/* Runs one statement without rows; *changes (may be NULL) gets the row count. */
SH_WUR enum sh_code db_exec(struct db_tx *tx, const char *sql, const struct db_val *params,
                            int nparams, int64_t *changes, struct sh_err *e);
/* Takes row id of table (a table with a version column) until the transaction ends, changing
 * nothing: on PostgreSQL (READ COMMITTED) a second writer of the row waits here, then reads
 * what the first committed; SQLite has one writer. */
SH_WUR enum sh_code db_lock_row(struct db_tx *tx, const char *table, int64_t id, struct sh_err *e);
/* Runs a statement whose outcome nobody reads now (an INSERT or UPDATE without RETURNING
 * and without a row count: a timeline event, an audit row, an outbox row). SQLite runs it
 * at once, as db_exec. PostgreSQL queues it in the connection's pipeline without waiting:
 * its answer is read with the next statement that waits, or at COMMIT, and if it failed
 * that statement and the whole transaction fail with its error (rolled back; the function
 * of db_write/db_read gets it from that later call, and db_write/db_read return it). */
SH_WUR enum sh_code db_exec_nowait(struct db_tx *tx, const char *sql, const struct db_val *params,
                                   int nparams, struct sh_err *e);
/* Sends a query whose rows are needed later (issue 16 item 1: several reads in one round
 * trip). SQLite runs it at once, as db_query. PostgreSQL queues it in the connection's
 * pipeline without waiting, and its rows are materialised into *out (arena a) when the
 * transaction next waits for the server: the next db_query or db_exec, or db_wait. Read *out
 * only after one of those; out and a must stay valid until then. If it fails, that later
 * call and the whole transaction fail with its error (as db_exec_nowait). */
SH_WUR enum sh_code db_query_ahead(struct db_tx *tx, struct sh_arena *a, const char *sql,
                                   const struct db_val *params, int nparams, struct db_rows *out,
                                   struct sh_err *e);
/* Reads the rows of the queries sent ahead that are still unread (one round trip when there
 * are some; nothing on SQLite). */
SH_WUR enum sh_code db_wait(struct db_tx *tx, struct sh_err *e);
/* Runs a script of several statements without parameters. */
SH_WUR enum sh_code db_exec_script(struct db_tx *tx, const char *sql, struct sh_err *e);

/* Cell access helpers. */
const char *db_cell(const struct db_rows *r, int row, int col);
int db_colidx(const struct db_rows *r, const char *name); /* -1 if absent */
const char *db_get(const struct db_rows *r, int row, const char *name);
int64_t db_get_int(const struct db_rows *r, int row, const char *name, int64_t dflt);

/* Fault injection for tests: make the Nth next db_query/db_exec fail with SH_STORE. */
void db_fail_after(int n);

/* The current migration version, and the number of known migrations. */
int db_schema_version(struct db *db);

#endif
