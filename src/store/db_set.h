/* SPDX-License-Identifier: MIT */
/* The columns one state-machine action sets on a record, collected by the use case and
 * written as one UPDATE that also stamps updated_at and bumps the version:
 *
 *     struct db_set s = {.n = 0};
 *     db_set_put(&s, "state", DB_TEXT("released"));
 *     db_set_put(&s, "released_at", DB_TEXT(now));
 *     rc = db_set_apply(tx, "shipments", id, &s, now, e);
 *
 * Table and column names are the program's own constants, never input. */
#ifndef SH_DB_SET_H
#define SH_DB_SET_H

#include "store/db.h"

#define DB_SET_MAX 16

struct db_set {
    const char *cols[DB_SET_MAX];
    struct db_val vals[DB_SET_MAX];
    int n; /* > DB_SET_MAX: too many were put (db_set_apply refuses) */
};

void db_set_put(struct db_set *s, const char *col, struct db_val v);
/* UPDATE table SET <cols>, updated_at = at, version = version + 1 WHERE id = id. */
SH_WUR enum sh_code db_set_apply(struct db_tx *tx, const char *table, int64_t id,
                                 const struct db_set *s, const char *at, struct sh_err *e);

#endif
