/* SPDX-License-Identifier: MIT */
/* The technicians' calendar feeds (app/ical_feeds.h). */
#include "app/ical_feeds.h"

#include <inttypes.h>
#include <sodium.h>
#include <string.h>

#include "app/audit_row.h"
#include "base/date.h"
#include "base/ical.h"
#include "notify/notify.h"

#define FEED_PAST_DAYS  90
#define FEED_MAX_EVENTS 2000

SH_WUR static enum sh_code load(const struct uc *u, int64_t tech, struct ical_feed *out,
                                struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT t.id, t.user_id, f.token, f.created_at FROM technicians t "
                               "LEFT JOIN ical_feeds f ON f.user_id = t.user_id WHERE t.id = $1",
                               DB_P(DB_INT(tech)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "no technician %" PRId64, tech);
    out->technician_id = tech;
    out->user_id = db_get_int(&r, 0, "user_id", 0);
    out->token = db_get(&r, 0, "token");
    out->created_at = db_get(&r, 0, "created_at");
    bool own = u->who && u->who->user_id == out->user_id;
    if (!own && !(u->who->roles & (RB(ADMIN) | RB(DEPT_HEAD) | RB(DISPATCHER))))
        return sh_err_set(e, SH_FORBIDDEN, "only the technician and their planners see the feed");
    return SH_OK;
}

enum sh_code uc_ical_feed_get(const struct uc *u, int64_t technician_id, struct ical_feed *out,
                              struct sh_err *e)
{
    return load(u, technician_id, out, e);
}

enum sh_code uc_ical_feed_rotate(const struct uc *u, int64_t technician_id, struct ical_feed *out,
                                 struct sh_err *e)
{
    enum sh_code rc = load(u, technician_id, out, e);
    if (rc)
        return rc;
    unsigned char rnd[24];
    randombytes_buf(rnd, sizeof(rnd));
    const char *tok = nt_hex(u->a, rnd, sizeof(rnd));
    char *now = sh_arena_alloc(u->a, 21);
    sh_ts_format(u->now, now);
    rc = db_exec(u->tx,
                 "INSERT INTO ical_feeds (user_id, token, created_at) VALUES ($1, $2, $3) ON "
                 "CONFLICT (user_id) DO UPDATE SET token = $2, created_at = $3",
                 DB_P(DB_INT(out->user_id), DB_TEXT(tok), DB_TEXT(now)), NULL, e);
    if (rc)
        return rc;
    out->token = tok;
    out->created_at = now;
    /* the audit says that it changed, never the secret */
    return uc_audit(u, "technician", technician_id, "calendar_feed_rotate", NULL,
                    sh_arena_printf(u->a, "{\"created_at\":\"%s\"}", now), e);
}

static int64_t ts_of(const char *s, int64_t dflt)
{
    int64_t t = 0;
    return s && sh_ts_parse(s, &t) ? t : dflt;
}

/* One VEVENT; text fields may be NULL. */
SH_WUR static enum sh_code vevent(struct sh_buf *b, const char *uid, int64_t stamp, int64_t start,
                                  int64_t end, const char *summary, const char *location,
                                  const char *desc, const char *status)
{
    enum sh_code rc = sh_buf_adds(b, "BEGIN:VEVENT\r\n");
    rc = rc ? rc : ical_line(b, "UID", uid);
    rc = rc ? rc : ical_time(b, "DTSTAMP", stamp);
    rc = rc ? rc : ical_time(b, "DTSTART", start);
    rc = rc ? rc : ical_time(b, "DTEND", end > start ? end : start + 3600);
    rc = rc ? rc : ical_text(b, "SUMMARY", summary);
    rc = rc ? rc : (location && *location ? ical_text(b, "LOCATION", location) : SH_OK);
    rc = rc ? rc : ical_text(b, "DESCRIPTION", desc);
    rc = rc ? rc : ical_line(b, "STATUS", status);
    return rc ? rc : sh_buf_adds(b, "END:VEVENT\r\n");
}

