/* SPDX-License-Identifier: MIT */
/* The SQL of return-to-factory records (RMAs): rows, timeline and QC photos (docs/rma.md). */
#ifndef SH_STORE_RMAS_H
#define SH_STORE_RMAS_H

#include "store/db.h"

struct rma_new {
    const char *number, *state, *warranty_status, *fault, *at;
    int64_t ticket_id, unit_id, customer_id, site_id, created_by;
    bool chargeable;
};

SH_WUR enum sh_code rmas_count_prefix(struct db_tx *tx, struct sh_arena *a, const char *prefix,
                                      int64_t *n, struct sh_err *e);
SH_WUR enum sh_code rmas_insert(struct db_tx *tx, struct sh_arena *a, const struct rma_new *r,
                                int64_t *id, struct sh_err *e);
/* The RMA with customer, unit, model, ticket and shipment names (SH_NOT_FOUND), and the charge
 * its analysis billed (charge_id, charge_amount_fen, charge_paid_fen, charge_pay_state; NULL
 * when it billed none): the ticket's first charge of source rma since the RMA opened (a
 * ticket's RMAs follow one another, docs/rma.md "Charges"). */
SH_WUR enum sh_code rmas_get(struct db_tx *tx, struct sh_arena *a, int64_t id, struct db_rows *out,
                             struct sh_err *e);
/* The ticket's RMA that is neither closed nor cancelled (*id 0: none). */
SH_WUR enum sh_code rmas_open_of_ticket(struct db_tx *tx, struct sh_arena *a, int64_t ticket,
                                        int64_t *id, struct sh_err *e);
/* RULE WF-05 S8: an open RMA (neither closed nor cancelled) of the unit that a line of
 * `shipment_id` may not carry: any open RMA of the unit but the one whose own ship-back that
 * shipment is (rmas.shipment_id), and that one too when it replaces the unit (WF-06:
 * old_unit_handling set, the ship-back carries the new unit). out: id, number, state, own (1:
 * the RMA whose ship-back this is); no row: none. */
SH_WUR enum sh_code rmas_open_of_unit_elsewhere(struct db_tx *tx, struct sh_arena *a,
                                                int64_t unit_id, int64_t shipment_id,
                                                struct db_rows *out, struct sh_err *e);
SH_WUR enum sh_code rma_event_add(struct db_tx *tx, int64_t id, const char *action,
                                  const char *from, const char *to, const char *note, int64_t actor,
                                  const char *at, struct sh_err *e);
SH_WUR enum sh_code rma_events(struct db_tx *tx, struct sh_arena *a, int64_t id,
                               struct db_rows *out, struct sh_err *e);

struct rma_photo_new {
    int64_t rma_id, created_by, size;
    const char *phase, *sha256, *filename, *mime, *at;
};
SH_WUR enum sh_code rma_photo_insert(struct db_tx *tx, struct sh_arena *a,
                                     const struct rma_photo_new *p, int64_t *id, struct sh_err *e);
/* Photos of an RMA (all phases, by id); photo_id > 0: that one only. */
SH_WUR enum sh_code rma_photos(struct db_tx *tx, struct sh_arena *a, int64_t id, int64_t photo_id,
                               struct db_rows *out, struct sh_err *e);

#endif
