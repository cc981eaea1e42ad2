/* SPDX-License-Identifier: MIT */
#include "store/db_set.h"

#include <stdio.h>

void db_set_put(struct db_set *s, const char *col, struct db_val v)
{
    if (s->n < DB_SET_MAX) {
        s->cols[s->n] = col;
        s->vals[s->n] = v;
    }
    s->n++;
}

enum sh_code db_set_apply(struct db_tx *tx, const char *table, int64_t id, const struct db_set *s,
                          const char *at, struct sh_err *e)
{
    if (s->n > DB_SET_MAX)
        return sh_err_set(e, SH_INTERNAL, "%s: %d columns set, at most %d", table, s->n,
                          DB_SET_MAX);
    struct db_val p[DB_SET_MAX + 2];
    char sql[1024];
    size_t len = (size_t)snprintf(sql, sizeof(sql), "UPDATE %s SET ", table);
    for (int i = 0; i < s->n && len < sizeof(sql); i++) {
        len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s = $%d, ", s->cols[i], i + 1);
        p[i] = s->vals[i];
    }
    if (len >= sizeof(sql) - 120)
        return sh_err_set(e, SH_INTERNAL, "%s: the update is too long", table);
    p[s->n] = DB_TEXT(at);
    p[s->n + 1] = DB_INT(id);
    snprintf(sql + len, sizeof(sql) - len, "updated_at = $%d, version = version + 1 WHERE id = $%d",
             s->n + 1, s->n + 2);
    return db_exec(tx, sql, p, s->n + 2, NULL, e);
}
