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
 * acknowledged once durable). No session state is set (PgBouncer transaction pooling):
 * unnamed statements only, no SET outside a transaction.
 *
 * The request's transaction (db_request_hold): on a request thread, the read that
 * authenticates a GET stays open and the handler's first read continues it — one BEGIN,
 * one snapshot and one COMMIT for both. */
#include "store/db_int.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/metrics.h"
#include "base/xalloc.h"

/* A pooled connection, always in pipeline mode. */
struct pgconn {
    PGconn *c;
    int unread; /* Syncs sent whose answers are not read yet (a read's COMMIT, a ROLLBACK) */
    bool bad;   /* the pipeline lost step: reconnect before the next use */
};

/* The transaction on a connection: its BEGIN until the first statement carries it. */
struct pg_tx {
    struct pgconn *pc;
    const char *begin;
};

struct db_pg {
    struct db base;
    char *url;
    struct pgconn *conns;
    bool *busy;
    int n;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static enum sh_code pg_fail(PGconn *c, PGresult *r, struct sh_err *e)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c);
    char clean[200];
    snprintf(clean, sizeof(clean), "%s", msg ? msg : "?");
    clean[strcspn(clean, "\n")] = '\0';
    if (state) {
        if (!strcmp(state, "23505")) {
            /* detail "Key (serial_no)=(x) already exists.": the field is the key's column */
            const char *d = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
            sh_err_set(e, SH_CONFLICT, "duplicate: %s", clean);
            if (d && !strncmp(d, "Key (", 5)) {
                /* "Key (model_id, serial_no)=…": the last column, as SQLite names it */
                const char *k = d + 5, *end = k + strcspn(k, ")");
                for (const char *q = k; q < end; q++)
                    if (*q == ',' && q[1] == ' ')
                        k = q + 2;
                size_t n = (size_t)(end - k);
                if (n < sizeof(e->field))
                    snprintf(e->field, sizeof(e->field), "%.*s", (int)n, k);
            }
            return sh_err_reason(e, "duplicate", NULL);
        }
        if (!strcmp(state, "23503")) {
            sh_err_set(e, SH_INVALID, "a referenced record does not exist or is still in use");
            return sh_err_reason(e, "referenced", NULL);
        }
        if (!strncmp(state, "23", 2) || !strncmp(state, "22", 2)) {
            sh_err_set(e, SH_INVALID, "constraint failed: %s", clean);
            return sh_err_reason(e, "constraint", NULL);
        }
        if (!strcmp(state, "40001") || !strcmp(state, "40P01"))
            return sh_err_set(e, SH_UNAVAILABLE, "transaction conflict, retry: %s", clean);
    }
    if (PQstatus(c) != CONNECTION_OK)
        return sh_err_set(e, SH_UNAVAILABLE, "postgresql connection lost: %s", clean);
    return sh_err_set(e, SH_STORE, "postgresql: %s", clean);
}

static void params(const struct db_val *p, int n, const char **vals, char (*bufs)[32])
{
    for (int i = 0; i < n; i++) {
        switch (p[i].t) {
        case DBV_TEXT:
            vals[i] = p[i].s;
            break;
        case DBV_INT:
            snprintf(bufs[i], 32, "%" PRId64, p[i].i);
            vals[i] = bufs[i];
            break;
        case DBV_REAL:
            snprintf(bufs[i], 32, "%.17g", p[i].r);
            vals[i] = bufs[i];
            break;
        case DBV_NULL:
        default:
            vals[i] = NULL;
            break;
        }
    }
}

#define MAX_PARAMS 256 /* the SLA scanner's batch statements use up to 256 */

/* Reads the answers up to the next Sync; keeps the first non-NULL result of each of the
 * first `want` statements in res[] (the rest are cleared). False when the connection broke
 * before the Sync arrived. */
static bool read_to_sync(struct pgconn *pc, PGresult **res, int want)
{
    int k = 0; /* the statement whose answers come now */
    bool after_null = false;
    for (;;) {
        PGresult *r = PQgetResult(pc->c);
        if (!r) {
            /* one NULL ends each statement's answers; two in a row: nothing more is coming */
            if (after_null || PQstatus(pc->c) != CONNECTION_OK) {
                pc->bad = true;
                return false;
            }
            after_null = true;
            k++;
            continue;
        }
        after_null = false;
        if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            return true;
        }
        if (k < want && !res[k])
            res[k] = r;
        else
            PQclear(r);
    }
}

/* Reads the answers of the Syncs sent without waiting (a read's COMMIT, a ROLLBACK). */
static void drain(struct pgconn *pc)
{
    while (pc->unread > 0 && !pc->bad) {
        pc->unread--;
        if (!read_to_sync(pc, NULL, 0))
            break;
    }
    if (pc->bad)
        pc->unread = 0;
}

/* Sends sql (after the transaction's BEGIN when not sent yet) and a Sync, then reads every
 * answer due: the earlier unread Syncs, BEGIN's, the statement's. Returns the statement's
 * result, or the failed BEGIN's, or NULL when the connection failed. One round trip. */
