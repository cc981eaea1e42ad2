/* SPDX-License-Identifier: MIT */
#include "app/report_calls.h"

#include <string.h>

#define OPEN_SQL "t.status NOT IN ('resolved', 'closed', 'cancelled')"

static enum sh_code list_rows(const struct uc *u, const struct report_filter *f,
                              struct calls_report *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT t.id, t.number, t.received_at, t.channel, t.type, t.status, c.name AS customer, "
        "t.caller_name, t.caller_phone, cb.display_name AS taken_by, a.display_name AS "
        "assignee, t.fault_category, substr(t.description, 1, 200) AS description, CASE "
        "WHEN " OPEN_SQL
        " THEN 1 ELSE 0 END AS open FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id "
        "LEFT JOIN users cb ON cb.id = t.created_by LEFT JOIN users a ON a.id = t.assignee_id "
        "WHERE t.received_at >= $1 AND t.received_at < $2 AND " REPORT_TICKET_FILTER(
            "t.assignee_id") " ORDER BY t.received_at, t.id LIMIT 5000",
        DB_P(REPORT_FILTER_VALS(f)), &r, e);
    if (rc)
        return rc;
    out->n = r.nrows;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++)
        out->rows[i] =
            (struct calls_row){db_get_int(&r, i, "id", 0),    db_get(&r, i, "number"),
                               db_get(&r, i, "received_at"),  db_get(&r, i, "channel"),
                               db_get(&r, i, "type"),         db_get(&r, i, "status"),
                               db_get(&r, i, "customer"),     db_get(&r, i, "caller_name"),
                               db_get(&r, i, "caller_phone"), db_get(&r, i, "taken_by"),
                               db_get(&r, i, "assignee"),     db_get(&r, i, "fault_category"),
                               db_get(&r, i, "description"),  db_get_int(&r, i, "open", 0) != 0};
    return SH_OK;
}

enum sh_code uc_report_calls(const struct uc *u, const struct report_filter *f,
                             struct calls_report *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT t.channel, count(*) AS n, sum(CASE WHEN " OPEN_SQL " THEN 1 ELSE 0 END) AS open "
        "FROM tickets t WHERE t.received_at >= $1 AND t.received_at < $2 AND " REPORT_TICKET_FILTER(
            "t.assignee_id") " GROUP BY t.channel ORDER BY t.channel",
        DB_P(REPORT_FILTER_VALS(f)), &r, e);
    if (rc)
        return rc;
    out->nchannels = r.nrows;
    out->channels = sh_arena_alloc(u->a, sizeof(*out->channels) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++) {
        out->channels[i] = (struct calls_channel){
            db_get(&r, i, "channel"), db_get_int(&r, i, "n", 0), db_get_int(&r, i, "open", 0)};
        out->total += out->channels[i].n;
        out->open += out->channels[i].open;
    }
    return list_rows(u, f, out, e);
}
