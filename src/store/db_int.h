/* SPDX-License-Identifier: MIT */
/* Driver contract behind db.h (SQLite's btree.h / btreeInt.h split). */
#ifndef SH_DB_INT_H
#define SH_DB_INT_H

#include "store/db.h"

struct db_ops {
    void (*close)(struct db *db);
    enum sh_code (*write)(struct db *db, db_fn fn, void *ctx, struct sh_err *e);
    enum sh_code (*read)(struct db *db, db_fn fn, void *ctx, struct sh_err *e);
    enum sh_code (*query)(struct db_tx *tx, struct sh_arena *a, const char *sql,
                          const struct db_val *p, int n, struct db_rows *out, struct sh_err *e);
    enum sh_code (*exec)(struct db_tx *tx, const char *sql, const struct db_val *p, int n,
                         int64_t *changes, struct sh_err *e);
    /* NULL: db_exec_nowait runs exec */
    enum sh_code (*exec_nowait)(struct db_tx *tx, const char *sql, const struct db_val *p, int n,
                                struct sh_err *e);
    /* NULL: db_query_ahead runs query, db_wait does nothing */
    enum sh_code (*query_ahead)(struct db_tx *tx, struct sh_arena *a, const char *sql,
                                const struct db_val *p, int n, struct db_rows *out,
                                struct sh_err *e);
    enum sh_code (*wait)(struct db_tx *tx, struct sh_err *e);
    enum sh_code (*script)(struct db_tx *tx, const char *sql, struct sh_err *e);
    void (*hold)(struct db *db, bool checks); /* NULL: db_request_hold does nothing */
    void (*release)(struct db *db);           /* NULL: db_request_release does nothing */
    /* NULL: db_request_check answers SH_UNSUPPORTED */
    enum sh_code (*check)(struct db *db, struct sh_arena *a, const char *sql,
                          const struct db_val *p, int n, db_check_fn fn, void *ctx,
                          struct sh_err *e);
    bool (*refused)(struct db *db); /* NULL: never */
};

struct db {
    const struct db_ops *ops;
    enum db_dialect dialect;
    int schema_version;
};

struct db_tx {
    struct db *db;
    void *conn; /* sqlite3 * or PGconn * */
};

enum sh_code db_sqlite_open(const char *path, const struct db_options *o, struct db **out,
                            struct sh_err *e);
enum sh_code db_pg_open(const char *url, const struct db_options *o, struct db **out,
                        struct sh_err *e);
/* Applies pending migrations (migrate.c). */
enum sh_code db_migrate(struct db *db, struct sh_err *e);

/* The error of a result that does not fit in the request's memory cap (413 too_large). */
enum sh_code db_too_large(struct sh_err *e);

/* Test hook shared by both drivers: true when this call must fail. */
bool db_fault_hit(void);

#endif
