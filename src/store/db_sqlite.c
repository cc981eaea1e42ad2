/* SPDX-License-Identifier: MIT */
/* SQLite driver. WAL with synchronous=FULL. Writes go through one writer thread
 * that drains the queue of pending transactions, runs each inside its own
 * SAVEPOINT (a failing one rolls back alone), commits once, then wakes every
 * caller: one fsync serves many requests, and each SH_OK still means on disk.
 * Reads use a pool of read-only connections (WAL readers never block). */
#include "store/db_int.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "base/metrics.h"
#include "store/wal_vfs.h"

#define STMT_SETS    64 /* statement cache: 64 sets of 8, least recently used out */
#define STMT_WAYS    8
#define STMT_CACHE   (STMT_SETS * STMT_WAYS)
#define MAX_GROUP    512
#define MAX_IDLE_RDR 32

struct stmt_slot {
    uint64_t hash;
    size_t len;
    uint64_t used; /* conn->tick when last used */
    sqlite3_stmt *st;
};

struct conn {
    sqlite3 *h;
    uint64_t tick;
    struct stmt_slot cache[STMT_CACHE];
    int64_t cache_bytes; /* page cache in use when last measured (conn_measure) */
    struct conn *next;   /* idle list */
};

struct job {
    db_fn fn;
    void *ctx;
    struct sh_err *e;
    enum sh_code rc;
    bool done;
    struct job *next;
};

struct db_sqlite {
    struct db base;
    char *path;
    struct conn *writer;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work_cv; /* writer waits for jobs */
    pthread_cond_t done_cv; /* callers wait for their job */
    struct job *head, *tail;
    bool stopping;
    pthread_mutex_t rmu;
    pthread_cond_t rcv; /* a reader came back idle, or the one being opened is open */
    struct conn *idle;
    int nidle;
    bool opening; /* a read is opening a reader: the others wait for it or for an idle one */
    /* gauges: page caches of all connections in use (each measured by its owner thread
     * after its transaction) and connections open (writer + readers) */
    atomic_int_fast64_t cache_bytes;
    atomic_int nconns;
};

/* Prepared statements held in the connections' caches (at most STMT_CACHE each). */
static atomic_int stmts_cached;

/* The one database the gauges describe (the last opened; a server opens one). */
static struct db_sqlite *_Atomic gauged;

static int64_t gauge_cache(void *arg)
{
    (void)arg;
    struct db_sqlite *d = atomic_load(&gauged);
    return d ? atomic_load(&d->cache_bytes) : 0;
}

static int64_t gauge_stmts(void *arg)
{
    (void)arg;
    return atomic_load(&stmts_cached);
}

static int64_t gauge_conns(void *arg)
{
    (void)arg;
    struct db_sqlite *d = atomic_load(&gauged);
    return d ? atomic_load(&d->nconns) : 0;
}

/* Called by the thread using c, between its transactions. */
static void conn_measure(struct db_sqlite *d, struct conn *c)
{
    int cur = 0, hi = 0;
    if (sqlite3_db_status(c->h, SQLITE_DBSTATUS_CACHE_USED, &cur, &hi, 0) != SQLITE_OK)
        return;
    atomic_fetch_add(&d->cache_bytes, (int64_t)cur - c->cache_bytes);
    c->cache_bytes = cur;
}

/* The disk is full: nothing of the transaction was written; the service goes on and writes
 * again once there is room (a 503 with reason disk_full, not a 500). */
static enum sh_code disk_full(struct sh_err *e)
{
    sh_err_set(e, SH_UNAVAILABLE,
               "the server's disk is full: nothing was saved; try again when "
               "the administrator has freed space");
    return sh_err_reason(e, "disk_full", NULL);
}

