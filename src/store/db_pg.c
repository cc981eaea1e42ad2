/* SPDX-License-Identifier: MIT */
/* PostgreSQL driver: a fixed pool of libpq connections; each db_write is one
 * BEGIN … COMMIT on a pooled connection, each db_read a read-only snapshot. */
#include "store/db_int.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

struct db_pg {
    struct db base;
    char *url;
    PGconn **conns;
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

static PGresult *run(PGconn *c, const char *sql, const struct db_val *p, int n)
{
    const char *vals[MAX_PARAMS];
    char bufs[MAX_PARAMS][32];
    if (n > MAX_PARAMS)
        return NULL;
    params(p, n, vals, bufs);
    return PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);
}

static enum sh_code p_query(struct db_tx *tx, struct sh_arena *a, const char *sql,
                            const struct db_val *p, int n, struct db_rows *out, struct sh_err *e)
{
    PGconn *c = tx->conn;
    if (n > MAX_PARAMS)
        return sh_err_set(e, SH_INTERNAL, "too many SQL parameters (%d)", n);
    PGresult *r = run(c, sql, p, n);
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
    PGconn *c = tx->conn;
    if (n > MAX_PARAMS)
        return sh_err_set(e, SH_INTERNAL, "too many SQL parameters (%d)", n);
    PGresult *r = run(c, sql, p, n);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        enum sh_code rc = pg_fail(c, r, e);
        PQclear(r);
        return rc;
    }
    if (changes) {
        const char *t = PQcmdTuples(r);
        *changes = t && *t ? strtoll(t, NULL, 10) : 0;
    }
    PQclear(r);
    return SH_OK;
}

static enum sh_code p_script(struct db_tx *tx, const char *sql, struct sh_err *e)
{
    PGconn *c = tx->conn;
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    enum sh_code rc = SH_OK;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
        rc = pg_fail(c, r, e);
    PQclear(r);
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

static bool simple(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok;
}

/* Reconnects a broken pooled connection once before use. */
static enum sh_code ensure(struct db_pg *d, int i, struct sh_err *e)
{
    if (PQstatus(d->conns[i]) == CONNECTION_OK)
        return SH_OK;
    PQreset(d->conns[i]);
    if (PQstatus(d->conns[i]) != CONNECTION_OK)
        return pg_fail(d->conns[i], NULL, e);
    return SH_OK;
}

static enum sh_code in_tx(struct db *db, const char *begin, db_fn fn, void *ctx, struct sh_err *e)
{
    struct db_pg *d = (struct db_pg *)db;
    int i = take(d);
    PGconn *c = d->conns[i];
    enum sh_code rc = ensure(d, i, e);
    if (rc)
        goto out;
    c = d->conns[i];
    if (!simple(c, begin)) {
        rc = pg_fail(c, NULL, e);
        goto out;
    }
    struct db_tx tx = {db, c};
    rc = fn(&tx, ctx, e);
    if (rc) {
        simple(c, "ROLLBACK");
        goto out;
    }
    PGresult *r = PQexec(c, "COMMIT");
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = pg_fail(c, r, e);
    PQclear(r);
out:
    give(d, i);
    return rc;
}

static enum sh_code p_write(struct db *db, db_fn fn, void *ctx, struct sh_err *e)
{
    return in_tx(db, "BEGIN", fn, ctx, e);
}

static enum sh_code p_read(struct db *db, db_fn fn, void *ctx, struct sh_err *e)
{
    /* one snapshot for every statement of the read (a list and its total agree), as a
     * SQLite WAL read transaction gives */
    return in_tx(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn, ctx, e);
}

static void p_close(struct db *db)
{
    struct db_pg *d = (struct db_pg *)db;
    for (int i = 0; i < d->n; i++)
        PQfinish(d->conns[i]);
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
    d->conns = xcalloc((size_t)d->n, sizeof(PGconn *));
    d->busy = xcalloc((size_t)d->n, sizeof(bool));
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->cv, NULL);
    for (int i = 0; i < d->n; i++) {
        d->conns[i] = PQconnectdb(url);
        if (PQstatus(d->conns[i]) != CONNECTION_OK) {
            char msg[200];
            snprintf(msg, sizeof(msg), "%s", PQerrorMessage(d->conns[i]));
            msg[strcspn(msg, "\n")] = '\0';
            sh_err_field(e, SH_STORE, "db", "cannot connect to PostgreSQL: %s", msg);
            d->n = i + 1;
            p_close(&d->base);
            return SH_STORE;
        }
        PQsetNoticeReceiver(d->conns[i], quiet, NULL);
        simple(d->conns[i], "SET TIME ZONE 'UTC'");
    }
    *out = &d->base;
    return SH_OK;
}
