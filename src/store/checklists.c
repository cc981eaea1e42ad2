/* SPDX-License-Identifier: MIT */
#include "store/checklists.h"

#include <string.h>

static bool flag(const struct db_rows *r, int i, const char *name)
{
    return db_get_int(r, i, name, 0) != 0;
}

/* The limit columns min_centi, min_inclusive, max_centi, max_inclusive of row i. */
static struct cl_limit limit_read(const struct db_rows *r, int i)
{
    struct cl_limit l = {0};
    l.has_min = db_get(r, i, "min_centi") != NULL;
    l.has_max = db_get(r, i, "max_centi") != NULL;
    l.min = db_get_int(r, i, "min_centi", 0);
    l.max = db_get_int(r, i, "max_centi", 0);
    l.min_incl = flag(r, i, "min_inclusive");
    l.max_incl = flag(r, i, "max_inclusive");
    return l;
}

/* The most specific template first: series, then category, then kind. */
static const char PICK_SQL[] =
    "SELECT ct.id FROM work_orders w JOIN tickets t ON t.id = w.ticket_id "
    "LEFT JOIN units un ON un.id = t.unit_id LEFT JOIN product_models m ON m.id = un.model_id "
    "JOIN checklist_templates ct ON ct.active = 1 "
    "AND (ct.work_order_kind IS NULL OR ct.work_order_kind = w.kind) "
    "AND (ct.product_category IS NULL OR ct.product_category = m.category) "
    "AND (ct.model_series = '' OR substr(COALESCE(m.series, ''), 1, length(ct.model_series)) = "
    "ct.model_series) "
    "WHERE w.id = $1 "
    "ORDER BY CASE WHEN ct.model_series <> '' THEN 0 ELSE 1 END, "
    "CASE WHEN ct.product_category IS NOT NULL THEN 0 ELSE 1 END, "
    "CASE WHEN ct.work_order_kind IS NOT NULL THEN 0 ELSE 1 END, ct.id LIMIT 1";

enum sh_code cl_template_of(struct db_tx *tx, struct sh_arena *a, int64_t wo, int64_t *id,
                            bool *fixed, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT template_id FROM work_order_checklists WHERE "
                               "work_order_id = $1",
                               DB_P(DB_INT(wo)), &r, e);
    if (rc)
        return rc;
    *fixed = r.nrows > 0;
    if (*fixed) {
        *id = db_get_int(&r, 0, "template_id", 0);
        return SH_OK;
    }
    if ((rc = db_query(tx, a, PICK_SQL, DB_P(DB_INT(wo)), &r, e)))
        return rc;
    *id = r.nrows ? db_get_int(&r, 0, "id", 0) : 0;
    return SH_OK;
}

enum sh_code cl_template_get(struct db_tx *tx, struct sh_arena *a, int64_t id,
                             struct cl_template_row *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT id, code, name, name_en, photos_before_min, "
                               "photos_after_min FROM checklist_templates WHERE id = $1",
                               DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "checklist template not found");
    *out = (struct cl_template_row){
        .id = id,
        .code = db_get(&r, 0, "code"),
        .name = db_get(&r, 0, "name"),
        .name_en = db_get(&r, 0, "name_en"),
        .photos_before_min = (int)db_get_int(&r, 0, "photos_before_min", 0),
        .photos_after_min = (int)db_get_int(&r, 0, "photos_after_min", 0),
    };
    return SH_OK;
}

enum sh_code cl_template_fix(struct db_tx *tx, int64_t wo, int64_t template_id, const char *now,
                             struct sh_err *e)
{
    return db_exec(tx,
                   "INSERT INTO work_order_checklists (work_order_id, template_id, created_at) "
                   "VALUES ($1, $2, $3) ON CONFLICT (work_order_id) DO NOTHING",
                   DB_P(DB_INT(wo), DB_INT(template_id), DB_TEXT(now)), NULL, e);
}

