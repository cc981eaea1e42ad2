/* SPDX-License-Identifier: MIT */
/* Periodic visit plans (WF-10, R-185) declared on the entity engine: a key customer (or
 * one of its sites, for patrols) visited every N weeks or months, reported under a region,
 * by a lead technician or whoever is dispatched, created lead_days before each due date by
 * the visit job (app/visits.h). The due dates are domain/visit_plan.h. */
#include <stdlib.h>
#include <string.h>

#include "app/resources.h"
#include "app/visit_plan_entities.h"
#include "domain/roles.h"
#include "domain/visit_plan.h"

static const char *const purposes[] = {"visit", "patrol", NULL};
static const char *const periods[] = {"week", "month", NULL};
static const char *const kinds[] = {"periodic_visit", NULL};

static const struct col plan_cols[] = {
    COMMON_COLS,
    {"name", F_STR, COL_REQUIRED | COL_SORT, 100, NULL, 0, 0, NULL},
    {"purpose", F_ENUM, COL_FILTER, 0, purposes, 0, 0, NULL},
    {"customer_id", F_ID, COL_REQUIRED | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"site_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_sites},
    {"region", F_STR, COL_FILTER | COL_SORT, 40, NULL, 0, 0, NULL},
    {"every_n", F_INT, COL_REQUIRED, 0, NULL, 1, VISIT_EVERY_MAX, NULL},
    {"period", F_ENUM, COL_REQUIRED | COL_FILTER, 0, periods, 0, 0, NULL},
    {"start_date", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"end_date", F_DATE, COL_NULLABLE | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"visit_time", F_STR, 0, 5, NULL, 0, 0, NULL},
    {"kind", F_ENUM, COL_FILTER, 0, kinds, 0, 0, NULL},
    {"lead_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"lead_days", F_INT, 0, 0, NULL, 0, VISIT_LEAD_DAYS_MAX, NULL},
    {"active", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"notes", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
};

static enum sh_code bad(struct sh_err *e, const char *field, const char *reason, const char *params,
                        const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return params ? sh_err_reason(e, reason, "%s", params) : sh_err_reason(e, reason, NULL);
}

/* The site is the customer's; the lead is an active technician account. */
static enum sh_code plan_refs(struct ent_write *w, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc;
    const char *site = ent_val(w, "site_id"), *lead = ent_val(w, "lead_id");
    if (site) {
        if ((rc = db_query(w->u->tx, w->u->a, "SELECT customer_id FROM sites WHERE id = $1",
                           DB_P(DB_TEXT(site)), &r, e)))
            return rc;
        const char *cust = ent_val(w, "customer_id");
        if (r.nrows && (!cust || strcmp(db_get(&r, 0, "customer_id"), cust)))
            return bad(e, "site_id", "other_customer", NULL,
                       "the site belongs to another customer");
    }
    if (lead) {
        if ((rc = db_query(w->u->tx, w->u->a, "SELECT roles, active FROM users WHERE id = $1",
                           DB_P(DB_TEXT(lead)), &r, e)))
            return rc;
        unsigned roles = 0;
        if (r.nrows && (!roles_parse(db_get(&r, 0, "roles"), &roles) || !(roles & RB(TECHNICIAN)) ||
                        !db_get_int(&r, 0, "active", 0)))
            return bad(e, "lead_id", "not_technician", NULL,
                       "the lead must be an active technician");
    }
    return SH_OK;
}

/* Cross-field rules; a new plan without a region takes its customer's. */
static enum sh_code plan_before(struct ent_write *w, struct sh_err *e)
{
    const char *s = ent_val(w, "start_date"), *end = ent_val(w, "end_date"),
               *t = ent_val(w, "visit_time");
    int minutes;
    if (s && end && strcmp(end, s) < 0)
        return bad(e, "end_date", "date_order", "{\"after\":\"start_date\"}",
                   "'end_date' is before 'start_date'");
    if (t && !visit_time_parse(t, &minutes))
        return bad(e, "visit_time", "invalid_format", "{\"format\":\"HH:MM\"}",
                   "'visit_time' must be HH:MM (local time)");
    enum sh_code rc = plan_refs(w, e);
    if (rc)
        return rc;
    const char *region = ent_val(w, "region");
    struct fval *rv = ent_slot(w, "region");
    if (w->creating && (!region || !*region) && rv) {
        struct db_rows r;
        if ((rc = db_query(w->u->tx, w->u->a, "SELECT region FROM customers WHERE id = $1",
                           DB_P(DB_TEXT(ent_val(w, "customer_id"))), &r, e)))
            return rc;
        if (r.nrows) {
            rv->present = true;
            rv->is_null = false;
            rv->text = db_get(&r, 0, "region");
        }
    }
    return SH_OK;
}

const struct entity ent_visit_plans = {
    .name = "visit_plan",
    .table = "visit_plans",
    .cols = plan_cols,
    .ncols = NCOLS(plan_cols),
    .assignee_col = "lead_id",
    .default_sort = "id",
    .before_write = plan_before,
};
