/* SPDX-License-Identifier: MIT */
#include "app/report_warranty.h"

#include <string.h>

#include "base/date.h"

/* RULE R-190: the units with warranty_end in [from, to] (local days, units_warranty_end);
 * the notice is the outbox message the reminders job queued with dedupe key
 * 'warranty:<unit>:<end>' (notified = sent; queued = any other state; not notified = none). */
#define WARRANTY_FROM                                                                              \
    " FROM units n JOIN product_models m ON m.id = n.model_id LEFT JOIN customers c ON c.id = "    \
    "n.customer_id LEFT JOIN outbox o ON o.dedupe_key = 'warranty:' || n.id || ':' || "            \
    "n.warranty_end WHERE n.warranty_end >= $1 AND n.warranty_end <= $2 AND ($3 = 0 OR "           \
    "n.customer_id = $3) AND ($4 = 0 OR n.model_id = $4) AND ($5 = '' OR c.region = $5)"

enum sh_code uc_report_warranty(const struct uc *u, const struct report_filter *f,
                                struct warranty_report *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    struct db_val p[] = {DB_TEXT(f->from_day),
                         DB_TEXT(f->to_day),
                         DB_INT(f->customer_id),
                         DB_INT(f->model_id),
                         DB_TEXT(f->region ? f->region : ""),
                         DB_INT(WARRANTY_REPORT_MAX)};
    struct db_rows t, r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT count(*) AS n, sum(CASE WHEN o.state = 'sent' THEN 1 ELSE "
                               "0 END) AS sent, sum(CASE WHEN o.id IS NOT NULL AND o.state <> "
                               "'sent' THEN 1 ELSE 0 END) AS queued" WARRANTY_FROM,
                               p, 5, &t, e);
    if (!rc)
        rc = db_query(u->tx, u->a,
                      "SELECT n.id, n.serial_no, n.model_id, m.name AS model, n.customer_id, "
                      "COALESCE(c.name, '') AS customer, COALESCE(c.region, '') AS region, "
                      "n.warranty_start, n.warranty_end, n.warranty_basis, COALESCE(o.state, "
                      "'none') AS notice" WARRANTY_FROM " ORDER BY n.warranty_end, n.id LIMIT $6",
                      p, 6, &r, e);
    if (rc)
        return rc;
    out->units = t.nrows ? db_get_int(&t, 0, "n", 0) : 0;
    out->notified = t.nrows ? db_get_int(&t, 0, "sent", 0) : 0;
    out->queued = t.nrows ? db_get_int(&t, 0, "queued", 0) : 0;
    out->not_notified = out->units - out->notified - out->queued;
    out->truncated = out->units > r.nrows;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(r.nrows ? r.nrows : 1));
    int64_t today = (u->now + 8 * 3600) / 86400;
    for (int i = 0; i < r.nrows; i++) {
        struct warranty_row *w = &out->rows[out->n++];
        struct sh_date end = {0};
        const char *we = db_get(&r, i, "warranty_end");
        *w = (struct warranty_row){
            .unit_id = db_get_int(&r, i, "id", 0),
            .customer_id = db_get_int(&r, i, "customer_id", 0),
            .model_id = db_get_int(&r, i, "model_id", 0),
            .serial_no = db_get(&r, i, "serial_no"),
            .model = db_get(&r, i, "model"),
            .customer = db_get(&r, i, "customer"),
            .region = db_get(&r, i, "region"),
            .warranty_start = db_get(&r, i, "warranty_start"),
            .warranty_end = we,
            .basis = db_get(&r, i, "warranty_basis"),
            .notice = db_get(&r, i, "notice"),
        };
        if (we && sh_date_parse(we, &end))
            w->days_left = sh_days_from_civil(end.y, end.m, end.d) - today;
    }
    return SH_OK;
}
