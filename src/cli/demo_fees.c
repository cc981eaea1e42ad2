/* SPDX-License-Identifier: MIT */
/* Demo secondments (CAB 3.1.8) and waiting on site (LED 1.3) through the entity engine: the
 * fee of each is computed by the fee engine like an API create; the billed secondment is
 * billed as its charge (app/fee_bill.h), as finance bills one. */
#include "cli/demo_fees.h"

#include <jansson.h>
#include <string.h>

#include "app/entity.h"
#include "app/fee_bill.h"

/* Inserts one record from a JSON object of column values. */
static enum sh_code insert(const struct uc *u, const struct entity *ent, json_t *obj, int64_t *id,
                           struct sh_err *e)
{
    struct fval *v = sh_arena_alloc(u->a, sizeof(*v) * (size_t)ent->ncols);
    enum sh_code rc = v ? SH_OK : sh_err_set(e, SH_INTERNAL, "out of memory");
    const char *k;
    json_t *x;
    if (v)
        memset(v, 0, sizeof(*v) * (size_t)ent->ncols);
    json_object_foreach(obj, k, x)
    {
        int i = ent_colidx(ent, k);
        if (!rc)
            rc = i < 0 ? sh_err_set(e, SH_INTERNAL, "no column %s", k)
                       : ent_parse_value(u->a, &ent->cols[i], x, &v[i], e);
    }
    json_decref(obj);
    return rc ? rc : uc_ent_insert(u, ent, v, id, NULL, e);
}

static enum sh_code first_id(const struct uc *u, const char *sql, int64_t *id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, sql, DB_NOP, &r, e);
    *id = !rc && r.nrows ? db_get_int(&r, 0, "id", 0) : 0;
    return rc;
}

enum sh_code demo_fees(const struct uc *u, int *n, struct sh_err *e)
{
    int64_t any, dealer, wo;
    *n = 0;
    enum sh_code rc = first_id(u, "SELECT id FROM secondments LIMIT 1", &any, e);
    if (!rc)
        rc = first_id(u, "SELECT id FROM customers WHERE type = 'dealer' ORDER BY id LIMIT 1",
                      &dealer, e);
    if (!rc)
        rc = first_id(u, /* waiting is recorded once the crew has arrived (review 72 #7) */
                      "SELECT id FROM work_orders WHERE status IN ('on_site', 'done', "
                      "'not_fixed', 'needs_factory') AND arrived_at < '2026-11-19' ORDER BY id "
                      "LIMIT 1",
                      &wo, e);
    if (rc || any)
        return rc;
    json_t *recs[5];
    int k = 0;
    if (dealer) {
        recs[k++] = json_pack("{s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "dealer_id",
                              (json_int_t)dealer, "staff", "陈师傅, 刘师傅", "persons", 2,
                              "start_date", "2026-11-02", "end_date", "2026-11-09", "work_days",
                              "5.5", "travel_days", "1.5", "status", "ended", "agreement_ref",
                              "JD-2026-011", "wage_note", "经销商与被借调人员约定日薪 260 元");
        recs[k++] =
            json_pack("{s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:s}", "dealer_id", (json_int_t)dealer,
                      "staff", "周师傅", "persons", 1, "start_date", "2026-12-07", "end_date",
                      "2026-12-18", "work_days", "10", "travel_days", "0.5", "status", "approved");
    }
    json_t *owner = wo ? json_integer(wo) : json_null();
    int nwo = wo ? 2 : 0; /* without such a work order, only the project's waiting */
    if (nwo)
        recs[k++] =
            json_pack("{s:O, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "work_order_id", owner,
                      "started_on", "2026-11-20", "ended_on", "2026-11-22", "days", "3", "cause",
                      "steel_structure_unfinished", "at_fault", "customer", "confirmed_by",
                      "客户项目负责人 王工", "cause_note", "钢结构未完工，工程人员现场待工");
    if (nwo)
        recs[k++] = json_pack("{s:O, s:s, s:s, s:s, s:s, s:s}", "work_order_id", owner,
                              "started_on", "2026-11-25", "days", "1", "cause", "company_side",
                              "at_fault", "company", "confirmed_by", "工程部");
    recs[k++] = json_pack("{s:O, s:I, s:s, s:s, s:s, s:s}", "work_order_id", json_null(),
                          "project_id", (json_int_t)1, "started_on", "2026-12-01", "days", "0.5",
                          "cause", "power_not_ready", "at_fault", "undetermined");
    json_decref(owner);
    for (int i = 0; i < k; i++) {
        if (rc) {
            json_decref(recs[i]);
            continue;
        }
        int64_t id;
        struct fee_bill_out bill;
        rc = insert(u, i < k - 1 - nwo ? &ent_secondments : &ent_waiting_records, recs[i], &id, e);
        if (!rc && i == 0 && dealer) /* the first secondment: billing makes it billed */
            rc = uc_fee_record_bill(u, &ent_secondments, id, &bill, e);
        *n += !rc;
    }
    return rc;
}
