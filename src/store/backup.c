/* SPDX-License-Identifier: MIT */
#include "store/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/file.h"

extern char **environ;

#define CHUNK (16 << 20) /* a pg_dump archive is stored in rows of this size */

struct backup_file {
    sqlite3 *h;
    char path[1024], tmp[1100];
};

static enum sh_code lite_fail(sqlite3 *h, const char *what, struct sh_err *e)
{
    return sh_err_set(e, SH_STORE, "%s: %s", what, h ? sqlite3_errmsg(h) : "out of memory");
}

static enum sh_code exec(sqlite3 *h, const char *sql, struct sh_err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) == SQLITE_OK)
        return SH_OK;
    sh_err_set(e, SH_STORE, "backup: %s", msg ? msg : sqlite3_errmsg(h));
    sqlite3_free(msg);
    return SH_STORE;
}

/* Runs a program (no shell) and waits for it; 0 when it exited 0. */
static int run_tool(const char *const argv[])
{
    pid_t pid;
    union {
        const char *const *c;
        char *const *m; /* posix_spawnp's type; it does not write the strings */
    } args = {.c = argv};
    if (posix_spawnp(&pid, argv[0], NULL, NULL, args.m, environ) != 0)
        return -1;
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Copies every page of src's "main" into dst in one step: one consistent read. */
static enum sh_code copy_db(sqlite3 *dst, sqlite3 *src, struct sh_err *e)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b)
        return lite_fail(dst, "backup", e);
    int rc;
    for (int tries = 0; (rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED;
         tries++) {
        if (tries == 200)
            break;
        sqlite3_sleep(50);
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return sh_err_set(e, SH_STORE, "backup: %s", sqlite3_errstr(rc));
    return SH_OK;
}

static const char tables_sql[] =
    "PRAGMA journal_mode=DELETE;"
    "CREATE TABLE shouhou_backup_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE shouhou_backup_files (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL,"
    " data BLOB NOT NULL);"
    "CREATE TABLE shouhou_backup_dump (seq INTEGER PRIMARY KEY, data BLOB NOT NULL);";

static enum sh_code create_tmp(const char *out, struct backup_file **bf, struct sh_err *e)
{
    struct backup_file *f = calloc(1, sizeof(*f));
    if (!f)
        return sh_err_set(e, SH_INTERNAL, "out of memory");
    snprintf(f->path, sizeof(f->path), "%s", out);
    snprintf(f->tmp, sizeof(f->tmp), "%s.tmp", out);
    unlink(f->tmp);
    if (sqlite3_open_v2(f->tmp, &f->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)) {
        sh_err_set(e, SH_STORE, "cannot create '%s': %s", f->tmp,
                   f->h ? sqlite3_errmsg(f->h) : "out of memory");
        backup_abort(f);
        return SH_STORE;
    }
    *bf = f;
    return SH_OK;
}

enum sh_code backup_begin_sqlite(const char *db_path, const char *out, struct backup_file **bf,
                                 struct sh_err *e)
{
    sqlite3 *src = NULL;
    if (access(db_path, R_OK) != 0)
        return sh_err_set(e, SH_NOT_FOUND, "no database at '%s'", db_path);
    if (sqlite3_open_v2(db_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        enum sh_code rc = lite_fail(src, "cannot open the database", e);
        sqlite3_close(src);
        return rc;
    }
    sqlite3_busy_timeout(src, 10000);
    struct backup_file *f = NULL;
    enum sh_code rc = create_tmp(out, &f, e);
    if (!rc && (rc = copy_db(f->h, src, e)) == SH_OK && (rc = exec(f->h, tables_sql, e)) == SH_OK)
        rc = exec(f->h, "BEGIN", e);
    sqlite3_close(src);
    if (rc == SH_OK)
        *bf = f;
    else if (f)
        backup_abort(f);
    return rc;
}

/* Stores the open file f (n bytes) as blob column "data" of the row rowid of table. */
static enum sh_code blob_fill(sqlite3 *h, const char *table, sqlite3_int64 rowid, FILE *f, size_t n,
                              unsigned char *sha, struct sh_err *e)
{
    sqlite3_blob *b;
    if (sqlite3_blob_open(h, "main", table, "data", rowid, 1, &b) != SQLITE_OK)
        return lite_fail(h, "backup", e);
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    static __thread char buf[1 << 16];
    size_t off = 0;
    while (off < n) {
        size_t k = fread(buf, 1, n - off < sizeof(buf) ? n - off : sizeof(buf), f);
        if (k == 0 || sqlite3_blob_write(b, buf, (int)k, (int)off) != SQLITE_OK) {
            sqlite3_blob_close(b);
            return sh_err_set(e, SH_STORE, "backup: a file changed or could not be read");
        }
        crypto_hash_sha256_update(&st, (const unsigned char *)buf, k);
        off += k;
    }
    crypto_hash_sha256_final(&st, sha);
    return sqlite3_blob_close(b) == SQLITE_OK ? SH_OK : lite_fail(h, "backup", e);
}

static enum sh_code insert_zero(sqlite3 *h, const char *sql, const char *key, sqlite3_int64 seq,
                                size_t n, sqlite3_int64 *rowid, struct sh_err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        return lite_fail(h, "backup", e);
    if (key)
        sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_zeroblob64(st, 2, n);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return lite_fail(h, "backup", e);
    *rowid = sqlite3_last_insert_rowid(h);
    return SH_OK;
}

static enum sh_code store_dump(sqlite3 *h, const char *file, struct sh_err *e)
{
    FILE *f = fopen(file, "rb");
    if (!f)
        return sh_err_set(e, SH_STORE, "cannot read pg_dump's archive");
    struct stat sb;
    enum sh_code rc = fstat(fileno(f), &sb) == 0 ? SH_OK : SH_STORE;
    unsigned char sha[crypto_hash_sha256_BYTES];
    for (sqlite3_int64 seq = 0, left = sb.st_size; rc == SH_OK && left > 0; seq++) {
        size_t n = left > CHUNK ? CHUNK : (size_t)left;
        sqlite3_int64 rowid;
        rc = insert_zero(h, "INSERT INTO shouhou_backup_dump (seq, data) VALUES (?1, ?2)", NULL,
                         seq, n, &rowid, e);
        if (!rc)
            rc = blob_fill(h, "shouhou_backup_dump", rowid, f, n, sha, e);
        left -= (sqlite3_int64)n;
    }
    fclose(f);
    return rc;
}

enum sh_code backup_begin_pg(const char *dsn, const char *out, struct backup_file **bf,
                             struct sh_err *e)
{
    struct backup_file *f;
    enum sh_code rc = create_tmp(out, &f, e);
    if (rc)
        return rc;
    char dump[1200], dbarg[1200];
    snprintf(dump, sizeof(dump), "%s.pgdump", f->tmp);
    snprintf(dbarg, sizeof(dbarg), "--dbname=%s", dsn);
    const char *argv[] = {
        "pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", dump, dbarg, NULL};
    if (run_tool(argv) != 0)
        rc = sh_err_set(e, SH_STORE,
                        "pg_dump failed (is it installed and can it reach the "
                        "database?)");
    if (!rc && (rc = exec(f->h, tables_sql, e)) == SH_OK && (rc = exec(f->h, "BEGIN", e)) == SH_OK)
        rc = store_dump(f->h, dump, e);
    unlink(dump);
    if (rc)
        backup_abort(f);
    else
        *bf = f;
    return rc;
}

bool backup_path_ok(const char *rel)
{
    static const char pre[] = "attachments/";
    if (strncmp(rel, pre, sizeof(pre) - 1))
        return false;
    const char *p = rel + sizeof(pre) - 1;
    if (strlen(p) != 2 + 1 + 64 || p[2] != '/' || strncmp(p, p + 3, 2))
        return false;
    for (const char *q = p + 3; *q; q++)
        if (!((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f')))
            return false;
    return true;
}

enum sh_code backup_add_file(struct backup_file *bf, const char *data_dir, const char *rel,
                             struct sh_err *e)
{
    char full[2048];
    snprintf(full, sizeof(full), "%s/%s", data_dir, rel);
    FILE *f = fopen(full, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0) {
        if (f)
            fclose(f);
        return sh_err_set(e, SH_STORE, "cannot read '%s'", full);
    }
    sqlite3_int64 rowid;
    unsigned char sha[crypto_hash_sha256_BYTES];
    enum sh_code rc = insert_zero(bf->h,
                                  "INSERT INTO shouhou_backup_files (path, sha256, data) "
                                  "VALUES (?1, '', ?2)",
                                  rel, 0, (size_t)sb.st_size, &rowid, e);
    if (!rc)
        rc = blob_fill(bf->h, "shouhou_backup_files", rowid, f, (size_t)sb.st_size, sha, e);
    fclose(f);
    char hex[2 * sizeof(sha) + 1];
    sodium_bin2hex(hex, sizeof(hex), sha, sizeof(sha));
    sqlite3_stmt *st;
    if (!rc && sqlite3_prepare_v2(bf->h,
                                  "UPDATE shouhou_backup_files SET sha256 = ?1 "
                                  "WHERE rowid = ?2",
                                  -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, hex, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, rowid);
        rc = sqlite3_step(st) == SQLITE_DONE ? SH_OK : lite_fail(bf->h, "backup", e);
        sqlite3_finalize(st);
    }
    return rc;
}

static enum sh_code put_meta(sqlite3 *h, const char *k, const char *v, struct sh_err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, "INSERT INTO shouhou_backup_meta (key, value) VALUES (?1, ?2)", -1,
                           &st, NULL) != SQLITE_OK)
        return lite_fail(h, "backup", e);
    sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, v, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SH_OK : lite_fail(h, "backup", e);
}

enum sh_code backup_finish(struct backup_file *bf, int schema_version, const char *now,
                           struct sh_err *e)
{
    char fmt[16], ver[16];
    snprintf(fmt, sizeof(fmt), "%d", BACKUP_FORMAT);
    snprintf(ver, sizeof(ver), "%d", schema_version);
    bool pg = false;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(bf->h, "SELECT 1 FROM shouhou_backup_dump LIMIT 1", -1, &st, NULL) ==
        SQLITE_OK) {
        pg = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
    }
    enum sh_code rc = put_meta(bf->h, "format", fmt, e);
    if (!rc && !(rc = put_meta(bf->h, "dialect", pg ? "pg" : "sqlite", e)) &&
        !(rc = put_meta(bf->h, "schema_version", ver, e)))
        rc = put_meta(bf->h, "created_at", now, e);
    if (!rc)
        rc = exec(bf->h, "COMMIT", e);
    if (sqlite3_close(bf->h) != SQLITE_OK && !rc)
        rc = sh_err_set(e, SH_STORE, "backup: cannot close '%s'", bf->tmp);
    bf->h = NULL;
    int fd = rc ? -1 : open(bf->tmp, O_RDONLY);
    if (fd >= 0) {
        if (fsync(fd) != 0)
            rc = sh_err_set(e, SH_STORE, "backup: cannot sync '%s'", bf->tmp);
        close(fd);
    }
    if (!rc && rename(bf->tmp, bf->path) != 0)
        rc = sh_err_set(e, SH_STORE, "cannot write '%s': %s", bf->path, strerror(errno));
    backup_abort(bf);
    return rc;
}

void backup_abort(struct backup_file *bf)
{
    if (!bf)
        return;
    if (bf->h)
        sqlite3_close(bf->h);
    unlink(bf->tmp);
    free(bf);
}

/* ---- reading ---- */

static enum sh_code read_meta(sqlite3 *h, struct backup_meta *m, struct sh_err *e)
{
    sqlite3_stmt *st;
    memset(m, 0, sizeof(*m));
    if (sqlite3_prepare_v2(h, "SELECT key, value FROM shouhou_backup_meta", -1, &st, NULL))
        return sh_err_set(e, SH_INVALID, "not a Shouhou backup (no shouhou_backup_meta table)");
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (!k || !v)
            continue;
        if (!strcmp(k, "format"))
            m->format = (int)strtol(v, NULL, 10);
        else if (!strcmp(k, "schema_version"))
            m->schema_version = (int)strtol(v, NULL, 10);
        else if (!strcmp(k, "dialect"))
            snprintf(m->dialect, sizeof(m->dialect), "%s", v);
        else if (!strcmp(k, "created_at"))
            snprintf(m->created_at, sizeof(m->created_at), "%s", v);
    }
    sqlite3_finalize(st);
    if (m->format < 1 || m->schema_version < 1 ||
        (strcmp(m->dialect, "sqlite") && strcmp(m->dialect, "pg")))
        return sh_err_set(e, SH_INVALID,
                          "not a complete Shouhou backup (its meta rows are missing)");
    if (m->format > BACKUP_FORMAT)
        return sh_err_set(e, SH_INVALID, "the backup's format %d is newer than this program's (%d)",
                          m->format, BACKUP_FORMAT);
    return SH_OK;
}

enum sh_code backup_open(const char *path, struct backup_file **bf, struct backup_meta *m,
                         struct sh_err *e)
{
    struct backup_file *f = calloc(1, sizeof(*f));
    if (!f)
        return sh_err_set(e, SH_INTERNAL, "out of memory");
    snprintf(f->path, sizeof(f->path), "%s", path);
    enum sh_code rc = SH_OK;
    if (access(path, R_OK) != 0)
        rc = sh_err_set(e, SH_NOT_FOUND, "cannot read '%s'", path);
    else if (sqlite3_open_v2(path, &f->h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        rc = sh_err_set(e, SH_INVALID, "'%s' is not a Shouhou backup", path);
    if (!rc)
        rc = read_meta(f->h, m, e);
    if (rc) {
        backup_close(f);
        return rc;
    }
    *bf = f;
    return SH_OK;
}

void backup_close(struct backup_file *bf)
{
    if (!bf)
        return;
    sqlite3_close(bf->h);
    free(bf);
}

enum sh_code backup_restore_sqlite(struct backup_file *bf, const char *db_path, struct sh_err *e)
{
    char tmp[1100], side[1100];
    snprintf(tmp, sizeof(tmp), "%s.restore", db_path);
    unlink(tmp);
    sqlite3 *dst = NULL;
    enum sh_code rc = SH_OK;
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        rc = lite_fail(dst, "cannot create the database", e);
    if (!rc && !(rc = copy_db(dst, bf->h, e)))
        rc = exec(dst,
                  "DROP TABLE shouhou_backup_meta; DROP TABLE shouhou_backup_files;"
                  "DROP TABLE shouhou_backup_dump; VACUUM; PRAGMA journal_mode=WAL;",
                  e);
    if (dst && sqlite3_close(dst) != SQLITE_OK && !rc)
        rc = sh_err_set(e, SH_STORE, "cannot close '%s'", tmp);
    if (!rc) {
        snprintf(side, sizeof(side), "%s-wal", db_path);
        unlink(side);
        snprintf(side, sizeof(side), "%s-shm", db_path);
        unlink(side);
        if (rename(tmp, db_path) != 0)
            rc = sh_err_set(e, SH_STORE, "cannot write '%s': %s", db_path, strerror(errno));
    }
    if (rc)
        unlink(tmp);
    return rc;
}

static enum sh_code dump_to_file(sqlite3 *h, const char *file, struct sh_err *e)
{
    FILE *f = fopen(file, "wb");
    if (!f)
        return sh_err_set(e, SH_STORE, "cannot write '%s'", file);
    sqlite3_stmt *st;
    enum sh_code rc = SH_OK;
    if (sqlite3_prepare_v2(h, "SELECT data FROM shouhou_backup_dump ORDER BY seq", -1, &st, NULL))
        rc = lite_fail(h, "restore", e);
    int step;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        if (fwrite(sqlite3_column_blob(st, 0), 1, n, f) != n)
            rc = sh_err_set(e, SH_STORE, "cannot write '%s'", file);
    }
    if (!rc && step != SQLITE_DONE)
        rc = lite_fail(h, "restore", e);
    sqlite3_finalize(st);
    if (fclose(f) != 0 && !rc)
        rc = sh_err_set(e, SH_STORE, "cannot write '%s'", file);
    return rc;
}

enum sh_code backup_restore_pg(struct backup_file *bf, const char *dsn, struct sh_err *e)
{
    char file[] = "/tmp/shouhou-restore-XXXXXX";
    int fd = mkstemp(file);
    if (fd < 0)
        return sh_err_set(e, SH_STORE, "cannot create a temporary file");
    close(fd);
    enum sh_code rc = dump_to_file(bf->h, file, e);
    char dbarg[1200];
    snprintf(dbarg, sizeof(dbarg), "--dbname=%s", dsn);
    const char *argv[] = {
        "pg_restore",           "--clean",         "--if-exists", "--no-owner", "--no-privileges",
        "--single-transaction", "--exit-on-error", dbarg,         file,         NULL};
    if (!rc && run_tool(argv) != 0)
        rc = sh_err_set(e, SH_STORE,
                        "pg_restore failed (nothing was changed: it runs in one "
                        "transaction)");
    unlink(file);
    return rc;
}

static enum sh_code write_file(const char *data_dir, const char *rel, const void *p, size_t n,
                               struct sh_err *e)
{
    char path[2048];
    snprintf(path, sizeof(path), "%s", data_dir);
    mkdir(path, 0750);
    snprintf(path, sizeof(path), "%s/attachments", data_dir);
    mkdir(path, 0750);
    snprintf(path, sizeof(path), "%s/%.14s", data_dir, rel); /* attachments/xx */
    mkdir(path, 0750);
    snprintf(path, sizeof(path), "%s/%s", data_dir, rel);
    return sh_file_write_atomic(path, p, n, e);
}

enum sh_code backup_restore_files(struct backup_file *bf, const char *data_dir, int *n,
                                  struct sh_err *e)
{
    sqlite3_stmt *st;
    *n = 0;
    if (sqlite3_prepare_v2(bf->h, "SELECT path, sha256, data FROM shouhou_backup_files", -1, &st,
                           NULL))
        return lite_fail(bf->h, "restore", e);
    enum sh_code rc = SH_OK;
    int step;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *rel = (const char *)sqlite3_column_text(st, 0);
        const char *want = (const char *)sqlite3_column_text(st, 1);
        const void *p = sqlite3_column_blob(st, 2);
        size_t len = (size_t)sqlite3_column_bytes(st, 2);
        unsigned char sha[crypto_hash_sha256_BYTES];
        char hex[2 * sizeof(sha) + 1];
        crypto_hash_sha256(sha, p, len);
        sodium_bin2hex(hex, sizeof(hex), sha, sizeof(sha));
        if (!rel || !backup_path_ok(rel) || !want || strcmp(hex, want) ||
            strcmp(hex, strrchr(rel, '/') + 1))
            rc = sh_err_set(e, SH_INVALID, "the backup's file '%s' is damaged", rel ? rel : "?");
        else if (!(rc = write_file(data_dir, rel, p, len, e)))
            ++*n;
    }
    if (!rc && step != SQLITE_DONE)
        rc = lite_fail(bf->h, "restore", e);
    sqlite3_finalize(st);
    return rc;
}
