/* SPDX-License-Identifier: MIT */
#include "app/report_doa.h"

static enum sh_code doa_rows(const struct uc *u, const char *from, const char *to, bool batch,
                             struct doa_row **rows, int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        batch ? "SELECT l.model_id, m.code AS model_code, m.name AS model_name, "
                "substr(l.production_date, 1, 7) AS batch, count(DISTINCT l.unit_id) AS "
                "delivered, count(DISTINCT t.unit_id) AS doa FROM shipment_lines l JOIN shipments "
                "s ON s.id = l.shipment_id JOIN product_models m ON m.id = l.model_id LEFT JOIN "
                "tickets t ON t.unit_id = l.unit_id AND t.type = 'doa' WHERE s.state = "
                "'received' AND s.received_on >= $1 AND s.received_on <= $2 GROUP BY l.model_id, "
                "m.code, m.name, substr(l.production_date, 1, 7) ORDER BY m.code, batch LIMIT 1000"
              : "SELECT l.model_id, m.code AS model_code, m.name AS model_name, NULL AS batch, "
                "count(DISTINCT l.unit_id) AS delivered, count(DISTINCT t.unit_id) AS doa FROM "
                "shipment_lines l JOIN shipments s ON s.id = l.shipment_id JOIN product_models m "
                "ON m.id = l.model_id LEFT JOIN tickets t ON t.unit_id = l.unit_id AND t.type = "
                "'doa' WHERE s.state = 'received' AND s.received_on >= $1 AND s.received_on <= "
                "$2 GROUP BY l.model_id, m.code, m.name ORDER BY m.code LIMIT 1000",
        DB_P(DB_TEXT(from), DB_TEXT(to)), &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *rows = sh_arena_alloc(u->a, sizeof(**rows) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++)
        (*rows)[i] =
            (struct doa_row){db_get(&r, i, "model_id"),         db_get(&r, i, "model_code"),
                             db_get(&r, i, "model_name"),       db_get(&r, i, "batch"),
                             db_get_int(&r, i, "delivered", 0), db_get_int(&r, i, "doa", 0)};
    return SH_OK;
}

enum sh_code uc_report_doa(const struct uc *u, const char *from, const char *to,
                           struct doa_report *out, struct sh_err *e)
{
    enum sh_code rc = doa_rows(u, from, to, false, &out->by_model, &out->n_model, e);
    return rc ? rc : doa_rows(u, from, to, true, &out->by_batch, &out->n_batch, e);
}
