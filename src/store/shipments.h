/* SPDX-License-Identifier: MIT */
/* Shipments (tables shipments, shipment_lines, shipment_events, payments; migration 0018). */
#ifndef SH_STORE_SHIPMENTS_H
#define SH_STORE_SHIPMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"
#include "store/db.h"

struct shipment_new {
    const char *number, *kind, *state, *ship_to, *packaging, *note, *at;
    int64_t customer_id, site_id, contract_id, payment_id, ticket_id, requested_by;
    bool includes_installation;
};

/* How many shipments have a number starting with prefix. */
SH_WUR enum sh_code shipments_count_prefix(struct db_tx *tx, struct sh_arena *a, const char *prefix,
                                           int64_t *n, struct sh_err *e);
SH_WUR enum sh_code shipments_insert(struct db_tx *tx, struct sh_arena *a,
                                     const struct shipment_new *s, int64_t *id, struct sh_err *e);
SH_WUR enum sh_code shipment_line_insert(struct db_tx *tx, int64_t shipment_id, int line_no,
                                         int64_t model_id, struct sh_err *e);
/* The shipment row with its customer, site, contract and ticket names (SH_NOT_FOUND). */
SH_WUR enum sh_code shipments_get(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                  struct db_rows *out, struct sh_err *e);
/* Its lines in order, with model code and name. */
SH_WUR enum sh_code shipment_lines(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                   struct db_rows *out, struct sh_err *e);
/* Its timeline, oldest first, with the actor's name. */
SH_WUR enum sh_code shipment_events(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                    struct db_rows *out, struct sh_err *e);
/* The copies handed over: tasks with source 'shipment'. */
SH_WUR enum sh_code shipment_tasks(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                   struct db_rows *out, struct sh_err *e);
SH_WUR enum sh_code shipment_event_add(struct db_tx *tx, int64_t id, const char *action,
                                       const char *from, const char *to, const char *note,
                                       int64_t actor, const char *at, struct sh_err *e);
/* Records a line's unit data (the caller checked the line is the shipment's). */
SH_WUR enum sh_code shipment_line_set(struct db_tx *tx, int64_t shipment_id, int64_t line_id,
                                      const char *serial, const char *production, const char *ship,
                                      struct sh_err *e);
/* The unit of a model and serial number in the installed base: its id (0: none) and its
 * customer (0: none, a unit in stock). */
SH_WUR enum sh_code shipment_unit_of_serial(struct db_tx *tx, struct sh_arena *a, int64_t model_id,
                                            const char *serial, int64_t *unit_id,
                                            int64_t *customer_id, struct sh_err *e);
SH_WUR enum sh_code shipment_line_set_unit(struct db_tx *tx, int64_t line_id, int64_t unit_id,
                                           struct sh_err *e);
/* The latest payment confirmed on a contract (0: none). */
SH_WUR enum sh_code payments_latest(struct db_tx *tx, struct sh_arena *a, int64_t contract_id,
                                    int64_t *payment_id, struct sh_err *e);
/* The receipt date of the latest received shipment that carried the unit (NULL: none). */
SH_WUR enum sh_code shipment_unit_received_on(struct db_tx *tx, struct sh_arena *a, int64_t unit_id,
                                              const char **received_on, struct sh_err *e);

struct shipment_refs {
    bool found;
    int64_t customer_id;
    bool flag;        /* contract: installation_included */
    const char *type; /* ticket: its type */
};
SH_WUR enum sh_code shipment_contract_ref(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                          struct shipment_refs *out, struct sh_err *e);
SH_WUR enum sh_code shipment_ticket_ref(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                        struct shipment_refs *out, struct sh_err *e);
/* True when the product model exists. */
SH_WUR enum sh_code shipment_model_exists(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                          bool *found, struct sh_err *e);
/* A setting's value as text (def when not stored). */
SH_WUR enum sh_code shipment_setting(struct db_tx *tx, struct sh_arena *a, const char *key,
                                     const char *def, const char **out, struct sh_err *e);
#endif
