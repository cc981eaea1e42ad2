/* SPDX-License-Identifier: MIT */
/* PostgreSQL driver: a fixed pool of libpq connections; each db_write is one
 * BEGIN … COMMIT on a pooled connection, each db_read a read-only snapshot.
 *
 * Round trips (issue 16 item 1): every connection stays in libpq pipeline mode. A
 * transaction's BEGIN is not sent alone: it goes out with the transaction's first
 * statement, in one pipeline ending in one Sync, so it costs no round trip of its own. A
 * read-only transaction's COMMIT is sent without waiting for its answer (it cannot fail:
 * nothing was written); the next user of the connection reads that answer together with
 * its own, in the same round trip. A write's COMMIT is waited for (a write is only
 * acknowledged once durable). No SET outside a transaction (PgBouncer transaction pooling).
 *
 * Statements not waited for (db_exec_nowait: timeline events, audit and outbox rows) are
 * queued in the pipeline without a Sync; their answers are read with the next statement
 * that waits (or COMMIT), in the same round trip, and the first failure among them is the
 * transaction's error: rolled back, reported as if the statement had been waited for.
 *
 * Named prepared statements (protocol level; issue 16 item 1): a connection parses a SQL
 * text the second time it runs it into a named statement and afterwards only binds and
 * executes it, so the server neither parses nor (once its generic plan is chosen) plans it
 * again. Used when the server is PostgreSQL itself (pg_prepared_statements = auto: not
 * behind a pooler) or when configured on (PgBouncer >= 1.21 with max_prepared_statements);
 * else unnamed statements, which any PgBouncer passes. A statement a migration made stale
 * ("cached plan must not change result type") or one the server does not know fails the
 * transaction once: it is rolled back and run again with the statement prepared anew.
 *
 * A read function that waits once runs without BEGIN/COMMIT: the implicit transaction of its
 * one segment (learnt per function, db_pg_util.c). The request's connection (db_request_hold):
 * on a request thread, the connection that authenticates a GET serves the handler's first read
 * too; with a check (db_request_check) the credential's row goes with that read's statement,
 * in one round trip, and is judged before its answer is used. */
#include "store/db_int.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/metrics.h"
#include "base/xalloc.h"
#include "store/db_pg_util.h"

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
};

