/* SPDX-License-Identifier: MIT */
/* The declarations of suppliers, their commitments and supplier cases (app/suppliers.h). */
#include "app/suppliers.h"

#include <string.h>

#include "app/parts.h"
#include "app/resources.h"
#include "app/ticket_entities.h"
#include "domain/supplier.h"

#define RO COL_READONLY

static const struct col supplier_cols[] = {
    COMMON_COLS,
    {"name", F_STR, COL_REQUIRED | COL_SORT | COL_SEARCH, 100, NULL, 0, 0, NULL},
    {"contact", F_STR, COL_SEARCH, 60, NULL, 0, 0, NULL},
    {"phone", F_STR, COL_SEARCH | COL_PHONE, 40, NULL, 0, 0, NULL},
    {"email", F_STR, COL_SEARCH, 120, NULL, 0, 0, NULL},
    {"address", F_STR, COL_SEARCH, 200, NULL, 0, 0, NULL},
    {"active", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"notes", F_TEXT, COL_SEARCH, 2000, NULL, 0, 0, NULL},
};

const struct entity ent_suppliers = {
    .name = "supplier",
    .table = "suppliers",
    .cols = supplier_cols,
    .ncols = NCOLS(supplier_cols),
    .default_sort = "name",
    .search = true,
};

static const struct col commitment_cols[] = {
    COMMON_COLS,
    {"supplier_id", F_ID, COL_REQUIRED | COL_FILTER, 0, NULL, 0, 0, &ent_suppliers},
    {"model_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_models},
    {"part_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_parts},
    {"response_hours", F_INT, COL_REQUIRED | COL_SORT, 0, NULL, 1, 8760, NULL},
    {"contacts", F_STR, 0, 200, NULL, 0, 0, NULL},
    {"terms", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"valid_from", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"valid_to", F_DATE, COL_NULLABLE | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
};

/* RULE R-013: a commitment covers a product model or a component (at least one), for a
 * period that does not end before it starts. */
static enum sh_code commitment_before(struct ent_write *w, struct sh_err *e)
{
    if (!ent_val(w, "model_id") && !ent_val(w, "part_id")) {
        sh_err_field(e, SH_INVALID, "part_id",
                     "a commitment covers a product model or a component");
        return sh_err_reason(e, "required", "{\"one_of\":[\"model_id\",\"part_id\"]}");
    }
    const char *from = ent_val(w, "valid_from"), *to = ent_val(w, "valid_to");
    if (from && to && strcmp(to, from) < 0) {
        sh_err_field(e, SH_INVALID, "valid_to", "'valid_to' is before 'valid_from'");
        return sh_err_reason(e, "date_order", "{\"after\":\"valid_from\"}");
    }
    return SH_OK;
}

const struct entity ent_supplier_commitments = {
    .name = "supplier_commitment",
    .table = "supplier_commitments",
    .cols = commitment_cols,
    .ncols = NCOLS(commitment_cols),
    .label_col = "contacts",
    .default_sort = "id",
    .before_write = commitment_before,
};

static const struct col case_cols[] = {
    COMMON_COLS,
    {"state", F_ENUM, RO | COL_FILTER | COL_SORT, 0, supplier_case_state_names, 0, 0, NULL},
    {"ticket_id", F_ID, RO | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_tickets},
    {"faulty_part_id", F_ID, RO | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_faulty_parts},
    {"part_id", F_ID, RO | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_parts},
    {"model_id", F_ID, RO | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_models},
    {"supplier_id", F_ID, RO | COL_FILTER, 0, NULL, 0, 0, &ent_suppliers},
    {"commitment_id", F_ID, RO | COL_FILTER, 0, NULL, 0, 0, &ent_supplier_commitments},
    {"response_hours", F_INT, RO, 0, NULL, 0, 0, NULL},
    {"problem", F_TEXT, RO, 4000, NULL, 0, 0, NULL},
    {"task_id", F_INT, RO | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"sent_at", F_TS, RO | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"sent_by", F_ID, RO | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"answer", F_TEXT, RO, 4000, NULL, 0, 0, NULL},
    {"answered_at", F_TS, RO | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"answered_by", F_ID, RO | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"hours_taken", F_INT, RO | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"outcome", F_ENUM, RO | COL_NULLABLE | COL_FILTER, 0, supplier_case_outcomes, 0, 0, NULL},
    {"closed_at", F_TS, RO | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"created_by", F_ID, RO | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
};

static const struct list_view case_views[] = {
    {"open", "true", "t.state <> 'closed'"},
    {NULL, NULL, NULL},
};

const struct entity ent_supplier_cases = {
    .name = "supplier_case",
    .table = "supplier_cases",
    .cols = case_cols,
    .ncols = NCOLS(case_cols),
    .views = case_views,
    .label_col = "problem",
    .default_sort = "-id",
};
