/* SPDX-License-Identifier: MIT */
#include "store/idempotency.h"

enum sh_code idem_find(struct db_tx *tx, struct sh_arena *a, int64_t user_id, const char *key,
                       struct idem_row *out, bool *found, struct sh_err *e)
{
    struct db_rows r;
    *found = false;
    enum sh_code rc = db_query(tx, a,
                               "SELECT method, path, status, body, request_hash FROM "
                               "idempotency_keys WHERE user_id = $1 AND key = $2",
                               DB_P(DB_INT(user_id), DB_TEXT(key)), &r, e);
    if (rc || r.nrows == 0)
        return rc;
    *found = true;
    out->method = db_get(&r, 0, "method");
    out->path = db_get(&r, 0, "path");
    out->body = db_get(&r, 0, "body");
    out->request_hash = db_get(&r, 0, "request_hash");
    out->status = (int)db_get_int(&r, 0, "status", 200);
    return SH_OK;
}

enum sh_code idem_insert(struct db_tx *tx, int64_t user_id, const char *key,
                         const struct idem_row *row, const char *at, struct sh_err *e)
{
    return db_exec(tx,
                   "INSERT INTO idempotency_keys (user_id, key, method, path, status, body, "
                   "created_at, request_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                   DB_P(DB_INT(user_id), DB_TEXT(key), DB_TEXT(row->method), DB_TEXT(row->path),
                        DB_INT(row->status), DB_TEXT(row->body), DB_TEXT(at),
                        DB_TEXT(row->request_hash)),
                   NULL, e);
}
