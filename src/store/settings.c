/* SPDX-License-Identifier: MIT */
#include "store/settings.h"

#include <string.h>

enum sh_code settings_load(struct db_tx *tx, struct sh_arena *a, struct setting_list *out,
                           struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT key, type, value, updated_at, updated_by, version FROM "
                               "settings ORDER BY key",
                               DB_NOP, &r, e);
    if (rc)
        return rc;
    out->n = r.nrows;
    out->version = 0;
    out->items = sh_arena_alloc(a, sizeof(*out->items) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++) {
        struct setting *s = &out->items[i];
        s->key = db_get(&r, i, "key");
        s->type = db_get(&r, i, "type");
        s->value = db_get(&r, i, "value");
        s->updated_at = db_get(&r, i, "updated_at");
        s->updated_by = db_get_int(&r, i, "updated_by", 0);
        s->version = db_get_int(&r, i, "version", 1);
        out->version += s->version;
    }
    return SH_OK;
}

enum sh_code settings_bool(struct db_tx *tx, struct sh_arena *a, const char *key, bool def,
                           bool *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, "SELECT value FROM settings WHERE key = $1 AND type = 'bool'",
                               DB_P(DB_TEXT(key)), &r, e);
    if (rc)
        return rc;
    *out = r.nrows ? !strcmp(db_get(&r, 0, "value"), "true") : def;
    return SH_OK;
}

enum sh_code settings_int(struct db_tx *tx, struct sh_arena *a, const char *key, int64_t def,
                          int64_t *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, "SELECT value FROM settings WHERE key = $1 AND type = 'int'",
                               DB_P(DB_TEXT(key)), &r, e);
    if (rc)
        return rc;
    *out = r.nrows ? db_get_int(&r, 0, "value", def) : def;
    return SH_OK;
}

enum sh_code settings_store(struct db_tx *tx, const char *key, const char *value, const char *at,
                            int64_t by, struct sh_err *e)
{
    int64_t n = 0;
    enum sh_code rc =
        db_exec(tx,
                "UPDATE settings SET value = $2, updated_at = $3, updated_by = $4, "
                "version = version + 1 WHERE key = $1",
                DB_P(DB_TEXT(key), DB_TEXT(value), DB_TEXT(at), by ? DB_INT(by) : DB_NULL), &n, e);
    if (!rc && n != 1)
        return sh_err_set(e, SH_NOT_FOUND, "no setting '%s'", key);
    return rc;
}
