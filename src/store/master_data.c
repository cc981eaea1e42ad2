/* SPDX-License-Identifier: MIT */
#include "store/master_data.h"

#include "base/sh_arena.h"

enum sh_code md_department_parent(struct db_tx *tx, struct sh_arena *a, int64_t id, int64_t *parent,
                                  struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, a, "SELECT parent_id FROM departments WHERE id = $1", DB_P(DB_INT(id)), &r, e);
    if (!rc)
        *parent = db_get_int(&r, 0, "parent_id", 0);
    return rc;
}

enum sh_code md_customer_next(struct db_tx *tx, struct sh_arena *a, int64_t *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, a, "SELECT COALESCE(MAX(id), 0) + 1 AS n FROM customers", DB_NOP, &r, e);
    if (!rc)
        *n = db_get_int(&r, 0, "n", 1);
    return rc;
}

enum sh_code md_model_warranty_months(struct db_tx *tx, struct sh_arena *a, const char *model_id,
                                      int *months, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, "SELECT warranty_months FROM product_models WHERE id = $1",
                               DB_P(DB_TEXT(model_id)), &r, e);
    if (!rc)
        *months = (int)db_get_int(&r, 0, "warranty_months", 12);
    return rc;
}

enum sh_code md_contract_terms(struct db_tx *tx, struct sh_arena *a, const char *contract_id,
                               struct md_contract *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, a, "SELECT customer_id, warranty_months FROM contracts WHERE id = $1",
                 DB_P(DB_TEXT(contract_id)), &r, e);
    if (rc)
        return rc;
    out->found = r.nrows > 0;
    out->customer_id = r.nrows ? db_get(&r, 0, "customer_id") : NULL;
    out->warranty_months = r.nrows && db_get(&r, 0, "warranty_months")
                               ? (int)db_get_int(&r, 0, "warranty_months", -1)
                               : -1;
    return SH_OK;
}

enum sh_code md_site_customer(struct db_tx *tx, struct sh_arena *a, const char *site_id,
                              bool *found, const char **customer_id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, "SELECT customer_id FROM sites WHERE id = $1",
                               DB_P(DB_TEXT(site_id)), &r, e);
    if (rc)
        return rc;
    *found = r.nrows > 0;
    *customer_id = r.nrows ? db_get(&r, 0, "customer_id") : NULL;
    return SH_OK;
}

const char *md_unit_search_names(struct db_tx *tx, struct sh_arena *a, const char *model_id,
                                 const char *customer_id)
{
    struct db_rows r;
    struct sh_err e;
    if (db_query(tx, a,
                 "SELECT m.code, m.name, c.name AS customer FROM product_models m "
                 "LEFT JOIN customers c ON c.id = $2 WHERE m.id = $1",
                 DB_P(DB_TEXT(model_id), customer_id ? DB_TEXT(customer_id) : DB_INT(0)), &r, &e) ||
        r.nrows == 0)
        return NULL;
    return sh_arena_printf(a, "%s %s %s", db_get(&r, 0, "code"), db_get(&r, 0, "name"),
                           db_get(&r, 0, "customer") ? db_get(&r, 0, "customer") : "");
}

enum sh_code md_units_of_contract(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                  struct db_rows *out, struct sh_err *e)
{
    return db_query(tx, a, "SELECT * FROM units WHERE contract_id = $1", DB_P(DB_INT(id)), out, e);
}

enum sh_code md_unit_set_warranty(struct db_tx *tx, const char *id, const char *end,
                                  const char *basis, const char *start, const char *months,
                                  struct sh_err *e)
{
    return db_exec(tx,
                   "UPDATE units SET warranty_end = $2, warranty_basis = $3, warranty_start = "
                   "$4, warranty_months = $5, version = version + 1 WHERE id = $1",
                   DB_P(DB_TEXT(id), DB_TEXT(end), DB_TEXT(basis), DB_TEXT(start), DB_TEXT(months)),
                   NULL, e);
}