SH_WUR static enum sh_code bookings(const struct uc *u, int64_t uid, const char *since,
                                    struct sh_buf *b, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT w.id, w.number, w.kind, w.status, w.appointment_at, w.duration_min, "
        "w.updated_at, t.number AS ticket, COALESCE(c.name, t.caller_name) AS customer, "
        "COALESCE(c.address, '') AS address, COALESCE(t.caller_phone, '') AS phone FROM "
        "work_orders w JOIN tickets t ON t.id = w.ticket_id LEFT JOIN customers c ON c.id = "
        "t.customer_id WHERE w.appointment_at IS NOT NULL AND w.appointment_at >= $2 AND "
        "(w.lead_id = $1 OR EXISTS (SELECT 1 FROM work_order_helpers h WHERE h.work_order_id "
        "= w.id AND h.user_id = $1)) ORDER BY w.appointment_at, w.id LIMIT $3",
        DB_P(DB_INT(uid), DB_TEXT(since), DB_INT(FEED_MAX_EVENTS)), &r, e);
    for (int i = 0; !rc && i < r.nrows; i++) {
        int64_t at = ts_of(db_get(&r, i, "appointment_at"), 0);
        const char *st = db_get(&r, i, "status");
        rc = vevent(
            b, sh_arena_printf(u->a, "wo-%" PRId64 "@shouhou", db_get_int(&r, i, "id", 0)),
            ts_of(db_get(&r, i, "updated_at"), at), at,
            at + 60 * db_get_int(&r, i, "duration_min", 90),
            sh_arena_printf(u->a, "%s %s", db_get(&r, i, "number"), db_get(&r, i, "customer")),
            db_get(&r, i, "address"),
            sh_arena_printf(u->a, "工单 %s; %s; %s\n%s", db_get(&r, i, "ticket"),
                            db_get(&r, i, "kind"), st, db_get(&r, i, "phone")),
            !strcmp(st, "cancelled") ? "CANCELLED"
            : !strcmp(st, "planned") ? "TENTATIVE"
                                     : "CONFIRMED");
    }
    return rc;
}

SH_WUR static enum sh_code trips(const struct uc *u, int64_t uid, const char *since,
                                 struct sh_buf *b, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT p.id, p.purpose, p.status, p.start_at, p.end_at, p.address, p.updated_at, "
        "COALESCE(c.name, '') AS customer FROM trips p LEFT JOIN customers c ON c.id = "
        "p.customer_id WHERE p.end_at >= $2 AND (p.lead_id = $1 OR EXISTS (SELECT 1 FROM "
        "trip_members m WHERE m.trip_id = p.id AND m.user_id = $1)) ORDER BY p.start_at, p.id "
        "LIMIT $3",
        DB_P(DB_INT(uid), DB_TEXT(since), DB_INT(FEED_MAX_EVENTS)), &r, e);
    for (int i = 0; !rc && i < r.nrows; i++) {
        int64_t s = ts_of(db_get(&r, i, "start_at"), 0);
        const char *st = db_get(&r, i, "status");
        rc = vevent(
            b, sh_arena_printf(u->a, "trip-%" PRId64 "@shouhou", db_get_int(&r, i, "id", 0)),
            ts_of(db_get(&r, i, "updated_at"), s), s, ts_of(db_get(&r, i, "end_at"), s),
            sh_arena_printf(u->a, "出差：%s", db_get(&r, i, "purpose")), db_get(&r, i, "address"),
            sh_arena_printf(u->a, "%s; %s", db_get(&r, i, "customer"), st),
            !strcmp(st, "cancelled") ? "CANCELLED" : "CONFIRMED");
    }
    return rc;
}

enum sh_code uc_ical_render(const struct uc *u, const char *token, struct sh_buf *out,
                            struct sh_err *e)
{
    sh_buf_reset(out); /* written afresh when the transaction runs again (store/db.h) */
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT f.user_id, COALESCE(NULLIF(s.display_name, ''), "
                               "s.username) AS name FROM ical_feeds f JOIN users s ON s.id = "
                               "f.user_id WHERE f.token = $1 AND s.active = 1",
                               DB_P(DB_TEXT(token ? token : "")), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "no such calendar");
    int64_t uid = db_get_int(&r, 0, "user_id", 0);
    char since[21];
    sh_ts_format(u->now - FEED_PAST_DAYS * 86400LL, since);
    rc = sh_buf_adds(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
    rc = rc ? rc : ical_line(out, "PRODID", "-//Shouhou//Technician calendar//ZH");
    rc = rc ? rc : sh_buf_adds(out, "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
    rc = rc ? rc
            : ical_text(out, "X-WR-CALNAME",
                        sh_arena_printf(u->a, "%s 的售后日程", db_get(&r, 0, "name")));
    rc = rc ? rc : bookings(u, uid, since, out, e);
    rc = rc ? rc : trips(u, uid, since, out, e);
    return rc ? rc : sh_buf_adds(out, "END:VCALENDAR\r\n");
}
