/* SPDX-License-Identifier: MIT */
/* The RMA declaration of the entity engine: GET /api/v1/rmas (the board: filters by state,
 * customer, ticket, unit; open=true those neither closed nor cancelled; overdue=true the
 * advance exchanges whose old unit is past its return date). RMAs are written
 * only by the use cases of app/rmas.c and app/rma_actions.c: every column is read-only here.
 * Customer accounts see their own RMAs' number, unit, state, the proposed charge and their
 * decision on it: the rest is staff-only. */
#include "app/entity.h"
#include "app/rmas.h"
#include "domain/quote.h"

extern const struct entity ent_customers, ent_sites, ent_units, ent_users, ent_tickets,
    ent_shipments;

#define RO    COL_READONLY
#define STAFF (COL_READONLY | COL_STAFF)

static const char *const warranty_statuses[] = {"in", "out", "unknown", NULL};

static const struct col rma_cols[] = {
    COMMON_COLS,
    {"number", F_STR, RO | COL_SORT | COL_FILTER, 40, NULL, 0, 0, NULL},
    {"state", F_ENUM, RO | COL_FILTER | COL_SORT, 0, rma_state_names, 0, 0, NULL},
    {"ticket_id", F_ID, RO | COL_FILTER, 0, NULL, 0, 0, &ent_tickets},
    {"unit_id", F_ID, RO | COL_FILTER, 0, NULL, 0, 0, &ent_units},
    {"customer_id", F_ID, RO | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"site_id", F_ID, RO | COL_FILTER | COL_NULLABLE, 0, NULL, 0, 0, &ent_sites},
    {"warranty_status", F_ENUM, STAFF | COL_FILTER, 0, warranty_statuses, 0, 0, NULL},
    {"chargeable", F_BOOL, STAFF | COL_FILTER, 0, NULL, 0, 0, NULL},
    /* WF-20 S4-S5: the charge the analysis proposes and the customer's decision on it (the
     * customer sees both; the note and who recorded it are staff-only) */
    {"charge_fen", F_MONEY, RO | COL_NULLABLE, 0, NULL, 0, 1e13, NULL},
    {"consent_decision", F_ENUM, RO | COL_NULLABLE | COL_FILTER, 0, rma_consent_names, 0, 0, NULL},
    {"consent_channel", F_ENUM, RO | COL_NULLABLE, 0, quote_channel_names, 0, 0, NULL},
    {"consent_note", F_TEXT, STAFF, 2000, NULL, 0, 0, NULL},
    {"consent_by", F_ID, STAFF | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"consent_at", F_TS, RO | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"fault", F_TEXT, STAFF, 2000, NULL, 0, 0, NULL},
    {"received_at", F_TS, RO | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"incoming_findings", F_TEXT, STAFF, 4000, NULL, 0, 0, NULL},
    {"incoming_by", F_ID, STAFF | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"incoming_at", F_TS, STAFF | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"cause_category", F_ENUM, STAFF | COL_FILTER | COL_NULLABLE, 0, rma_cause_names, 0, 0, NULL},
    {"cause_analysis", F_TEXT, STAFF, 4000, NULL, 0, 0, NULL},
    {"analysed_by", F_ID, STAFF | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"analysed_at", F_TS, STAFF | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"work_note", F_TEXT, STAFF, 4000, NULL, 0, 0, NULL},
    {"worked_by", F_ID, STAFF | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"worked_at", F_TS, STAFF | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"outgoing_findings", F_TEXT, STAFF, 4000, NULL, 0, 0, NULL},
    {"outgoing_by", F_ID, STAFF | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"outgoing_at", F_TS, STAFF | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"shipment_id", F_ID, STAFF | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_shipments},
    {"old_unit_handling", F_ENUM, STAFF | COL_NULLABLE | COL_FILTER, 0, rma_old_unit_names, 0, 0,
     NULL},
    {"new_unit_id", F_ID, STAFF | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_units},
    /* WF-08 S3-S4 (review 68 M9): an advance exchange shipped the replacement first and
     * waits for the old unit until return_due (the customer sees both) */
    {"advance", F_BOOL, RO | COL_FILTER, 0, NULL, 0, 0, NULL},
    {"return_due", F_DATE, RO | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"closed_at", F_TS, RO | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"created_by", F_ID, STAFF | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
};

static const struct list_view rma_views[] = {
    {"open", "true", "t.state NOT IN ('closed', 'cancelled')"},
    /* an advance exchange whose old unit is past its return date (rma_return_overdue) */
    {"overdue", "true", "t.advance = 1 AND t.state = 'awaiting_return' AND t.return_due < {today}"},
    {NULL, NULL, NULL},
};

const struct entity ent_rmas = {
    .name = "rma",
    .table = "rmas",
    .cols = rma_cols,
    .ncols = NCOLS(rma_cols),
    .scope_col = "customer_id",
    .views = rma_views,
    .label_col = "number",
    .default_sort = "-id",
};
