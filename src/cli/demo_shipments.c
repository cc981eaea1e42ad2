/* SPDX-License-Identifier: MIT */
/* Shipments as demo data: a payment, the request and the actions up to each state. */
#include "cli/demo_shipments.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/entity.h"
#include "app/shipments.h"
#include "app/tasks.h"
#include "app/ticket_intake.h"
#include "app/ticket_warranty.h"
#include "base/date.h"

/* The state each demo shipment is taken to, and its carrier. */
static const struct {
    enum shp_state to;
    const char *carrier;
    bool overdue;
} targets[] = {
    {SHS_REQUESTED, NULL, false},       {SHS_ORDERED, NULL, false},
    {SHS_HANDED_OVER, NULL, false},     {SHS_ON_HOLD, NULL, false},
    {SHS_RELEASED, NULL, false},        {SHS_IN_TRANSIT, "顺丰速运", false},
    {SHS_IN_TRANSIT, "德邦物流", true}, {SHS_ARRIVED, "德邦物流", false},
    {SHS_RECEIVED, "顺丰速运", false},  {SHS_CANCELLED, NULL, false},
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static enum sh_code act(const struct uc *u, int64_t id, enum shp_action a,
                        struct shipment_action_in in, struct sh_err *e)
{
    in.id = id;
    in.if_match = -1;
    in.action = a;
    if (in.certificate_sent == 0 && a != SHA_DISPATCH)
        in.certificate_sent = -1;
    return uc_shipment_action(u, &in, e);
}

static enum sh_code pay(const struct uc *u, int64_t contract, struct sh_err *e)
{
    struct fval v[16];
    memset(v, 0, sizeof(v));
    const char *vals[][2] = {{"contract_id", NULL},
                             {"amount_fen", "8800000"},
                             {"received_on", "2026-11-20"},
                             {"reference", "DEMO-BANK"}};
    char cid[24];
    snprintf(cid, sizeof(cid), "%" PRId64, contract);
    vals[0][1] = cid;
    for (size_t i = 0; i < 4; i++) {
        int k = ent_colidx(&ent_payments, vals[i][0]);
        const struct col *col = &ent_payments.cols[k];
        json_t *j = col->kind == F_STR || col->kind == F_DATE
                        ? json_string(vals[i][1])
                        : json_integer(strtoll(vals[i][1], NULL, 10));
        enum sh_code rc = ent_parse_value(u->a, col, j, &v[k], e);
        json_decref(j);
        if (rc)
            return rc;
    }
    int64_t id;
    return uc_ent_insert(u, &ent_payments, v, &id, NULL, e);
}

/* The demo's units in stock (model, serial, production date): shipment n ships row n, so
 * that the release updates a unit instead of adding one (the demo keeps its unit count). */
static const struct db_rows *stock;

/* The copies acknowledged and every line recorded, as the warehouse and logistics do. */
static enum sh_code pick(const struct uc *u, int64_t id, int n, struct sh_err *e)
{
    bool own = n < stock->nrows && db_get(stock, n, "serial_no");
    char *today = sh_arena_alloc(u->a, 11);
    sh_date_format(ticket_local_date(u->now), today);
    struct shipment_view v;
    enum sh_code rc = uc_shipment_get(u, id, &v, e);
    for (int i = 0; !rc && i < v.tasks.nrows; i++) {
        struct task_row t;
        rc = uc_task_done(u, db_get_int(&v.tasks, i, "id", 0), "已收到发货单", &t, e);
    }
    for (int i = 0; !rc && i < v.lines.nrows; i++) {
        struct shipment_line_set_in l = {
            id, db_get_int(&v.lines, i, "id", 0),
            own && !i ? db_get(stock, n, "serial_no")
                      : sh_arena_printf(u->a, "%s-%02d", db_get(&v.row, 0, "number"), i + 1),
            own && !i && db_get(stock, n, "production_date") ? db_get(stock, n, "production_date")
                                                             : "2026-11-02",
            today};
        rc = uc_shipment_line_set(u, &l, e);
    }
    return rc;
}

static enum sh_code advance(const struct uc *u, int64_t id, int n, struct sh_err *e)
{
    static const enum shp_action path[] = {SHA_ISSUE_ORDER, SHA_HAND_OVER, SHA_RELEASE,
                                           SHA_DISPATCH,    SHA_ARRIVE,    SHA_RECEIVE};
    static const enum shp_state after[] = {SHS_ORDERED,    SHS_HANDED_OVER, SHS_RELEASED,
                                           SHS_IN_TRANSIT, SHS_ARRIVED,     SHS_RECEIVED};
    enum shp_state to = targets[n].to;
    struct shipment_action_in in = {.certificate_sent = 1,
                                    .carrier = targets[n].carrier,
                                    .waybill_no = "SF1000",
                                    .signer = "王工"};
    enum sh_code rc = SH_OK;
    if (to == SHS_CANCELLED)
        return act(u, id, SHA_CANCEL, (struct shipment_action_in){.note = "客户改期"}, e);
    enum shp_state st = SHS_REQUESTED, goal = to == SHS_ON_HOLD ? SHS_HANDED_OVER : to;
    for (size_t i = 0; !rc && i < 6 && st != goal; i++) {
        if (path[i] == SHA_RELEASE && (rc = pick(u, id, n, e)))
            return rc;
        in.waybill_no = sh_arena_printf(u->a, "SF%010" PRId64, 7310000000 + id);
        rc = act(u, id, path[i], in, e);
        st = after[i];
    }
    if (!rc && to == SHS_ON_HOLD)
        rc =
            act(u, id, SHA_HOLD,
                (struct shipment_action_in){.hold_reason = "stock_out", .note = "库存不足两台"}, e);
    if (!rc && targets[n].overdue)
        rc = db_exec(u->tx,
                     "UPDATE shipments SET arrival_due_on = '2026-11-28', dispatched_at = "
                     "'2026-11-24T02:00:00Z' WHERE id = $1",
                     DB_P(DB_INT(id)), NULL, e);
    return rc;
}

static enum sh_code admin_principal(const struct uc *c, struct principal *who, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        c->tx, c->a, "SELECT min(id) AS id FROM users WHERE roles LIKE '%admin%'", DB_NOP, &r, e);
    if (!rc)
        *who = (struct principal){
            .user_id = db_get_int(&r, 0, "id", 0), .username = "demo", .roles = RB(ADMIN)};
    return rc;
}

