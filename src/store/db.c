/* SPDX-License-Identifier: MIT */
#include "store/db_int.h"

#include "base/date.h"
#include "base/log.h"
#include "base/metrics.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int fail_countdown;

void db_fail_after(int n)
{
    atomic_store(&fail_countdown, n);
}

bool db_fault_hit(void)
{
    int v = atomic_load(&fail_countdown);
    while (v > 0) {
        if (atomic_compare_exchange_weak(&fail_countdown, &v, v - 1))
            return v == 1;
    }
    return false;
}

int db_pool_default(long cores)
{
    return cores < 2 ? 2 : cores > 8 ? 8 : (int)cores;
}

enum sh_code db_open(const char *url, const struct db_options *opts, struct db **out,
                     struct sh_err *e)
{
    struct db_options o = {.migrate = true};
    if (opts)
        o = *opts;
    if (o.pg_pool_size <= 0)
        o.pg_pool_size = db_pool_default(sysconf(_SC_NPROCESSORS_ONLN));
    enum sh_code rc;
    if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))
        rc = db_pg_open(url, &o, out, e);
    else if (!strncmp(url, "sqlite:", 7))
        rc = db_sqlite_open(url + 7, &o, out, e);
    else if (strstr(url, "://"))
        return sh_err_field(e, SH_INVALID, "db", "unsupported database URL '%s'", url);
    else
        rc = db_sqlite_open(url, &o, out, e);
    if (rc)
        return rc;
    if (o.migrate) {
        rc = db_migrate(*out, e);
        if (rc) {
            db_close(*out);
            *out = NULL;
        }
    }
    return rc;
}

void db_close(struct db *db)
{
    if (db)
        db->ops->close(db);
}

enum db_dialect db_dialect(const struct db *db)
{
    return db->dialect;
}

void db_request_hold(struct db *db, bool checks)
{
    if (db->ops->hold)
        db->ops->hold(db, checks);
}

enum sh_code db_request_check(struct db *db, struct sh_arena *a, const char *sql,
                              const struct db_val *p, int n, db_check_fn fn, void *ctx,
                              struct sh_err *e)
{
    if (!db->ops->check)
        return sh_err_set(e, SH_UNSUPPORTED, "no request to check with");
    return db->ops->check(db, a, sql, p, n, fn, ctx, e);
}

bool db_request_refused(struct db *db)
{
    return db->ops->refused && db->ops->refused(db);
}

void db_request_release(struct db *db)
{
    if (db->ops->release)
        db->ops->release(db);
}

enum db_dialect db_tx_dialect(const struct db_tx *tx)
{
    return tx->db->dialect;
}

enum sh_code db_write(struct db *db, db_fn fn, void *ctx, struct sh_err *e)
{
    return db->ops->write(db, fn, ctx, e);
}

enum sh_code db_read(struct db *db, db_fn fn, void *ctx, struct sh_err *e)
{
    return db->ops->read(db, fn, ctx, e);
}

enum sh_code db_query(struct db_tx *tx, struct sh_arena *a, const char *sql,
                      const struct db_val *params, int nparams, struct db_rows *out,
                      struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    if (db_fault_hit())
        return sh_err_set(e, SH_STORE, "injected store failure");
    int64_t t0 = sh_mono_ns();
    enum sh_code rc = tx->db->ops->query(tx, a, sql, params, nparams, out, e);
    metrics_db(sh_mono_ns() - t0);
    if (rc == SH_OK && sh_arena_over(a))
        rc = db_too_large(e);
    return rc;
}

enum sh_code db_too_large(struct sh_err *e)
{
    sh_err_set(e, SH_TOO_BIG, "the result is larger than one request may hold: narrow the query");
    return sh_err_reason(e, "too_large", NULL);
}

