/* SPDX-License-Identifier: MIT */
#include "app/report_sla.h"

#include <string.h>

#include "base/date.h"

const char *const sla_report_targets[SLA_REPORT_CLOCKS] = {"reply", "remote", "onsite", "resolve"};

/* RULE R-175: met = stopped ≤ deadline; breached = stopped after it, or running past it ($8:
 * now). Tickets by received_at (indexed), each clock by its primary key. */
#define SLA_FROM " FROM tickets t JOIN ticket_sla s ON s.ticket_id = t.id"
#define SLA_WHERE                                                                                  \
    " WHERE t.received_at >= $1 AND t.received_at < $2 AND t.status <> 'cancelled' AND s.due_at "  \
    "IS NOT NULL AND s.state <> 'off' AND " REPORT_TICKET_FILTER("t.assignee_id")
#define SLA_BREACHED                                                                               \
    "((s.done_at IS NOT NULL AND s.done_at > s.due_at) OR (s.done_at IS NULL AND s.due_at < $8))"

static int target_index(const char *t)
{
    for (int k = 0; k < SLA_REPORT_CLOCKS; k++)
        if (!strcmp(sla_report_targets[k], t))
            return k;
    return -1;
}

/* The breached clocks first, from the index columns alone (no table row of the month's
 * tickets is read), then the at most 500 tickets' number, customer and assignee. */
static enum sh_code breach_list(const struct uc *u, const struct report_filter *f, const char *now,
                                struct sla_report *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a,
                 "SELECT x.id, x.number, c.name AS customer, a.display_name AS assignee, b.target, "
                 "x.received_at, b.due_at, b.done_at FROM (SELECT t.id AS ticket_id, "
                 "t.received_at, s.target, s.due_at, s.done_at" SLA_FROM SLA_WHERE
                 " AND " SLA_BREACHED " ORDER BY t.received_at, t.id, s.target LIMIT 500) b JOIN "
                 "tickets x ON x.id = b.ticket_id LEFT JOIN customers c ON c.id = x.customer_id "
                 "LEFT JOIN users a ON a.id = x.assignee_id ORDER BY b.received_at, b.ticket_id, "
                 "b.target",
                 DB_P(REPORT_FILTER_VALS(f), DB_TEXT(now)), &r, e);
    if (rc)
        return rc;
    out->nbreaches = r.nrows;
    out->breaches = sh_arena_alloc(u->a, sizeof(*out->breaches) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++) {
        struct sla_breach *b = &out->breaches[i];
        *b = (struct sla_breach){
            db_get_int(&r, i, "id", 0), db_get(&r, i, "number"),  db_get(&r, i, "customer"),
            db_get(&r, i, "assignee"),  db_get(&r, i, "target"),  db_get(&r, i, "received_at"),
            db_get(&r, i, "due_at"),    db_get(&r, i, "done_at"), 0};
        int64_t due, end;
        if (sh_ts_parse(b->due_at, &due) && sh_ts_parse(b->done_at ? b->done_at : now, &end))
            b->over_min = (end - due) / 60;
    }
    return SH_OK;
}

enum sh_code uc_report_sla(const struct uc *u, const struct report_filter *f, bool with_list,
                           struct sla_report *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    char now[21];
    sh_ts_format(u->now, now);
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT s.target, count(*) AS n, sum(CASE WHEN s.done_at IS NOT NULL AND s.done_at <= "
        "s.due_at THEN 1 ELSE 0 END) AS met, sum(CASE WHEN " SLA_BREACHED
        " THEN 1 ELSE 0 END) AS breached" SLA_FROM SLA_WHERE " GROUP BY s.target",
        DB_P(REPORT_FILTER_VALS(f), DB_TEXT(now)), &r, e);
    if (rc)
        return rc;
    for (int k = 0; k < SLA_REPORT_CLOCKS; k++)
        out->clock[k].target = sla_report_targets[k];
    for (int i = 0; i < r.nrows; i++) {
        int k = target_index(db_get(&r, i, "target"));
        if (k < 0)
            continue;
        struct sla_report_clock *c = &out->clock[k];
        c->clocks = db_get_int(&r, i, "n", 0);
        c->met = db_get_int(&r, i, "met", 0);
        c->breached = db_get_int(&r, i, "breached", 0);
        c->open = c->clocks - c->met - c->breached;
    }
    for (int k = 0; k < SLA_REPORT_CLOCKS; k++)
        out->clock[k].pct =
            report_ratio(out->clock[k].met, out->clock[k].met + out->clock[k].breached, 100);
    return with_list ? breach_list(u, f, now, out, e) : SH_OK;
}
