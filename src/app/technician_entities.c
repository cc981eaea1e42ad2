/* SPDX-License-Identifier: MIT */
/* Technicians (issue 5) and the skill / authorisation catalogue declared on the entity
 * engine (app/entity.h). A technician's skills, authorisations, shift and leave are
 * validated text encodings (docs/dispatch.md, "API", domain/tech_text.h); expired entries
 * stay stored but do not count when a plan is made. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/technicians.h"
#include "domain/tech_text.h"

extern const struct entity ent_users, ent_departments;

/* ---- the skill catalogue ---- */

static const char *const skill_kinds[] = {"skill", "authorisation", NULL};

static const struct col skill_cols[] = {
    COMMON_COLS,
    {"code", F_STR, COL_REQUIRED | COL_SORT | COL_FILTER | COL_CREATE_ONLY, TECH_CODE_MAX, NULL, 0,
     0, NULL},
    {"name", F_STR, COL_REQUIRED | COL_SORT, 100, NULL, 0, 0, NULL},
    {"kind", F_ENUM, COL_FILTER, 0, skill_kinds, 0, 0, NULL},
    {"active", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
};

static enum sh_code skill_before(struct ent_write *w, struct sh_err *e)
{
    const char *code = ent_val(w, "code");
    if (code && !tech_code_ok(code))
        return sh_err_field(e, SH_INVALID, "code", "'code' must be 1 to 40 of a-z, 0-9, _ and -");
    return SH_OK;
}

const struct entity ent_skills = {
    .name = "skill",
    .table = "skills",
    .label_col = "code",
    .cols = skill_cols,
    .ncols = NCOLS(skill_cols),
    .default_sort = "code",
    .before_write = skill_before,
};

/* ---- technicians ---- */

static const struct col tech_cols[] = {
    COMMON_COLS,
    {"user_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0, &ent_users},
    {"name", F_STR, COL_SORT, 60, NULL, 0, 0, NULL},
    {"skills", F_STR, 0, 2000, NULL, 0, 0, NULL},
    {"authorisations", F_STR, 0, 2000, NULL, 0, 0, NULL},
    {"home_latitude", F_REAL, COL_NULLABLE, 0, NULL, -90, 90, NULL},
    {"home_longitude", F_REAL, COL_NULLABLE, 0, NULL, -180, 180, NULL},
    {"shift", F_STR, 0, 500, NULL, 0, 0, NULL},
    {"leave_periods", F_STR, 0, 2000, NULL, 0, 0, NULL},
    {"max_travel_km", F_REAL, COL_NULLABLE, 0, NULL, 0, 5000, NULL},
    {"department_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_departments},
    {"active", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"notes", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
};

/* Every code of the list must be in the catalogue with the right kind. */
static enum sh_code codes_known(struct ent_write *w, const struct tech_skill *k, int n,
                                const char *kind, const char *field, struct sh_err *e)
{
    for (int i = 0; i < n; i++) {
        struct db_rows r;
        enum sh_code rc = db_query(w->u->tx, w->u->a, "SELECT kind FROM skills WHERE code = $1",
                                   DB_P(DB_TEXT(k[i].code)), &r, e);
        if (rc)
            return rc;
        if (r.nrows == 0)
            return sh_err_field(e, SH_INVALID, field, "'%s': unknown %s '%s'", field, kind,
                                k[i].code);
        if (strcmp(db_get(&r, 0, "kind"), kind))
            return sh_err_field(e, SH_INVALID, field, "'%s': '%s' is not a %s", field, k[i].code,
                                kind);
    }
    return SH_OK;
}

static enum sh_code tech_before(struct ent_write *w, struct sh_err *e)
{
    struct tech_skill k[TECH_SKILL_MAX];
    struct tech_leave l[TECH_LEAVE_MAX];
    struct tech_shift sh;
    int n;
    enum sh_code rc;
    if ((rc = tech_skills_parse(ent_val(w, "skills"), true, "skills", k, &n, e)) ||
        (rc = codes_known(w, k, n, "skill", "skills", e)))
        return rc;
    if ((rc = tech_skills_parse(ent_val(w, "authorisations"), false, "authorisations", k, &n, e)) ||
        (rc = codes_known(w, k, n, "authorisation", "authorisations", e)))
        return rc;
    if ((rc = tech_shift_parse(ent_val(w, "shift"), "shift", &sh, e)))
        return rc;
    if ((rc = tech_leave_parse(ent_val(w, "leave_periods"), "leave_periods", l, &n, e)))
        return rc;
    bool lat = ent_val(w, "home_latitude") != NULL, lon = ent_val(w, "home_longitude") != NULL;
    if (lat != lon)
        return sh_err_field(e, SH_INVALID, lat ? "home_longitude" : "home_latitude",
                            "home latitude and longitude go together");
    if (w->creating) {
        struct db_rows r;
        rc = db_query(w->u->tx, w->u->a,
                      "SELECT roles, display_name, username FROM users WHERE id = $1",
                      DB_P(DB_TEXT(ent_val(w, "user_id"))), &r, e);
        if (rc)
            return rc;
        unsigned mask = 0;
        if (r.nrows == 0 || !roles_parse(db_get(&r, 0, "roles"), &mask) || !(mask & ROLES_STAFF))
            return sh_err_field(e, SH_INVALID, "user_id", "'user_id' must be a staff user");
        if (!ent_val(w, "name") || !*ent_val(w, "name")) {
            const char *dn = db_get(&r, 0, "display_name");
            int i = ent_colidx(w->ent, "name");
            w->vals[i].present = true;
            w->vals[i].is_null = false;
            w->vals[i].text = dn && *dn ? dn : db_get(&r, 0, "username");
        }
        struct db_rows d;
        if ((rc = db_query(w->u->tx, w->u->a, "SELECT id FROM technicians WHERE user_id = $1",
                           DB_P(DB_TEXT(ent_val(w, "user_id"))), &d, e)))
            return rc;
        if (d.nrows)
            return sh_err_field(e, SH_CONFLICT, "user_id", "user %s is already a technician",
                                ent_val(w, "user_id"));
    }
    return SH_OK;
}

const struct entity ent_technicians = {
    .name = "technician",
    .table = "technicians",
    .cols = tech_cols,
    .ncols = NCOLS(tech_cols),
    .assignee_col = "user_id", /* a technician sees their own record */
    .default_sort = "id",
    .before_write = tech_before,
};