enum sh_code db_exec(struct db_tx *tx, const char *sql, const struct db_val *params, int nparams,
                     int64_t *changes, struct sh_err *e)
{
    if (db_fault_hit())
        return sh_err_set(e, SH_STORE, "injected store failure");
    int64_t t0 = sh_mono_ns();
    enum sh_code rc = tx->db->ops->exec(tx, sql, params, nparams, changes, e);
    metrics_db(sh_mono_ns() - t0);
    return rc;
}

enum sh_code db_lock_row(struct db_tx *tx, const char *table, int64_t id, struct sh_err *e)
{
    char sql[160];
    snprintf(sql, sizeof(sql), "UPDATE %s SET version = version WHERE id = $1", table);
    return db_exec(tx, sql, DB_P(DB_INT(id)), NULL, e);
}

enum sh_code db_exec_nowait(struct db_tx *tx, const char *sql, const struct db_val *params,
                            int nparams, struct sh_err *e)
{
    if (db_fault_hit())
        return sh_err_set(e, SH_STORE, "injected store failure");
    int64_t t0 = sh_mono_ns();
    enum sh_code rc = tx->db->ops->exec_nowait
                          ? tx->db->ops->exec_nowait(tx, sql, params, nparams, e)
                          : tx->db->ops->exec(tx, sql, params, nparams, NULL, e);
    metrics_db(sh_mono_ns() - t0);
    return rc;
}

enum sh_code db_query_ahead(struct db_tx *tx, struct sh_arena *a, const char *sql,
                            const struct db_val *params, int nparams, struct db_rows *out,
                            struct sh_err *e)
{
    if (!tx->db->ops->query_ahead)
        return db_query(tx, a, sql, params, nparams, out, e);
    memset(out, 0, sizeof(*out));
    out->ncols = -1; /* not answered yet (db_get says so) */
    if (db_fault_hit())
        return sh_err_set(e, SH_STORE, "injected store failure");
    int64_t t0 = sh_mono_ns();
    enum sh_code rc = tx->db->ops->query_ahead(tx, a, sql, params, nparams, out, e);
    metrics_db(sh_mono_ns() - t0);
    return rc;
}

enum sh_code db_wait(struct db_tx *tx, struct sh_err *e)
{
    if (!tx->db->ops->wait)
        return SH_OK;
    int64_t t0 = sh_mono_ns();
    enum sh_code rc = tx->db->ops->wait(tx, e);
    metrics_db(sh_mono_ns() - t0);
    return rc;
}

enum sh_code db_exec_script(struct db_tx *tx, const char *sql, struct sh_err *e)
{
    return tx->db->ops->script(tx, sql, e);
}

const char *db_cell(const struct db_rows *r, int row, int col)
{
    if (row < 0 || row >= r->nrows || col < 0 || col >= r->ncols)
        return NULL;
    return r->cells[(size_t)row * (size_t)r->ncols + (size_t)col];
}

int db_colidx(const struct db_rows *r, const char *name)
{
    for (int i = 0; i < r->ncols; i++)
        if (!strcmp(r->names[i], name))
            return i;
    return -1;
}

const char *db_get(const struct db_rows *r, int row, const char *name)
{
    if (r->ncols < 0) {
        /* the rows of a query sent ahead, read before the transaction waited for them */
        log_error("db_get: '%s' of a query sent ahead read before its answer", name);
#ifndef NDEBUG
        abort();
#endif
        return NULL;
    }
    int col = db_colidx(r, name);
    if (col < 0 && r->names) {
        /* a column the query does not return is a programming error: loud in debug builds,
         * logged in release (never a silent NULL that reads like SQL NULL) */
        log_error("db_get: the query returns no column '%s'", name);
#ifndef NDEBUG
        abort();
#endif
    }
    return db_cell(r, row, col);
}

int64_t db_get_int(const struct db_rows *r, int row, const char *name, int64_t dflt)
{
    const char *s = db_get(r, row, name);
    if (!s || !*s)
        return dflt;
    return strtoll(s, NULL, 10);
}

int db_schema_version(struct db *db)
{
    return db->schema_version;
}
