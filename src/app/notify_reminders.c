/* SPDX-License-Identifier: MIT */
/* The timed messages, each once (app/notify_events.h): the pre-arrival call 1–2 h before a
 * booking (R-121, a phone task for its lead) and the warranty ending within 30 days
 * (R-190, to the unit's customer). The dedupe key of the outbox makes each one once, on
 * any number of servers. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/notify_events.h"
#include "base/date.h"
#include "domain/work_order.h"
#include "store/work_orders.h"

#define REMINDERS_BATCH     200
#define WARRANTY_AHEAD_DAYS 30

SH_WUR static enum sh_code precalls(const struct uc *u, int *count, struct sh_err *e)
{
    struct wo_policy pol;
    enum sh_code rc = wo_policy_load(u->tx, u->a, &pol, e);
    if (rc)
        return rc;
    char now[21], until[21];
    sh_ts_format(u->now, now);
    sh_ts_format(u->now + 60LL * pol.precall_min, until);
    struct db_rows r;
    rc = db_query(u->tx, u->a,
                  "SELECT w.id, w.ticket_id, w.lead_id, w.appointment_at, t.number, "
                  "COALESCE(c.name, t.caller_name) AS customer, COALESCE(c.address, '') AS "
                  "address FROM work_orders w JOIN tickets t ON t.id = w.ticket_id LEFT JOIN "
                  "customers c ON c.id = t.customer_id WHERE w.status IN ('planned', "
                  "'confirmed') AND w.kind <> 'factory_repair' AND w.lead_id IS NOT NULL AND "
                  "w.appointment_at > $1 AND w.appointment_at <= $2 AND NOT EXISTS (SELECT 1 "
                  "FROM outbox o WHERE o.dedupe_key = 'precall:' || w.id || ':' || "
                  "w.appointment_at) ORDER BY w.appointment_at LIMIT $3",
                  DB_P(DB_TEXT(now), DB_TEXT(until), DB_INT(REMINDERS_BATCH)), &r, e);
    for (int i = 0; !rc && i < r.nrows; i++) {
        const char *at = db_get(&r, i, "appointment_at");
        int64_t t = 0;
        sh_ts_parse(at, &t);
        const struct notify_var v[] = {{"number", db_get(&r, i, "number")},
                                       {"customer", db_get(&r, i, "customer")},
                                       {"address", db_get(&r, i, "address")},
                                       {"arrival", notify_local_text(u->a, at)}};
        struct notify_to to = {
            .user_id = db_get_int(&r, i, "lead_id", 0),
            .ticket_id = db_get_int(&r, i, "ticket_id", 0),
            .channel = "phone",
            .due = t - 3600 > u->now ? t - 3600 : u->now, /* called at least 1 h ahead */
            .dedupe =
                sh_arena_printf(u->a, "precall:%" PRId64 ":%s", db_get_int(&r, i, "id", 0), at)};
        int64_t id = 0;
        rc = uc_notify_event(u, "precall", &to, v, 4, &id, e);
        *count += id != 0;
    }
    return rc;
}

SH_WUR static enum sh_code warranties(const struct uc *u, int *count, struct sh_err *e)
{
    int64_t today = (u->now + 8 * 3600) / 86400;
    char from[11], to_d[11];
    sh_date_format(sh_civil_from_days(today), from);
    sh_date_format(sh_civil_from_days(today + WARRANTY_AHEAD_DAYS), to_d);
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT n.id, n.serial_no, n.customer_id, n.warranty_end, m.name AS model FROM units n "
        "JOIN product_models m ON m.id = n.model_id WHERE n.customer_id IS NOT NULL AND "
        "n.warranty_end >= $1 AND n.warranty_end <= $2 AND NOT EXISTS (SELECT 1 FROM outbox "
        "o WHERE o.dedupe_key = 'warranty:' || n.id || ':' || n.warranty_end) ORDER BY "
        "n.warranty_end, n.id LIMIT $3",
        DB_P(DB_TEXT(from), DB_TEXT(to_d), DB_INT(REMINDERS_BATCH)), &r, e);
    for (int i = 0; !rc && i < r.nrows; i++) {
        const struct notify_var v[] = {{"serial", db_get(&r, i, "serial_no")},
                                       {"model", db_get(&r, i, "model")},
                                       {"end_date", db_get(&r, i, "warranty_end")}};
        struct notify_to to = {.customer_id = db_get_int(&r, i, "customer_id", 0),
                               .dedupe = sh_arena_printf(u->a, "warranty:%" PRId64 ":%s",
                                                         db_get_int(&r, i, "id", 0),
                                                         db_get(&r, i, "warranty_end"))};
        int64_t id = 0;
        rc = uc_notify_event(u, "warranty_ending", &to, v, 3, &id, e);
        *count += id != 0;
    }
    return rc;
}

enum sh_code uc_notify_reminders(const struct uc *u, struct notify_reminders_out *out,
                                 struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    enum sh_code rc = precalls(u, &out->precalls, e);
    return rc ? rc : warranties(u, &out->warranties, e);
}
