/* SPDX-License-Identifier: MIT */
/* Returns to factory as demo data: a repair ticket sent to the factory per RMA, then the
 * actions up to each state; the closed one ships back through the shipping chain. */
#include "cli/demo_rma.h"

#include <inttypes.h>
#include <string.h>

#include "app/approvals.h"
#include "app/entity.h"
#include "app/rmas.h"
#include "app/shipments.h"
#include "app/tasks.h"
#include "app/ticket_actions.h"
#include "app/ticket_intake.h"
#include "app/ticket_warranty.h"
#include "base/date.h"
#include "cli/demo_charges.h"

static const enum rma_state targets[] = {
    RMS_AWAITING_RETURN, RMS_RECEIVED,  RMS_INSPECTED,    RMS_ANALYSED, RMS_REPAIRED,
    RMS_REPLACED,        RMS_QC_PASSED, RMS_SHIPPED_BACK, RMS_CLOSED,   RMS_CANCELLED,
};
#define NTARGETS  (sizeof(targets) / sizeof(targets[0]))
#define DEMO_NOTE "电话诊断：主轴轴承损坏，返厂维修"

static enum sh_code act(const struct uc *u, int64_t id, enum rma_action a, struct rma_action_in in,
                        struct sh_err *e)
{
    in.id = id;
    in.if_match = -1;
    in.action = a;
    if (!in.charge_fen)
        in.charge_fen = -1;
    return uc_rma_action(u, &in, e);
}

/* The ship-back shipment through its chain to the customer's receipt. */
static enum sh_code ship_chain(const struct uc *u, int64_t rma, struct sh_err *e)
{
    struct rma_view r;
    struct shipment_view v;
    enum sh_code rc = uc_rma_get(u, rma, &r, e);
    int64_t sid = rc ? 0 : db_get_int(&r.row, 0, "shipment_id", 0);
    static const enum shp_action path[] = {SHA_ISSUE_ORDER, SHA_HAND_OVER, SHA_RELEASE,
                                           SHA_DISPATCH, SHA_RECEIVE};
    /* the repaired unit keeps its own dates (its warranty does not restart) */
    struct db_rows d;
    if (!rc)
        rc = db_query(u->tx, u->a,
                      "SELECT COALESCE(production_date, '2025-06-01') AS p, COALESCE(ship_date, "
                      "'2025-06-15') AS s FROM units WHERE id = $1",
                      DB_P(DB_INT(db_get_int(&r.row, 0, "unit_id", 0))), &d, e);
    for (size_t i = 0; !rc && i < sizeof(path) / sizeof(path[0]); i++) {
        if (path[i] == SHA_RELEASE && !(rc = uc_shipment_get(u, sid, &v, e))) {
            for (int k = 0; !rc && k < v.tasks.nrows; k++) {
                struct task_row t;
                rc = uc_task_done(u, db_get_int(&v.tasks, k, "id", 0), "已收到发货单", &t, e);
            }
            struct shipment_line_set_in l = {sid, db_get_int(&v.lines, 0, "id", 0),
                                             db_get(&r.row, 0, "serial_no"), db_get(&d, 0, "p"),
                                             db_get(&d, 0, "s")};
            if (!rc)
                rc = uc_shipment_line_set(u, &l, e);
        }
        struct shipment_action_in in = {.id = sid,
                                        .if_match = -1,
                                        .action = path[i],
                                        .carrier = "顺丰速运",
                                        .waybill_no = "SF7300000001",
                                        .signer = "王工",
                                        .certificate_sent = 1};
        if (!rc)
            rc = uc_shipment_action(u, &in, e);
    }
    return rc;
}

static void put(const struct uc *u, struct fval *v, const char *name, json_t *j, enum sh_code *rc,
                struct sh_err *e)
{
    int i = ent_colidx(&ent_approvals, name);
    if (!*rc && i >= 0)
        *rc = ent_parse_value(u->a, &ent_approvals.cols[i], j, &v[i], e);
    json_decref(j);
}

