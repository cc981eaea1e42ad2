/* SPDX-License-Identifier: MIT */
#include "store/work_order_plan.h"

#include <stdlib.h>

enum sh_code wo_ticket_place(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                             struct wo_ticket_place *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "SELECT m.required_skills, s.latitude, s.longitude, (SELECT q.due_at FROM ticket_sla q "
        "WHERE q.ticket_id = t.id AND q.target = 'onsite' AND q.done_at IS NULL) AS onsite_due "
        "FROM tickets t LEFT JOIN units un ON un.id = t.unit_id LEFT JOIN product_models m ON "
        "m.id = COALESCE(t.model_id, un.model_id) LEFT JOIN sites s ON s.id = un.site_id WHERE "
        "t.id = $1",
        DB_P(DB_INT(ticket_id)), &r, e);
    if (rc)
        return rc;
    *out = (struct wo_ticket_place){.required_skills = ""};
    if (!r.nrows)
        return SH_OK;
    const char *lat = db_get(&r, 0, "latitude"), *lon = db_get(&r, 0, "longitude");
    out->has_loc = lat && lon;
    out->lat = lat ? strtod(lat, NULL) : 0;
    out->lon = lon ? strtod(lon, NULL) : 0;
    const char *sk = db_get(&r, 0, "required_skills");
    out->required_skills = sk ? sk : "";
    out->onsite_due_at = db_get(&r, 0, "onsite_due");
    return SH_OK;
}

enum sh_code wo_tech_of_user(struct db_tx *tx, struct sh_arena *a, int64_t user,
                             struct wo_tech *out, bool *found, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT id, name, skills, leave_periods FROM technicians WHERE "
                               "user_id = $1 AND active = 1",
                               DB_P(DB_INT(user)), &r, e);
    if (rc)
        return rc;
    *found = r.nrows > 0;
    if (*found)
        *out = (struct wo_tech){db_get_int(&r, 0, "id", 0), db_get(&r, 0, "name"),
                                db_get(&r, 0, "skills"), db_get(&r, 0, "leave_periods")};
    return SH_OK;
}

enum sh_code wo_bookings_of(struct db_tx *tx, struct sh_arena *a, int64_t user, int64_t except,
                            const char *from, const char *to, struct db_rows *out, struct sh_err *e)
{
    return db_query(tx, a,
                    "SELECT w.id, w.number, w.appointment_at, w.duration_min FROM work_orders w "
                    "WHERE w.status IN ('planned', 'confirmed', 'departed', 'on_site') AND w.id "
                    "<> $2 AND w.appointment_at > $3 AND w.appointment_at < $4 AND (w.lead_id = "
                    "$1 OR EXISTS (SELECT 1 FROM work_order_helpers h WHERE h.work_order_id = "
                    "w.id AND h.user_id = $1)) ORDER BY w.appointment_at LIMIT 50",
                    DB_P(DB_INT(user), DB_INT(except), DB_TEXT(from), DB_TEXT(to)), out, e);
}

enum sh_code wo_day_routes(struct db_tx *tx, struct sh_arena *a, const char *day,
                           struct db_rows *out, struct sh_err *e)
{
    return db_query(tx, a,
                    "SELECT w.id, tc.id AS tech_id, w.appointment_at, w.duration_min, "
                    "s.latitude, s.longitude FROM work_orders w JOIN technicians tc ON "
                    "tc.user_id = w.lead_id AND tc.active = 1 AND tc.home_latitude IS NOT NULL AND "
                    "tc.home_longitude IS NOT NULL JOIN tickets t ON t.id = "
                    "w.ticket_id LEFT JOIN units un ON un.id = t.unit_id LEFT JOIN sites s ON "
                    "s.id = un.site_id WHERE w.appointment_day = $1 AND w.status IN ('planned', "
                    "'confirmed', 'departed', 'on_site') ORDER BY tc.id, w.appointment_at, w.id "
                    "LIMIT 5000",
                    DB_P(DB_TEXT(day)), out, e);
}

enum sh_code wo_tech_users(struct db_tx *tx, struct sh_arena *a, struct db_rows *out,
                           struct sh_err *e)
{
    return db_query(tx, a,
                    "SELECT tc.id, tc.user_id, COALESCE(NULLIF(u.display_name, ''), tc.name) AS "
                    "name FROM technicians tc JOIN users u ON u.id = tc.user_id WHERE tc.active = "
                    "1 AND u.active = 1 AND tc.home_latitude IS NOT NULL AND tc.home_longitude IS "
                    "NOT NULL ORDER BY tc.id LIMIT 500",
                    DB_NOP, out, e);
}
