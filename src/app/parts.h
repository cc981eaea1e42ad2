/* SPDX-License-Identifier: MIT */
/* Spare parts (issue 14 item 1; docs/parts.md): the catalogue, stock locations (warehouses
 * and technicians' vans), reorder minimums and faulty parts removed on site (旧件) declared
 * on the entity engine (app/parts_entities.c); the stock ledger's movements and the stock on
 * hand (app/parts.c, app/parts_stock.c). */
#ifndef SH_APP_PARTS_H
#define SH_APP_PARTS_H

#include "app/entity.h"
#include "app/uc.h"

extern const struct entity ent_parts, ent_stock_locations, ent_stock_minimums, ent_faulty_parts;

struct movement_in {
    const char *kind;
    int64_t part_id, qty;
    int64_t from_location_id, to_location_id; /* 0: not given */
    int64_t work_order_id;                    /* 0: not given */
    const char *note;                         /* "" when none */
};

struct movement_row {
    int64_t id, part_id, qty, from_location_id, to_location_id, work_order_id, ticket_id,
        unit_price_fen, amount_fen, created_by;
    const char *kind, *part_code, *part_name, *unit, *from_name, *to_name, *wo_number, *billing,
        *price_basis, *note, *created_at;
};

/* Records one movement of the ledger and moves the balances in the same transaction: a
 * location's stock never goes below zero (409 reason insufficient_stock, params
 * {"available":n}). A consumption takes the part from the van of the caller (a technician)
 * or of the work order's lead unless from_location_id says otherwise, and stores the amount
 * priced by the ticket's billing (domain/parts.h part_charge_for). A technician (without
 * another staff role) may only consume and return from their own van, on their own work
 * orders. */
SH_WUR enum sh_code uc_stock_move(const struct uc *u, const struct movement_in *in,
                                  struct movement_row *out, struct sh_err *e);

struct movement_list_in {
    int64_t id; /* one movement (0: any) */
    int64_t part_id, location_id, work_order_id;
    const char *kind;
    const char *since; /* movements recorded at or after this UTC time; NULL: any */
    bool mine;         /* only movements recorded by the caller */
    int limit, offset;
};
/* Newest first; a technician sees movements of their own van only. */
SH_WUR enum sh_code uc_stock_movements(const struct uc *u, const struct movement_list_in *in,
                                       struct movement_row **out, int *n, int64_t *total,
                                       struct sh_err *e);

struct stock_row {
    int64_t part_id, location_id, technician_id, qty, min_qty;
    bool has_min;
    const char *part_code, *part_name, *unit, *location_code, *location_name, *location_kind;
    int64_t price_fen, cost_fen;
};
struct stock_list_in {
    int64_t part_id, location_id;
    bool below_min; /* reorder alerts: a minimum is set and the stock is below it */
    bool mine;      /* the caller's van */
    int limit, offset;
};
/* The stock on hand per (part, location); a technician sees their own van only. With
 * below_min, also the parts that have a minimum at a location but no stock there yet. */
SH_WUR enum sh_code uc_stock_list(const struct uc *u, const struct stock_list_in *in,
                                  struct stock_row **out, int *n, int64_t *total, struct sh_err *e);

#endif