static enum sh_code sqlite_fail(sqlite3 *h, int rc, struct sh_err *e)
{
    int ext = sqlite3_extended_errcode(h);
    const char *msg = sqlite3_errmsg(h);
    switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: {
        /* "UNIQUE constraint failed: units.serial_no": the field is the last column named */
        const char *col = strrchr(msg, '.');
        sh_err_set(e, SH_CONFLICT, "duplicate: %s", msg);
        if (col && !strchr(col, ' ') && !strchr(col, ','))
            snprintf(e->field, sizeof(e->field), "%s", col + 1);
        return sh_err_reason(e, "duplicate", NULL);
    }
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        sh_err_set(e, SH_INVALID, "a referenced record does not exist or is still in use");
        return sh_err_reason(e, "referenced", NULL);
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_CHECK:
        sh_err_set(e, SH_INVALID, "constraint failed: %s", msg);
        return sh_err_reason(e, "constraint", NULL);
    default:
        break;
    }
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return sh_err_set(e, SH_UNAVAILABLE, "database busy: %s", msg);
    if ((rc & 0xff) == SQLITE_FULL || (ext & 0xff) == SQLITE_FULL ||
        ((ext & 0xff) == SQLITE_IOERR && sqlite3_system_errno(h) == ENOSPC))
        return disk_full(e);
    return sh_err_set(e, SH_STORE, "sqlite: %s", msg);
}

static bool wal_vfs_ok;

static enum sh_code conn_open(const char *path, bool writer, struct conn **out, struct sh_err *e)
{
    struct conn *c = xcalloc(1, sizeof(*c));
    int flags = SQLITE_OPEN_NOMUTEX |
                (writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY);
    /* the writer gathers each commit's WAL frames into one write (store/wal_vfs.c) */
    int rc = sqlite3_open_v2(path, &c->h, flags, writer && wal_vfs_ok ? SH_WAL_VFS : NULL);
    if (rc != SQLITE_OK) {
        sh_err_set(e, SH_STORE, "cannot open database '%s': %s", path,
                   c->h ? sqlite3_errmsg(c->h) : sqlite3_errstr(rc));
        sqlite3_close(c->h);
        free(c);
        return SH_STORE;
    }
    sqlite3_busy_timeout(c->h, 10000);
    sqlite3_extended_result_codes(c->h, 1);
    const char *pragmas = writer ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                   "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                                   "PRAGMA cache_size=-16000;"
                                 /* 2 MB per reader: 8 MB each held 149 MB after a
                                  * 16-connection GET load when each busy request thread
                                  * had its reader (same rate; the OS page cache holds the
                                  * file either way, and every commit invalidates a reader's
                                  * cache anyway); reader_get keeps fewer readers now */
                                 : "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                                   "PRAGMA cache_size=-2000;"
                                   /* the schema parsed now, while this is the one reader
                                    * being opened (reader_get), not at its first read */
                                   "SELECT 1 FROM sqlite_schema LIMIT 1;";
    char *err = NULL;
    if (sqlite3_exec(c->h, pragmas, NULL, NULL, &err) != SQLITE_OK) {
        sh_err_set(e, SH_STORE, "cannot configure database '%s': %s", path, err ? err : "?");
        sqlite3_free(err);
        sqlite3_close(c->h);
        free(c);
        return SH_STORE;
    }
    *out = c;
    return SH_OK;
}

static void conn_close(struct conn *c)
{
    if (!c)
        return;
    for (int i = 0; i < STMT_CACHE; i++)
        if (c->cache[i].st) {
            sqlite3_finalize(c->cache[i].st);
            atomic_fetch_sub(&stmts_cached, 1);
        }
    sqlite3_close(c->h);
    free(c);
}

/* Prepared statements are cached per connection, keyed by a hash of the SQL text
 * and checked by content. (Keying by the text's address missed every time for SQL
 * the entity engine builds per request in a fresh buffer: each GET re-parsed its
 * SELECT, ~40 % of the server's CPU in `make bench`.) The cache is set-associative:
 * a direct-mapped one let two hot statements of one request evict each other
 * (ten re-parses per ticket intake, 105 µs of the writer's 400 µs). */
