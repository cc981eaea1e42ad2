/* SPDX-License-Identifier: MIT */
#include "app/report_repeat.h"

enum sh_code uc_report_repeat_repairs(const struct uc *u, const char *from, const char *to,
                                      struct repeat_report *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT t.model_id, m.code AS model_code, m.name AS model_name, "
        "p.assignee_id AS technician_id, COALESCE(NULLIF(u.display_name, ''), u.username) AS "
        "technician, t.fault_category, "
        "count(*) AS repeats FROM tickets t JOIN tickets p ON p.id = t.repeat_of "
        "LEFT JOIN product_models m ON m.id = t.model_id LEFT JOIN users u ON u.id = "
        "p.assignee_id WHERE t.repeat_of IS NOT NULL AND t.received_at >= $1 AND "
        "t.received_at <= $2 GROUP BY t.model_id, m.code, m.name, p.assignee_id, "
        "u.display_name, u.username, t.fault_category ORDER BY repeats DESC, m.code LIMIT 1000",
        DB_P(DB_TEXT(from), DB_TEXT(to)), &r, e);
    if (rc)
        return rc;
    out->n = r.nrows;
    out->total = 0;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++) {
        out->rows[i] =
            (struct repeat_row){db_get(&r, i, "model_id"),      db_get(&r, i, "model_code"),
                                db_get(&r, i, "model_name"),    db_get(&r, i, "technician_id"),
                                db_get(&r, i, "technician"),    db_get(&r, i, "fault_category"),
                                db_get_int(&r, i, "repeats", 0)};
        out->total += out->rows[i].repeats;
    }
    return SH_OK;
}
