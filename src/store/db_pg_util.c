/* SPDX-License-Identifier: MIT */
/* The PostgreSQL driver's helpers that need none of its connection state (db_pg.c): errors
 * to sh_err, results to rows, and what it learns of read functions. */
#include "store/db_pg_util.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum sh_code pg_fail(PGconn *c, PGresult *r, struct sh_err *e)
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

/* A result's rows as text cells in a; false when they do not fit in its cap. */
bool pg_to_rows(const PGresult *r, struct sh_arena *a, struct db_rows *out)
{
    int nrows = PQntuples(r), ncols = PQnfields(r);
    out->nrows = nrows;
    out->ncols = ncols;
    out->names = sh_arena_alloc(a, sizeof(char *) * (size_t)(ncols ? ncols : 1));
    for (int i = 0; i < ncols; i++)
        out->names[i] = sh_arena_strdup(a, PQfname(r, i));
    out->cells = sh_arena_alloc(a, sizeof(char *) * (size_t)(nrows ? nrows : 1) *
                                       (size_t)(ncols ? ncols : 1));
    for (int row = 0; row < nrows; row++) {
        if (sh_arena_over(a))
            return false;
        for (int col = 0; col < ncols; col++)
            out->cells[(size_t)row * (size_t)ncols + (size_t)col] =
                PQgetisnull(r, row, col) ? NULL
                                         : sh_arena_strndup(a, PQgetvalue(r, row, col),
                                                            (size_t)PQgetlength(r, row, col));
    }
    return true;
}

/* How a read function waits for PostgreSQL, learnt per function: one that waited exactly
 * once in its last LEARN_RUNS reads inside BEGIN … COMMIT runs without BEGIN from then on, as
 * the implicit transaction of its one segment, which its Sync ends: no BEGIN and no COMMIT
 * to send, parse and answer (one statement has one snapshot anyway). One that waits more
 * than once (a list and its total) always runs in a transaction, for one snapshot. */
#define FN_SLOTS   512
#define LEARN_RUNS 8
#define FN_MULTI   (-1)
static struct {
    _Atomic uintptr_t fn;
    atomic_int singles; /* reads in a transaction that waited once; FN_MULTI: more */
} fns[FN_SLOTS];

/* fn's slot (claimed when new), or -1 when the table is full. */
static int fn_slot(db_fn fn)
{
    uintptr_t k = (uintptr_t)fn;
    for (unsigned j = 0; j < FN_SLOTS; j++) {
        int i = (int)((k / 16 + j) % FN_SLOTS);
        uintptr_t old = atomic_load_explicit(&fns[i].fn, memory_order_acquire);
        if (old == k)
            return i;
        if (!old && (atomic_compare_exchange_strong(&fns[i].fn, &old, k) || old == k))
            return i;
    }
    return -1;
}

bool pg_fn_implicit(db_fn fn)
{
    int i = fn_slot(fn);
    return i >= 0 && atomic_load_explicit(&fns[i].singles, memory_order_relaxed) >= LEARN_RUNS;
}

/* What a read of fn in a transaction showed: one wait, or more (for good). */
void pg_fn_learn(db_fn fn, int waits)
{
    int i = fn_slot(fn);
    if (i < 0 || waits < 1)
        return;
    if (waits > 1) {
        atomic_store(&fns[i].singles, FN_MULTI);
        return;
    }
    int n = atomic_load_explicit(&fns[i].singles, memory_order_relaxed);
    if (n != FN_MULTI && n < LEARN_RUNS)
        atomic_compare_exchange_strong(&fns[i].singles, &n, n + 1);
}

/* The parameters as libpq text values (numbers written into bufs). */
void pg_params(const struct db_val *p, int n, const char **vals, char (*bufs)[32])
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

/* FNV-1a of a statement's text (the named-statement cache's key). */
uint64_t pg_sql_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

bool pg_generic(const char *sql)
{
    return !strncmp(sql, DB_GENERIC_PLAN, sizeof(DB_GENERIC_PLAN) - 1);
}

/* Statements whose best plan depends on a search pattern keep one-shot planning. */
bool pg_ps_worth(const char *sql)
{
    /* transaction control: nothing to plan */
    if (!strncmp(sql, "BEGIN", 5) || !strcmp(sql, "COMMIT") || !strcmp(sql, "ROLLBACK"))
        return false;
    return !strstr(sql, "LIKE") && !strstr(sql, "%>") && !strstr(sql, "<%") &&
           !strstr(sql, "similarity");
}
