/* SPDX-License-Identifier: MIT */
/* Demo charges, payments and a cost line (issue 13 item 6; docs/charges.md). */
#include "cli/demo_charges.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/charge_receipts.h"
#include "app/charges.h"
#include "base/date.h"

static enum sh_code first_id(const struct uc *u, const char *sql, int64_t *id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, sql, DB_NOP, &r, e);
    *id = !rc && r.nrows ? db_get_int(&r, 0, "id", 0) : 0;
    return rc;
}

/* the local date `days` days ago */
static const char *ago(const struct uc *u, int days)
{
    char ts[21];
    sh_ts_format(u->now + 8 * 3600 - (int64_t)days * 86400, ts);
    return sh_arena_printf(u->a, "%.10s", ts);
}

static void put(struct fval *v, const struct entity *ent, const char *col, const char *text)
{
    int i = ent_colidx(ent, col);
    if (i >= 0)
        v[i] = (struct fval){.present = true, .text = text, .i = strtoll(text, NULL, 10)};
}

enum sh_code demo_charge_pay(const struct uc *u, int64_t charge, const char *payer, int64_t fen,
                             const char *on, struct sh_err *e)
{
    const struct entity *ent = &ent_charge_payments;
    struct fval *v = sh_arena_alloc(u->a, sizeof(*v) * (size_t)ent->ncols);
    memset(v, 0, sizeof(*v) * (size_t)ent->ncols);
    put(v, ent, "charge_id", sh_arena_printf(u->a, "%" PRId64, charge));
    put(v, ent, "payer", payer);
    put(v, ent, "amount_fen", sh_arena_printf(u->a, "%" PRId64, fen));
    put(v, ent, "paid_on", on);
    put(v, ent, "method", "transfer");
    put(v, ent, "reference", "DEMO-HK");
    int64_t id;
    return uc_ent_insert(u, ent, v, &id, NULL, e);
}

static enum sh_code cost_line(const struct uc *u, int64_t ticket, struct sh_err *e)
{
    const struct entity *ent = &ent_cost_lines;
    struct fval *v = sh_arena_alloc(u->a, sizeof(*v) * (size_t)ent->ncols);
    memset(v, 0, sizeof(*v) * (size_t)ent->ncols);
    put(v, ent, "owner_kind", "ticket");
    put(v, ent, "owner_id", sh_arena_printf(u->a, "%" PRId64, ticket));
    put(v, ent, "category", "parts");
    put(v, ent, "amount_fen", "18600");
    put(v, ent, "incurred_on", ago(u, 38));
    put(v, ent, "description", "主控板 (成本价)");
    int64_t id;
    return uc_ent_insert(u, ent, v, &id, NULL, e);
}

/* One transfer across the shared repair and the travel charge, oldest first (M7: the repair
 * paid, the travel part-paid), then a credit for the customer applied to what is left of the
 * travel (M11: the credit used up, the travel still 50 yuan short). */
static enum sh_code receipts(const struct uc *u, int64_t ticket, const int64_t *ids,
                             struct sh_err *e)
{
    int64_t cust;
    enum sh_code rc = first_id(
        u,
        sh_arena_printf(u->a, "SELECT customer_id AS id FROM tickets WHERE id = %" PRId64, ticket),
        &cust, e);
    if (rc || !cust || !ids[2] || !ids[3])
        return rc;
    int64_t both[2] = {ids[2], ids[3]};
    struct receipt_out out;
    struct receipt_in in = {.payer = "customer",
                            .party_id = cust,
                            .amount_fen = 200000,
                            .paid_on = ago(u, 2),
                            .reference = "DEMO-HK-2",
                            .charge_ids = both,
                            .ncharge_ids = 2};
    if ((rc = uc_receipt_allocate(u, &in, &out, e)))
        return rc;
    int64_t credit;
    struct charge_in c = {.owner_kind = "ticket",
                          .owner_id = ticket,
                          .category = "credit",
                          .description = "服务延误补偿 (抵扣差旅费)",
                          .amount_fen = -20000,
                          .charged_on = ago(u, 1),
                          .customer_bp = 10000};
    if ((rc = uc_charge_add(u, &c, &credit, e)))
        return rc;
    struct receipt_in apply = {.payer = "customer",
                               .party_id = cust,
                               .paid_on = ago(u, 1),
                               .charge_ids = &ids[2],
                               .ncharge_ids = 1};
    return uc_credit_apply(u, credit, &apply, &out, e);
}

enum sh_code demo_charges(const struct uc *u, int *n, struct sh_err *e)
{
    int64_t any, ticket, dealer;
    *n = 0;
    /* once: its cost line is the last thing it writes (the charges of the demo's quotes,
     * returns and complaints, made before, are not these) */
    enum sh_code rc = first_id(u, "SELECT id FROM cost_lines LIMIT 1", &any, e);
    if (!rc)
        rc = first_id(u, "SELECT id FROM tickets WHERE customer_id IS NOT NULL ORDER BY id LIMIT 1",
                      &ticket, e);
    if (!rc)
        rc = first_id(u, "SELECT id FROM customers WHERE type = 'dealer' ORDER BY id LIMIT 1",
                      &dealer, e);
    if (rc || any || !ticket)
        return rc;
    static const struct {
        const char *desc, *category, *series;
        int64_t fen;
        int days, customer_bp, dealer_bp; /* the rest of 10000: none (dealer-only when 0) */
        int64_t paid;                     /* the customer's payment (all: the whole part) */
    } recs[] = {
        {"上门维修人工费", "repair", NULL, 80000, 75, 10000, 0, -1},
        {"更换电源模块", "parts", NULL, 126050, 40, 10000, 0, 50000},
        {"差旅交通费", "travel", NULL, 45000, 5, 10000, 0, 0},
        {"人为损坏维修 (协商分摊)", "repair", NULL, 300000, 120, 6000, 4000, 0},
        {"整体厨柜安装费 经典系列", "installation_fee", "经典系列", 325926, 20, 0, 10000, 0},
        {"管理费 10%", "management_fee", "经典系列", 32593, 20, 0, 10000, 0},
    };
    int64_t ids[sizeof(recs) / sizeof(recs[0])] = {0};
    for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]) && !rc; i++) {
        if (recs[i].dealer_bp && !dealer)
            continue;
        struct charge_in in = {.owner_kind = "ticket",
                               .owner_id = ticket,
                               .dealer_id = recs[i].dealer_bp ? dealer : 0,
                               .category = recs[i].category,
                               .series = recs[i].series,
                               .description = recs[i].desc,
                               .amount_fen = recs[i].fen,
                               .charged_on = ago(u, recs[i].days),
                               .customer_bp = recs[i].customer_bp,
                               .dealer_bp = recs[i].dealer_bp};
        int64_t id;
        rc = uc_charge_add(u, &in, &id, e);
        ids[i] = rc ? 0 : id;
        if (!rc && recs[i].paid)
            rc = demo_charge_pay(u, id, "customer", recs[i].paid < 0 ? recs[i].fen : recs[i].paid,
                                 ago(u, recs[i].days - 3), e);
        *n += !rc;
    }
    if (!rc)
        rc = receipts(u, ticket, ids, e);
    return rc ? rc : cost_line(u, ticket, e);
}
