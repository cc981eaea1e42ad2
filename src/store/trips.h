/* SPDX-License-Identifier: MIT */
/* Business trips (migration 0020): the trip row, its technicians, linked work orders,
 * progress reports and their photos, read into typed rows. */
#ifndef SH_STORE_TRIPS_H
#define SH_STORE_TRIPS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"
#include "domain/trip.h"
#include "store/db.h"

struct trip_row {
    int64_t id, lead_id, customer_id, site_id, ticket_id, project_id; /* 0: none */
    int64_t feedback_by, created_by, version;
    int est_days;
    int64_t expense[TRIP_EXPENSE_COUNT]; /* fen */
    const char *status, *purpose, *address, *contact_name, *contact_phone, *site_details;
    const char *planned_departure_at, *start_at, *end_at, *departed_at, *returned_at;
    const char *closed_at, *cancelled_at, *cancel_reason, *last_report_at;
    const char *feedback_at, *feedback_work_done, *feedback_result, *feedback_problems;
    const char *feedback_customer_opinion, *note, *created_at, *updated_at;
    /* joined, read only */
    const char *lead_name, *customer_name, *site_name, *ticket_number;
};

struct trip_member {
    int64_t user_id;
    bool lead;
    const char *name;
};

struct trip_report_row {
    int64_t id, trip_id, created_by;
    const char *body, *created_at, *created_by_name;
};

struct trip_photo_row {
    int64_t id, trip_id, report_id, size, created_by;
    const char *filename, *mime, *sha256, *created_at;
};

/* The list's filters (0 / NULL: any). */
struct trip_filter {
    const char *status;
    int64_t member; /* a technician of the trip */
    int64_t ticket_id, project_id;
    const char *report_before; /* departed trips whose last report (or departure) is older */
    int limit;
};

SH_WUR enum sh_code trips_get(struct db_tx *tx, struct sh_arena *a, int64_t id,
                              struct trip_row *out, struct sh_err *e);
SH_WUR enum sh_code trips_list(struct db_tx *tx, struct sh_arena *a, const struct trip_filter *f,
                               struct trip_row **out, int *n, struct sh_err *e);
/* Inserts the trip (status, times, created_* set by the caller); *id gets its id. */
SH_WUR enum sh_code trips_insert(struct db_tx *tx, const struct trip_row *t, int64_t *id,
                                 struct sh_err *e);
/* Stores every writable column when t->version is still the stored one (SH_PRECONDITION
 * reason stale otherwise); the version grows by one. */
SH_WUR enum sh_code trips_store(struct db_tx *tx, const struct trip_row *t, const char *now,
                                struct sh_err *e);

SH_WUR enum sh_code trips_member_add(struct db_tx *tx, int64_t trip, int64_t user, bool lead,
                                     struct sh_err *e);
SH_WUR enum sh_code trips_members_of(struct db_tx *tx, struct sh_arena *a, int64_t trip,
                                     struct trip_member **out, int *n, struct sh_err *e);
SH_WUR enum sh_code trips_wo_add(struct db_tx *tx, int64_t trip, int64_t wo, struct sh_err *e);
SH_WUR enum sh_code trips_wos_of(struct db_tx *tx, struct sh_arena *a, int64_t trip, int64_t **out,
                                 int *n, struct sh_err *e);

/* The trips (not cancelled, other than `except`) of user that start before `before`:
 * columns id, status, start_at, end_at. */
SH_WUR enum sh_code trips_of_user(struct db_tx *tx, struct sh_arena *a, int64_t user,
                                  int64_t except, const char *before, struct db_rows *out,
                                  struct sh_err *e);
/* Planned and departed trips starting before `before`, one row per technician: user_id,
 * status, start_at, end_at. */
SH_WUR enum sh_code trips_open_members(struct db_tx *tx, struct sh_arena *a, const char *before,
                                       struct db_rows *out, struct sh_err *e);

SH_WUR enum sh_code trips_report_insert(struct db_tx *tx, const struct trip_report_row *r,
                                        int64_t *id, struct sh_err *e);
SH_WUR enum sh_code trips_reports_of(struct db_tx *tx, struct sh_arena *a, int64_t trip,
                                     struct trip_report_row **out, int *n, struct sh_err *e);
SH_WUR enum sh_code trips_photo_insert(struct db_tx *tx, const struct trip_photo_row *p,
                                       int64_t *id, struct sh_err *e);
SH_WUR enum sh_code trips_photos_of(struct db_tx *tx, struct sh_arena *a, int64_t trip,
                                    struct trip_photo_row **out, int *n, struct sh_err *e);
SH_WUR enum sh_code trips_photo_get(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                    struct trip_photo_row *out, struct sh_err *e);

#endif
