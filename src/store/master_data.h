/* SPDX-License-Identifier: MIT */
/* The SQL the master-data rules read and write beyond the entity engine's own
 * (app/resources.c): department trees, generated customer codes, the warranty terms a
 * unit takes from its model and contract, and the units a contract change recomputes.
 * Ids are passed as the text the entity engine holds. */
#ifndef SH_STORE_MASTER_DATA_H
#define SH_STORE_MASTER_DATA_H

#include <stdbool.h>

#include "store/db.h"
#include "store/sql_build.h"

/* The parent of department id (0: none, or no such department). */
SH_WUR enum sh_code md_department_parent(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                         int64_t *parent, struct sh_err *e);
/* One more than the highest customer id: the number of a generated customer code. */
SH_WUR enum sh_code md_customer_next(struct db_tx *tx, struct sh_arena *a, int64_t *n,
                                     struct sh_err *e);
/* A contract's terms as a unit's write needs them. */
struct md_contract {
    bool found;
    const char *customer_id;
    int warranty_months; /* -1: not set on the contract */
};
/* A site's customer (*found false when there is no such site). */
SH_WUR enum sh_code md_site_customer(struct db_tx *tx, struct sh_arena *a, const char *site_id,
                                     bool *found, const char **customer_id, struct sh_err *e);
/* "<model code> <model name> <customer name>" for a unit's search text (NULL: no model). */
const char *md_unit_search_names(struct db_tx *tx, struct sh_arena *a, const char *model_id,
                                 const char *customer_id);
/* What a unit's write derives from the records it names, read in one statement: the
 * model's warranty months (12 when unknown) and search names, the contract's terms, the
 * site's customer, and the name of the unit's customer (customer_id, else the contract's). */
struct md_unit_facts {
    int model_months;
    bool model_found;
    const char *model_code, *model_name, *customer_name;
    struct md_contract contract;
    bool site_found;
    const char *site_customer_id;
};
/* The facts as ", <scalar subquery> AS f_…" columns added to q (with their parameters), and
 * read back from row 0 of r: one statement can check a write's references and read them. */
void md_unit_facts_sql(struct q *q, const char *model_id, const char *contract_id,
                       const char *site_id, const char *customer_id);
void md_unit_facts_of(const struct db_rows *r, struct md_unit_facts *out);
SH_WUR enum sh_code md_unit_facts(struct db_tx *tx, struct sh_arena *a, const char *model_id,
                                  const char *contract_id, const char *site_id,
                                  const char *customer_id, struct md_unit_facts *out,
                                  struct sh_err *e);
/* Every column of the units on contract id. */
SH_WUR enum sh_code md_units_of_contract(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                         struct db_rows *out, struct sh_err *e);
/* Stores a unit's derived warranty columns (and a new version). */
SH_WUR enum sh_code md_unit_set_warranty(struct db_tx *tx, const char *id, const char *end,
                                         const char *basis, const char *start, const char *months,
                                         struct sh_err *e);

#endif
