/* SPDX-License-Identifier: MIT */
/* What booking a work order looks at (issue 11 item 8): the ticket's place, required skills
 * and on-site due time, a person's technician record, their other bookings, and a day's
 * planned visits per technician (the routes the slot ranking inserts into). */
#ifndef SH_STORE_WORK_ORDER_PLAN_H
#define SH_STORE_WORK_ORDER_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"
#include "store/db.h"

struct wo_ticket_place {
    bool has_loc;
    double lat, lon;
    const char *required_skills; /* of the unit's model: "code,code" ("" none) */
    const char *onsite_due_at;   /* the running on-site SLA clock's due time; NULL none */
};
SH_WUR enum sh_code wo_ticket_place(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                    struct wo_ticket_place *out, struct sh_err *e);

/* The active technician record of a user; *found false when none. */
struct wo_tech {
    int64_t id;
    const char *name, *skills, *leave_periods;
};
SH_WUR enum sh_code wo_tech_of_user(struct db_tx *tx, struct sh_arena *a, int64_t user,
                                    struct wo_tech *out, bool *found, struct sh_err *e);

/* The open work orders user leads or helps on with an appointment in (from, to) (canonical
 * UTC text), other than `except`: columns id, number, appointment_at, duration_min. */
SH_WUR enum sh_code wo_bookings_of(struct db_tx *tx, struct sh_arena *a, int64_t user,
                                   int64_t except, const char *from, const char *to,
                                   struct db_rows *out, struct sh_err *e);

/* The open work orders of a local day whose lead has a technician record, by technician and
 * appointment: columns id, tech_id, appointment_at, duration_min, latitude, longitude. */
SH_WUR enum sh_code wo_day_routes(struct db_tx *tx, struct sh_arena *a, const char *day,
                                  struct db_rows *out, struct sh_err *e);
/* The active technicians with a home (the ones a route can start from) and their users:
 * columns id, user_id, name. */
SH_WUR enum sh_code wo_tech_users(struct db_tx *tx, struct sh_arena *a, struct db_rows *out,
                                  struct sh_err *e);

#endif
