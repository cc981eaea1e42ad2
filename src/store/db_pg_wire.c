/* SPDX-License-Identifier: MIT */
/* PostgreSQL driver, statements over the pipeline: named statements (Parse once per
 * connection), the segment of statements sent before one Sync and the reading of its
 * answers, statements queued without a wait, the request's check carried by a wait, and a
 * transaction's db_ops. The round-trip design is described at the top of db_pg.c. */
#include "store/db_pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/metrics.h"
#include "base/xalloc.h"
#include "store/db_pg_util.h"

#define MAX_PARAMS 256 /* the SLA scanner's batch statements use up to 256 */

/* ---- named statements (protocol level: Parse once per connection, then Bind/Execute) ---- */

/* Forgets every named statement of pc (the caller drops them on the server, if need be). */
void pg_ps_reset(struct pgconn *pc)
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
void pg_drain(struct pgconn *pc)
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

enum sh_code pg_chk_refusal(struct sh_err *e)
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
        t->begin = PG_RO_BEGIN;
    }
}

/* Sends sql (after the queued statements) and a Sync, then reads every answer due: the
 * earlier unread Syncs, the queued statements', the statement's. Returns the statement's
 * result, or the first failed queued statement's (BEGIN's, a deferred one's), or NULL when
 * the connection failed. One round trip. */
PGresult *pg_exchange(struct pg_tx *t, const char *sql, const char *const *vals, int n)
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
    pg_drain(t->pc);
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
enum sh_code pg_collect(struct pg_tx *t, struct sh_err *e)
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
    pg_drain(t->pc);
    PGresult *err = NULL;
    if (!read_seg(t, NULL, &err)) {
        PQclear(t->chk_res);
        t->chk_res = NULL;
        return pg_fail(t->pc->c, NULL, e);
    }
    if (!chk_judge(t)) {
        PQclear(err);
        return pg_chk_refusal(e);
    }
    if (!err)
        return SH_OK;
    note_late(t, err);
    PQclear(err);
    *e = t->late;
    return e->code;
}

/* Sends a statement without parameters and a Sync, not waiting for the answer. */
bool pg_send_later(struct pgconn *pc, const char *sql)
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
    return pg_exchange(t, sql, vals, n);
}

/* Runs a statement and waits for its answer: *out is the result on success. */
static enum sh_code run_waited(struct pg_tx *t, const char *sql, const struct db_val *p, int n,
                               PGresult **out, struct sh_err *e)
{
    if (n > MAX_PARAMS)
        return sh_err_set(e, SH_INTERNAL, "too many SQL parameters (%d)", n);
    PGresult *r = run(t, sql, p, n);
    if (!r && t->chk && t->chk->refused)
        return pg_chk_refusal(e);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        enum sh_code rc = pg_fail(t->pc->c, r, e);
        PQclear(r);
        return rc;
    }
    *out = r;
    return SH_OK;
}

enum sh_code pg_tx_query(struct db_tx *tx, struct sh_arena *a, const char *sql,
                         const struct db_val *p, int n, struct db_rows *out, struct sh_err *e)
{
    PGresult *r = NULL;
    enum sh_code rc = run_waited(tx->conn, sql, p, n, &r, e);
    if (rc)
        return rc;
    rc = rows_of(r, a, out, e);
    PQclear(r);
    return rc;
}

enum sh_code pg_tx_exec(struct db_tx *tx, const char *sql, const struct db_val *p, int n,
                        int64_t *changes, struct sh_err *e)
{
    PGresult *r = NULL;
    enum sh_code rc = run_waited(tx->conn, sql, p, n, &r, e);
    if (rc)
        return rc;
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
    if (t->nseg + SEG_ONE > SEG_MAX && (rc = pg_collect(t, e)))
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

enum sh_code pg_tx_exec_nowait(struct db_tx *tx, const char *sql, const struct db_val *p, int n,
                               struct sh_err *e)
{
    return queue(tx, sql, p, n, NULL, NULL, e);
}

enum sh_code pg_tx_query_ahead(struct db_tx *tx, struct sh_arena *a, const char *sql,
                               const struct db_val *p, int n, struct db_rows *out, struct sh_err *e)
{
    return queue(tx, sql, p, n, a, out, e);
}

/* Reads the answers of what was sent ahead, when some are still unread (one round trip). */
enum sh_code pg_tx_wait(struct db_tx *tx, struct sh_err *e)
{
    struct pg_tx *t = tx->conn;
    return t->nahead ? pg_collect(t, e) : SH_OK;
}

/* A script of several statements (migrations): the simple protocol, outside pipeline mode. */
enum sh_code pg_tx_script(struct db_tx *tx, const char *sql, struct sh_err *e)
{
    struct pg_tx *t = tx->conn;
    t->script_ran = true;
    PGconn *c = t->pc->c;
    enum sh_code rc = pg_collect(t, e);
    if (rc)
        return rc;
    pg_drain(t->pc);
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
