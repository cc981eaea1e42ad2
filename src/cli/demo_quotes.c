/* SPDX-License-Identifier: MIT */
/* Demo quotes (issue 13 item 5), made through the same use cases as the API: a quote in each
 * state on a repair ticket of a demo unit. */
#include "cli/demo_quotes.h"

#include <jansson.h>
#include <string.h>

#include "app/quotes.h"
#include "app/ticket_intake.h"
#include "app/ticket_warranty.h"
#include "base/date.h"

/* the caller of the demo's quoted tickets */
#define CALLER "13900008888"

static const char LINES[] =
    "[{\"kind\":\"part\",\"code\":\"PWR-01\",\"name\":\"电源板\",\"quantity\":1,"
    "\"unit_fen\":%d},{\"kind\":\"labour\",\"name\":\"维修工时\",\"hours\":2,\"rate_fen\":"
    "15000},{\"kind\":\"travel\",\"name\":\"差旅（往返）\",\"days\":1,\"rate_fen\":20000,"
    "\"transport_fen\":32000},{\"kind\":\"fee\",\"rule_set\":\"at_cost\",\"inputs\":"
    "{\"upgrade_cost_fen\":0,\"parts_cost_fen\":6800}}]";

enum target { T_DRAFT, T_APPROVAL, T_SENT, T_ACCEPTED, T_REJECTED, T_EXPIRED, T_REVISED, T_N };

static enum sh_code ticket(const struct uc *u, int64_t unit, int64_t *id, struct sh_err *e)
{
    struct ticket_intake_in in = {.channel = "phone",
                                  .type = "repair",
                                  .unit_id = unit,
                                  .caller_name = "设备科 王工",
                                  .caller_phone = CALLER,
                                  .description =
                                      "设备不开机，已过保修期，客户要求上门维修并先报价"};
    struct ticket_intake_out out;
    enum sh_code rc = uc_ticket_intake(u, &in, &out, e);
    *id = out.id;
    return rc;
}

/* One quote brought to its state through the use cases. */
static enum sh_code one(const struct uc *u, int64_t tid, enum target k, struct sh_err *e)
{
    char buf[1024];
    snprintf(buf, sizeof buf, LINES, k == T_APPROVAL ? 1600000 : 48000);
    json_t *lines = json_loads(buf, 0, NULL);
    struct quote_in in = {.lines = lines, .note = "价格含税，配件保修 90 天", .if_match = -1};
    struct quote_row q;
    struct quote_link l;
    enum sh_code rc = uc_quote_create(u, tid, &in, &q, e);
    json_decref(lines);
    if (rc || k == T_DRAFT || (rc = uc_quote_send(u, q.id, &q, &l, e)))
        return rc;
    struct quote_decision_in yes = {
        .accept = true, .channel = "wechat", .note = "客户设备科王工微信回复：同意报价，尽快安排"};
    struct quote_decision_in no = {
        .accept = false, .channel = "phone", .note = "客户电话告知：预算不足，暂不维修"};
    switch (k) {
    case T_ACCEPTED:
        return uc_quote_decide(u, q.id, &yes, &q, e);
    case T_REJECTED:
        return uc_quote_decide(u, q.id, &no, &q, e);
    case T_EXPIRED:
        return db_exec(u->tx,
                       "UPDATE quotes SET valid_until = '2026-11-20', status = 'expired' WHERE "
                       "id = $1",
                       DB_P(DB_INT(q.id)), NULL, e);
    case T_REVISED:
        if ((rc = uc_quote_decide(u, q.id, &no, &q, e)))
            return rc;
        return uc_quote_revise(u, q.id, &q, e);
    case T_DRAFT:
    case T_APPROVAL:
    case T_SENT:
    case T_N:
        break;
    }
    return SH_OK;
}

enum sh_code demo_quote_accepted(const struct uc *u, int64_t tid, struct sh_err *e)
{
    bool chargeable = false, accepted = false, told = false;
    enum sh_code rc = uc_quote_facts(u, tid, &chargeable, &accepted, &told, e);
    if (rc || !chargeable || accepted)
        return rc;
    return one(u, tid, T_ACCEPTED, e);
}

enum sh_code demo_quotes(const struct uc *u, int *n, struct sh_err *e)
{
    struct db_rows r;
    *n = 0;
    /* once: the demo work orders' own accepted quotes are not these (their tickets were
     * taken by another caller) */
    enum sh_code rc =
        db_query(u->tx, u->a, "SELECT 1 FROM tickets WHERE caller_phone = '" CALLER "' LIMIT 1",
                 DB_NOP, &r, e);
    if (rc || r.nrows)
        return rc;
    /* units out of warranty and of service contracts: a quote prices work the customer pays
     * for (guard billing) */
    char today[11];
    sh_date_format(ticket_local_date(u->now), today);
    if ((rc = db_query(u->tx, u->a,
                       "SELECT un.id FROM units un JOIN customers c ON c.id = un.customer_id "
                       "LEFT JOIN contracts k ON k.id = un.contract_id WHERE c.type = "
                       "'company' AND un.warranty_end < $1 AND (k.id IS NULL OR k.end_date < "
                       "$1) ORDER BY un.install_date, un.id LIMIT 7",
                       DB_P(DB_TEXT(today)), &r, e)))
        return rc;
    for (int k = 0; k < T_N && k < r.nrows && !rc; k++) {
        int64_t tid = 0;
        if (!(rc = ticket(u, db_get_int(&r, k, "id", 0), &tid, e)))
            rc = one(u, tid, (enum target)k, e);
        *n += !rc;
    }
    return rc;
}
