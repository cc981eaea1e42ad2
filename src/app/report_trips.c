/* SPDX-License-Identifier: MIT */
#include "app/report_trips.h"

#include <string.h>

#include "app/trip_int.h"
#include "base/date.h"

#define UTC_OFFSET_S (8 * 3600) /* Asia/Shanghai */

static bool day_start(const char *d, int plus, int64_t *t)
{
    struct sh_date x;
    if (!sh_date_parse(d, &x))
        return false;
    *t = (sh_days_from_civil(x.y, x.m, x.d) + plus) * 86400 - UTC_OFFSET_S;
    return true;
}

static void count(struct trip_report_total *t, const struct trip_report_item *it)
{
    t->trips++;
    if (it->actual_days >= 0) {
        t->returned++;
        t->est_days += it->est_days;
        t->actual_days += it->actual_days;
        t->over_estimate += it->actual_days > it->est_days;
    }
    /* RULE R-180: a trip that left and never reported; a form not handed in on return */
    t->without_reports += strcmp(it->status, "planned") && !it->reports;
    t->report_overdue += it->report_overdue;
    t->feedback_missing += !strcmp(it->status, "returned") && !it->feedback_handed_in;
}

enum sh_code uc_report_trips(const struct uc *u, const char *from, const char *to,
                             struct trip_report *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    int64_t f, t, interval;
    if (!day_start(from, 0, &f) || !day_start(to, 1, &t))
        return sh_err_set(e, SH_INVALID, "bad period");
    struct db_rows r;
    enum sh_code rc = trip_report_interval(u, &interval, e);
    if (rc || (rc = db_query(
                   u->tx, u->a,
                   "SELECT t.id, t.status, t.purpose, t.est_days, t.planned_departure_at, "
                   "t.departed_at, t.returned_at, t.last_report_at, t.feedback_at, "
                   "COALESCE(NULLIF(u.display_name, ''), u.username) AS lead_name, c.name AS "
                   "customer_name, (SELECT count(*) FROM trip_reports p WHERE p.trip_id = t.id) "
                   "AS reports FROM trips t JOIN users u ON u.id = t.lead_id LEFT JOIN customers "
                   "c ON c.id = t.customer_id WHERE t.status <> 'cancelled' AND "
                   "t.planned_departure_at >= $1 AND t.planned_departure_at < $2 ORDER BY "
                   "t.planned_departure_at, t.id LIMIT 10000",
                   DB_P(DB_TEXT(trip_ts(u, f)), DB_TEXT(trip_ts(u, t))), &r, e)))
        return rc;
    out->items = sh_arena_alloc(u->a, sizeof(*out->items) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++) {
        struct trip_row row = {.status = db_get(&r, i, "status"),
                               .departed_at = db_get(&r, i, "departed_at"),
                               .last_report_at = db_get(&r, i, "last_report_at")};
        int64_t dep = 0, ret = 0;
        bool back = row.departed_at && sh_ts_parse(row.departed_at, &dep) &&
                    db_get(&r, i, "returned_at") && sh_ts_parse(db_get(&r, i, "returned_at"), &ret);
        struct trip_report_item *it = &out->items[out->n++];
        *it =
            (struct trip_report_item){.id = db_get_int(&r, i, "id", 0),
                                      .status = row.status,
                                      .lead_name = db_get(&r, i, "lead_name"),
                                      .customer_name = db_get(&r, i, "customer_name"),
                                      .purpose = db_get(&r, i, "purpose"),
                                      .planned_departure_at = db_get(&r, i, "planned_departure_at"),
                                      .est_days = (int)db_get_int(&r, i, "est_days", 0),
                                      .actual_days = back ? trip_actual_days(dep, ret) : -1,
                                      .reports = db_get_int(&r, i, "reports", 0),
                                      .report_overdue = trip_overdue_now(u, &row, interval),
                                      .feedback_handed_in = db_get(&r, i, "feedback_at") != NULL};
        count(&out->total, it);
    }
    return SH_OK;
}
