/* SPDX-License-Identifier: MIT */
/* Master data (R-017…R-022, §2.1) declared on the entity engine: departments,
 * customers, contacts, sites, product models, contracts, units, users. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/resources.h"
#include "app/ticket_warranty.h"
#include "app/notifications.h"
#include "app/users.h"
#include "base/date.h"
#include "domain/warranty.h"
#include "store/master_data.h"
#include "store/tickets.h"

/* ---- departments ---- */

static const char *const dept_kinds[] = {
    "after_sales", "technical",  "qc", "finance",     "logistics", "warehouse", "sales",
    "purchasing",  "production", "hr", "engineering", "store",     "other",     NULL};

static const struct col dept_cols[] = {
    COMMON_COLS,
    {"code", F_STR, COL_REQUIRED | COL_SORT | COL_FILTER, 40, NULL, 0, 0, NULL},
    {"name", F_STR, COL_REQUIRED | COL_SORT, 60, NULL, 0, 0, NULL},
    {"name_en", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"kind", F_ENUM, COL_FILTER, 0, dept_kinds, 0, 0, NULL},
    {"parent_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_departments},
    {"active", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
};

/* Adds a reason to the error just set (code returned by sh_err_field). */
static enum sh_code err_reason(enum sh_code code, struct sh_err *e, const char *reason,
                               const char *params)
{
    (void)code;
    if (params)
        return sh_err_reason(e, reason, "%s", params);
    return sh_err_reason(e, reason, NULL);
}

/* A department cannot be its own ancestor. */
static enum sh_code dept_before(struct ent_write *w, struct sh_err *e)
{
    const char *parent = ent_val(w, "parent_id");
    if (!parent || w->creating)
        return SH_OK;
    int64_t p = strtoll(parent, NULL, 10);
    for (int depth = 0; p > 0 && depth < 64; depth++) {
        if (p == w->id)
            return err_reason(sh_err_field(e, SH_INVALID, "parent_id",
                                           "a department cannot be placed under itself"),
                              e, "cycle", NULL);
        enum sh_code rc = md_department_parent(w->u->tx, w->u->a, p, &p, e);
        if (rc)
            return rc;
    }
    return SH_OK;
}

const struct entity ent_departments = {
    .name = "department",
    .table = "departments",
    .cols = dept_cols,
    .ncols = NCOLS(dept_cols),
    .before_write = dept_before,
    .default_sort = "id",
};

/* ---- customers ---- */

static const char *const customer_types[] = {"company", "individual", "dealer", NULL};

static const struct col customer_cols[] = {
    COMMON_COLS,
    {"code", F_STR, COL_SORT | COL_FILTER | COL_SEARCH, 40, NULL, 0, 0, NULL},
    {"name", F_STR, COL_REQUIRED | COL_SORT | COL_SEARCH, 100, NULL, 0, 0, NULL},
    {"type", F_ENUM, COL_REQUIRED | COL_FILTER | COL_SORT, 0, customer_types, 0, 0, NULL},
    /* the key-customer class and the staff's notes are not the customer's to see (review 69 L1) */
    {"is_key", F_BOOL, COL_FILTER | COL_STAFF, 0, NULL, 0, 0, NULL},
    {"province", F_STR, COL_FILTER | COL_SORT | COL_SEARCH, 20, NULL, 0, 0, NULL},
    {"city", F_STR, COL_FILTER | COL_SEARCH, 40, NULL, 0, 0, NULL},
    {"region", F_STR, COL_FILTER | COL_SEARCH, 40, NULL, 0, 0, NULL},
    {"address", F_STR, COL_SEARCH, 200, NULL, 0, 0, NULL},
    {"phone", F_STR, COL_FILTER | COL_PHONE | COL_SEARCH, 40, NULL, 0, 0, NULL},
    {"email", F_STR, 0, 120, NULL, 0, 0, NULL},
    /* the language and channel of the customer's messages (docs/notifications.md) */
    {"locale", F_ENUM, 0, 0, (const char *const[]){"zh-CN", "en", NULL}, 0, 0, NULL},
    {"notify_channel", F_ENUM, COL_FILTER, 0,
     (const char *const[]){"sms", "email", "phone", "letter", NULL}, 0, 0, NULL},
    {"notes", F_TEXT, COL_STAFF, 4000, NULL, 0, 0, NULL},
    {"first_contact_at", F_TS, COL_NULLABLE | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"first_contact_note", F_TEXT, COL_STAFF, 2000, NULL, 0, 0, NULL},
};

static bool email_ok(const char *s)
{
    const char *at = strchr(s, '@');
    return at && at != s && strchr(at + 1, '.') && !strchr(at + 1, '@') && !strchr(s, ' ');
}

/* Validates the email column named "email" when set (phones: COL_PHONE, the entity engine). */
static enum sh_code contact_fields_ok(struct ent_write *w, struct sh_err *e)
{
    int ei = ent_colidx(w->ent, "email");
    if (ei >= 0 && w->vals[ei].present && !w->vals[ei].is_null && *w->vals[ei].text &&
        !email_ok(w->vals[ei].text))
        return err_reason(sh_err_field(e, SH_INVALID, "email", "'email' is not an e-mail address"),
                          e, "invalid_format", "{\"format\":\"email\"}");
    return notify_prefs_check(ent_val(w, "quiet_hours"), ent_val(w, "notify_opt_out"), e);
}

static void set_val(struct ent_write *w, const char *name, const char *text)
{
    int i = ent_colidx(w->ent, name);
    if (i < 0)
        return;
    w->vals[i].present = true;
    w->vals[i].is_null = text == NULL;
    w->vals[i].text = text;
    w->vals[i].i = text ? strtoll(text, NULL, 10) : 0;
}

static enum sh_code customer_before(struct ent_write *w, struct sh_err *e)
{
    enum sh_code rc = contact_fields_ok(w, e);
    if (rc)
        return rc;
    const char *code = ent_val(w, "code");
    if (!w->creating && (!code || !*code))
        return err_reason(sh_err_field(e, SH_INVALID, "code", "'code' cannot be blank"), e,
                          "required", NULL);
    if (w->creating && (!code || !*code)) {
        /* KH + next number: readable, unique, sortable */
        int64_t n;
        if ((rc = md_customer_next(w->u->tx, w->u->a, &n, e)))
            return rc;
        set_val(w, "code", sh_arena_printf(w->u->a, "KH%06" PRId64, n));
    }
    if (w->creating && !ent_val(w, "first_contact_at")) {
        char now[21];
        sh_ts_format(w->u->now, now);
        set_val(w, "first_contact_at", sh_arena_strdup(w->u->a, now));
    }
    return SH_OK;
}

/* A ticket copies its customer's region and searches by its name: an edit of either is
 * carried to the customer's tickets in the same transaction. */
static enum sh_code customer_after(struct ent_write *w, struct sh_err *e)
{
    if (w->creating)
        return SH_OK;
    enum sh_code rc = SH_OK;
    if (ent_changed(w, "region") || ent_changed(w, "province"))
        rc = tickets_region_refresh(w->u->tx, w->id, e);
    if (!rc && ent_changed(w, "name"))
        rc = tickets_search_rebuild_of(w->u->tx, w->u->a, true, w->id, e);
    return rc;
}

const struct entity ent_customers = {
    .name = "customer",
    .ext_label_col = "name",
    .table = "customers",
    .cols = customer_cols,
    .ncols = NCOLS(customer_cols),
    .scope_col = "id",
    .default_sort = "id",
    .search = true,
    .before_write = customer_before,
    .after_write = customer_after,
    .after_write_skips_create = true,
};

/* ---- contacts ---- */

static const struct col contact_cols[] = {
    COMMON_COLS,
    {"customer_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0,
     &ent_customers},
    {"name", F_STR, COL_REQUIRED | COL_SORT, 60, NULL, 0, 0, NULL},
    {"phone", F_STR, COL_FILTER | COL_PHONE, 40, NULL, 0, 0, NULL},
    {"email", F_STR, 0, 120, NULL, 0, 0, NULL},
    {"position", F_STR, COL_FILTER, 60, NULL, 0, 0, NULL},
    {"notes", F_TEXT, COL_STAFF, 2000, NULL, 0, 0, NULL},
    {"notify_opt_out", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"quiet_hours", F_STR, 0, 11, NULL, 0, 0, NULL},
};

const struct entity ent_contacts = {
    .name = "contact",
    .ext_label_col = "name",
    .table = "contacts",
    .cols = contact_cols,
    .ncols = NCOLS(contact_cols),
    .scope_col = "customer_id",
    .default_sort = "id",
    .before_write = contact_fields_ok,
};

/* ---- sites ---- */

static const struct col site_cols[] = {
    COMMON_COLS,
    {"customer_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0,
     &ent_customers},
    {"name", F_STR, COL_REQUIRED | COL_SORT, 100, NULL, 0, 0, NULL},
    {"province", F_STR, COL_FILTER, 20, NULL, 0, 0, NULL},
    {"city", F_STR, COL_FILTER, 40, NULL, 0, 0, NULL},
    {"address", F_STR, COL_REQUIRED, 200, NULL, 0, 0, NULL},
    {"latitude", F_REAL, COL_NULLABLE, 0, NULL, -90, 90, NULL},
    {"longitude", F_REAL, COL_NULLABLE, 0, NULL, -180, 180, NULL},
};

static enum sh_code site_before(struct ent_write *w, struct sh_err *e)
{
    bool lat = ent_val(w, "latitude") != NULL, lon = ent_val(w, "longitude") != NULL;
    if (lat != lon)
        return err_reason(sh_err_field(e, SH_INVALID, lat ? "longitude" : "latitude",
                                       "latitude and longitude go together"),
                          e, "required", NULL);
    return SH_OK;
}

const struct entity ent_sites = {
    .name = "site",
    .ext_label_col = "name",
    .table = "sites",
    .cols = site_cols,
    .ncols = NCOLS(site_cols),
    .scope_col = "customer_id",
    .default_sort = "id",
    .before_write = site_before,
};

/* ---- product models ---- */

const char *const model_categories[] = {"equipment", "material", "part", "appliance",
                                        "accessory", "software", NULL};

static const struct col model_cols[] = {
    COMMON_COLS,
    {"code", F_STR, COL_REQUIRED | COL_SORT | COL_FILTER | COL_SEARCH, 40, NULL, 0, 0, NULL},
    {"name", F_STR, COL_REQUIRED | COL_SORT | COL_SEARCH, 100, NULL, 0, 0, NULL},
    {"series", F_STR, COL_FILTER | COL_SEARCH, 40, NULL, 0, 0, NULL},
    {"category", F_ENUM, COL_REQUIRED | COL_FILTER, 0, model_categories, 0, 0, NULL},
    {"warranty_months", F_INT, 0, 0, NULL, 0, 240, NULL},
    {"install_required", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"required_skills", F_STR, 0, 200, NULL, 0, 0, NULL},
    {"price_fen", F_MONEY, COL_SORT, 0, NULL, 0, 1e13, NULL},
};

static enum sh_code skills_ok(struct ent_write *w, struct sh_err *e)
{
    const char *s = ent_val(w, "required_skills");
    for (const char *p = s; p && *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == ',' ||
              *p == '-'))
            return err_reason(
                sh_err_field(e, SH_INVALID, "required_skills",
                             "'required_skills' is a comma-separated list of skill codes "
                             "(a-z, 0-9, _ and -)"),
                e, "invalid_format", "{\"format\":\"codes\"}");
    if (!w->creating && !ent_changed(w, "required_skills"))
        return SH_OK; /* a catalogue entry retired later does not block other edits */
    /* every code ("code" or "code:level") must be an active entry of the skill catalogue:
     * the slot search matches technicians on them (docs/work-orders.md) */
    char code[64];
    for (const char *p = s; p && *p;) {
        size_t n = strcspn(p, ",");
        size_t c = strcspn(p, ",:");
        snprintf(code, sizeof code, "%.*s", (int)(c < sizeof code - 1 ? c : sizeof code - 1), p);
        p += n + (p[n] == ',');
        if (!*code)
            continue;
        struct db_rows r;
        enum sh_code rc =
            db_query(w->u->tx, w->u->a, "SELECT 1 FROM skills WHERE code = $1 AND active = 1",
                     DB_P(DB_TEXT(code)), &r, e);
        if (rc)
            return rc;
        if (!r.nrows) {
            sh_err_field(e, SH_INVALID, "required_skills",
                         "'required_skills': '%s' is not in the skill catalogue", code);
            /* the code is a-z, 0-9, _ and - (checked above): no escaping */
            return sh_err_reason(e, "unknown_value", "{\"format\":\"skill\",\"value\":\"%s\"}",
                                 code);
        }
    }
    return SH_OK;
}

const struct entity ent_models = {
    .name = "product_model",
    .ext_label_col = "name",
    .table = "product_models",
    .cols = model_cols,
    .ncols = NCOLS(model_cols),
    .default_sort = "code",
    .search = true,
    .before_write = skills_ok,
};

/* ---- contracts ---- */

static const struct col contract_cols[] = {
    COMMON_COLS,
    {"number", F_STR, COL_REQUIRED | COL_SORT | COL_FILTER, 60, NULL, 0, 0, NULL},
    {"customer_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0,
     &ent_customers},
    {"signed_date", F_DATE, COL_NULLABLE | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"start_date", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"end_date", F_DATE, COL_NULLABLE | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"warranty_months", F_INT, COL_NULLABLE, 0, NULL, 0, 240, NULL},
    {"installation_included", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"training_seats", F_INT, 0, 0, NULL, 0, 1000, NULL},
    {"notes", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    /* R-200 (issue 18 item 6): the service owed, reviewed before delivery (app/contract_reqs.c) */
    {"service_owed", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"special_requirements", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"requirements_reviewed_by", F_ID, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"requirements_reviewed_at", F_TS, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, NULL},
};

static enum sh_code recompute_units_of_contract(struct ent_write *w, struct sh_err *e);

static enum sh_code contract_before(struct ent_write *w, struct sh_err *e)
{
    const char *s = ent_val(w, "start_date"), *end = ent_val(w, "end_date");
    if (s && end && strcmp(end, s) < 0)
        return err_reason(
            sh_err_field(e, SH_INVALID, "end_date", "'end_date' is before 'start_date'"), e,
            "date_order", "{\"after\":\"start_date\"}");
    return SH_OK;
}

const struct entity ent_contracts = {
    .name = "contract",
    .ext_label_col = "number",
    .table = "contracts",
    .label_col = "number",
    .cols = contract_cols,
    .ncols = NCOLS(contract_cols),
    .scope_col = "customer_id",
    .default_sort = "id",
    .before_write = contract_before,
    .after_write = recompute_units_of_contract,
};

/* ---- units ---- */

static const char *const unit_statuses[] = {"in_stock", "shipped",  "installed", "in_repair",
                                            "returned", "scrapped", NULL};
static const char *const warranty_bases[] = {"none",     "install",    "ship",
                                             "override", "acceptance", NULL};

static const struct col unit_cols[] = {
    COMMON_COLS,
    {"serial_no", F_STR, COL_REQUIRED | COL_SORT | COL_FILTER | COL_SEARCH, 60, NULL, 0, 0, NULL},
    {"model_id", F_ID, COL_REQUIRED | COL_FILTER, 0, NULL, 0, 0, &ent_models},
    {"customer_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"site_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_sites},
    {"contract_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_contracts},
    {"status", F_ENUM, COL_FILTER | COL_SORT, 0, unit_statuses, 0, 0, NULL},
    {"production_date", F_DATE, COL_NULLABLE | COL_SORT | COL_RANGE | COL_PAST, 0, NULL, 0, 0,
     NULL},
    {"ship_date", F_DATE, COL_NULLABLE | COL_SORT | COL_RANGE | COL_PAST, 0, NULL, 0, 0, NULL},
    {"install_date", F_DATE, COL_NULLABLE | COL_SORT | COL_RANGE | COL_PAST, 0, NULL, 0, 0, NULL},
    {"warranty_end_override", F_DATE, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"warranty_end", F_DATE, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_SORT | COL_RANGE, 0,
     NULL, 0, 0, NULL},
    {"warranty_basis", F_ENUM, COL_READONLY | COL_DERIVED | COL_FILTER, 0, warranty_bases, 0, 0,
     NULL},
    {"warranty_start", F_DATE, COL_READONLY | COL_DERIVED | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"warranty_months", F_INT, COL_READONLY | COL_DERIVED | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"notes", F_TEXT, COL_STAFF, 4000, NULL, 0, 0, NULL},
};

/* A unit's dates in the order of its life: produced, shipped, installed (400 date_order on
 * the later one, params.after the earlier). */
static enum sh_code unit_dates_in_order(struct ent_write *w, struct sh_err *e)
{
    static const char *const order[] = {"production_date", "ship_date", "install_date"};
    static const int pairs[][2] = {{2, 1}, {1, 0}, {2, 0}}; /* later, earlier */
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        const char *later = order[pairs[i][0]], *earlier = order[pairs[i][1]];
        const char *l = ent_val(w, later), *r = ent_val(w, earlier);
        if (l && r && strcmp(l, r) < 0)
            return err_reason(
                sh_err_field(e, SH_INVALID, later, "'%s' is before '%s'", later, earlier), e,
                "date_order", sh_arena_printf(w->u->a, "{\"after\":\"%s\"}", earlier));
    }
    return SH_OK;
}

/* Derives the warranty columns of a unit from its dates, contract and model. */
static enum sh_code unit_warranty(struct ent_write *w, struct sh_err *e)
{
    struct warranty_in in = {.contract_months = -1, .model_months = 12};
    const char *s;
    if ((s = ent_val(w, "install_date")))
        in.has_install = sh_date_parse(s, &in.install);
    if ((s = ent_val(w, "ship_date")))
        in.has_ship = sh_date_parse(s, &in.ship);
    if ((s = ent_val(w, "warranty_end_override")))
        in.has_override = sh_date_parse(s, &in.override_end);
    enum sh_code rc = unit_dates_in_order(w, e);
    if (rc)
        return rc;
    /* the model, contract, site and customer in one statement (issue 16 item 1) */
    const char *contract = ent_val(w, "contract_id"), *site = ent_val(w, "site_id");
    struct md_unit_facts f;
    if (w->facts) /* read with the reference check (unit_facts) */
        md_unit_facts_of(w->facts, &f);
    else if ((rc = md_unit_facts(w->u->tx, w->u->a, ent_val(w, "model_id"), contract, site,
                                 ent_val(w, "customer_id"), &f, e)))
        return rc;
    in.model_months = f.model_months;
    if (contract) {
        const char *cust = ent_val(w, "customer_id");
        if (f.contract.found && cust && strcmp(f.contract.customer_id, cust))
            return err_reason(sh_err_field(e, SH_INVALID, "contract_id",
                                           "the contract belongs to another customer"),
                              e, "other_customer", NULL);
        /* a unit on a contract belongs to the contract's customer */
        if (f.contract.found && !cust)
            set_val(w, "customer_id", f.contract.customer_id);
        if (f.contract.found && f.contract.warranty_months >= 0)
            in.contract_months = f.contract.warranty_months;
    }
    if (site) {
        const char *cust = ent_val(w, "customer_id");
        if (f.site_found && (!cust || strcmp(f.site_customer_id, cust)))
            return err_reason(
                sh_err_field(e, SH_INVALID, "site_id", "the site belongs to another customer"), e,
                "other_customer", NULL);
    }
    /* the search names of the same read: search_extra need not read them again */
    w->search_names = f.model_found
                          ? sh_arena_printf(w->u->a, "%s %s %s", f.model_code, f.model_name,
                                            f.customer_name ? f.customer_name : "")
                          : NULL;
    w->has_search_names = true;
    struct warranty_out out = warranty_compute(&in);
    char d[11];
    set_val(w, "warranty_basis", warranty_basis_name(out.basis));
    if (out.known) {
        sh_date_format(out.end, d);
        set_val(w, "warranty_end", sh_arena_strdup(w->u->a, d));
    } else {
        set_val(w, "warranty_end", NULL);
    }
    if (out.basis == WB_INSTALL || out.basis == WB_SHIP) {
        sh_date_format(out.start, d);
        set_val(w, "warranty_start", sh_arena_strdup(w->u->a, d));
        set_val(w, "warranty_months", sh_arena_printf(w->u->a, "%d", out.months));
    } else {
        set_val(w, "warranty_start", NULL);
        set_val(w, "warranty_months", NULL);
    }
    if (w->creating && !ent_val(w, "status"))
        set_val(w, "status", in.has_install ? "installed" : "shipped");
    return SH_OK;
}

/* What unit_warranty needs, read by the statement that checks the unit's references. */
static void unit_facts(const struct ent_write *w, struct q *q)
{
    md_unit_facts_sql(q, ent_val(w, "model_id"), ent_val(w, "contract_id"), ent_val(w, "site_id"),
                      ent_val(w, "customer_id"));
}

static const char *unit_search_extra(struct ent_write *w)
{
    if (w->has_search_names)
        return w->search_names;
    return md_unit_search_names(w->u->tx, w->u->a, ent_val(w, "model_id"),
                                ent_val(w, "customer_id"));
}

/* A ticket searches by its unit's serial number: a corrected serial is carried to the unit's
 * tickets in the same transaction. A unit given its customer leaves its tickets without a
 * customer as they are (review 72 #2): a QR report joins a customer only when an agent sets
 * the ticket's customer (ticket_edit.c). */
static enum sh_code unit_after(struct ent_write *w, struct sh_err *e)
{
    if (w->creating)
        return SH_OK;
    if (!ent_changed(w, "serial_no"))
        return SH_OK;
    return tickets_search_rebuild_of(w->u->tx, w->u->a, false, w->id, e);
}

const struct entity ent_units = {
    .name = "unit",
    .ext_label_col = "serial_no",
    .table = "units",
    .label_col = "serial_no",
    .cols = unit_cols,
    .ncols = NCOLS(unit_cols),
    .scope_col = "customer_id",
    .default_sort = "id",
    .search = true,
    .before_write = unit_warranty,
    .write_facts = unit_facts,
    .after_write = unit_after,
    .after_write_skips_create = true,
    .search_extra = unit_search_extra,
};

/* A contract's warranty months apply to its units: recompute them in the same
 * transaction when the contract changes. */
static enum sh_code recompute_units_of_contract(struct ent_write *w, struct sh_err *e)
{
    if (w->creating)
        return SH_OK;
    int mi = ent_colidx(&ent_contracts, "warranty_months");
    const char *newm = w->vals[mi].is_null ? NULL : w->vals[mi].text;
    const char *oldm = w->old ? w->old[mi] : NULL;
    if ((!newm && !oldm) || (newm && oldm && !strcmp(newm, oldm)))
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = md_units_of_contract(w->u->tx, w->u->a, w->id, &r, e);
    if (rc)
        return rc;
    for (int row = 0; row < r.nrows; row++) {
        struct fval *uv = sh_arena_alloc(w->u->a, sizeof(struct fval) * (size_t)ent_units.ncols);
        for (int i = 0; i < ent_units.ncols; i++) {
            const char *t = db_get(&r, row, ent_units.cols[i].name);
            uv[i].present = true;
            uv[i].is_null = t == NULL;
            uv[i].text = t;
        }
        struct ent_write uw = {.u = w->u, .ent = &ent_units, .vals = uv};
        if ((rc = unit_warranty(&uw, e)))
            return rc;
        int64_t uid = db_get_int(&r, row, "id", 0);
        const char *before = ent_json(w->u->a, &ent_units, &r, row);
        rc = md_unit_set_warranty(w->u->tx, db_get(&r, row, "id"), ent_val(&uw, "warranty_end"),
                                  ent_val(&uw, "warranty_basis"), ent_val(&uw, "warranty_start"),
                                  ent_val(&uw, "warranty_months"), e);
        if (rc)
            return rc;
        /* the unit changed too: it gets its own audit row */
        struct db_rows after;
        if ((rc = ent_load(w->u->tx, w->u->a, &ent_units, uid, &after, e)))
            return rc;
        if ((rc = uc_audit(w->u, "unit", uid, "update", before,
                           ent_json(w->u->a, &ent_units, &after, 0), e)))
            return rc;
    }
    return SH_OK;
}

/* ---- users (passwords are set by api/users.c, hashed outside the writer) ---- */

static enum sh_code users_check(struct ent_write *w, struct sh_err *e)
{
    int ri = ent_colidx(w->ent, "roles"), ci = ent_colidx(w->ent, "customer_id");
    int64_t cust = w->vals[ci].is_null || !w->vals[ci].text ? 0 : w->vals[ci].i;
    if (w->vals[ci].text && !w->vals[ci].is_null)
        sscanf(w->vals[ci].text, "%" SCNd64, &cust);
    enum sh_code rc = notify_prefs_check(ent_val(w, "quiet_hours"), NULL, e);
    return rc ? rc : user_roles_check(w->vals[ri].text, cust, e);
}

/* After a PATCH that changed `active`: the one disable/enable use case (which ends the
 * user's sessions and tokens when disabling). */
static enum sh_code users_after_write(struct ent_write *w, struct sh_err *e)
{
    int ai = ent_colidx(w->ent, "active");
    if (w->creating || !w->old || ai < 0)
        return SH_OK;
    bool was = w->old[ai] && strcmp(w->old[ai], "0"); /* stored as INTEGER 0/1 */
    bool now = !w->vals[ai].is_null && w->vals[ai].i != 0;
    if (was == now)
        return SH_OK;
    return uc_user_set_active(w->u, w->id, now, e);
}

static const struct col user_cols[] = {
    COMMON_COLS,
    {"username", F_STR, COL_REQUIRED | COL_SORT | COL_FILTER | COL_CREATE_ONLY, 64, NULL, 0, 0,
     NULL},
    {"display_name", F_STR, COL_SORT, 60, NULL, 0, 0, NULL},
    {"email", F_STR, 0, 120, NULL, 0, 0, NULL},
    {"phone", F_STR, COL_PHONE, 40, NULL, 0, 0, NULL},
    {"roles", F_STR, COL_REQUIRED | COL_FILTER, 200, NULL, 0, 0, NULL},
    {"department_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_departments},
    {"customer_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"locale", F_ENUM, 0, 0, (const char *const[]){"zh-CN", "en", NULL}, 0, 0, NULL},
    {"active", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"quiet_hours", F_STR, 0, 11, NULL, 0, 0, NULL},
};

/* ?role=agent lists users holding that role among others ("agent,dispatcher") */
#define ROLE_VIEW(r)                                                                               \
    {                                                                                              \
        "role", #r, "(',' || t.roles || ',') LIKE '%," #r ",%'"                                    \
    }
static const struct list_view user_views[] = {
    ROLE_VIEW(admin),      ROLE_VIEW(gm),         ROLE_VIEW(dept_head), ROLE_VIEW(agent),
    ROLE_VIEW(sales),      ROLE_VIEW(finance),    ROLE_VIEW(logistics), ROLE_VIEW(warehouse),
    ROLE_VIEW(dispatcher), ROLE_VIEW(technician), ROLE_VIEW(qc),        ROLE_VIEW(purchasing),
    ROLE_VIEW(customer),   ROLE_VIEW(dealer),     {NULL, NULL, NULL},
};

const struct entity ent_users = {
    .name = "user",
    .ext_label_col = "display_name",
    .table = "users",
    .label_col = "display_name", /* expand= shows people by name, never by login */
    .views = user_views,
    .cols = user_cols,
    .ncols = NCOLS(user_cols),
    .default_sort = "id",
    .before_write = users_check,
    .after_write = users_after_write,
};