/* WF-06: the replacement request, approved by the after-sales head the matrix names. */
static enum sh_code approve_replacement(const struct uc *u, int64_t rma, const char *purpose,
                                        struct sh_err *e)
{
    struct rma_view r;
    enum sh_code rc = uc_rma_get(u, rma, &r, e);
    if (rc)
        return rc;
    size_t sz = sizeof(struct fval) * (size_t)ent_approvals.ncols;
    struct fval *v = sh_arena_alloc(u->a, sz);
    memset(v, 0, sz);
    put(u, v, "kind", json_string("replacement"), &rc, e);
    put(u, v, "purpose", json_string(purpose), &rc, e);
    put(u, v, "customer_id", json_integer(db_get_int(&r.row, 0, "customer_id", 0)), &rc, e);
    put(u, v, "ticket_id", json_integer(db_get_int(&r.row, 0, "ticket_id", 0)), &rc, e);
    int64_t id = 0;
    if (rc || (rc = uc_ent_insert(u, &ent_approvals, v, &id, NULL, e)))
        return rc;
    /* decided by an after-sales head, not by the demo's admin who filed it */
    struct db_rows d;
    if ((rc = db_query(u->tx, u->a,
                       "SELECT min(id) AS id FROM users WHERE active = 1 AND id <> $1 AND "
                       "(',' || roles || ',') LIKE '%,dept_head,%'",
                       DB_P(DB_INT(u->who->user_id)), &d, e)))
        return rc;
    struct principal head = *u->who;
    head.user_id = db_get_int(&d, 0, "id", 0);
    head.roles = RB(DEPT_HEAD);
    struct uc h = *u;
    h.who = &head;
    struct approval_decide_in in = {
        .id = id, .approve = true, .comment = "同意更换", .if_match = -1};
    const char *json;
    /* a demo without its users has no other head: the admin who filed it decides, as the
     * approvals' rule lets the only one who can (docs/approvals.md) */
    return uc_approval_decide(head.user_id ? &h : u, &in, &json, e);
}

/* WF-20 S3-S7: out of warranty the analysis proposes the repair's charge (1,800 yuan), billed
 * once the customer accepts it (demo_consent); the RMAs that ship back are paid first, the one
 * that stops at qc_passed waits for finance. */
static enum sh_code demo_charge(const struct uc *u, int64_t id, enum rma_action a,
                                struct rma_action_in *in, struct sh_err *e)
{
    struct rma_view r;
    enum sh_code rc = uc_rma_get(u, id, &r, e);
    if (rc)
        return rc;
    if (a == RMA_ANALYSE && db_get_int(&r.row, 0, "chargeable", 0))
        in->charge_fen = 180000;
    int64_t open =
        db_get_int(&r.row, 0, "charge_amount_fen", 0) - db_get_int(&r.row, 0, "charge_paid_fen", 0);
    if (a != RMA_SHIP_BACK || open <= 0)
        return SH_OK;
    char today[11];
    sh_date_format(ticket_local_date(u->now), today);
    return demo_charge_pay(u, db_get_int(&r.row, 0, "charge_id", 0), "customer", open, today, e);
}

/* WF-20 S4-S5: the customer accepted the proposed charge on the phone, so the repair goes on;
 * the RMA that stops at analysed waits for the customer's decision. */
static enum sh_code demo_consent(const struct uc *u, int64_t id, enum rma_state to,
                                 const struct rma_action_in *in, struct sh_err *e)
{
    if (to == RMS_ANALYSED || in->charge_fen <= 0)
        return SH_OK;
    return act(u, id, RMA_CONSENT,
               (struct rma_action_in){
                   .decision = "accept", .channel = "phone", .note = "客户电话确认接受维修费用"},
               e);
}

