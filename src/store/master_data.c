/* SPDX-License-Identifier: MIT */
#include "store/master_data.h"

#include "base/sh_arena.h"
#include "store/sql_build.h"

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

/* Only the ids given are looked up, and each with a parameter that is never NULL: a
 * statement with a NULL id planned as a generic plan costs every probe (a custom plan folds
 * them away), so PostgreSQL planned it anew on every execution (0.45 ms of a unit's 1.3 ms);
 * the text differs by which ids are given, each variant settles on its generic plan. */
void md_unit_facts_sql(struct q *q, const char *model_id, const char *contract_id,
                       const char *site_id, const char *customer_id)
{
    if (model_id) {
        int m = qparam(q, DB_TEXT(model_id));
        qadd(q,
             ", (SELECT id FROM product_models WHERE id = $%d) AS f_mid, (SELECT "
             "warranty_months FROM product_models WHERE id = $%d) AS f_mm, (SELECT code FROM "
             "product_models WHERE id = $%d) AS f_code, (SELECT name FROM product_models WHERE id "
             "= $%d) AS f_name",
             m, m, m, m);
    } else {
        qadd(q, ", NULL AS f_mid, NULL AS f_mm, NULL AS f_code, NULL AS f_name");
    }
    int k = 0;
    if (contract_id) {
        k = qparam(q, DB_TEXT(contract_id));
        qadd(q,
             ", (SELECT id FROM contracts WHERE id = $%d) AS f_kid, (SELECT customer_id FROM "
             "contracts WHERE id = $%d) AS f_kcust, (SELECT warranty_months FROM contracts WHERE "
             "id = $%d) AS f_km",
             k, k, k);
    } else {
        qadd(q, ", NULL AS f_kid, NULL AS f_kcust, NULL AS f_km");
    }
    if (site_id) {
        int s = qparam(q, DB_TEXT(site_id));
        qadd(q,
             ", (SELECT id FROM sites WHERE id = $%d) AS f_sid, (SELECT customer_id FROM sites "
             "WHERE id = $%d) AS f_scust",
             s, s);
    } else {
        qadd(q, ", NULL AS f_sid, NULL AS f_scust");
    }
    /* the customer named, else the contract's */
    if (customer_id)
        qadd(q, ", (SELECT name FROM customers WHERE id = $%d) AS f_cname",
             qparam(q, DB_TEXT(customer_id)));
    else if (contract_id)
        qadd(q,
             ", (SELECT name FROM customers WHERE id = (SELECT customer_id FROM contracts WHERE "
             "id = $%d)) AS f_cname",
             k);
    else
        qadd(q, ", NULL AS f_cname");
}

void md_unit_facts_of(const struct db_rows *r, struct md_unit_facts *out)
{
    bool k = db_get(r, 0, "f_kid") != NULL;
    *out = (struct md_unit_facts){
        .model_months = (int)db_get_int(r, 0, "f_mm", 12),
        .model_found = db_get(r, 0, "f_mid") != NULL,
        .model_code = db_get(r, 0, "f_code"),
        .model_name = db_get(r, 0, "f_name"),
        .customer_name = db_get(r, 0, "f_cname"),
        .contract = {.found = k,
                     .customer_id = k ? db_get(r, 0, "f_kcust") : NULL,
                     .warranty_months =
                         k && db_get(r, 0, "f_km") ? (int)db_get_int(r, 0, "f_km", -1) : -1},
        .site_found = db_get(r, 0, "f_sid") != NULL,
        .site_customer_id = db_get(r, 0, "f_scust"),
    };
}

enum sh_code md_unit_facts(struct db_tx *tx, struct sh_arena *a, const char *model_id,
                           const char *contract_id, const char *site_id, const char *customer_id,
                           struct md_unit_facts *out, struct sh_err *e)
{
    struct q q = {.sql = SH_BUF_INIT(1 << 12)};
    qadd(&q, "SELECT 1 AS one");
    md_unit_facts_sql(&q, model_id, contract_id, site_id, customer_id);
    struct db_rows r;
    enum sh_code rc = q.overflow ? sh_err_set(e, SH_INTERNAL, "unit facts: statement too long")
                                 : db_query(tx, a, q.sql.buf, q.p, q.n, &r, e);
    sh_buf_release(&q.sql);
    if (!rc)
        md_unit_facts_of(&r, out);
    return rc;
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
