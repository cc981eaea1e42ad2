/* SPDX-License-Identifier: MIT */
/* Complaint/return notices and material samples as demo data: each notice filed through the
 * entity engine and taken by the actions of app/complaints.c up to its state. */
#include "cli/demo_cmpl.h"

#include <inttypes.h>
#include <string.h>

#include "app/complaints.h"
#include "app/entity.h"

struct demo_notice {
    enum complaint_state to;
    const char *channel, *request, *product, *batch, *description, *defect;
};

static const struct demo_notice notices[] = {
    {CPS_RECEIVED, "letter", "repair", "XR-200 数控车床", "2026-10", "来函：主轴异响，要求上门维修",
     NULL},
    {CPS_ROUTED, "fax", "replace", "衣柜门板", "B2611", "传真：门板色差明显，要求更换",
     "colour_difference"},
    {CPS_ANALYSED, "visit", "return", "书柜", "B2609", "上门投诉：层板变形，要求退货", NULL},
    {CPS_ACTION_TAKEN, "sample", "compensation", "LED 模组", "L2608", "寄回样品：批量暗点",
     "function"},
    {CPS_VERIFIED, "phone", "repair", "XR-200 数控车床", "2026-09", "电话：防护罩松动", NULL},
    {CPS_CLOSED, "letter", "replace", "衣柜", "B2605", "来函：柜体开裂", NULL},
    {CPS_REFUSED, "phone", "compensation", "书桌", "B2604", "电话：使用一年后表面划痕，要求赔偿",
     NULL},
};
#define NNOTICES (sizeof(notices) / sizeof(notices[0]))

static void put(const struct uc *u, const struct entity *ent, struct fval *v, const char *name,
                json_t *j, enum sh_code *rc, struct sh_err *e)
{
    int i = ent_colidx(ent, name);
    if (!*rc && i >= 0 && j)
        *rc = ent_parse_value(u->a, &ent->cols[i], j, &v[i], e);
    json_decref(j);
}

static struct fval *vals(const struct uc *u, const struct entity *ent)
{
    size_t sz = sizeof(struct fval) * (size_t)ent->ncols;
    struct fval *v = sh_arena_alloc(u->a, sz);
    memset(v, 0, sz);
    return v;
}

static enum sh_code step(const struct uc *u, int64_t id, enum complaint_action a,
                         struct complaint_action_in in, struct sh_err *e)
{
    in.id = id;
    in.if_match = -1;
    in.action = a;
    if (!in.charge_fen)
        in.charge_fen = -1;
    if (!in.credit_fen)
        in.credit_fen = -1;
    return uc_complaint_action(u, &in, e);
}

/* route → acknowledge → analyse → act → verify → close, stopping at `to`. */
static enum sh_code advance(const struct uc *u, int64_t id, enum complaint_state to, int64_t dept,
                            struct sh_err *e)
{
    enum sh_code rc = SH_OK;
    if (to == CPS_RECEIVED)
        return SH_OK;
    if (to == CPS_REFUSED)
        return step(u, id, CPA_REFUSE,
                    (struct complaint_action_in){.note = "正常使用磨损，不属质量问题"}, e);
    struct complaint_action_in r = {.note = "请品保部与工程部处理", .nroutes = 1};
    r.routes[0].department_id = dept;
    if ((rc = step(u, id, CPA_ROUTE, r, e)) || to == CPS_ROUTED)
        return rc;
    struct complaint_view v;
    if ((rc = uc_complaint_get(u, id, &v, e)) ||
        (rc = uc_complaint_ack(u, id, db_get_int(&v.routes, 0, "id", 0), "已收到", e)) ||
        (rc = step(u, id, CPA_ANALYSE,
                   (struct complaint_action_in){.cause_category = "material",
                                                .cause_analysis = "板材含水率超标",
                                                .corrective_action = "来料检验增加含水率抽检"},
                   e)) ||
        to == CPS_ANALYSED)
        return rc;
    if ((rc = step(u, id, CPA_ACT,
                   (struct complaint_action_in){
                       .decision = "credit", .credit_fen = 50000, .note = "补偿客户 500 元"},
                   e)) ||
        to == CPS_ACTION_TAKEN)
        return rc;
    if ((rc = step(u, id, CPA_VERIFY,
                   (struct complaint_action_in){.verification = "连续三批来料抽检合格"}, e)) ||
        to == CPS_VERIFIED)
        return rc;
    return step(u, id, CPA_CLOSE, (struct complaint_action_in){0}, e);
}