static enum sh_code advance(const struct uc *u, int64_t id, enum rma_state to, struct sh_err *e)
{
    static const enum rma_action path[] = {RMA_RECEIVE,     RMA_INSPECT_IN, RMA_ANALYSE, RMA_REPAIR,
                                           RMA_INSPECT_OUT, RMA_SHIP_BACK,  RMA_CLOSE};
    static const enum rma_state after[] = {RMS_RECEIVED, RMS_INSPECTED, RMS_ANALYSED,
                                           RMS_REPAIRED, RMS_QC_PASSED, RMS_SHIPPED_BACK,
                                           RMS_CLOSED};
    struct rma_action_in in = {.findings = "外观完好，通电后主轴异响，轴承间隙超差",
                               .cause_category = "material",
                               .cause_analysis = "轴承材料硬度不足，批次 2025-05",
                               .note = "更换主轴轴承并做动平衡",
                               .ship_to = "客户现场"};
    if (to == RMS_CANCELLED)
        return act(u, id, RMA_CANCEL, (struct rma_action_in){.note = "客户自行修复"}, e);
    enum rma_state st = RMS_AWAITING_RETURN;
    enum sh_code rc = SH_OK;
    for (size_t i = 0; !rc && st != to && i < sizeof(path) / sizeof(path[0]); i++) {
        enum rma_action a = path[i];
        if (a == RMA_REPAIR && to == RMS_REPLACED) {
            a = RMA_REPLACE;
            in.cause_category = "manufacturing";
            in.old_unit_handling = "returned";
            if ((rc = approve_replacement(u, id, "主轴制造缺陷，申请整机更换", e)))
                return rc;
        }
        if (a == RMA_ANALYSE && to == RMS_REPLACED)
            in.cause_category = "manufacturing";
        if (a == RMA_CLOSE && (rc = ship_chain(u, id, e)))
            return rc;
        if ((a == RMA_ANALYSE || a == RMA_SHIP_BACK) && (rc = demo_charge(u, id, a, &in, e)))
            return rc;
        if (a == RMA_INSPECT_OUT)
            in.findings = "运行 30 分钟，噪音与温升正常";
        rc = act(u, id, a, in, e);
        if (!rc && a == RMA_ANALYSE)
            rc = demo_consent(u, id, to, &in, e);
        st = a == RMA_REPLACE ? RMS_REPLACED : after[i];
    }
    return rc;
}

/* A repair (or DOA) ticket of the unit, accepted and sent to the factory: its RMA. */
static enum sh_code open_one(const struct uc *u, int64_t unit, const char *type, int64_t *rma,
                             struct sh_err *e)
{
    struct ticket_intake_in in = {.channel = "phone",
                                  .type = type,
                                  .unit_id = unit,
                                  .caller_phone = "13800000000",
                                  .description = "主轴异响，电话诊断为轴承损坏"};
    struct ticket_intake_out out;
    struct ticket_action_out ao;
    enum sh_code rc = uc_ticket_intake(u, &in, &out, e);
    struct ticket_action_in a = {
        .id = out.id, .act = TA_ASSIGN, .assignee_id = u->who->user_id, .if_match = -1};
    if (rc || (rc = uc_ticket_action(u, &a, &ao, e)))
        return rc;
    a.act = TA_ACCEPT;
    a.assignee_id = 0;
    if ((rc = uc_ticket_action(u, &a, &ao, e)))
        return rc;
    a.act = TA_SEND_TO_FACTORY;
    a.note = DEMO_NOTE;
    if ((rc = uc_ticket_action(u, &a, &ao, e)))
        return rc;
    struct db_rows r;
    rc = db_query(u->tx, u->a, "SELECT max(id) AS id FROM rmas WHERE ticket_id = $1",
                  DB_P(DB_INT(out.id)), &r, e);
    *rma = rc ? 0 : db_get_int(&r, 0, "id", 0);
    return rc;
}

/* WF-08 (review 68 M9): a DOA unit's advance exchange, the replacement approved and its
 * shipment requested, the old unit awaited until its return date. */
