/* SPDX-License-Identifier: MIT */
/* Return to factory (返厂维修, WF-05, R-063; issue 14 item 2; docs/rma.md): the RMA a ticket's
 * send_to_factory opens, its explicit actions (domain/rma.c) with what each records, the QC
 * photos of both inspections (the attachment blob store of tickets and work orders), the
 * ship-back through a shipment (app/shipments.h) and the unit's status. */
#ifndef SH_APP_RMAS_H
#define SH_APP_RMAS_H

#include "app/ticket_attach.h"
#include "app/uc.h"
#include "domain/rma.h"
#include "store/db.h"

extern const struct entity ent_rmas;

#define RMA_PHOTOS_LIMIT 40

/* Opens the RMA of a ticket sent to the factory (inside the ticket action's transaction):
 * state awaiting_return, the ticket's warranty and its charge flag. A ticket without a unit
 * opens none (*id 0); a ticket with an open RMA keeps it. */
SH_WUR enum sh_code uc_rma_open(const struct uc *u, int64_t ticket_id, const char *fault,
                                int64_t *id, struct sh_err *e);

/* The ticket rule: a ticket at the factory with an open RMA is resolved by the RMA's close,
 * never by hand (409 reason guard, params {"guard":"rma"}). */
SH_WUR enum sh_code uc_rma_ticket_guard(const struct uc *u, int64_t ticket_id, struct sh_err *e);

struct rma_view {
    struct db_rows row, events, photos;
    enum rma_action allowed[RMA_ACTION_COUNT];
    int nallowed;
    bool external; /* a customer account: the state, the proposed charge, the consent */
    /* an advance exchange's old unit is past its return date (rma_return_overdue) */
    bool return_overdue;
};
SH_WUR enum sh_code uc_rma_get(const struct uc *u, int64_t id, struct rma_view *out,
                               struct sh_err *e);

struct rma_action_in {
    int64_t id, if_match; /* -1: no check */
    enum rma_action action;
    const char *note, *findings, *cause_category, *cause_analysis;
    const char *old_unit_handling; /* replace: returned | scrapped | kept */
    int64_t charge_fen;            /* -1: not given */
    /* ship_back: the shipment's destination and packaging */
    const char *ship_to, *packaging;
    /* consent: accept | decline, and how the customer said it (a quote decision's channel) */
    const char *decision, *channel;
};
SH_WUR enum sh_code uc_rma_action(const struct uc *u, const struct rma_action_in *in,
                                  struct sh_err *e);

struct rma_photo_in {
    int64_t rma_id;
    const char *phase;              /* incoming | outgoing */
    const struct ticket_blob *blob; /* checked (wo_photo_check) and stored by the caller */
};
/* QC adds a photo of the inspection the RMA is in (incoming while received, outgoing while
 * repaired or replaced); 409 guard photo_phase otherwise; at most RMA_PHOTOS_LIMIT. */
SH_WUR enum sh_code uc_rma_photo_add(const struct uc *u, const struct rma_photo_in *in,
                                     int64_t *photo_id, struct sh_err *e);
/* One photo's row in the caller's scope (SH_NOT_FOUND otherwise). */
SH_WUR enum sh_code uc_rma_photo_get(const struct uc *u, int64_t id, int64_t photo_id,
                                     struct db_rows *out, struct sh_err *e);

/* The RMA's unit status follows it: in_repair at the factory, back at the customer
 * (installed when it has an install date, shipped otherwise) when closed. */
SH_WUR enum sh_code rma_unit_status(const struct uc *u, int64_t unit_id, const char *status,
                                    struct sh_err *e);

/* RULE WF-06 S5: the unit a replacement shipped takes the old unit's place: its customer and
 * site (the old unit's, when it has one), and, when the old unit was installed (it has an
 * install date), the install date `received_on` (the customer's receipt of the shipment), so
 * rma_unit_status then makes it installed. Its warranty follows from its own dates, as any
 * unit's (the unit entity's hook). */
SH_WUR enum sh_code rma_unit_replaces(const struct uc *u, int64_t old_id, int64_t new_id,
                                      const char *received_on, struct sh_err *e);

#endif