static enum sh_code samples(const struct uc *u, int64_t complaint, struct sh_err *e)
{
    /* requested, in_progress, done, cancelled */
    static const char *const path[4][2] = {
        {NULL, NULL}, {"in_progress", NULL}, {"in_progress", "done"}, {"cancelled", NULL}};
    static const char *const due[] = {"2026-12-20", "2026-11-30", "2026-11-20", "2026-12-01"};
    enum sh_code rc = SH_OK;
    for (int i = 0; !rc && i < 4; i++) {
        struct fval *v = vals(u, &ent_material_samples);
        const struct entity *s = &ent_material_samples;
        put(u, s, v, "kind", json_string(i == 1 ? "sample_making" : "material_sample"), &rc, e);
        put(u, s, v, "subject", json_string(i == 1 ? "展会样柜制作" : "板材样品（含水率复检）"),
            &rc, e);
        put(u, s, v, "owner_id", json_integer(u->who->user_id), &rc, e);
        put(u, s, v, "due_on", json_string(due[i]), &rc, e);
        put(u, s, v, "complaint_id", i == 0 ? json_integer(complaint) : NULL, &rc, e);
        int64_t id;
        if (!rc)
            rc = uc_ent_insert(u, s, v, &id, NULL, e);
        for (int k = 0; !rc && k < 2 && path[i][k]; k++) {
            struct fval *w = vals(u, s);
            put(u, s, w, "status", json_string(path[i][k]), &rc, e);
            if (!strcmp(path[i][k], "done"))
                put(u, s, w, "result", json_string("样品已交付，客户确认"), &rc, e);
            struct ent_written out;
            if (!rc)
                rc = uc_ent_update(u, s, id, -1, w, &out, e);
        }
    }
    return rc;
}

static enum sh_code load(const struct uc *u, int *n, struct sh_err *e);

enum sh_code demo_cmpl(const struct uc *c, int *n, struct sh_err *e)
{
    struct db_rows r;
    *n = 0;
    enum sh_code rc = db_query(
        c->tx, c->a, "SELECT min(id) AS id FROM users WHERE roles LIKE '%admin%'", DB_NOP, &r, e);
    struct principal who = {
        .user_id = rc ? 0 : db_get_int(&r, 0, "id", 0), .username = "demo", .roles = RB(ADMIN)};
    if (rc || !who.user_id) /* no admin account yet: nobody to file and route them */
        return rc;
    struct uc u = *c;
    u.who = &who;
    return load(&u, n, e);
}

static enum sh_code load(const struct uc *u, int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT (SELECT count(*) FROM complaints) AS n, (SELECT min(id) "
                               "FROM customers) AS cust, (SELECT min(id) FROM departments) AS dept",
                               NULL, 0, &r, e);
    if (rc || db_get_int(&r, 0, "n", 0) > 0 || !db_get(&r, 0, "cust"))
        return rc;
    int64_t cust = db_get_int(&r, 0, "cust", 0), dept = db_get_int(&r, 0, "dept", 0), first = 0;
    for (size_t i = 0; !rc && i < NNOTICES; i++) {
        const struct demo_notice *d = &notices[i];
        const struct entity *c = &ent_complaints;
        struct fval *v = vals(u, c);
        put(u, c, v, "customer_id", json_integer(cust), &rc, e);
        put(u, c, v, "channel", json_string(d->channel), &rc, e);
        put(u, c, v, "request", json_string(d->request), &rc, e);
        put(u, c, v, "product", json_string(d->product), &rc, e);
        put(u, c, v, "batch", json_string(d->batch), &rc, e);
        put(u, c, v, "description", json_string(d->description), &rc, e);
        put(u, c, v, "defect", d->defect ? json_string(d->defect) : NULL, &rc, e);
        put(u, c, v, "sample_received", json_boolean(!strcmp(d->channel, "sample")), &rc, e);
        int64_t id;
        if (!rc && !(rc = uc_ent_insert(u, c, v, &id, NULL, e)))
            rc = advance(u, id, d->to, dept, e);
        if (!first)
            first = id;
        (*n)++;
    }
    return rc ? rc : samples(u, first, e);
}