static enum sh_code demo_advance_exchange(const struct uc *u, int *n, struct sh_err *e)
{
    struct db_rows r;
    int64_t rma = 0;
    char today[11];
    sh_date_format(ticket_local_date(u->now), today);
    /* in warranty: an advance exchange is refused out of it (review 72 #4) */
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT max(id) AS id FROM units WHERE customer_id IS NOT NULL AND "
                               "status = 'installed' AND warranty_end >= $1 AND id NOT IN "
                               "(SELECT unit_id FROM rmas)",
                               DB_P(DB_TEXT(today)), &r, e);
    if (rc || !db_get_int(&r, 0, "id", 0) ||
        (rc = open_one(u, db_get_int(&r, 0, "id", 0), "doa", &rma, e)) || !rma ||
        (rc = approve_replacement(u, rma, "到货即损，申请先换后返", e)))
        return rc;
    rc = act(u, rma, RMA_ADVANCE,
             (struct rma_action_in){.ship_to = "客户现场", .note = "到货即损：先发新机，旧机返厂"},
             e);
    if (!rc)
        (*n)++;
    return rc;
}

enum sh_code demo_rma(const struct uc *c, int *n, struct sh_err *e)
{
    struct db_rows r, units;
    *n = 0;
    /* other demo records send tickets to the factory too: these are recognised by their note */
    enum sh_code rc = db_query(c->tx, c->a, "SELECT count(*) AS n FROM rmas WHERE fault = $1",
                               DB_P(DB_TEXT(DEMO_NOTE)), &r, e);
    if (rc || db_get_int(&r, 0, "n", 0) > 0)
        return rc;
    if ((rc = db_query(c->tx, c->a, "SELECT min(id) AS id FROM users WHERE roles LIKE '%admin%'",
                       DB_NOP, &r, e)) ||
        (rc = db_query(c->tx, c->a,
                       "SELECT id FROM units WHERE customer_id IS NOT NULL AND status IN "
                       "('installed', 'shipped') ORDER BY id DESC LIMIT 10",
                       DB_NOP, &units, e)))
        return rc;
    struct principal who = {
        .user_id = db_get_int(&r, 0, "id", 0), .username = "demo", .roles = RB(ADMIN)};
    if (!who.user_id) /* no admin account yet (demo before init): nobody to act */
        return SH_OK;
    struct uc u = *c;
    u.who = &who;
    struct db_rows fresh; /* the replacement needs a unit in warranty */
    if ((rc = db_query(c->tx, c->a,
                       "SELECT id FROM units WHERE customer_id IS NOT NULL AND status = "
                       "'installed' AND install_date >= $1 ORDER BY id LIMIT 1",
                       DB_P(DB_TEXT("2026-06-01")), &fresh, e)))
        return rc;
    struct db_rows expired; /* the analysed one proposes a charge: a unit out of warranty */
    char today[11];
    sh_date_format(ticket_local_date(u.now), today);
    if ((rc = db_query(c->tx, c->a,
                       "SELECT id FROM units WHERE customer_id IS NOT NULL AND status IN "
                       "('installed', 'shipped') AND warranty_end < $1 ORDER BY id LIMIT 1",
                       DB_P(DB_TEXT(today)), &expired, e)))
        return rc;
    for (int i = 0; !rc && i < units.nrows && i < (int)NTARGETS; i++) {
        int64_t rma = 0, unit = db_get_int(&units, i, "id", 0);
        if (targets[i] == RMS_REPLACED && !fresh.nrows)
            continue;
        if (targets[i] == RMS_REPLACED)
            unit = db_get_int(&fresh, 0, "id", 0);
        if (targets[i] == RMS_ANALYSED && expired.nrows) /* waits for the customer's consent */
            unit = db_get_int(&expired, 0, "id", 0);
        if (!(rc = open_one(&u, unit, "repair", &rma, e)) && rma &&
            !(rc = advance(&u, rma, targets[i], e)))
            (*n)++;
    }
    return rc ? rc : demo_advance_exchange(&u, n, e);
}
