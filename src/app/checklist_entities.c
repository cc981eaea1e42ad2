/* SPDX-License-Identifier: MIT */
/* Checklist templates and their items (R-149…) declared on the
 * entity engine: a template applies to a product category, a model series (prefix) and a
 * work-order kind, each optional; its items come in order, each a yes/no check, a measurement
 * with a limit in integer hundredths of its unit, a required photo or a conduct rule. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/checklist_entities.h"
#include "app/resources.h"
#include "domain/checklist.h"
#include "domain/work_order.h"

static const struct col template_cols[] = {
    COMMON_COLS,
    {"code", F_STR, COL_REQUIRED | COL_SORT | COL_FILTER, 40, NULL, 0, 0, NULL},
    {"name", F_STR, COL_REQUIRED | COL_SORT, 100, NULL, 0, 0, NULL},
    {"name_en", F_STR, 0, 100, NULL, 0, 0, NULL},
    {"product_category", F_ENUM, COL_NULLABLE | COL_FILTER, 0, model_categories, 0, 0, NULL},
    {"model_series", F_STR, COL_FILTER, 40, NULL, 0, 0, NULL},
    {"work_order_kind", F_ENUM, COL_NULLABLE | COL_FILTER, 0, wo_kind_names, 0, 0, NULL},
    {"photos_before_min", F_INT, 0, 0, NULL, 0, 20, NULL},
    {"photos_after_min", F_INT, 0, 0, NULL, 0, 20, NULL},
    {"active", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"notes", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
};

const struct entity ent_checklist_templates = {
    .name = "checklist_template",
    .table = "checklist_templates",
    .cols = template_cols,
    .ncols = NCOLS(template_cols),
    .default_sort = "id",
};

static const struct col item_cols[] = {
    COMMON_COLS,
    {"template_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0,
     &ent_checklist_templates},
    {"position", F_INT, COL_SORT, 0, NULL, 0, 100000, NULL},
    {"kind", F_ENUM, COL_REQUIRED | COL_FILTER, 0, cl_kind_names, 0, 0, NULL},
    {"label", F_STR, COL_REQUIRED, 200, NULL, 0, 0, NULL},
    {"label_en", F_STR, 0, 200, NULL, 0, 0, NULL},
    {"required", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"min_centi", F_INT, COL_NULLABLE, 0, NULL, -1e12, 1e12, NULL},
    {"min_inclusive", F_BOOL, 0, 0, NULL, 0, 0, NULL},
    {"max_centi", F_INT, COL_NULLABLE, 0, NULL, -1e12, 1e12, NULL},
    {"max_inclusive", F_BOOL, 0, 0, NULL, 0, 0, NULL},
    {"unit", F_STR, 0, 20, NULL, 0, 0, NULL},
    {"source", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"active", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
};

static bool bool_or(struct ent_write *w, const char *name, bool dflt)
{
    const char *v = ent_val(w, name);
    return v ? v[0] == '1' : dflt;
}

/* A measurement has a sensible limit; other kinds none. New items go last by default. */
static enum sh_code item_before(struct ent_write *w, struct sh_err *e)
{
    const char *kind = ent_val(w, "kind"), *mn = ent_val(w, "min_centi"),
               *mx = ent_val(w, "max_centi");
    enum cl_kind k = CLK_CHECK;
    if (kind && !cl_kind_parse(kind, &k))
        return sh_err_field(e, SH_INVALID, "kind", "unknown kind");
    struct cl_limit l = {.has_min = mn != NULL,
                         .has_max = mx != NULL,
                         .min = mn ? strtoll(mn, NULL, 10) : 0,
                         .max = mx ? strtoll(mx, NULL, 10) : 0,
                         .min_incl = bool_or(w, "min_inclusive", true),
                         .max_incl = bool_or(w, "max_inclusive", false)};
    enum sh_code rc = cl_item_check(k, &l, e);
    if (rc || !w->creating || ent_val(w, "position"))
        return rc;
    struct db_rows r;
    const char *tpl = ent_val(w, "template_id");
    if ((rc = db_query(w->u->tx, w->u->a,
                       "SELECT COALESCE(MAX(position), 0) + 10 AS p FROM checklist_items WHERE "
                       "template_id = $1",
                       DB_P(DB_TEXT(tpl ? tpl : "0")), &r, e)))
        return rc;
    int i = ent_colidx(w->ent, "position");
    w->vals[i] = (struct fval){.present = true,
                               .text = sh_arena_strdup(w->u->a, db_get(&r, 0, "p")),
                               .i = db_get_int(&r, 0, "p", 10)};
    return SH_OK;
}

const struct entity ent_checklist_items = {
    .name = "checklist_item",
    .table = "checklist_items",
    .label_col = "label",
    .cols = item_cols,
    .ncols = NCOLS(item_cols),
    .default_sort = "position",
    .before_write = item_before,
};