static enum sh_code prepare(struct conn *c, const char *sql, sqlite3_stmt **out, bool *cached,
                            struct sh_err *e)
{
    size_t len = 0;
    uint64_t hash = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++, len++)
        hash = (hash ^ *p) * 1099511628211ULL;
    struct stmt_slot *set = &c->cache[(hash % STMT_SETS) * STMT_WAYS], *victim = set;
    c->tick++;
    for (int i = 0; i < STMT_WAYS; i++) {
        struct stmt_slot *s = &set[i];
        if (s->st && s->hash == hash && s->len == len && !strcmp(sqlite3_sql(s->st), sql)) {
            s->used = c->tick;
            *out = s->st;
            *cached = true;
            return SH_OK;
        }
        if (!s->st || (victim->st && s->used < victim->used))
            victim = s;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(c->h, sql, (int)len, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK)
        return sqlite_fail(c->h, rc, e);
    if (!st)
        return sh_err_set(e, SH_INTERNAL, "empty SQL statement");
    if (victim->st)
        sqlite3_finalize(victim->st);
    else
        atomic_fetch_add(&stmts_cached, 1);
    victim->hash = hash;
    victim->len = len;
    victim->used = c->tick;
    victim->st = st;
    *out = st;
    *cached = true;
    return SH_OK;
}

/* Binds p[k] to "$k+1". Walks the statement's own parameters (each "$N" names its
 * value), so a statement that uses only some of the values skips the others; a "$N"
 * beyond the values given is an error, as on PostgreSQL. */
static enum sh_code bind(sqlite3 *h, sqlite3_stmt *st, const struct db_val *p, int n,
                         struct sh_err *e)
{
    int count = sqlite3_bind_parameter_count(st);
    for (int idx = 1; idx <= count; idx++) {
        const char *name = sqlite3_bind_parameter_name(st, idx);
        if (!name || name[0] != '$')
            continue;
        long k = strtol(name + 1, NULL, 10) - 1;
        if (k < 0 || k >= n) /* as PostgreSQL: a placeholder without a value is an error */
            return sh_err_set(e, SH_STORE, "the statement uses %s but %d parameter%s given", name,
                              n, n == 1 ? " was" : "s were");
        int rc;
        switch (p[k].t) {
        case DBV_TEXT:
            rc = sqlite3_bind_text(st, idx, p[k].s, -1, SQLITE_STATIC);
            break;
        case DBV_INT:
            rc = sqlite3_bind_int64(st, idx, p[k].i);
            break;
        case DBV_REAL:
            rc = sqlite3_bind_double(st, idx, p[k].r);
            break;
        case DBV_NULL:
        default:
            rc = sqlite3_bind_null(st, idx);
            break;
        }
        if (rc != SQLITE_OK)
            return sqlite_fail(h, rc, e);
    }
    return SH_OK;
}

static enum sh_code s_query(struct db_tx *tx, struct sh_arena *a, const char *sql,
                            const struct db_val *p, int n, struct db_rows *out, struct sh_err *e)
{
    struct conn *c = tx->conn;
    sqlite3_stmt *st;
    bool cached;
    enum sh_code rc = prepare(c, sql, &st, &cached, e);
    if (rc)
        return rc;
    rc = bind(c->h, st, p, n, e);
    if (rc)
        goto out;
    int ncols = sqlite3_column_count(st);
    out->ncols = ncols;
    out->names = sh_arena_alloc(a, sizeof(char *) * (size_t)(ncols ? ncols : 1));
    for (int i = 0; i < ncols; i++)
        out->names[i] = sh_arena_strdup(a, sqlite3_column_name(st, i));
    size_t cap = 16, nrows = 0;
    const char **cells = sh_arena_alloc(a, sizeof(char *) * cap * (size_t)(ncols ? ncols : 1));
    for (;;) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE)
            break;
        if (s != SQLITE_ROW) {
            rc = sqlite_fail(c->h, s, e);
            goto out;
        }
        if (nrows == cap) {
            const char **nc =
                sh_arena_alloc(a, sizeof(char *) * cap * 2 * (size_t)(ncols ? ncols : 1));
            memcpy(nc, cells, sizeof(char *) * cap * (size_t)ncols);
            cells = nc;
            cap *= 2;
        }
        if (sh_arena_over(a)) {
            rc = db_too_large(e);
            goto out;
        }
        for (int i = 0; i < ncols; i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            cells[nrows * (size_t)ncols + (size_t)i] =
                t ? sh_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i))
                  : NULL;
        }
        nrows++;
    }
    out->nrows = (int)nrows;
    out->cells = cells;
