/* SPDX-License-Identifier: MIT */
/* SQL of the service report (migration 0015): the signed versions of a work order's report,
 * and what the report shows besides the work order itself (ticket, customer, unit). No scope
 * checks: the use cases do them. */
#ifndef SH_STORE_SERVICE_REPORTS_H
#define SH_STORE_SERVICE_REPORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"
#include "store/db.h"

/* One signed version (strings in the arena). */
struct sr_row {
    int64_t id, work_order_id, ticket_id, signed_by, signature_size;
    int version, signature_width, signature_height;
    const char *snapshot; /* NULL when listed without it */
    const char *content_sha256, *signature_sha256, *signer_name, *customer_comment, *signed_at,
        *signed_by_name;
};

/* The versions of work order wo, oldest first; the snapshots only when with_snapshot. */
SH_WUR enum sh_code sr_list(struct db_tx *tx, struct sh_arena *a, int64_t wo, bool with_snapshot,
                            struct sr_row **out, int *n, struct sh_err *e);
/* Version v of work order wo with its snapshot; *found false when there is none. */
SH_WUR enum sh_code sr_get(struct db_tx *tx, struct sh_arena *a, int64_t wo, int v,
                           struct sr_row *out, bool *found, struct sh_err *e);
/* Takes the work order's row for the rest of the transaction (PostgreSQL runs READ
 * COMMITTED: two signatures at once must not both become the same version). */
SH_WUR enum sh_code sr_lock_work_order(struct db_tx *tx, int64_t wo, struct sh_err *e);
/* Inserts r (every column but id); *id gets the new id. */
SH_WUR enum sh_code sr_insert(struct db_tx *tx, struct sh_arena *a, const struct sr_row *r,
                              int64_t *id, struct sh_err *e);

/* What the report shows of the ticket, its customer and its unit. */
struct sr_source {
    const char *ticket_number, *ticket_type, *description, *fault_category, *caller_name,
        *caller_phone, *billing, *warranty_status, *public_token;
    const char *customer_name, *customer_address, *customer_phone;
    const char *serial_no, *model_name, *model_code, *site_address;
};
SH_WUR enum sh_code sr_source(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                              struct sr_source *out, struct sh_err *e);
/* Gives the ticket the status token of its public page when it has none; *token gets the
 * token in force (the stored one when another request set it first). */
SH_WUR enum sh_code sr_public_token(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                    const char *fresh, const char **token, struct sh_err *e);

/* The ticket's current work order: the latest one not cancelled (0 when none), its status,
 * and whether it has a signed report. */
SH_WUR enum sh_code sr_ticket_current(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                      int64_t *wo, const char **status, bool *has_signed,
                                      struct sh_err *e);

/* What the report shows of the money and the parts besides the work order's own text:
 * the catalogue parts consumed on work order wo (code, name, unit, qty, amount_fen; one row a
 * part, in the order first used), the customer's part of the charges of the work order and of
 * its ticket (description, customer_fen; none of 0), and the ticket's accepted quote (number,
 * total_fen; no row when none). */
SH_WUR enum sh_code sr_used_parts(struct db_tx *tx, struct sh_arena *a, int64_t wo,
                                  struct db_rows *out, struct sh_err *e);
SH_WUR enum sh_code sr_customer_charges(struct db_tx *tx, struct sh_arena *a, int64_t wo,
                                        int64_t ticket_id, struct db_rows *out, struct sh_err *e);
SH_WUR enum sh_code sr_accepted_quote(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                      struct db_rows *out, struct sh_err *e);

#endif
