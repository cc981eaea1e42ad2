/* SPDX-License-Identifier: MIT */
/* The shipment and payment declarations of the entity engine: GET /api/v1/shipments (the
 * board: filters by state, kind, customer; overdue=true lists the shipments in transit past
 * the expected arrival, R-048; open=true those not yet received) and /api/v1/payments (the
 * payments finance confirms on a contract, 货款到账). Shipments are written only by the use
 * cases of app/shipments.c and app/shipment_actions.c: every column is read-only here. */
#include "app/entity.h"
#include "app/shipments.h"

extern const struct entity ent_customers, ent_sites, ent_contracts, ent_users;
extern const struct entity ent_tickets;

#define RO COL_READONLY

static const struct col shipment_cols[] = {
    COMMON_COLS,
    {"number", F_STR, RO | COL_SORT | COL_FILTER, 40, NULL, 0, 0, NULL},
    {"kind", F_ENUM, RO | COL_FILTER, 0, shp_kind_names, 0, 0, NULL},
    {"state", F_ENUM, RO | COL_FILTER | COL_SORT, 0, shp_state_names, 0, 0, NULL},
    {"customer_id", F_ID, RO | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"site_id", F_ID, RO | COL_FILTER | COL_NULLABLE, 0, NULL, 0, 0, &ent_sites},
    {"contract_id", F_ID, RO | COL_FILTER | COL_NULLABLE, 0, NULL, 0, 0, &ent_contracts},
    {"payment_id", F_ID, RO | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"ticket_id", F_ID, RO | COL_FILTER | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"includes_installation", F_BOOL, RO | COL_FILTER, 0, NULL, 0, 0, NULL},
    {"ship_to", F_STR, RO, 200, NULL, 0, 0, NULL},
    {"packaging", F_STR, RO, 200, NULL, 0, 0, NULL},
    {"requested_by", F_ID, RO | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"order_no", F_STR, RO | COL_NULLABLE | COL_FILTER, 40, NULL, 0, 0, NULL},
    {"order_issued_at", F_TS, RO | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"handed_over_at", F_TS, RO | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"hold_reason", F_STR, RO, 20, NULL, 0, 0, NULL},
    {"hold_note", F_TEXT, RO, 2000, NULL, 0, 0, NULL},
    {"instruction", F_TEXT, RO, 2000, NULL, 0, 0, NULL},
    {"released_at", F_TS, RO | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"carrier", F_STR, RO | COL_FILTER, 60, NULL, 0, 0, NULL},
    {"waybill_no", F_STR, RO | COL_FILTER, 60, NULL, 0, 0, NULL},
    {"certificate_sent", F_BOOL, RO, 0, NULL, 0, 0, NULL},
    {"dispatched_at", F_TS, RO | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"arrival_due_on", F_DATE, RO | COL_NULLABLE | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"arrived_on", F_DATE, RO | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"received_on", F_DATE, RO | COL_NULLABLE | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"received_signer", F_STR, RO, 60, NULL, 0, 0, NULL},
    {"note", F_TEXT, RO, 2000, NULL, 0, 0, NULL},
};

static const struct list_view shipment_views[] = {
    /* RULE R-048: in transit past the expected arrival day */
    {"overdue", "true", "t.state = 'in_transit' AND t.arrival_due_on < {today}"},
    {"open", "true", "t.state NOT IN ('received', 'cancelled')"},
    {NULL, NULL, NULL},
};

const struct entity ent_shipments = {
    .name = "shipment",
    .table = "shipments",
    .cols = shipment_cols,
    .ncols = NCOLS(shipment_cols),
    .views = shipment_views,
    .label_col = "number",
    .default_sort = "-id",
};

static const struct col payment_cols[] = {
    COMMON_COLS,
    {"contract_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0,
     &ent_contracts},
    {"amount_fen", F_MONEY, COL_REQUIRED | COL_SORT, 0, NULL, 1, 1e13, NULL},
    {"received_on", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE | COL_PAST, 0, NULL, 0, 0, NULL},
    {"reference", F_STR, COL_FILTER, 60, NULL, 0, 0, NULL},
    {"note", F_TEXT, 0, 1000, NULL, 0, 0, NULL},
};

const struct entity ent_payments = {
    .name = "payment",
    .table = "payments",
    .cols = payment_cols,
    .ncols = NCOLS(payment_cols),
    .label_col = "reference",
    .default_sort = "-id",
};
