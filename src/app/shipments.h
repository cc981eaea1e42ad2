/* SPDX-License-Identifier: MIT */
/* Shipments (发货流程, WF-01; issue 12 items 1 and 6; docs/shipments.md): the shipping
 * request (F-01) behind the payment gate, the explicit actions of domain/shipment.c, the
 * unit lines the warehouse records, the installed base updated at release, the
 * receipt hook of installation projects, and the dead-on-arrival classification (WF-08). */
#ifndef SH_APP_SHIPMENTS_H
#define SH_APP_SHIPMENTS_H

#include "app/uc.h"
#include "domain/shipment.h"

#define SHIPMENT_MAX_UNITS 200

extern const struct entity ent_shipments, ent_payments;

struct shipment_line_in {
    int64_t model_id;
    int quantity;
};

struct shipment_create_in {
    const char *kind; /* sale | replacement */
    int64_t contract_id, customer_id, site_id, ticket_id;
    int includes_installation; /* -1: the contract's installation_included */
    const char *ship_to, *packaging, *note;
    const struct shipment_line_in *lines;
    int nlines;
};

/* Files a shipping request: a sale by sales once finance confirmed a payment on its
 * contract (409, reason guard, params {"guard":"payment"} before); a replacement for a
 * ticket by sales or after-sales without payment. One line per unit. */
SH_WUR enum sh_code uc_shipment_create(const struct uc *u, const struct shipment_create_in *in,
                                       int64_t *id, struct sh_err *e);

/* A shipment as its page shows it. */
struct shipment_view {
    struct db_rows row, lines, events, tasks;
    enum shp_action allowed[SHP_ACTION_COUNT];
    int nallowed;
    bool overdue;
};
SH_WUR enum sh_code uc_shipment_get(const struct uc *u, int64_t id, struct shipment_view *out,
                                    struct sh_err *e);

struct shipment_action_in {
    int64_t id, if_match; /* if_match -1: none */
    enum shp_action action;
    const char *note, *hold_reason, *carrier, *waybill_no, *date, *signer;
    int certificate_sent; /* -1: not given */
};
SH_WUR enum sh_code uc_shipment_action(const struct uc *u, const struct shipment_action_in *in,
                                       struct sh_err *e);

struct shipment_line_set_in {
    int64_t id, line_id;
    const char *serial_no, *production_date, *ship_date;
};
/* The warehouse records a line's unit (handed over or on hold only). */
SH_WUR enum sh_code uc_shipment_line_set(const struct uc *u, const struct shipment_line_set_in *in,
                                         struct sh_err *e);

/* RULE: a line's serial number names a new unit, a unit in stock (no customer) or a unit of
 * the shipment's own customer (the repaired unit an RMA ships back, docs/rma.md); a unit of
 * another customer is refused, 409 reason serial_taken on serial_no with params {"line_no"}:
 * its release would move that customer's unit to this one (docs/shipments.md). RULE WF-05 S8:
 * a unit under an open RMA (neither closed nor cancelled) is on a line of that RMA's own
 * ship-back only (shipment_id is it): any other is 409 reason serial_in_rma on serial_no with
 * params {"line_no", "rma_id", "number"}, so no other shipment takes it round the RMA's
 * guards (the payment); RULE WF-06 S4: nor is the unit an open RMA replaces on that RMA's
 * ship-back, which carries the new unit (409 reason serial_replaced, same params). *unit_id gets
 * the existing unit (0: none). Checked when the line is recorded and again at release. */
SH_WUR enum sh_code shipment_serial_check(const struct uc *u, int64_t shipment_id,
                                          int64_t customer_id, int64_t model_id, const char *serial,
                                          int64_t line_no, int64_t *unit_id, struct sh_err *e);

/* Release: creates or updates the unit of every line in the installed base (units by model
 * and serial number) with the customer, site, contract and dates. */
SH_WUR enum sh_code shipment_units_upsert(const struct uc *u, int64_t id, struct sh_err *e);

/* The receipt hook (WF-01 T9 → WF-02): called once the customer's receipt is recorded on a
 * shipment whose contract includes installation. For now it records a timeline entry; the
 * installation-project use case is wired here after merging. */
SH_WUR enum sh_code shipment_on_received(const struct uc *u, int64_t shipment_id, struct sh_err *e);

/* RULE: a date that records what already happened (a unit's production and ship dates on its
 * line, the arrival, the receipt) is not after the company's today: 400 reason out_of_range on
 * `field` with params {"max": today}, as a payment's date (COL_PAST). NULL passes. */
SH_WUR enum sh_code shipment_date_past(const struct uc *u, const char *field, const char *date,
                                       struct sh_err *e);

/* A timeline entry by the caller at u->now. */
SH_WUR enum sh_code shipment_log(const struct uc *u, int64_t id, const char *action,
                                 const char *from, const char *to, const char *note,
                                 struct sh_err *e);

/* WF-08 at ticket intake: a repair of a unit received (shipment receipt) within the
 * doa_days setting before `reported` becomes a DOA ticket (*type changed). */
SH_WUR enum sh_code uc_shipment_doa_classify(const struct uc *u, int64_t unit_id, int64_t reported,
                                             int *type, struct sh_err *e);
/* RULE review 72 #4: a ticket opened as `doa` by hand is refused (409 guard doa_window on
 * field type) when the unit's delivery (its last received shipment) is more than doa_days
 * before `reported`; a unit with no received shipment is not checked. */
SH_WUR enum sh_code uc_shipment_doa_check(const struct uc *u, int64_t unit_id, int64_t reported,
                                          struct sh_err *e);

/* The replacement shipments raised for a ticket (WF-08), oldest first: id, number, state,
 * created_at. */
SH_WUR enum sh_code uc_shipment_replacements(const struct uc *u, int64_t ticket_id,
                                             struct db_rows *out, struct sh_err *e);

struct ticket_guard_facts;
/* The facts of the ticket guard `replacement` (WF-08, domain/ticket.c) for a DOA ticket: its
 * first replacement shipment neither received nor cancelled, whether one was received, and
 * whether an RMA of the ticket received the unit at the factory. */
SH_WUR enum sh_code uc_shipment_doa_facts(const struct uc *u, int64_t ticket_id,
                                          struct ticket_guard_facts *f, struct sh_err *e);

#endif