struct db_pg {
    struct db base;
    char *url;
    struct pgconn *conns;
    bool *busy;
    int n;
    atomic_bool named; /* named prepared statements in use */
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static const char RO_BEGIN[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

#define MAX_PARAMS 256 /* the SLA scanner's batch statements use up to 256 */

/* ---- named statements (protocol level: Parse once per connection, then Bind/Execute) ---- */

/* Forgets every named statement of pc (the caller drops them on the server, if need be). */
static void ps_reset(struct pgconn *pc)
{
    if (!pc->ps)
        return;
    for (int i = 0; i < PS_SLOTS; i++) {
        free(pc->ps[i].sql);
        pc->ps[i].sql = NULL;
    }
    pc->nps = 0;
}

/* The cache slot of sql (used before, or new), or -1: no named statement for it. */
static int ps_slot(struct pg_tx *t, const char *sql)
{
    struct pgconn *pc = t->pc;
    if (!atomic_load_explicit(&t->d->named, memory_order_relaxed) || t->local_set ||
        !pg_ps_worth(sql))
        return -1;
    if (!pc->ps)
        pc->ps = xcalloc(PS_SLOTS, sizeof(struct pstmt));
    uint64_t h = pg_sql_hash(sql);
    for (int k = 0; k < 16; k++) {
        int i = (int)((h + (uint64_t)k) % PS_SLOTS);
        struct pstmt *s = &pc->ps[i];
        if (!s->sql) {
            if (pc->nps >= PS_MAX)
                return -1;
            *s = (struct pstmt){.hash = h, .sql = xstrdup(sql), .state = PS_SEEN};
            pc->nps++;
            return -2 - i; /* new: this use stays unnamed (a one-off costs no server memory) */
        }
        if (s->hash == h && !strcmp(s->sql, sql))
            return i;
    }
    return -1;
}

/* Queues sql (after the transaction's BEGIN when not sent yet): Bind/Execute of its named
 * statement (with its Parse the first time), or of the unnamed one. A named DB_GENERIC_PLAN
 * statement goes between GENERIC_ON and GENERIC_OFF (transaction-local: no session state). */
static bool send_stmt(struct pg_tx *t, const char *sql, const char *const *vals, int n, bool main,
                      short ahead)
{
    PGconn *c = t->pc->c;
    if (t->begin) {
        const char *b = t->begin;
        t->begin = NULL;
        if (!send_stmt(t, b, NULL, 0, false, -1))
            return false;
    }
    if (!strncmp(sql, "SET LOCAL ", 10))
        t->local_set = true;
    int i = ps_slot(t, sql);
    bool generic = i >= 0 && pg_generic(sql);
    if (generic && !send_stmt(t, GENERIC_ON, NULL, 0, false, -1))
        return false;
    if (i < 0) {
        if (!PQsendQueryParams(c, sql, n, NULL, vals, NULL, NULL, 0))
            return false;
        t->seg[t->nseg].main = main;
        t->seg[t->nseg].parse = 0;
        t->seg[t->nseg].check = 0;
        t->seg[t->nseg].ahead = ahead;
        t->seg[t->nseg++].ps = -1;
        return true;
    }
    struct pstmt *s = &t->pc->ps[i];
    char name[16];
    if (s->state == PS_SEEN) {
        s->name = t->pc->next_name++;
        snprintf(name, sizeof(name), "sh%u", s->name);
        if (!PQsendPrepare(c, name, sql, 0, NULL))
            return false;
        s->state = PS_SENT;
        metrics_db_prepare();
        t->seg[t->nseg].main = 0;
        t->seg[t->nseg].parse = 1;
        t->seg[t->nseg].check = 0;
        t->seg[t->nseg].ahead = -1;
        t->seg[t->nseg++].ps = (short)i;
    }
    snprintf(name, sizeof(name), "sh%u", s->name);
    if (!PQsendQueryPrepared(c, name, n, vals, NULL, NULL, 0))
        return false;
    metrics_db_prepared_run();
    t->seg[t->nseg].main = main;
    t->seg[t->nseg].parse = 0;
    t->seg[t->nseg].check = 0;
    t->seg[t->nseg].ahead = ahead;
    t->seg[t->nseg++].ps = (short)i;
    return !generic || send_stmt(t, GENERIC_OFF, NULL, 0, false, -1);
}

static bool state_is(const PGresult *r, const char *state)
{
    const char *s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    return s && !strcmp(s, state);
}

/* What an answer tells of a named statement: prepared, or not; stale after DDL ("cached
 * plan must not change result type"); unknown to the server (a pooler that does not keep
 * them: named statements are turned off for the pool). */
static void ps_answer(struct pg_tx *t, int k, const PGresult *r, bool ok)
{
    int i = t->seg[k].ps;
    if (i < 0 || !t->pc->ps || !t->pc->ps[i].sql)
        return;
    struct pstmt *s = &t->pc->ps[i];
    if (t->seg[k].parse) {
        s->state = ok ? PS_READY : PS_SEEN;
        return;
    }
    if (ok || PQresultStatus(r) == PGRES_PIPELINE_ABORTED)
        return;
    const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    if (state_is(r, "0A000") && m && strstr(m, "cached plan must not change result type")) {
        s->state = PS_SEEN; /* prepared again under a new name */
        t->stale = true;
    } else if (state_is(r, "26000")) {
        if (atomic_exchange(&t->d->named, false))
            log_warn("postgresql: a named prepared statement is unknown to the server (a "
                     "pooler without prepared statement support?): unnamed statements from now");
        t->stale = true;
    }
}

/* The rows of r as text cells in arena a (pg_to_rows), or the arena's cap passed. */
static enum sh_code rows_of(PGresult *r, struct sh_arena *a, struct db_rows *out, struct sh_err *e)
{
    return pg_to_rows(r, a, out) ? SH_OK : db_too_large(e);
}

/* The answer of a query sent ahead: its rows where the caller wants them. */
static void ahead_answer(struct pg_tx *t, int k, PGresult *r)
{
    int i = t->seg[k].ahead;
    if (i < 0 || !t->ahead[i].out)
        return;
    if (rows_of(r, t->ahead[i].a, t->ahead[i].out, &t->late) != SH_OK)
        t->late_failed = true;
    t->ahead[i].out = NULL;
}

/* Reads the answers up to the next Sync for the statements of the segment: the waited-for
 * statement's result in *res, the first failed other one's in *err (NULL: cleared). False
 * when the connection broke before the Sync arrived. */
static bool read_seg(struct pg_tx *t, PGresult **res, PGresult **err)
{
    struct pgconn *pc = t->pc;
    int k = 0; /* the statement whose answers come now */
    bool after_null = false;
    for (;;) {
        PGresult *r = PQgetResult(pc->c);
        if (!r) {
            /* one NULL ends each statement's answers; two in a row: nothing more is coming */
            if (after_null || PQstatus(pc->c) != CONNECTION_OK) {
                pc->bad = true;
                t->nseg = 0;
                return false;
            }
            after_null = true;
            k++;
            continue;
        }
        after_null = false;
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            t->nseg = 0;
            t->nahead = 0;
            return true;
        }
        bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
        if (k < t->nseg) {
            ps_answer(t, k, r, ok);
            if (t->seg[k].main && res && !*res) {
                *res = r;
                continue;
            }
            if (t->seg[k].check && !t->chk_res) {
                t->chk_res = r;
                continue;
            }
            if (ok && !t->late_failed)
                ahead_answer(t, k, r);
        }
        if (!ok && err && !*err)
            *err = r;
        else
            PQclear(r);
    }
}

/* Reads the answers of a Sync nobody waits for (a read's COMMIT, a ROLLBACK). */
static bool read_to_sync(struct pgconn *pc)
{
    struct pg_tx scratch = {.pc = pc};
    return read_seg(&scratch, NULL, NULL);
}

/* Reads the answers of the Syncs sent without waiting (a read's COMMIT, a ROLLBACK). */
static void drain(struct pgconn *pc)
{
    while (pc->unread > 0 && !pc->bad) {
        pc->unread--;
        if (!read_to_sync(pc))
            break;
    }
    if (pc->bad)
        pc->unread = 0;
}

/* A failed statement that was not waited for: its error becomes the transaction's. */
static void note_late(struct pg_tx *t, PGresult *err)
{
    if (t->late_failed)
        return;
    sh_err_clear(&t->late);
    pg_fail(t->pc->c, err, &t->late);
    t->late_failed = true;
}

static enum sh_code chk_refusal(struct sh_err *e)
{
    return sh_err_set(e, SH_UNAUTH, "the caller's credentials changed: ask again");
}

/* Queues the request's check before the wait's own statement (its first wait only). */
static bool send_check(struct pg_tx *t)
{
    if (!t->chk || !t->chk->pending || t->chk_sent)
        return true;
    const char *vals[8];
    char bufs[8][32];
    int n = t->chk->n < 8 ? t->chk->n : 8;
    pg_params(t->chk->p, n, vals, bufs);
    if (!send_stmt(t, t->chk->sql, vals, n, false, -1))
        return false;
    t->seg[t->nseg - 1].check = 1;
    t->chk_sent = true;
    return true;
}

/* Judges the check's answer once its wait is over: false when refused (the wait's answers
 * are not to be used, nor anything after them in this request). */
static bool chk_judge(struct pg_tx *t)
{
    if (!t->chk_sent || !t->chk->pending)
        return true;
    struct pg_check *k = t->chk;
    PGresult *r = t->chk_res;
    t->chk_res = NULL;
    k->pending = false;
    struct db_rows rows;
    bool ok = r && PQresultStatus(r) == PGRES_TUPLES_OK && pg_to_rows(r, k->a, &rows) &&
              k->fn(&rows, k->ctx);
    PQclear(r);
    if (!ok)
        k->refused = true;
    return ok;
}

/* Before a wait (a Sync). An implicit transaction (a read without BEGIN) is one segment: a
 * second wait would see another snapshot, so from it on the read becomes a transaction
 * (BEGIN goes with it) and its function is learnt to need one (fn_learn). */
static void before_wait(struct pg_tx *t)
{
    t->waits++;
    if (t->implicit && t->waits > 1) {
        t->implicit = false;
        t->begin = RO_BEGIN;
    }
}

/* Sends sql (after the queued statements) and a Sync, then reads every answer due: the
 * earlier unread Syncs, the queued statements', the statement's. Returns the statement's
 * result, or the first failed queued statement's (BEGIN's, a deferred one's), or NULL when
 * the connection failed. One round trip. */
static PGresult *exchange(struct pg_tx *t, const char *sql, const char *const *vals, int n)
{
    PGconn *c = t->pc->c;
    before_wait(t);
    bool queued = t->nseg > 0 || t->begin;
    if (!send_check(t) || !send_stmt(t, sql, vals, n, true, -1) || !PQpipelineSync(c)) {
        t->pc->bad = true;
        t->nseg = 0;
        return NULL;
    }
    metrics_db_round_trip();
    drain(t->pc);
    PGresult *res = NULL, *err = NULL;
    if (!read_seg(t, &res, &err) || !chk_judge(t)) {
        PQclear(res);
        PQclear(err);
        PQclear(t->chk_res);
        t->chk_res = NULL;
        return NULL;
    }
    if (!err)
        return res;
    PQclear(res);
    if (queued)
        note_late(t, err);
    return err; /* BEGIN's or a deferred statement's error is the one to report */
}

/* Reads the answers of the queued statements (one round trip); their first error, if any. */
static enum sh_code collect(struct pg_tx *t, struct sh_err *e)
{
    if (!send_check(t)) {
        t->pc->bad = true;
        t->nseg = 0;
        return pg_fail(t->pc->c, NULL, e);
    }
    if (!t->nseg)
        return SH_OK;
    before_wait(t);
    if (!PQpipelineSync(t->pc->c)) {
        t->pc->bad = true;
        t->nseg = 0;
        return pg_fail(t->pc->c, NULL, e);
    }
    metrics_db_round_trip();
    drain(t->pc);
    PGresult *err = NULL;
    if (!read_seg(t, NULL, &err)) {
        PQclear(t->chk_res);
        t->chk_res = NULL;
        return pg_fail(t->pc->c, NULL, e);
    }
    if (!chk_judge(t)) {
        PQclear(err);
        return chk_refusal(e);
    }
    if (!err)
        return SH_OK;
    note_late(t, err);
    PQclear(err);
    *e = t->late;
    return e->code;
}

/* Sends a statement without parameters and a Sync, not waiting for the answer. */
static bool send_later(struct pgconn *pc, const char *sql)
{
    if (!PQsendQueryParams(pc->c, sql, 0, NULL, NULL, NULL, NULL, 0) || !PQpipelineSync(pc->c)) {
        pc->bad = true;
        return false;
    }
    pc->unread++;
    return true;
}

static PGresult *run(struct pg_tx *t, const char *sql, const struct db_val *p, int n)
{
    const char *vals[MAX_PARAMS];
    char bufs[MAX_PARAMS][32];
    if (n > MAX_PARAMS)
        return NULL;
    pg_params(p, n, vals, bufs);
    return exchange(t, sql, vals, n);
}

static enum sh_code p_query(struct db_tx *tx, struct sh_arena *a, const char *sql,
                            const struct db_val *p, int n, struct db_rows *out, struct sh_err *e)
{
    struct pg_tx *t = tx->conn;
    PGconn *c = t->pc->c;
    if (n > MAX_PARAMS)
        return sh_err_set(e, SH_INTERNAL, "too many SQL parameters (%d)", n);
    PGresult *r = run(t, sql, p, n);
    if (!r && t->chk && t->chk->refused)
        return chk_refusal(e);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        enum sh_code rc = pg_fail(c, r, e);
        PQclear(r);
        return rc;
    }
    enum sh_code rc = rows_of(r, a, out, e);
    PQclear(r);
    return rc;
}

