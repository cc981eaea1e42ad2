/* SPDX-License-Identifier: MIT */
#include "app/report_fee_revenue.h"

#include <string.h>

static void add(struct fee_revenue_row *r, const char *cat, int64_t v, int64_t n)
{
    if (!strcmp(cat, "installation_fee"))
        r->installation += v;
    else if (!strcmp(cat, "management_fee"))
        r->management += v;
    else
        r->secondment += v;
    r->total += v;
    r->charges += n;
}

enum sh_code uc_report_fee_revenue(const struct uc *u, const char *from, const char *to,
                                   struct fee_revenue *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT c.series, COALESCE(c.dealer_id, 0) AS dealer_id, COALESCE(d.name, '') AS "
        "dealer_name, c.category, SUM(c.amount_fen) AS amount, COUNT(*) AS n FROM charges c "
        "LEFT JOIN customers d ON d.id = c.dealer_id WHERE c.category IN ('installation_fee', "
        "'management_fee', 'secondment_fee') AND c.charged_on >= $1 AND c.charged_on <= $2 "
        "GROUP BY c.series, COALESCE(c.dealer_id, 0), COALESCE(d.name, ''), c.category "
        "ORDER BY c.series, 3, 2",
        DB_P(DB_TEXT(from), DB_TEXT(to)), &r, e);
    if (rc)
        return rc;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++) {
        const char *series = db_get(&r, i, "series");
        int64_t dealer = db_get_int(&r, i, "dealer_id", 0);
        struct fee_revenue_row *row = out->n ? &out->rows[out->n - 1] : NULL;
        if (!row || strcmp(row->series, series) || row->dealer_id != dealer) {
            row = &out->rows[out->n++];
            memset(row, 0, sizeof(*row));
            row->series = series;
            row->dealer_id = dealer;
            row->dealer_name = db_get(&r, i, "dealer_name");
        }
        const char *cat = db_get(&r, i, "category");
        int64_t v = db_get_int(&r, i, "amount", 0), n = db_get_int(&r, i, "n", 0);
        add(row, cat, v, n);
        add(&out->total, cat, v, n);
    }
    return SH_OK;
}