enum sh_code cl_items_of(struct db_tx *tx, struct sh_arena *a, int64_t template_id, int64_t wo,
                         struct cl_item_row **out, int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "SELECT id, template_id, position, kind, label, label_en, required, min_centi, "
        "min_inclusive, max_centi, max_inclusive, unit, source, active FROM checklist_items "
        "WHERE template_id = $1 AND (active = 1 OR id IN (SELECT item_id FROM "
        "checklist_results WHERE work_order_id = $2)) ORDER BY position, id",
        DB_P(DB_INT(template_id), DB_INT(wo)), &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(a, sizeof(**out) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++) {
        struct cl_item_row *it = &(*out)[i];
        *it = (struct cl_item_row){
            .id = db_get_int(&r, i, "id", 0),
            .template_id = template_id,
            .position = (int)db_get_int(&r, i, "position", 0),
            .required = flag(&r, i, "required"),
            .active = flag(&r, i, "active"),
            .limit = limit_read(&r, i),
            .label = db_get(&r, i, "label"),
            .label_en = db_get(&r, i, "label_en"),
            .unit = db_get(&r, i, "unit"),
            .source = db_get(&r, i, "source"),
        };
        if (!cl_kind_parse(db_get(&r, i, "kind"), &it->kind))
            it->kind = CLK_CHECK;
    }
    return SH_OK;
}

enum sh_code cl_results_of(struct db_tx *tx, struct sh_arena *a, int64_t wo,
                           struct cl_result_row **out, int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "SELECT r.id, r.item_id, r.passed, r.value_centi, r.min_centi, r.min_inclusive, "
        "r.max_centi, r.max_inclusive, r.unit, r.note, r.photo_id, r.recorded_by, "
        "r.recorded_at, r.version, COALESCE(NULLIF(u.display_name, ''), u.username) AS by_name "
        "FROM checklist_results r LEFT JOIN users u ON u.id = r.recorded_by "
        "WHERE r.work_order_id = $1 ORDER BY r.id",
        DB_P(DB_INT(wo)), &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(a, sizeof(**out) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++)
        (*out)[i] = (struct cl_result_row){
            .id = db_get_int(&r, i, "id", 0),
            .item_id = db_get_int(&r, i, "item_id", 0),
            .photo_id = db_get_int(&r, i, "photo_id", 0),
            .recorded_by = db_get_int(&r, i, "recorded_by", 0),
            .version = db_get_int(&r, i, "version", 1),
            .passed = flag(&r, i, "passed"),
            .has_value = db_get(&r, i, "value_centi") != NULL,
            .value = db_get_int(&r, i, "value_centi", 0),
            .limit = limit_read(&r, i),
            .unit = db_get(&r, i, "unit"),
            .note = db_get(&r, i, "note"),
            .recorded_at = db_get(&r, i, "recorded_at"),
            .recorded_by_name = db_get(&r, i, "by_name"),
        };
    return SH_OK;
}

static struct db_val opt_int(bool has, int64_t v)
{
    return has ? DB_INT(v) : DB_NULL;
}

enum sh_code cl_result_put(struct db_tx *tx, const struct cl_result_in *in, struct sh_err *e)
{
    const struct cl_limit *l = &in->item->limit;
    return db_exec(
        tx,
        "INSERT INTO checklist_results (work_order_id, item_id, passed, value_centi, min_centi, "
        "min_inclusive, max_centi, max_inclusive, unit, note, photo_id, recorded_by, "
        "recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
        "ON CONFLICT (work_order_id, item_id) DO UPDATE SET passed = excluded.passed, "
        "value_centi = excluded.value_centi, min_centi = excluded.min_centi, "
        "min_inclusive = excluded.min_inclusive, max_centi = excluded.max_centi, "
        "max_inclusive = excluded.max_inclusive, unit = excluded.unit, note = excluded.note, "
        "photo_id = excluded.photo_id, recorded_by = excluded.recorded_by, "
        "recorded_at = excluded.recorded_at, version = checklist_results.version + 1",
        DB_P(DB_INT(in->work_order_id), DB_INT(in->item->id), DB_INT(in->passed ? 1 : 0),
             opt_int(in->has_value, in->value), opt_int(l->has_min, l->min),
             DB_INT(l->min_incl ? 1 : 0), opt_int(l->has_max, l->max), DB_INT(l->max_incl ? 1 : 0),
             DB_TEXT(in->item->unit ? in->item->unit : ""), DB_TEXT(in->note ? in->note : ""),
             opt_int(in->photo_id > 0, in->photo_id), opt_int(in->by > 0, in->by),
             DB_TEXT(in->now)),
        NULL, e);
}

