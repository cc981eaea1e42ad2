/* SPDX-License-Identifier: MIT */
/* Spare parts declared on the entity engine (issue 14 item 1; docs/parts.md): the catalogue
 * with the unified price and the cost, stock locations (a van belongs to one
 * technician), reorder minimums per location and the faulty parts removed on site (旧件),
 * whose third-party components open a task for purchasing (WF-09 S3a). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/parts.h"
#include "app/suppliers.h"
#include "app/tasks.h"
#include "app/work_orders.h"
#include "domain/parts.h"

extern const struct entity ent_users;

static const struct col part_cols[] = {
    COMMON_COLS,
    {"code", F_STR, COL_REQUIRED | COL_SORT | COL_FILTER | COL_SEARCH, 40, NULL, 0, 0, NULL},
    {"name", F_STR, COL_REQUIRED | COL_SORT | COL_SEARCH, 100, NULL, 0, 0, NULL},
    {"models", F_STR, COL_FILTER | COL_SEARCH, 500, NULL, 0, 0, NULL},
    {"unit", F_STR, 0, 10, NULL, 0, 0, NULL},
    {"price_fen", F_MONEY, COL_REQUIRED | COL_SORT, 0, NULL, 0, 1e13, NULL},
    {"cost_fen", F_MONEY, COL_REQUIRED | COL_SORT | COL_STAFF, 0, NULL, 0, 1e13, NULL},
    {"active", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"notes", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    /* part_code_key of the code: what a quote line's code is looked up by (migration 0056) */
    {"code_key", F_STR, COL_READONLY | COL_DERIVED | COL_INTERNAL, 40, NULL, 0, 0, NULL},
};

/* RULE R-016, review 72 #3: a code holds no control, format or zero-width character and no
 * space at either end, and no other part has a code of the same key (case and width aside),
 * so a quote line finds one part whatever the case or width it was typed in. A code stored
 * before the rule is checked only when it changes; its key is kept on every write. */
static enum sh_code part_before(struct ent_write *w, struct sh_err *e)
{
    const char *code = ent_val(w, "code");
    if (!code || !*code) {
        sh_err_field(e, SH_INVALID, "code", "a part has a code");
        return sh_err_reason(e, "required", NULL);
    }
    const struct uc *u = w->u;
    const char *key = part_code_key(u->a, code);
    *ent_slot(w, "code_key") = (struct fval){.present = true, .text = key};
    if (!w->creating && !ent_changed(w, "code"))
        return SH_OK;
    const char *why = part_code_problem(code);
    if (why) {
        sh_err_field(e, SH_INVALID, "code",
                     "'code' holds an invisible character or begins or ends with a space");
        return strcmp(why, "control_char") ? sh_err_reason_str1(e, why, "format", "code")
                                           : sh_err_reason(e, why, NULL);
    }
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, "SELECT code FROM parts WHERE code_key = $1 AND id <> $2 LIMIT 1",
                 DB_P(DB_TEXT(key), DB_INT(w->creating ? 0 : w->id)), &r, e);
    if (rc || !r.nrows)
        return rc;
    sh_err_field(e, SH_CONFLICT, "code", "part '%s' has the same code", db_get(&r, 0, "code"));
    return sh_err_reason_str1(e, "duplicate", "code", db_get(&r, 0, "code"));
}

const struct entity ent_parts = {
    .name = "part",
    .table = "parts",
    .cols = part_cols,
    .ncols = NCOLS(part_cols),
    .label_col = "name",
    .default_sort = "code",
    .search = true, /* code, name, models (migration 0053) */
    .before_write = part_before,
};

/* ---- stock locations ---- */

