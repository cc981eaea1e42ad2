/* SPDX-License-Identifier: MIT */
/* The PostgreSQL driver's shared state: a pooled connection, a request's check, a
 * transaction on a connection and the driver itself (db_pg.c: the pool, transactions and
 * the request's held read; db_pg_wire.c: statements over the pipeline). */
#ifndef SH_DB_PG_INT_H
#define SH_DB_PG_INT_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>

#include "store/db_int.h"

/* A named statement of a connection, keyed by its SQL text. */
struct pstmt {
    uint64_t hash;
    char *sql;     /* NULL: a free slot */
    unsigned name; /* "sh<name>" on the server when state is PS_SENT or PS_READY */
    unsigned char state;
};
enum { PS_SEEN, PS_SENT, PS_READY }; /* used once; its Parse sent, not answered; prepared */

#define PS_SLOTS 1024 /* per connection; past PS_MAX the cache starts again (DEALLOCATE ALL) */
#define PS_MAX   768
#define SEG_MAX  64 /* statements sent before one Sync (deferred ones, BEGIN, Parse…) */
#define SEG_ONE  8  /* one statement may add: BEGIN, the check, pg_generic's 2, Parses */

/* A pooled connection, always in pipeline mode. */
struct pgconn {
    PGconn *c;
    int unread;       /* Syncs sent whose answers are not read yet (a read's COMMIT, a ROLLBACK) */
    bool bad;         /* the pipeline lost step: reconnect before the next use */
    struct pstmt *ps; /* PS_SLOTS; NULL until named statements are used */
    int nps;
    unsigned next_name;
};

struct db_pg;

/* A request's check (db_request_check): a statement sent with the request's first wait, whose
 * answer is judged before any answer of that wait is used. */
struct pg_check {
    bool pending; /* registered; its answer not judged yet */
    bool refused; /* judged false (or failed): every later call of the request fails */
    const char *sql;
    const struct db_val *p;
    int n;
    struct sh_arena *a;
    db_check_fn fn;
    void *ctx;
};

/* The transaction on a connection: its BEGIN until the first statement carries it, and the
 * statements sent since the last Sync whose answers are still to be read (a segment). */
struct pg_tx {
    struct db_pg *d;
    struct pgconn *pc;
    const char *begin;
    int nseg;
    struct {
        unsigned char main;  /* the statement the caller waits for */
        unsigned char parse; /* a Parse of slot ps */
        unsigned char check; /* the request's check (db_request_check) */
        short ps;            /* its named statement, -1 for none */
        short ahead;         /* a query sent ahead: its rows go to ahead[this], -1 for none */
    } seg[SEG_MAX + SEG_ONE];
    struct {
        struct db_rows *out;
        struct sh_arena *a;
    } ahead[SEG_MAX + SEG_ONE];
    int nahead;
    bool stale;           /* a named statement went stale (DDL) or is unknown: run again */
    bool late_failed;     /* a statement not waited for failed: the transaction's error */
    bool local_set;       /* a SET LOCAL ran: the transaction's later statements stay unnamed
                           * (a named statement keeps the plan of its first use, and one made
                           * under enable_indexscan = off would outlive the transaction) */
    bool implicit;        /* a read without BEGIN: its one segment is PostgreSQL's implicit
                           * transaction, ended by the Sync; no COMMIT to send */
    int waits;            /* Syncs sent (round trips) by the transaction's function */
    struct pg_check *chk; /* the request's check goes with this transaction's first wait */
    bool chk_sent;
    PGresult *chk_res; /* its answer */
    struct sh_err late;
    bool rerun;      /* db_options.test_rerun: this run is rolled back before COMMIT */
    bool script_ran; /* a script ran: the run is not repeated (migrations) */
};

struct db_pg {
    struct db base;
    char *url;
    struct pgconn *conns;
    bool *busy;
    int n;
    atomic_bool named; /* named prepared statements in use */
    bool test_rerun;   /* db_options.test_rerun */
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

#define PG_RO_BEGIN "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

/* ---- statements over the pipeline (db_pg_wire.c) ---- */

/* Forgets every named statement of pc (the caller drops them on the server, if need be). */
void pg_ps_reset(struct pgconn *pc);
/* Sends a statement without parameters and a Sync, not waiting for the answer (read by the
 * connection's next user). */
bool pg_send_later(struct pgconn *pc, const char *sql);
/* Reads the answers of the Syncs sent without waiting (a read's COMMIT, a ROLLBACK). */
void pg_drain(struct pgconn *pc);
/* Sends sql after what t queued, and a Sync; the answer of sql, or the first failed queued
 * statement's, or NULL when the connection failed. One round trip. */
PGresult *pg_exchange(struct pg_tx *t, const char *sql, const char *const *vals, int n);
/* Reads the answers of the queued statements (one round trip); their first error, if any. */
enum sh_code pg_collect(struct pg_tx *t, struct sh_err *e);
/* The error of a request whose check refused it. */
enum sh_code pg_chk_refusal(struct sh_err *e);
/* The db_ops of a transaction (db.h). */
enum sh_code pg_tx_query(struct db_tx *tx, struct sh_arena *a, const char *sql,
                         const struct db_val *p, int n, struct db_rows *out, struct sh_err *e);
enum sh_code pg_tx_exec(struct db_tx *tx, const char *sql, const struct db_val *p, int n,
                        int64_t *changes, struct sh_err *e);
enum sh_code pg_tx_exec_nowait(struct db_tx *tx, const char *sql, const struct db_val *p, int n,
                               struct sh_err *e);
enum sh_code pg_tx_query_ahead(struct db_tx *tx, struct sh_arena *a, const char *sql,
                               const struct db_val *p, int n, struct db_rows *out,
                               struct sh_err *e);
enum sh_code pg_tx_wait(struct db_tx *tx, struct sh_err *e);
enum sh_code pg_tx_script(struct db_tx *tx, const char *sql, struct sh_err *e);

#endif
