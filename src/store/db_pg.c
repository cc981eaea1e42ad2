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
 * transaction: it is rolled back and run again with the statement prepared anew (once for
 * each such statement it meets, up to STALE_RERUNS).
 *
 * A read function that waits once runs without BEGIN/COMMIT: the implicit transaction of its
 * one segment (learnt per function, db_pg_util.c). The request's connection (db_request_hold):
 * on a request thread, the connection that authenticates a GET serves the handler's first read
 * too; with a check (db_request_check) the credential's row goes with that read's statement,
 * in one round trip, and is judged before its answer is used.
 *
 * This file: the pool, transactions and the request's held read; the statements themselves
 * go over the pipeline in db_pg_wire.c (shared state: db_pg_int.h). */
#include "store/db_pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "store/db_pg_util.h"

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
            pg_ps_reset(pc);
            pg_send_later(pc, "DEALLOCATE ALL");
        }
        return SH_OK;
    }
    pg_ps_reset(pc);
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
    bool local_set;    /* a SET LOCAL ran in that transaction (pg_tx.local_set) */
    bool checks;       /* db_request_check may be used (db_request_hold) */
    struct pg_check chk;
} held;

/* Sends the request's pending check alone and judges it (one round trip). */
static enum sh_code check_alone(struct db_pg *d, int i, struct sh_err *e)
{
    struct pg_tx s = {.d = d, .pc = &d->conns[i], .implicit = true, .chk = &held.chk};
    enum sh_code rc = d->conns[i].bad ? pg_fail(d->conns[i].c, NULL, e) : pg_collect(&s, e);
    if (rc || held.chk.pending) {
        /* not judged: refused (the request is asked again without a check) */
        held.chk.pending = false;
        held.chk.refused = true;
    }
    if (!rc && held.chk.refused)
        rc = pg_chk_refusal(e);
    return rc;
}

/* Ends a transaction whose outcome nobody waits for: COMMIT of a read (it wrote nothing),
 * ROLLBACK of a failed one. */
static void end_later(struct pgconn *pc, const char *begin_unsent, const char *end)
{
    if (!begin_unsent)
        pg_send_later(pc, end);
}

/* runs again after a stale statement (each run prepares at least one anew) */
#define STALE_RERUNS 8

/* db_options.test_rerun: the answers of what the run queued read, the run is treated as if a
 * named statement had gone stale (rolled back, run again). */
static enum sh_code rerun_rollback(struct pg_tx *t, struct sh_err *e)
{
    enum sh_code rc = t->nseg ? pg_collect(t, e) : SH_OK;
    if (rc)
        return rc;
    t->stale = true;
    return sh_err_set(e, SH_STORE, "test_rerun: run again");
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
        enum sh_code rc2 = pg_collect(t, rc ? &scratch : e);
        if (!rc)
            rc = rc2;
    }
    if (!rc && !read && !t->begin && t->chk && t->chk->pending)
        rc = pg_collect(t, e); /* the request's check not judged yet: never with the COMMIT */
    if (!rc && t->rerun && !t->script_ran)
        return rerun_rollback(t, e);
    if (!rc && !read && !t->begin) {
        /* a write's COMMIT: answered before the caller may say it is done */
        PGresult *r = pg_exchange(t, "COMMIT", NULL, 0);
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
    t->begin = t->implicit ? NULL : read ? PG_RO_BEGIN : "BEGIN";
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
        return pg_chk_refusal(e);
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
            t.local_set = held.local_set; /* its SET LOCALs still hold */
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
        t.rerun = d->test_rerun && attempt == 0;
        t.script_ran = false;
        rc = run_fn(db, &t, read, fn, ctx, e);
        if (read && (t.waits > 1 || (!was_implicit && !rc)))
            pg_fn_learn(fn, t.waits);
        if (!rc)
            break;
        /* the write's COMMIT may not have run (a queued statement failed first) */
        tx_end_later(&t, "ROLLBACK");
        if (!t.stale || attempt >= STALE_RERUNS || t.pc->bad)
            goto out;
        /* a named statement went stale (a migration changed its result) or the server
         * does not know it: rolled back, run again with it prepared anew. A pipeline stops
         * at its first failure, so a run finds one stale statement: a function whose
         * statements a migration made stale in several places takes a run for each */
        tx_start(&t, read, fn);
        sh_err_clear(e);
    }
    if (keep) {
        held.open = true;
        held.tx = !t.implicit;
        held.i = i;
        held.begin = t.begin;
        held.local_set = t.local_set;
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
        pg_ps_reset(&d->conns[i]);
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
    .query = pg_tx_query,
    .exec = pg_tx_exec,
    .exec_nowait = pg_tx_exec_nowait,
    .query_ahead = pg_tx_query_ahead,
    .wait = pg_tx_wait,
    .script = pg_tx_script,
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
    d->test_rerun = o->test_rerun;
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