static const struct col location_cols[] = {
    COMMON_COLS,
    {"code", F_STR, COL_REQUIRED | COL_SORT | COL_FILTER, 40, NULL, 0, 0, NULL},
    {"name", F_STR, COL_REQUIRED | COL_SORT, 100, NULL, 0, 0, NULL},
    {"kind", F_ENUM, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, location_kind_names, 0, 0,
     NULL},
    {"technician_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"active", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
};

/* RULE issue 14 item 1: a van belongs to one technician; a warehouse to nobody. */
static enum sh_code location_before(struct ent_write *w, struct sh_err *e)
{
    const char *kind = ent_val(w, "kind"), *tech = ent_val(w, "technician_id");
    bool van = kind && !strcmp(kind, "van");
    if (van && !tech) {
        sh_err_field(e, SH_INVALID, "technician_id", "a van belongs to a technician");
        return sh_err_reason(e, "required", NULL);
    }
    if (!van && tech) {
        sh_err_field(e, SH_INVALID, "technician_id", "a warehouse belongs to no technician");
        return sh_err_reason(e, "unknown_field", NULL);
    }
    if (!van)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(w->u->tx, w->u->a, "SELECT roles FROM users WHERE id = $1",
                               DB_P(DB_TEXT(tech)), &r, e);
    if (rc)
        return rc;
    unsigned mask = 0;
    if (!r.nrows || !roles_parse(db_get(&r, 0, "roles"), &mask) || !(mask & RB(TECHNICIAN))) {
        sh_err_field(e, SH_INVALID, "technician_id", "'technician_id' must be a technician");
        return sh_err_reason(e, "unknown_reference", NULL);
    }
    return SH_OK;
}

const struct entity ent_stock_locations = {
    .name = "stock_location",
    .table = "stock_locations",
    .cols = location_cols,
    .ncols = NCOLS(location_cols),
    .assignee_col = "technician_id", /* a technician sees their own van */
    .default_sort = "code",
    .before_write = location_before,
};

/* ---- reorder minimums ---- */

static const struct col minimum_cols[] = {
    COMMON_COLS,
    {"part_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0, &ent_parts},
    {"location_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0,
     &ent_stock_locations},
    {"min_qty", F_INT, COL_REQUIRED | COL_SORT, 0, NULL, 0, 1000000, NULL},
};

const struct entity ent_stock_minimums = {
    .name = "stock_minimum",
    .table = "stock_minimums",
    .cols = minimum_cols,
    .ncols = NCOLS(minimum_cols),
    .label_col = "min_qty",
    .default_sort = "id",
};

/* ---- faulty parts removed on site (旧件) ---- */

static const struct col faulty_cols[] = {
    COMMON_COLS,
    {"part_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0, &ent_parts},
    {"work_order_id", F_INT, COL_NULLABLE | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 1, 9e15, NULL},
    {"technician_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"qty", F_INT, 0, 0, NULL, 1, 1000000, NULL},
    {"serial_no", F_STR, COL_FILTER, 60, NULL, 0, 0, NULL},
    {"status", F_ENUM, COL_FILTER | COL_SORT, 0, faulty_status_names, 0, 0, NULL},
    {"third_party", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"supplier", F_STR, 0, 100, NULL, 0, 0, NULL},
    {"fault", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"notes", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"task_id", F_INT, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, NULL},
};

static void set_text(struct ent_write *w, const char *name, const char *text)
{
    struct fval *v = ent_slot(w, name);
    v->present = true;
    v->is_null = false;
    v->text = text;
    v->i = strtoll(text, NULL, 10);
}

/* RULE issue 14 item 1: 旧件 with the technician → returned to the factory → received, or
 * scrapped (domain/parts.c faulty_status_next); a technician records their own. */
static enum sh_code faulty_before(struct ent_write *w, struct sh_err *e)
{
    if (w->creating && !ent_val(w, "technician_id") && (w->u->who->roles & RB(TECHNICIAN)))
        set_text(w, "technician_id", sh_arena_printf(w->u->a, "%" PRId64, w->u->who->user_id));
    if (principal_technician_only(w->u->who)) {
        const char *t = ent_val(w, "technician_id");
        if (!t || strtoll(t, NULL, 10) != w->u->who->user_id) {
            sh_err_field(e, SH_FORBIDDEN, "technician_id", "a technician records their own");
            return sh_err_reason(e, "forbidden", NULL);
        }
    }
    /* ... taken out on a work order of theirs */
    enum sh_code rc = uc_work_order_crew_write(w, e);
    if (rc)
        return rc;
    int si = ent_colidx(w->ent, "status");
    enum faulty_status from = FS_WITH_TECH, to = FS_WITH_TECH;
    if (w->old && w->old[si])
        faulty_status_parse(w->old[si], &from);
    const char *nv = ent_val(w, "status");
    if (nv)
        faulty_status_parse(nv, &to);
    if (!faulty_status_next(from, to)) {
        sh_err_field(e, SH_CONFLICT, "status", "a faulty part goes from %s to %s? no",
                     faulty_status_names[from], faulty_status_names[to]);
        return sh_err_reason_str1(e, "illegal_action", "from", faulty_status_names[from]);
    }
    return SH_OK;
}

/* WF-09 S3a: a problem traced to a bought-in component goes to purchasing, once. */
static enum sh_code faulty_after(struct ent_write *w, struct sh_err *e)
{
    const char *tp = ent_val(w, "third_party");
    int ti = ent_colidx(w->ent, "task_id");
    bool has_task = w->old && w->old[ti] && *w->old[ti];
    if (!tp || strcmp(tp, "1") || has_task)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(
        w->u->tx, w->u->a,
        "SELECT p.code, p.name, w.ticket_id FROM parts p LEFT JOIN work_orders w ON "
        "w.id = $2 WHERE p.id = $1",
        DB_P(DB_TEXT(ent_val(w, "part_id")),
             DB_INT(ent_val(w, "work_order_id") ? strtoll(ent_val(w, "work_order_id"), NULL, 10)
                                                : 0)),
        &r, e);
    if (rc || !r.nrows)
        return rc;
    const char *supplier = ent_val(w, "supplier"), *fault = ent_val(w, "fault");
    struct task_in t = {
        .kind = "third_party_part",
        .title = sh_arena_printf(w->u->a, "外购件质量问题: %s %s", db_get(&r, 0, "code"),
                                 db_get(&r, 0, "name")),
        .body = sh_arena_printf(w->u->a, "%s%s%s", supplier ? supplier : "",
                                supplier && fault ? ": " : "", fault ? fault : ""),
        .role = "purchasing",
        .ticket_id = db_get_int(&r, 0, "ticket_id", 0),
        .source = "faulty_part",
        .source_id = w->id,
    };
    int64_t task = 0;
    if ((rc = uc_task_create(w->u, &t, &task, e)))
        return rc;
    if ((rc = db_exec(w->u->tx, "UPDATE faulty_parts SET task_id = $1 WHERE id = $2",
                      DB_P(DB_INT(task), DB_INT(w->id)), NULL, e)))
        return rc;
    /* issue 18 item 5: a supplier committed to this component gets a supplier case */
    struct supplier_case_in sc = {.ticket_id = t.ticket_id,
                                  .part_id = strtoll(ent_val(w, "part_id"), NULL, 10),
                                  .faulty_part_id = w->id,
                                  .task_id = task,
                                  .problem = t.body};
    return supplier_case_route_part(w->u, &sc, e);
}

const struct entity ent_faulty_parts = {
    .name = "faulty_part",
    .table = "faulty_parts",
    .cols = faulty_cols,
    .ncols = NCOLS(faulty_cols),
    .assignee_col = "technician_id",
    .label_col = "serial_no",
    .default_sort = "-id",
    .before_write = faulty_before,
    .after_write = faulty_after,
};
