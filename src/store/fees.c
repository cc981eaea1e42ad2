/* SPDX-License-Identifier: MIT */
#include "store/fees.h"

#include <string.h>

#define SET_COLS "id, code, name, description, active, created_at, updated_at, version"
#define VER_COLS "id, rule_set_id, number, effective_from, definition, note, created_by, created_at"

static void set_row(const struct db_rows *r, int i, struct fee_set_row *s)
{
    s->id = db_get_int(r, i, "id", 0);
    s->code = db_get(r, i, "code");
    s->name = db_get(r, i, "name");
    s->description = db_get(r, i, "description");
    s->active = db_get_int(r, i, "active", 1) != 0;
    s->created_at = db_get(r, i, "created_at");
    s->updated_at = db_get(r, i, "updated_at");
    s->row_version = db_get_int(r, i, "version", 1);
}

static void ver_row(const struct db_rows *r, int i, struct fee_version_row *v)
{
    v->id = db_get_int(r, i, "id", 0);
    v->rule_set_id = db_get_int(r, i, "rule_set_id", 0);
    v->number = db_get_int(r, i, "number", 0);
    v->effective_from = db_get(r, i, "effective_from");
    v->definition = db_get(r, i, "definition");
    v->note = db_get(r, i, "note");
    v->created_by = db_get_int(r, i, "created_by", 0);
    v->created_at = db_get(r, i, "created_at");
}

enum sh_code fee_sets_load(struct db_tx *tx, struct sh_arena *a, struct fee_set_row **sets,
                           struct fee_version_row **newest, int *n, struct sh_err *e)
{
    struct db_rows r, v;
    enum sh_code rc =
        db_query(tx, a, "SELECT " SET_COLS " FROM fee_rule_sets ORDER BY code", DB_NOP, &r, e);
    if (!rc)
        rc = db_query(tx, a,
                      "SELECT " VER_COLS " FROM fee_rule_versions v WHERE number = (SELECT "
                      "MAX(number) FROM fee_rule_versions w WHERE w.rule_set_id = v.rule_set_id)",
                      DB_NOP, &v, e);
    if (rc)
        return rc;
    size_t cnt = (size_t)(r.nrows ? r.nrows : 1);
    *sets = sh_arena_alloc(a, cnt * sizeof **sets);
    *newest = sh_arena_alloc(a, cnt * sizeof **newest);
    if (!*sets || !*newest)
        return sh_err_set(e, SH_TOO_BIG, "out of memory");
    for (int i = 0; i < r.nrows; i++) {
        set_row(&r, i, &(*sets)[i]);
        memset(&(*newest)[i], 0, sizeof **newest);
        for (int j = 0; j < v.nrows; j++)
            if (db_get_int(&v, j, "rule_set_id", 0) == (*sets)[i].id)
                ver_row(&v, j, &(*newest)[i]);
    }
    *n = r.nrows;
    return SH_OK;
}

enum sh_code fee_set_load(struct db_tx *tx, struct sh_arena *a, int64_t id, const char *code,
                          struct fee_set_row *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        code ? db_query(tx, a, "SELECT " SET_COLS " FROM fee_rule_sets WHERE code = $1",
                        DB_P(DB_TEXT(code)), &r, e)
             : db_query(tx, a, "SELECT " SET_COLS " FROM fee_rule_sets WHERE id = $1",
                        DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "no such fee rule set");
    set_row(&r, 0, out);
    return SH_OK;
}

enum sh_code fee_versions_load(struct db_tx *tx, struct sh_arena *a, int64_t set_id,
                               struct fee_version_row **out, int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT " VER_COLS " FROM fee_rule_versions WHERE rule_set_id = $1 "
                               "ORDER BY number DESC",
                               DB_P(DB_INT(set_id)), &r, e);
    if (rc)
        return rc;
    *out = sh_arena_alloc(a, (size_t)(r.nrows ? r.nrows : 1) * sizeof **out);
    if (!*out)
        return sh_err_set(e, SH_TOO_BIG, "out of memory");
    for (int i = 0; i < r.nrows; i++)
        ver_row(&r, i, &(*out)[i]);
    *n = r.nrows;
    return SH_OK;
}

enum sh_code fee_version_on(struct db_tx *tx, struct sh_arena *a, int64_t set_id, const char *on,
                            struct fee_version_row *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT " VER_COLS " FROM fee_rule_versions WHERE rule_set_id = $1 "
                               "AND effective_from <= $2 ORDER BY number DESC LIMIT 1",
                               DB_P(DB_INT(set_id), DB_TEXT(on)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows) {
        sh_err_field(e, SH_UNPROCESSABLE, "on", "no version of the rule set is in effect on %s",
                     on);
        return sh_err_reason(e, "out_of_range", NULL);
    }
    ver_row(&r, 0, out);
    return SH_OK;
}

enum sh_code fee_set_insert(struct db_tx *tx, const struct fee_set_row *s, int64_t *id,
                            struct sh_err *e)
{
    struct db_rows r;
    struct sh_arena a;
    sh_arena_init(&a, 4096);
    enum sh_code rc =
        db_query(tx, &a,
                 "INSERT INTO fee_rule_sets (code, name, description, active, "
                 "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                 DB_P(DB_TEXT(s->code), DB_TEXT(s->name), DB_TEXT(s->description),
                      DB_INT(s->active ? 1 : 0), DB_TEXT(s->created_at)),
                 &r, e);
    if (!rc)
        *id = r.nrows ? db_get_int(&r, 0, "id", 0) : 0;
    sh_arena_release(&a);
    return rc;
}

enum sh_code fee_version_insert(struct db_tx *tx, struct sh_arena *a, struct fee_version_row *v,
                                struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT COALESCE(MAX(number), 0) AS n FROM fee_rule_versions WHERE "
                               "rule_set_id = $1",
                               DB_P(DB_INT(v->rule_set_id)), &r, e);
    if (rc)
        return rc;
    v->number = db_get_int(&r, 0, "n", 0) + 1;
    rc = db_query(tx, a,
                  "INSERT INTO fee_rule_versions (rule_set_id, number, effective_from, definition, "
                  "note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                  DB_P(DB_INT(v->rule_set_id), DB_INT(v->number), DB_TEXT(v->effective_from),
                       DB_TEXT(v->definition), DB_TEXT(v->note),
                       v->created_by ? DB_INT(v->created_by) : DB_NULL, DB_TEXT(v->created_at)),
                  &r, e);
    if (rc)
        return rc;
    v->id = db_get_int(&r, 0, "id", 0);
    return db_exec(tx,
                   "UPDATE fee_rule_sets SET updated_at = $2, version = version + 1 WHERE id = $1",
                   DB_P(DB_INT(v->rule_set_id), DB_TEXT(v->created_at)), NULL, e);
}