static enum sh_code p_exec(struct db_tx *tx, const char *sql, const struct db_val *p, int n,
                           int64_t *changes, struct sh_err *e)
{
    struct pg_tx *t = tx->conn;
    PGconn *c = t->pc->c;
    if (n > MAX_PARAMS)
        return sh_err_set(e, SH_INTERNAL, "too many SQL parameters (%d)", n);
    PGresult *r = run(t, sql, p, n);
    if (!r && t->chk && t->chk->refused)
        return chk_refusal(e);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        enum sh_code rc = pg_fail(c, r, e);
        PQclear(r);
        return rc;
    }
    if (changes) {
        const char *ct = PQcmdTuples(r);
        *changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
    }
    PQclear(r);
    return SH_OK;
}

/* Queues the statement in the pipeline without a Sync: no round trip now. Its rows, when
 * out is given (a query sent ahead), go to *out when its answer is read. */
static enum sh_code queue(struct db_tx *tx, const char *sql, const struct db_val *p, int n,
                          struct sh_arena *a, struct db_rows *out, struct sh_err *e)
{
    struct pg_tx *t = tx->conn;
    if (n > MAX_PARAMS)
        return sh_err_set(e, SH_INTERNAL, "too many SQL parameters (%d)", n);
    enum sh_code rc;
    if (t->nseg + SEG_ONE > SEG_MAX && (rc = collect(t, e)))
        return rc; /* a long run of them: their answers are read every few dozen */
    const char *vals[MAX_PARAMS];
    char bufs[MAX_PARAMS][32];
    pg_params(p, n, vals, bufs);
    short ahead = -1;
    if (out) {
        ahead = (short)t->nahead++;
        t->ahead[ahead].out = out;
        t->ahead[ahead].a = a;
    }
    if (!send_stmt(t, sql, vals, n, false, ahead)) {
        t->pc->bad = true;
        t->nseg = 0;
        return pg_fail(t->pc->c, NULL, e);
    }
    return SH_OK;
}

