/* SPDX-License-Identifier: MIT */
#include "app/report_receivables.h"

#include <string.h>

#include "app/charges.h"
#include "base/date.h"

int recv_bucket(int64_t days)
{
    /* RULE ageing: 0–30, 31–60, 61–90, over 90 days since the charge's date */
    return days <= 30 ? 0 : days <= 60 ? 1 : days <= 90 ? 2 : 3;
}

static int64_t day_no(const char *d)
{
    struct sh_date x;
    return d && sh_date_parse(d, &x) ? sh_days_from_civil(x.y, x.m, x.d) : 0;
}

/* RULE A-09: each payer's part of a charge (app/charges.h CHARGE_PARTS) of the payer asked
 * for ($2), with what was paid on it by the day of the report ($1) */
static const char *const query =
    "SELECT x.party_id AS party, cu.name, c.charged_on, x.part, (SELECT COALESCE(SUM("
    "p.amount_fen), 0) FROM charge_payments p WHERE p.charge_id = c.id AND p.payer = x.payer AND "
    "p.paid_on <= $1) AS paid FROM " CHARGE_PARTS " x JOIN charges c ON c.id = x.charge_id JOIN "
    "customers cu ON cu.id = x.party_id WHERE x.payer = $2 AND c.charged_on <= $1 ORDER BY "
    "x.party_id, c.id";

static void add(struct recv_row *r, int b, int64_t open)
{
    r->bucket[b] += open;
    r->total += open;
    r->charges++;
}

enum sh_code uc_report_receivables(const struct uc *u, const char *by, const char *as_of,
                                   struct recv_report *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    bool dealer = by && !strcmp(by, "dealer");
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a, query, DB_P(DB_TEXT(as_of), DB_TEXT(dealer ? "dealer" : "customer")), &r, e);
    if (rc)
        return rc;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(r.nrows + 1));
    int64_t today = day_no(as_of);
    for (int i = 0; i < r.nrows; i++) {
        int64_t open = db_get_int(&r, i, "part", 0) - db_get_int(&r, i, "paid", 0);
        if (open == 0) /* settled; a credit line's open part is below zero until it is used
                        * (applied or refunded: payments below zero, app/charge_receipts.c) */
            continue;
        int64_t party = db_get_int(&r, i, "party", 0);
        if (!out->n || out->rows[out->n - 1].party_id != party) {
            memset(&out->rows[out->n], 0, sizeof(out->rows[0]));
            out->rows[out->n].party_id = party;
            out->rows[out->n++].name = db_get(&r, i, "name");
        }
        int b = recv_bucket(today - day_no(db_get(&r, i, "charged_on")));
        add(&out->rows[out->n - 1], b, open);
        add(&out->total, b, open);
    }
    return SH_OK;
}