static const char PHOTO_COLS[] =
    "SELECT p.id, p.work_order_id, p.phase, p.item_id, p.sha256, p.filename, p.mime, p.size, "
    "p.created_by, p.created_at, COALESCE(NULLIF(u.display_name, ''), u.username) AS by_name "
    "FROM work_order_photos p LEFT JOIN users u ON u.id = p.created_by ";

static void photo_read(const struct db_rows *r, int i, struct cl_photo_row *p)
{
    *p = (struct cl_photo_row){
        .id = db_get_int(r, i, "id", 0),
        .work_order_id = db_get_int(r, i, "work_order_id", 0),
        .item_id = db_get_int(r, i, "item_id", 0),
        .created_by = db_get_int(r, i, "created_by", 0),
        .size = db_get_int(r, i, "size", 0),
        .phase = db_get(r, i, "phase"),
        .sha256 = db_get(r, i, "sha256"),
        .filename = db_get(r, i, "filename"),
        .mime = db_get(r, i, "mime"),
        .created_at = db_get(r, i, "created_at"),
        .created_by_name = db_get(r, i, "by_name"),
    };
}

enum sh_code cl_photos_of(struct db_tx *tx, struct sh_arena *a, int64_t wo,
                          struct cl_photo_row **out, int *n, struct sh_err *e)
{
    struct db_rows r;
    char *sql = sh_arena_printf(a, "%sWHERE p.work_order_id = $1 ORDER BY p.id", PHOTO_COLS);
    enum sh_code rc = db_query(tx, a, sql, DB_P(DB_INT(wo)), &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(a, sizeof(**out) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++)
        photo_read(&r, i, &(*out)[i]);
    return SH_OK;
}

enum sh_code cl_photo_get(struct db_tx *tx, struct sh_arena *a, int64_t id,
                          struct cl_photo_row *out, struct sh_err *e)
{
    struct db_rows r;
    char *sql = sh_arena_printf(a, "%sWHERE p.id = $1", PHOTO_COLS);
    enum sh_code rc = db_query(tx, a, sql, DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "photo not found");
    photo_read(&r, 0, out);
    return SH_OK;
}

enum sh_code cl_photo_insert(struct db_tx *tx, const struct cl_photo_row *p, int64_t *id,
                             struct sh_err *e)
{
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, &a,
        "INSERT INTO work_order_photos (work_order_id, phase, item_id, sha256, filename, mime, "
        "size, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        DB_P(DB_INT(p->work_order_id), DB_TEXT(p->phase), opt_int(p->item_id > 0, p->item_id),
             DB_TEXT(p->sha256), DB_TEXT(p->filename), DB_TEXT(p->mime), DB_INT(p->size),
             opt_int(p->created_by > 0, p->created_by), DB_TEXT(p->created_at)),
        &r, e);
    if (!rc)
        *id = db_get_int(&r, 0, "id", 0);
    sh_arena_release(&a);
    return rc;
}

enum sh_code cl_photo_count(struct db_tx *tx, struct sh_arena *a, int64_t wo, int64_t *n,
                            struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT count(*) AS n FROM work_order_photos WHERE "
                               "work_order_id = $1",
                               DB_P(DB_INT(wo)), &r, e);
    if (!rc)
        *n = db_get_int(&r, 0, "n", 0);
    return rc;
}