static enum sh_code p_exec_nowait(struct db_tx *tx, const char *sql, const struct db_val *p, int n,
                                  struct sh_err *e)
{
    return queue(tx, sql, p, n, NULL, NULL, e);
}

static enum sh_code p_query_ahead(struct db_tx *tx, struct sh_arena *a, const char *sql,
                                  const struct db_val *p, int n, struct db_rows *out,
                                  struct sh_err *e)
{
    return queue(tx, sql, p, n, a, out, e);
}

/* Reads the answers of what was sent ahead, when some are still unread (one round trip). */
static enum sh_code p_wait(struct db_tx *tx, struct sh_err *e)
{
    struct pg_tx *t = tx->conn;
    return t->nahead ? collect(t, e) : SH_OK;
}

/* A script of several statements (migrations): the simple protocol, outside pipeline mode. */
static enum sh_code p_script(struct db_tx *tx, const char *sql, struct sh_err *e)
{
    struct pg_tx *t = tx->conn;
    PGconn *c = t->pc->c;
    enum sh_code rc = collect(t, e);
    if (rc)
        return rc;
    drain(t->pc);
    if (t->pc->bad || !PQexitPipelineMode(c))
        return pg_fail(c, NULL, e);
    if (t->begin) {
        PGresult *b = PQexec(c, t->begin);
        if (PQresultStatus(b) != PGRES_COMMAND_OK)
            rc = pg_fail(c, b, e);
        PQclear(b);
        t->begin = NULL;
    }
    if (!rc) {
        metrics_db_round_trip();
        PGresult *r = PQexec(c, sql);
        ExecStatusType st = PQresultStatus(r);
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
            rc = pg_fail(c, r, e);
        PQclear(r);
    }
    if (!PQenterPipelineMode(c))
        t->pc->bad = true;
    return rc;
}

