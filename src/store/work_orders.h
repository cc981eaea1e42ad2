/* SPDX-License-Identifier: MIT */
/* SQL of the work-order aggregate (work_orders, work_order_helpers, work_order_parts; migration
 * 0013), read into typed rows for the application layer. No scope checks: the use cases do. */
#ifndef SH_STORE_WORK_ORDERS_H
#define SH_STORE_WORK_ORDERS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"
#include "domain/work_order.h"
#include "store/db.h"

/* One work order (strings in the arena; NULL when the column is NULL; ids 0 when NULL). */
struct wo_place;

struct wo_row {
    int64_t id, ticket_id, lead_id, previous_id, visit_plan_id, created_by, version;
    int tolerance_min, early_target_min, duration_min, labour_minutes;
    int lateness_min; /* -1: not arrived yet */
    bool has_position;
    double arrived_lat, arrived_lon;
    const char *number, *kind, *status, *appointment_at, *appointment_day, *latest_notice_at,
        *eta_at, *late_notice_at, *late_notice, *confirmed_at, *departed_at, *arrived_at,
        *finished_at, *result_note, *findings, *work_done, *customer_comment, *override_reason,
        *note, *created_at, *updated_at;
    /* joined for display */
    const char *ticket_number, *ticket_status, *lead_name, *customer_name;
    const struct wo_place *place; /* the list's rows only (wo_list); NULL elsewhere */
};

/* Where and for whom the work is (the list's rows: the technician's day in one request). */
struct wo_place {
    const char *address; /* "city address" of the site (unit's or visit plan's), else the
                            customer's */
    const char *phone;   /* the ticket's caller phone, else the customer's */
    const char *contact_name, *description, *serial_no, *model_name;
    bool has_position; /* the site's coordinates */
    double latitude, longitude;
};

struct wo_part {
    int64_t id;
    const char *name, *unit, *note;
    double quantity;
};

struct wo_helper {
    int64_t user_id;
    const char *name;
};

/* The row r[i] of a query that selected WO_SELECT. */
void wo_row_read(const struct db_rows *r, int i, struct wo_row *out);
/* The place of row r[i] of wo_list (its place_* columns). */
void wo_place_read(struct sh_arena *a, const struct db_rows *r, int i, struct wo_place *out);
/* The columns and joins every read uses: FROM work_orders w JOIN tickets t ... */
extern const char WO_SELECT[];

SH_WUR enum sh_code wo_get(struct db_tx *tx, struct sh_arena *a, int64_t id, struct wo_row *out,
                           struct sh_err *e);
/* The ticket's open work order (planned, confirmed, departed, on site): *found false when
 * none. The most recent when there are several. */
SH_WUR enum sh_code wo_open_of_ticket(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                      struct wo_row *out, bool *found, struct sh_err *e);
/* The ticket's most recent work order that was not cancelled: *found false when none. */
SH_WUR enum sh_code wo_latest_of_ticket(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                        struct wo_row *out, bool *found, struct sh_err *e);
/* The ticket's most recent finished work order that was not fixed or needs the factory
 * (the one a second visit follows, R-061); 0 when none. */
SH_WUR enum sh_code wo_previous_of_ticket(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                          int64_t *id, struct sh_err *e);
/* The ticket's number of work orders so far. */
SH_WUR enum sh_code wo_count_of_ticket(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                       int64_t *n, struct sh_err *e);

/* Inserts w (number, ticket, kind, status, lead, appointment, policy numbers, previous,
 * override, note, created_by/at); *id gets the new id. */
SH_WUR enum sh_code wo_insert(struct db_tx *tx, const struct wo_row *w, int64_t *id,
                              struct sh_err *e);
/* Writes every mutable column of w and bumps the version, when the stored version is still
 * w->version (SH_PRECONDITION, reason stale, otherwise). */
SH_WUR enum sh_code wo_store(struct db_tx *tx, const struct wo_row *w, const char *now,
                             struct sh_err *e);

SH_WUR enum sh_code wo_helpers(struct db_tx *tx, struct sh_arena *a, int64_t id,
                               struct wo_helper **out, int *n, struct sh_err *e);
SH_WUR enum sh_code wo_set_helpers(struct db_tx *tx, int64_t id, const int64_t *users, int n,
                                   struct sh_err *e);
SH_WUR enum sh_code wo_parts(struct db_tx *tx, struct sh_arena *a, int64_t id, struct wo_part **out,
                             int *n, struct sh_err *e);
SH_WUR enum sh_code wo_set_parts(struct db_tx *tx, int64_t id, const struct wo_part *parts, int n,
                                 struct sh_err *e);
/* Whether user leads or helps on work order id. */
SH_WUR enum sh_code wo_is_crew(struct db_tx *tx, struct sh_arena *a, int64_t id, int64_t user,
                               bool *out, struct sh_err *e);

/* The list filters of GET /api/v1/work-orders (0 / NULL: not filtered). */
struct wo_filter {
    int64_t ticket_id, lead_id;
    const char *status, *day;
    int64_t crew_user; /* only work orders this user leads or helps on */
    /* keyset after (appointment_at, id); after_id 0: from the start */
    const char *after_at;
    int64_t after_id;
    int limit;
};
/* The rows select WO_SELECT's columns and the place_* ones (wo_place_read). */
SH_WUR enum sh_code wo_list(struct db_tx *tx, struct sh_arena *a, const struct wo_filter *f,
                            struct db_rows *out, int64_t *total, struct sh_err *e);

/* Queues a text message (channel sms) to the ticket's caller, else its customer's phone. */
SH_WUR enum sh_code wo_outbox_customer(struct db_tx *tx, int64_t ticket_id, const char *kind,
                                       const char *subject, const char *body, const char *now,
                                       struct sh_err *e);

/* The company's appointment policy (settings appointment_*), defaults for missing keys. */
SH_WUR enum sh_code wo_policy_load(struct db_tx *tx, struct sh_arena *a, struct wo_policy *out,
                                   struct sh_err *e);

/* The ticket's accepted quote (id, number, total_fen; no row when none) and its part lines
 * (code, name, qty_centi, unit from the catalogue), in line order. */
SH_WUR enum sh_code wo_accepted_quote(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                      struct db_rows *quote, struct db_rows *parts,
                                      struct sh_err *e);

#endif