/* WF-08: the customer of the received shipment reports its unit failing the same day: the
 * intake classifies the repair as dead on arrival (0 when no unit was received). */
static enum sh_code doa_ticket(const struct uc *u, int64_t *ticket, int64_t *model,
                               struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT l.unit_id AS id, l.model_id FROM shipment_lines l JOIN "
                               "shipments s ON s.id = l.shipment_id WHERE s.state = 'received' "
                               "AND l.unit_id IS NOT NULL ORDER BY l.id LIMIT 1",
                               DB_NOP, &r, e);
    int64_t unit = rc || !r.nrows ? 0 : db_get_int(&r, 0, "id", 0);
    if (!unit)
        return rc;
    *model = db_get_int(&r, 0, "model_id", 0);
    struct ticket_intake_in in = {.channel = "phone",
                                  .type = "repair",
                                  .unit_id = unit,
                                  .caller_name = "设备科",
                                  .caller_phone = "13800138000",
                                  .description = "开箱通电后无法开机，面板报错 E05"};
    struct ticket_intake_out out;
    if ((rc = uc_ticket_intake(u, &in, &out, e)))
        return rc;
    *ticket = out.id;
    return SH_OK;
}

enum sh_code demo_shipments(const struct uc *c, int *n, struct sh_err *e)
{
    struct db_rows r, m;
    *n = 0;
    enum sh_code rc = db_query(c->tx, c->a, "SELECT count(*) AS n FROM shipments", DB_NOP, &r, e);
    if (rc || db_get_int(&r, 0, "n", 0) > 0)
        return rc;
    struct principal who;
    if ((rc = admin_principal(c, &who, e)) ||
        (rc = db_query(c->tx, c->a, "SELECT id FROM contracts ORDER BY id LIMIT 10", DB_NOP, &r,
                       e)) ||
        (rc = db_query(c->tx, c->a,
                       "SELECT model_id AS id, serial_no, production_date FROM units WHERE status "
                       "= 'in_stock' ORDER BY id LIMIT 12",
                       DB_NOP, &m, e)))
        return rc;
    if (!m.nrows && (rc = db_query(c->tx, c->a,
                                   "SELECT id, NULL AS serial_no, NULL AS production_date FROM "
                                   "product_models ORDER BY id LIMIT 3",
                                   DB_NOP, &m, e)))
        return rc;
    if (!who.user_id || !m.nrows)
        return SH_OK;
    stock = &m;
    struct uc u = {.tx = c->tx, .a = c->a, .who = &who, .now = c->now, .app = c->app};
    for (int i = 0; i < r.nrows && i < (int)NTARGETS; i++) {
        int64_t contract = db_get_int(&r, i, "id", 0), id;
        struct shipment_line_in line = {db_get_int(&m, i % m.nrows, "id", 0),
                                        i < m.nrows && db_get(&m, i, "serial_no") ? 1 : 2};
        struct shipment_create_in in = {.contract_id = contract,
                                        .includes_installation = -1,
                                        .ship_to = "客户收货地址",
                                        .lines = &line,
                                        .nlines = 1};
        if ((rc = pay(&u, contract, e)) || (rc = uc_shipment_create(&u, &in, &id, e)) ||
            (rc = advance(&u, id, i, e)))
            return rc;
        (*n)++;
    }
    int64_t ticket = 0, model = 0, id;
    if ((rc = doa_ticket(&u, &ticket, &model, e)) || !ticket)
        return rc;
    struct shipment_line_in line = {model, 1};
    struct shipment_create_in in = {.kind = "replacement",
                                    .ticket_id = ticket,
                                    .lines = &line,
                                    .nlines = 1,
                                    .note = "到货即损换货"};
    rc = uc_shipment_create(&u, &in, &id, e);
    *n += !rc;
    return rc;
}