static int take(struct db_pg *d)
{
    pthread_mutex_lock(&d->mu);
    for (;;) {
        for (int i = 0; i < d->n; i++) {
            if (!d->busy[i]) {
                d->busy[i] = true;
                pthread_mutex_unlock(&d->mu);
                return i;
            }
        }
        pthread_cond_wait(&d->cv, &d->mu);
    }
}

static void give(struct db_pg *d, int i)
{
    pthread_mutex_lock(&d->mu);
    d->busy[i] = false;
    pthread_mutex_unlock(&d->mu);
    pthread_cond_signal(&d->cv); /* unlocked: the woken taker does not block on mu */
}

/* Reconnects a broken pooled connection once before use (its named statements are gone
 * with the old session); starts its statement cache again when full. */
static enum sh_code ensure(struct db_pg *d, int i, struct sh_err *e)
{
    struct pgconn *pc = &d->conns[i];
    if (PQstatus(pc->c) == CONNECTION_OK && !pc->bad) {
        if (pc->nps >= PS_MAX) {
            ps_reset(pc);
            send_later(pc, "DEALLOCATE ALL");
        }
        return SH_OK;
    }
    ps_reset(pc);
    PQreset(pc->c);
    pc->unread = 0;
    pc->bad = false;
    if (PQstatus(pc->c) != CONNECTION_OK)
        return pg_fail(pc->c, NULL, e);
    if (!PQenterPipelineMode(pc->c)) {
        pc->bad = true;
        return pg_fail(pc->c, NULL, e);
    }
    return SH_OK;
}

