/* SPDX-License-Identifier: MIT */
/* Material samples and sample making (材料售后程序 / 样品制作, WF-21, DEN 5.2; issue 14 item 5;
 * docs/complaints.md) declared on the entity engine: the after-sales side asks for a material
 * sample or a sample to be made (for a customer, an exhibition or a complaint's analysis), an
 * owner makes it by a due date and records the result. States: requested → in_progress →
 * done, or cancelled. Open requests past their due date are overdue (view overdue=true and
 * the list sorted by due_on puts them on top). */
#include <inttypes.h>
#include <string.h>

#include "app/complaints.h"
#include "app/entity.h"
#include "app/resources.h"
#include "base/date.h"

static const char *const kinds[] = {"material_sample", "sample_making", "exhibition_sample", NULL};
static const char *const statuses[] = {"requested", "in_progress", "done", "cancelled", NULL};

static const struct col sample_cols[] = {
    COMMON_COLS,
    {"kind", F_ENUM, COL_REQUIRED | COL_FILTER, 0, kinds, 0, 0, NULL},
    {"subject", F_STR, COL_REQUIRED | COL_SORT | COL_SEARCH, 200, NULL, 0, 0, NULL},
    {"details", F_TEXT, COL_SEARCH, 4000, NULL, 0, 0, NULL},
    {"customer_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"complaint_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_complaints},
    {"quantity", F_INT, 0, 0, NULL, 1, 1e6, NULL},
    {"requested_by", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0,
     &ent_users},
    {"owner_id", F_ID, COL_REQUIRED | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"department_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_departments},
    {"due_on", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"status", F_ENUM, COL_FILTER | COL_SORT, 0, statuses, 0, 0, NULL},
    {"result", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"done_at", F_TS, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
};

/* overdue: open past its due date (the local date of the use case) */
static const struct list_view sample_views[] = {
    {"state", "open", "t.status IN ('requested', 'in_progress')"},
    {"overdue", "true", "t.status IN ('requested', 'in_progress') AND t.due_on < {today}"},
    {"owner", "mine", "t.owner_id = {me}"},
    {NULL, NULL, NULL},
};

static void set(struct ent_write *w, const char *name, const char *text)
{
    struct fval *v = ent_slot(w, name);
    v->present = true;
    v->is_null = text == NULL;
    v->text = text;
}

static const char *old(const struct ent_write *w, const char *name)
{
    int i = ent_colidx(w->ent, name);
    return w->old && i >= 0 ? w->old[i] : NULL;
}

/* RULE WF-21: requested → in_progress → done; requested or in_progress → cancelled; done and
 * cancelled are final. */
static bool step_allowed(const char *from, const char *to)
{
    if (!strcmp(from, to))
        return true;
    if (!strcmp(from, "requested"))
        return true;
    if (!strcmp(from, "in_progress"))
        return !strcmp(to, "done") || !strcmp(to, "cancelled");
    return false;
}

static enum sh_code sample_before(struct ent_write *w, struct sh_err *e)
{
    const struct uc *u = w->u;
    const char *to = ent_val(w, "status") ? ent_val(w, "status") : "requested";
    if (w->creating) {
        set(w, "requested_by",
            u->who->user_id ? sh_arena_printf(u->a, "%" PRId64, u->who->user_id) : NULL);
        if (strcmp(to, "requested"))
            set(w, "status", to = "requested");
    } else if (!step_allowed(old(w, "status"), to)) {
        sh_err_field(e, SH_CONFLICT, "status", "a %s sample request cannot become %s",
                     old(w, "status"), to);
        return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\",\"action\":\"%s\"}",
                             old(w, "status"), to);
    }
    const char *result = ent_val(w, "result");
    if (!strcmp(to, "done") && (!result || !*result)) {
        sh_err_field(e, SH_INVALID, "result", "a done sample request needs its result");
        return sh_err_reason(e, "required", NULL);
    }
    if (!strcmp(to, "done") && !w->creating && strcmp(old(w, "status"), "done")) {
        char *now = sh_arena_alloc(u->a, 21);
        sh_ts_format(u->now, now);
        set(w, "done_at", now);
    }
    return SH_OK;
}

const struct entity ent_material_samples = {
    .name = "material_sample",
    .table = "material_samples",
    .cols = sample_cols,
    .ncols = NCOLS(sample_cols),
    .views = sample_views,
    .label_col = "subject",
    .default_sort = "due_on",
    .before_write = sample_before,
};
