/* SPDX-License-Identifier: MIT */
/* Trips: progress reports during the trip and their photos, bounded like the
 * work-order photos (app/wo_photos.h) and kept in the same blob store. */
#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/trip_int.h"
#include "app/wo_photos.h"

static enum sh_code may_report(const struct uc *u, const struct trip_view *v, bool photo,
                               struct sh_err *e)
{
    if (!v->member && !(u->who->roles & TRIP_R_PLAN))
        return sh_err_set(e, SH_FORBIDDEN, "only the trip's technicians or after-sales may report");
    /* a photo may follow its report once back; a report is written on the trip */
    if (!strcmp(v->row.status, "departed") || (photo && !strcmp(v->row.status, "returned")))
        return SH_OK;
    sh_err_set(e, SH_CONFLICT, "progress reports are written during the trip (status %s)",
               v->row.status);
    return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\",\"action\":\"report\"}",
                         v->row.status);
}

enum sh_code uc_trip_report_add(const struct uc *u, int64_t id, const char *body,
                                struct trip_report_row *out, struct sh_err *e)
{
    struct trip_view v;
    enum sh_code rc = uc_trip_load(u, id, &v, e);
    if (rc || (rc = may_report(u, &v, false, e)))
        return rc;
    const char *now = trip_ts(u, u->now);
    /* the name people know (as the list shows it), not the login */
    struct db_rows n;
    if ((rc = db_query(u->tx, u->a,
                       "SELECT COALESCE(NULLIF(display_name, ''), username) AS name FROM users "
                       "WHERE id = $1",
                       DB_P(DB_INT(u->who->user_id)), &n, e)))
        return rc;
    *out = (struct trip_report_row){.trip_id = id,
                                    .created_by = u->who->user_id,
                                    .body = body,
                                    .created_at = now,
                                    .created_by_name =
                                        n.nrows ? db_get(&n, 0, "name") : u->who->username};
    if ((rc = trips_report_insert(u->tx, out, &out->id, e)))
        return rc;
    struct trip_row t = v.row;
    t.last_report_at = now;
    if ((rc = trips_store(u->tx, &t, now, e)))
        return rc;
    return uc_audit(u, "trip", id, "report", NULL,
                    sh_arena_printf(u->a, "{\"report_id\":%" PRId64 "}", out->id), e);
}

/* Counted after taking the trip's row: parallel uploads cannot all see room for one more. */
static enum sh_code photo_room(const struct uc *u, int64_t id, struct sh_err *e)
{
    enum sh_code rc = db_lock_row(u->tx, "trips", id, e);
    if (rc)
        return rc;
    struct db_rows r;
    if ((rc = db_query(u->tx, u->a, "SELECT count(*) AS n FROM trip_photos WHERE trip_id = $1",
                       DB_P(DB_INT(id)), &r, e)))
        return rc;
    if (db_get_int(&r, 0, "n", 0) < TRIP_PHOTOS_LIMIT)
        return SH_OK;
    sh_err_field(e, SH_UNPROCESSABLE, "file", "at most %d photos per trip", TRIP_PHOTOS_LIMIT);
    return sh_err_reason(e, "too_many", "{\"max\":%d}", TRIP_PHOTOS_LIMIT);
}

enum sh_code uc_trip_photo_add(const struct uc *u, int64_t id, int64_t report_id,
                               const struct ticket_blob *blob, struct trip_photo_row *out,
                               struct sh_err *e)
{
    struct trip_view v;
    enum sh_code rc = uc_trip_load(u, id, &v, e);
    if (rc || (rc = may_report(u, &v, true, e)))
        return rc;
    bool found = false;
    for (int i = 0; i < v.nreports; i++)
        found |= v.reports[i].id == report_id;
    if (!found)
        return sh_err_set(e, SH_NOT_FOUND, "report %" PRId64 " not found", report_id);
    if ((rc = photo_room(u, id, e)))
        return rc;
    *out = (struct trip_photo_row){.trip_id = id,
                                   .report_id = report_id,
                                   .size = (int64_t)blob->size,
                                   .created_by = u->who->user_id,
                                   .filename = blob->filename,
                                   .mime = blob->mime,
                                   .sha256 = blob->sha,
                                   .created_at = trip_ts(u, u->now)};
    if ((rc = trips_photo_insert(u->tx, out, &out->id, e)))
        return rc;
    return uc_audit(u, "trip", id, "photo", NULL,
                    sh_arena_printf(u->a,
                                    "{\"photo_id\":%" PRId64 ",\"report_id\":%" PRId64
                                    ",\"sha256\":\"%s\"}",
                                    out->id, report_id, blob->sha),
                    e);
}

enum sh_code uc_trip_photo_get(const struct uc *u, int64_t id, int64_t photo_id,
                               struct trip_photo_row *out, struct sh_err *e)
{
    struct trip_view v;
    enum sh_code rc = uc_trip_load(u, id, &v, e);
    if (!rc)
        rc = trips_photo_get(u->tx, u->a, photo_id, out, e);
    if (!rc && out->trip_id != id)
        rc = sh_err_set(e, SH_NOT_FOUND, "photo not found");
    return rc;
}