/* The request thread's open read (db_request_hold). */
static _Thread_local struct {
    struct db_pg *d;
    bool armed; /* the next read stays open */
    bool open;  /* conn i is the thread's, kept for the request's next read */
    bool tx;    /* and holds that read's transaction (BEGIN … not yet ended) */
    int i;
    const char *begin; /* its BEGIN when it sent no statement */
    bool checks;       /* db_request_check may be used (db_request_hold) */
    struct pg_check chk;
} held;

/* Sends the request's pending check alone and judges it (one round trip). */
static enum sh_code check_alone(struct db_pg *d, int i, struct sh_err *e)
{
    struct pg_tx s = {.d = d, .pc = &d->conns[i], .implicit = true, .chk = &held.chk};
    enum sh_code rc = d->conns[i].bad ? pg_fail(d->conns[i].c, NULL, e) : collect(&s, e);
    if (rc || held.chk.pending) {
        /* not judged: refused (the request is asked again without a check) */
        held.chk.pending = false;
        held.chk.refused = true;
    }
    if (!rc && held.chk.refused)
        rc = chk_refusal(e);
    return rc;
}

/* Ends a transaction whose outcome nobody waits for: COMMIT of a read (it wrote nothing),
 * ROLLBACK of a failed one. */
static void end_later(struct pgconn *pc, const char *begin_unsent, const char *end)
{
    if (!begin_unsent)
        send_later(pc, end);
}

/* Runs fn in t, then, for a read, reads the answers of what it queued; a write is committed
 * (its COMMIT's answer carries the queued statements'). A statement not waited for that
 * failed is the transaction's error, whatever fn made of it. */