out:
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static enum sh_code s_exec(struct db_tx *tx, const char *sql, const struct db_val *p, int n,
                           int64_t *changes, struct sh_err *e)
{
    struct conn *c = tx->conn;
    sqlite3_stmt *st;
    bool cached;
    enum sh_code rc = prepare(c, sql, &st, &cached, e);
    if (rc)
        return rc;
    rc = bind(c->h, st, p, n, e);
    if (!rc) {
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW)
            ;
        if (s != SQLITE_DONE)
            rc = sqlite_fail(c->h, s, e);
        else if (changes)
            *changes = sqlite3_changes64(c->h);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static enum sh_code s_script(struct db_tx *tx, const char *sql, struct sh_err *e)
{
    struct conn *c = tx->conn;
    char *err = NULL;
    if (sqlite3_exec(c->h, sql, NULL, NULL, &err) != SQLITE_OK) {
        sh_err_set(e, SH_STORE, "sqlite: %s", err ? err : "?");
        sqlite3_free(err);
        return SH_STORE;
    }
    return SH_OK;
}

static int raw(sqlite3 *h, const char *sql)
{
    return sqlite3_exec(h, sql, NULL, NULL, NULL);
}

/* raw() through the statement cache: BEGIN/COMMIT of every read are not re-parsed. */
static int raw_cached(struct conn *c, const char *sql)
{
    sqlite3_stmt *st;
    bool cached;
    struct sh_err e;
    if (prepare(c, sql, &st, &cached, &e))
        return SQLITE_ERROR;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Brings the search indexes up to date with the rows the group changed (migration
 * sqlite/0008): once per group, outside the requests' savepoints, so FTS5 writes one
 * index segment per commit instead of one per request. A schema from before 0008 has
 * no queue: nothing to do. */
static int search_flush(struct conn *c)
{
    int rc = raw_cached(c, "SELECT 1 FROM search_queue LIMIT 1");
    if (rc != SQLITE_ROW)
        return SQLITE_OK;
    return raw_cached(c, "INSERT INTO search_flush (n) VALUES (0)");
}

/* Runs one group of jobs in one transaction. */
static void run_group(struct db_sqlite *d, struct job *jobs)
{
    struct db_tx tx = {&d->base, d->writer};
    sqlite3 *h = d->writer->h;
    int brc = raw_cached(d->writer, "BEGIN IMMEDIATE");
    if (brc != SQLITE_OK) {
        for (struct job *j = jobs; j; j = j->next)
            j->rc = sqlite_fail(h, brc, j->e);
        return;
    }
    int ok = 0;
    for (struct job *j = jobs; j; j = j->next) {
        if (raw_cached(d->writer, "SAVEPOINT job") != SQLITE_OK) {
            j->rc = sqlite_fail(h, SQLITE_ERROR, j->e);
            continue;
        }
        j->rc = j->fn(&tx, j->ctx, j->e);
        if (j->rc != SH_OK)
            raw_cached(d->writer, "ROLLBACK TO job");
        else
            ok++;
        raw_cached(d->writer, "RELEASE job");
    }
    metrics_group_commit(ok);
    int crc = ok ? search_flush(d->writer) : SQLITE_OK;
    if (crc == SQLITE_OK)
        crc = raw_cached(d->writer, "COMMIT");
    if (crc != SQLITE_OK) {
        struct sh_err ce;
        sqlite_fail(h, crc, &ce);
        raw(h, "ROLLBACK");
        log_error("group commit of %d transactions failed: %s", ok, ce.msg);
        for (struct job *j = jobs; j; j = j->next)
            if (j->rc == SH_OK)
                j->rc = ce.code == SH_UNAVAILABLE
                            ? (*j->e = ce, SH_UNAVAILABLE)
                            : sh_err_set(j->e, SH_STORE, "commit failed: %s", ce.msg);
    }
}

static void *writer_main(void *arg)
{
    struct db_sqlite *d = arg;
    pthread_mutex_lock(&d->mu);
    for (;;) {
        while (!d->head && !d->stopping)
            pthread_cond_wait(&d->work_cv, &d->mu);
        if (!d->head && d->stopping)
            break;
        /* take up to MAX_GROUP jobs */
        struct job *group = d->head, *last = d->head;
        int n = 1;
        while (last->next && n < MAX_GROUP) {
            last = last->next;
            n++;
        }
        d->head = last->next;
        if (!d->head)
            d->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&d->mu);
        run_group(d, group);
        conn_measure(d, d->writer);
        pthread_mutex_lock(&d->mu);
        for (struct job *j = group, *nx; j; j = nx) {
            nx = j->next;
            j->done = true;
        }
        pthread_cond_broadcast(&d->done_cv);
    }
    pthread_mutex_unlock(&d->mu);
    return NULL;
}

static enum sh_code s_write(struct db *db, db_fn fn, void *ctx, struct sh_err *e)
{
    struct db_sqlite *d = (struct db_sqlite *)db;
    struct job j = {.fn = fn, .ctx = ctx, .e = e};
    pthread_mutex_lock(&d->mu);
    if (d->stopping) {
        pthread_mutex_unlock(&d->mu);
        return sh_err_set(e, SH_UNAVAILABLE, "database is closing");
    }
    if (d->tail)
        d->tail->next = &j;
    else
        d->head = &j;
    d->tail = &j;
    pthread_cond_signal(&d->work_cv);
    while (!j.done)
        pthread_cond_wait(&d->done_cv, &d->mu);
    pthread_mutex_unlock(&d->mu);
    return j.rc;
}

/* An idle reader, or a new one. Opening one parses the schema (about 5 ms with the server's
 * 540 objects) and fills its own page cache (2.7 MB each once warm), while a read takes a
 * fraction of a millisecond: a read finding none idle waits for one to come back and opens a
 * reader only when none has for READER_WAIT_MS, and one read opens at a time. A burst of reads
 * (the first after a start) is served by the readers coming back, and the pool grows to what
 * the load keeps busy, not to the number of requests at once. */
#define READER_WAIT_MS 2
static enum sh_code reader_get(struct db_sqlite *d, struct conn **out, struct sh_err *e)
{
    struct conn *c = NULL;
    struct timespec until = sh_deadline_ms(READER_WAIT_MS);
    bool waited = atomic_load(&d->nconns) <= 1; /* no reader yet: open one at once */
    pthread_mutex_lock(&d->rmu);
    for (;;) {
        if (d->idle) {
            c = d->idle;
            d->idle = c->next;
            d->nidle--;
            break;
        }
        if (!d->opening && waited) {
            d->opening = true;
            break;
        }
        if (waited || d->opening)
            pthread_cond_wait(&d->rcv, &d->rmu);
        else if (pthread_cond_timedwait(&d->rcv, &d->rmu, &until) == ETIMEDOUT)
            waited = true;
    }
    pthread_mutex_unlock(&d->rmu);
    if (c) {
        *out = c;
        return SH_OK;
    }
    enum sh_code rc = conn_open(d->path, false, out, e);
    if (!rc)
        atomic_fetch_add(&d->nconns, 1);
    pthread_mutex_lock(&d->rmu);
    d->opening = false;
    pthread_mutex_unlock(&d->rmu);
    pthread_cond_broadcast(&d->rcv); /* those waiting past their time: one opens the next */
    return rc;
}

static enum sh_code s_read(struct db *db, db_fn fn, void *ctx, struct sh_err *e)
{
    struct db_sqlite *d = (struct db_sqlite *)db;
    struct conn *c;
    enum sh_code grc = reader_get(d, &c, e);
    if (grc)
        return grc;
    struct db_tx tx = {db, c};
    enum sh_code rc = SH_OK;
    int brc = raw_cached(c, "BEGIN");
    if (brc != SQLITE_OK)
        rc = sqlite_fail(c->h, brc, e);
    else {
        rc = fn(&tx, ctx, e);
        raw_cached(c, "COMMIT");
    }
    conn_measure(d, c);
    pthread_mutex_lock(&d->rmu);
    if (d->nidle < MAX_IDLE_RDR) {
        c->next = d->idle;
        d->idle = c;
        d->nidle++;
        c = NULL;
    }
    pthread_mutex_unlock(&d->rmu);
    pthread_cond_signal(&d->rcv); /* unlocked: the woken reader does not block on rmu */
    if (c) {
        atomic_fetch_sub(&d->cache_bytes, c->cache_bytes);
        atomic_fetch_sub(&d->nconns, 1);
    }
    conn_close(c);
    return rc;
}

static void s_close(struct db *db)
{
    struct db_sqlite *d = (struct db_sqlite *)db;
    struct db_sqlite *self = d;
    atomic_compare_exchange_strong(&gauged, &self, NULL);
    pthread_mutex_lock(&d->mu);
    d->stopping = true;
    pthread_cond_signal(&d->work_cv);
    pthread_mutex_unlock(&d->mu);
    pthread_join(d->thread, NULL);
    conn_close(d->writer);
    while (d->idle) {
        struct conn *c = d->idle;
        d->idle = c->next;
        conn_close(c);
    }
    pthread_mutex_destroy(&d->mu);
    pthread_mutex_destroy(&d->rmu);
    pthread_cond_destroy(&d->rcv);
    pthread_cond_destroy(&d->work_cv);
    pthread_cond_destroy(&d->done_cv);
    free(d->path);
    free(d);
}

static const struct db_ops sqlite_ops = {
    .close = s_close,
    .write = s_write,
    .read = s_read,
    .query = s_query,
    .exec = s_exec,
    .script = s_script,
};

/* Memory statistics take a global mutex on every allocation (seen in perf under load); we
 * never read them. Must run before SQLite initialises. */
static void configure_once(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    wal_vfs_ok = wal_vfs_register() == SQLITE_OK;
    if (!wal_vfs_ok)
        log_warn("sqlite: the WAL write-gathering VFS is unavailable; using the default VFS");
}

enum sh_code db_sqlite_open(const char *path, const struct db_options *o, struct db **out,
                            struct sh_err *e)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_once);
    (void)o;
    if (!*path)
        return sh_err_field(e, SH_INVALID, "db", "empty SQLite path");
    struct db_sqlite *d = xcalloc(1, sizeof(*d));
    d->base.ops = &sqlite_ops;
    d->base.dialect = DB_SQLITE;
    d->path = xstrdup(path);
    enum sh_code rc = conn_open(path, true, &d->writer, e);
    if (rc) {
        free(d->path);
        free(d);
        return rc;
    }
    pthread_mutex_init(&d->mu, NULL);
    pthread_mutex_init(&d->rmu, NULL);
    pthread_cond_init(&d->rcv, NULL);
    pthread_cond_init(&d->work_cv, NULL);
    pthread_cond_init(&d->done_cv, NULL);
    if (pthread_create(&d->thread, NULL, writer_main, d) != 0) {
        conn_close(d->writer);
        free(d->path);
        free(d);
        return sh_err_set(e, SH_INTERNAL, "cannot start the database writer thread");
    }
    atomic_store(&d->nconns, 1);
    atomic_store(&gauged, d);
    metrics_gauge("shouhou_sqlite_cache_bytes",
                  "Bytes of SQLite page cache in use, all connections (each bounded by its "
                  "cache_size).",
                  gauge_cache, NULL);
    metrics_gauge("shouhou_sqlite_connections", "SQLite connections open (writer + readers).",
                  gauge_conns, NULL);
    metrics_gauge("shouhou_sqlite_statements",
                  "Prepared statements cached, all connections (at most 512 each).", gauge_stmts,
                  NULL);
    *out = &d->base;
    return SH_OK;
}