static PGresult *exchange(struct pg_tx *t, const char *sql, const char *const *vals, int n)
{
    PGconn *c = t->pc->c;
    bool with_begin = t->begin != NULL;
    if (with_begin && !PQsendQueryParams(c, t->begin, 0, NULL, NULL, NULL, NULL, 0))
        goto broken;
    t->begin = NULL;
    if (!PQsendQueryParams(c, sql, n, NULL, vals, NULL, NULL, 0) || !PQpipelineSync(c))
        goto broken;
    metrics_db_round_trip();
    drain(t->pc);
    PGresult *res[2] = {NULL, NULL};
    if (!read_to_sync(t->pc, res, with_begin ? 2 : 1)) {
        PQclear(res[0]);
        PQclear(res[1]);
        return NULL;
    }
    if (!with_begin)
        return res[0];
    if (res[0] && PQresultStatus(res[0]) != PGRES_COMMAND_OK) {
        PQclear(res[1]);
        return res[0]; /* BEGIN failed: its error is the one to report */
    }
    PQclear(res[0]);
    return res[1];
broken:
    t->pc->bad = true;
    return NULL;
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
    params(p, n, vals, bufs);
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
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        enum sh_code rc = pg_fail(c, r, e);
        PQclear(r);
        return rc;
    }
    int nrows = PQntuples(r), ncols = PQnfields(r);
    out->nrows = nrows;
    out->ncols = ncols;
    out->names = sh_arena_alloc(a, sizeof(char *) * (size_t)(ncols ? ncols : 1));
    for (int i = 0; i < ncols; i++)
        out->names[i] = sh_arena_strdup(a, PQfname(r, i));
    out->cells = sh_arena_alloc(a, sizeof(char *) * (size_t)(nrows ? nrows : 1) *
                                       (size_t)(ncols ? ncols : 1));
    for (int row = 0; row < nrows; row++) {
        if (sh_arena_over(a)) {
            PQclear(r);
            return db_too_large(e);
        }
        for (int col = 0; col < ncols; col++)
            out->cells[(size_t)row * (size_t)ncols + (size_t)col] =
                PQgetisnull(r, row, col) ? NULL
                                         : sh_arena_strndup(a, PQgetvalue(r, row, col),
                                                            (size_t)PQgetlength(r, row, col));
    }
    PQclear(r);
    return SH_OK;
}

static enum sh_code p_exec(struct db_tx *tx, const char *sql, const struct db_val *p, int n,
                           int64_t *changes, struct sh_err *e)
{
    struct pg_tx *t = tx->conn;
    PGconn *c = t->pc->c;
    if (n > MAX_PARAMS)
        return sh_err_set(e, SH_INTERNAL, "too many SQL parameters (%d)", n);
    PGresult *r = run(t, sql, p, n);
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

/* A script of several statements (migrations): the simple protocol, outside pipeline mode. */
static enum sh_code p_script(struct db_tx *tx, const char *sql, struct sh_err *e)
{
    struct pg_tx *t = tx->conn;
    PGconn *c = t->pc->c;
    drain(t->pc);
    if (t->pc->bad || !PQexitPipelineMode(c))
        return pg_fail(c, NULL, e);
    enum sh_code rc = SH_OK;
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
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

/* Reconnects a broken pooled connection once before use. */
static enum sh_code ensure(struct db_pg *d, int i, struct sh_err *e)
{
    struct pgconn *pc = &d->conns[i];
    if (PQstatus(pc->c) == CONNECTION_OK && !pc->bad)
        return SH_OK;
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
    bool open;  /* conn i holds that read's transaction */
    int i;
    const char *begin; /* its BEGIN when it sent no statement */
} held;

/* Ends a transaction whose outcome nobody waits for: COMMIT of a read (it wrote nothing),
 * ROLLBACK of a failed one. */
static void end_later(struct pgconn *pc, const char *begin_unsent, const char *end)
{
    if (!begin_unsent)
        send_later(pc, end);
}

static const char RO_BEGIN[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

static enum sh_code in_tx(struct db *db, bool read, db_fn fn, void *ctx, struct sh_err *e)
{
    struct db_pg *d = (struct db_pg *)db;
    bool adopt = false, keep = false;
    int i;
    struct pg_tx t = {.begin = read ? RO_BEGIN : "BEGIN"};
    enum sh_code rc = SH_OK;
    if (held.open && held.d == d) {
        /* the request's authentication read: a read continues it, a write ends it first */
        i = held.i;
        held.open = false;
        if (read) {
            adopt = true;
            t.begin = held.begin;
        } else {
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
    struct db_tx tx = {db, &t};
    rc = fn(&tx, ctx, e);
    if (rc) {
        end_later(t.pc, t.begin, "ROLLBACK");
        keep = false;
        goto out;
    }
    if (keep) {
        held.open = true;
        held.i = i;
        held.begin = t.begin;
        return SH_OK;
    }
    if (read || t.begin) {
        end_later(t.pc, t.begin, "COMMIT");
        goto out;
    }
    /* a write's COMMIT: answered before the caller may say it is done */
    PGresult *r = exchange(&t, "COMMIT", NULL, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = pg_fail(t.pc->c, r, e);
    PQclear(r);
out:
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

static void p_hold(struct db *db)
{
    held.d = (struct db_pg *)db;
    held.armed = true;
}

static void p_release(struct db *db)
{
    struct db_pg *d = (struct db_pg *)db;
    held.armed = false;
    if (held.open && held.d == d) {
        held.open = false;
        end_later(&d->conns[held.i], held.begin, "COMMIT");
        give(d, held.i);
    }
}

static void p_close(struct db *db)
{
    struct db_pg *d = (struct db_pg *)db;
    for (int i = 0; i < d->n; i++)
        PQfinish(d->conns[i].c);
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
    .script = p_script,
    .hold = p_hold,
    .release = p_release,
};

static void quiet(void *arg, const PGresult *res)
{
    (void)arg;
    (void)res;
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