static enum sh_code run_fn(struct db *db, struct pg_tx *t, bool read, db_fn fn, void *ctx,
                           struct sh_err *e)
{
    struct db_tx tx = {db, t};
    enum sh_code rc = fn(&tx, ctx, e);
    /* rows of queries sent ahead and never waited for: nobody reads them any more */
    for (int k = 0; k < t->nseg; k++)
        t->seg[k].ahead = -1;
    struct sh_err scratch;
    sh_err_clear(&scratch);
    if (t->nseg && (rc || read)) {
        enum sh_code rc2 = collect(t, rc ? &scratch : e);
        if (!rc)
            rc = rc2;
    }
    if (!rc && !read && !t->begin && t->chk && t->chk->pending)
        rc = collect(t, e); /* the request's check not judged yet: never with the COMMIT */
    if (!rc && !read && !t->begin) {
        /* a write's COMMIT: answered before the caller may say it is done */
        PGresult *r = exchange(t, "COMMIT", NULL, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = pg_fail(t->pc->c, r, e);
        PQclear(r);
    }
    if (t->late_failed) {
        *e = t->late;
        rc = e->code;
    }
    return rc;
}

/* A new transaction on t: a read of a function known to wait once is implicit. */
static void tx_start(struct pg_tx *t, bool read, db_fn fn)
{
    t->implicit = read && pg_fn_implicit(fn);
    t->begin = t->implicit ? NULL : read ? RO_BEGIN : "BEGIN";
    t->local_set = false;
}

/* Ends t's transaction without waiting (COMMIT of a read, ROLLBACK of a failure). */
static void tx_end_later(struct pg_tx *t, const char *end)
{
    if (!t->implicit)
        end_later(t->pc, t->begin, end);
}

static enum sh_code in_tx(struct db *db, bool read, db_fn fn, void *ctx, struct sh_err *e)
{
    struct db_pg *d = (struct db_pg *)db;
    bool adopt = false, keep = false;
    int i;
    struct pg_tx t = {.d = d};
    tx_start(&t, read, fn);
    enum sh_code rc = SH_OK;
    if (held.d == d && held.chk.refused)
        return chk_refusal(e);
    if (held.open && held.d == d && held.chk.pending) {
        /* the request's check goes with its first read's statement, or with a write's first
         * wait (judged before its COMMIT is sent: run_fn); before anything else, alone */
        if (!read || t.implicit)
            t.chk = &held.chk;
        else if ((rc = check_alone(d, held.i, e))) {
            held.open = false;
            give(d, held.i);
            return rc;
        }
    }
    if (held.open && held.d == d) {
        /* the request's authentication read: a read continues on its connection (in its
         * transaction, if it opened one); a write ends that transaction first */
        i = held.i;
        held.open = false;
        adopt = true;
        if (read && held.tx) {
            t.implicit = false;
            t.begin = held.begin;
        } else if (held.tx) {
            end_later(&d->conns[i], held.begin, "COMMIT");
        }
    } else {
        keep = read && held.armed && held.d == d;
        i = take(d);
    }
    held.armed = false;
    t.pc = &d->conns[i];
    if (!adopt && (rc = ensure(d, i, e)))
        goto out;
    for (int attempt = 0;; attempt++) {
        bool was_implicit = t.implicit;
        t.stale = t.late_failed = false;
        t.waits = 0;
        t.nahead = 0;
        rc = run_fn(db, &t, read, fn, ctx, e);
        if (read && (t.waits > 1 || (!was_implicit && !rc)))
            pg_fn_learn(fn, t.waits);
        if (!rc)
            break;
        /* the write's COMMIT may not have run (a queued statement failed first) */
        tx_end_later(&t, "ROLLBACK");
        if (!t.stale || attempt > 0 || t.pc->bad)
            goto out;
        /* a named statement went stale (a migration changed its result) or the server
         * does not know it: rolled back, run once more with statements prepared anew */
        tx_start(&t, read, fn);
        sh_err_clear(e);
    }
    if (keep) {
        held.open = true;
        held.tx = !t.implicit;
        held.i = i;
        held.begin = t.begin;
        return SH_OK;
    }
    if (read)
        tx_end_later(&t, "COMMIT");
out:
    if (t.chk && held.chk.pending) {
        /* the read sent nothing to carry the check: alone, before its answer is used */
        struct sh_err ce;
        sh_err_clear(&ce);
        if (check_alone(d, i, &ce) && !rc) {
            *e = ce;
            rc = ce.code;
        }
    }
    give(d, i);
    return rc;
}

static enum sh_code p_write(struct db *db, db_fn fn, void *ctx, struct sh_err *e)
{
    return in_tx(db, false, fn, ctx, e);
}

static enum sh_code p_read(struct db *db, db_fn fn, void *ctx, struct sh_err *e)
{
    /* one snapshot for every statement of the read (a list and its total agree), as a
     * SQLite WAL read transaction gives */
    return in_tx(db, true, fn, ctx, e);
}

static void p_hold(struct db *db, bool checks)
{
    held.d = (struct db_pg *)db;
    held.armed = true;
    held.checks = checks;
    held.chk = (struct pg_check){0};
}

static enum sh_code p_check(struct db *db, struct sh_arena *a, const char *sql,
                            const struct db_val *p, int n, db_check_fn fn, void *ctx,
                            struct sh_err *e)
{
    struct db_pg *d = (struct db_pg *)db;
    if (held.d != d || !held.armed || !held.checks || held.open || n > 8)
        return sh_err_set(e, SH_UNSUPPORTED, "no request to check with");
    int i = take(d);
    enum sh_code rc = ensure(d, i, e);
    if (rc) {
        give(d, i);
        return rc;
    }
    struct db_val *copy = sh_arena_alloc(a, sizeof(*copy) * (size_t)(n ? n : 1));
    if (n)
        memcpy(copy, p, sizeof(*copy) * (size_t)n);
    held.chk = (struct pg_check){
        .pending = true, .sql = sql, .p = copy, .n = n, .a = a, .fn = fn, .ctx = ctx};
    held.open = true;
    held.tx = false;
    held.begin = NULL;
    held.i = i;
    held.armed = false;
    return SH_OK;
}

static bool p_refused(struct db *db)
{
    return held.d == (struct db_pg *)db && held.chk.refused;
}

static void p_release(struct db *db)
{
    struct db_pg *d = (struct db_pg *)db;
    held.armed = false;
    if (held.open && held.d == d) {
        held.open = false;
        struct sh_err e;
        sh_err_clear(&e);
        if (held.chk.pending)
            (void)check_alone(d, held.i, &e); /* refused or failed: held.chk.refused */
        if (held.tx)
            end_later(&d->conns[held.i], held.begin, "COMMIT");
        give(d, held.i);
    }
    if (held.chk.pending) { /* never judged: refused */
        held.chk.pending = false;
        held.chk.refused = true;
    }
}

static void p_close(struct db *db)
{
    struct db_pg *d = (struct db_pg *)db;
    for (int i = 0; i < d->n; i++) {
        PQfinish(d->conns[i].c);
        ps_reset(&d->conns[i]);
        free(d->conns[i].ps);
    }
    free(d->conns);
    free(d->busy);
    free(d->url);
    pthread_mutex_destroy(&d->mu);
    pthread_cond_destroy(&d->cv);
    free(d);
}

static const struct db_ops pg_ops = {
    .close = p_close,
    .write = p_write,
    .read = p_read,
    .query = p_query,
    .exec = p_exec,
    .exec_nowait = p_exec_nowait,
    .query_ahead = p_query_ahead,
    .wait = p_wait,
    .script = p_script,
    .hold = p_hold,
    .release = p_release,
    .check = p_check,
    .refused = p_refused,
};

static void quiet(void *arg, const PGresult *res)
{
    (void)arg;
    (void)res;
}

/* Whether the server at the other end is PostgreSQL itself. A pooler such as PgBouncer hands
 * its clients a backend key of its own (the server's connections change under them), so
 * the process id libpq received at connection is not the one the server reports. */
static bool direct(PGconn *c)
{
    PGresult *r = PQexec(c, "SELECT pg_backend_pid()");
    bool same = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
                strtol(PQgetvalue(r, 0, 0), NULL, 10) == (long)PQbackendPID(c);
    PQclear(r);
    return same;
}

enum sh_code db_pg_open(const char *url, const struct db_options *o, struct db **out,
                        struct sh_err *e)
{
    struct db_pg *d = xcalloc(1, sizeof(*d));
    d->base.ops = &pg_ops;
    d->base.dialect = DB_PG;
    d->url = xstrdup(url);
    d->n = o->pg_pool_size;
    d->conns = xcalloc((size_t)d->n, sizeof(struct pgconn));
    d->busy = xcalloc((size_t)d->n, sizeof(bool));
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->cv, NULL);
    for (int i = 0; i < d->n; i++) {
        PGconn *c = d->conns[i].c = PQconnectdb(url);
        if (i == 0 && PQstatus(c) == CONNECTION_OK) {
            bool named =
                o->prepared == DB_PREPARED_ON || (o->prepared == DB_PREPARED_AUTO && direct(c));
            atomic_init(&d->named, named);
            log_debug("postgresql: %s statements (pg_prepared_statements = %s)",
                      named ? "named prepared" : "unnamed",
                      o->prepared == DB_PREPARED_ON    ? "on"
                      : o->prepared == DB_PREPARED_OFF ? "off"
                                                       : "auto");
        }
        if (PQstatus(c) != CONNECTION_OK || !PQenterPipelineMode(c)) {
            char msg[200];
            snprintf(msg, sizeof(msg), "%s", PQerrorMessage(c));
            msg[strcspn(msg, "\n")] = '\0';
            sh_err_field(e, SH_STORE, "db", "cannot connect to PostgreSQL: %s", msg);
            d->n = i + 1;
            p_close(&d->base);
            return SH_STORE;
        }
        /* no SET: session state would not survive PgBouncer's transaction pooling (no SQL
         * depends on the session's time zone: times are UTC text) */
        PQsetNoticeReceiver(c, quiet, NULL);
    }
    *out = &d->base;
    return SH_OK;
}
