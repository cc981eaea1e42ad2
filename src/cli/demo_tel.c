/* SPDX-License-Identifier: MIT */
/* Demo data of issue 18 items 2, 5 and 6 through the same use cases as the API. */
#include "cli/demo_tel.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/contract_reqs.h"
#include "app/phone_records.h"
#include "app/suppliers.h"
#include "base/date.h"

static int64_t first(const struct uc *u, const char *sql, struct sh_err *e)
{
    struct db_rows r;
    if (db_query(u->tx, u->a, sql, NULL, 0, &r, e) || !r.nrows)
        return 0;
    return db_get_int(&r, 0, "id", 0);
}

static const char *at(const struct uc *u, int64_t hours)
{
    char *s = sh_arena_alloc(u->a, 21);
    sh_ts_format(u->now + hours * 3600, s);
    return s;
}

static enum sh_code set(const struct uc *u, const struct entity *ent, struct fval *v,
                        const char *col, const char *text, struct sh_err *e)
{
    int i = ent_colidx(ent, col);
    json_t *j = !strcmp(col, "out_of_town_dealer") ? json_true()
                : ent->cols[i].kind == F_ID || ent->cols[i].kind == F_INT
                    ? json_integer(strtoll(text, NULL, 10))
                    : json_string(text);
    enum sh_code rc = ent_parse_value(u->a, &ent->cols[i], j, &v[i], e);
    json_decref(j);
    return rc;
}

/* One record: direction, hours ago, who, phone, content, key matters, link column and id. */
static enum sh_code record(const struct uc *u, const char *const *f, int64_t ago, const char *link,
                           int64_t link_id, int64_t *id, struct sh_err *e)
{
    const struct entity *ent = &ent_phone_records;
    struct fval *v = sh_arena_alloc(u->a, sizeof(*v) * (size_t)ent->ncols);
    memset(v, 0, sizeof(*v) * (size_t)ent->ncols);
    static const char *const cols[] = {
        "direction", "caller", "phone", "content", "key_matters", "address", "out_of_town_dealer"};
    enum sh_code rc = set(u, ent, v, "called_at", at(u, -ago), e);
    for (int i = 0; !rc && i < 7; i++)
        if (f[i])
            rc = set(u, ent, v, cols[i], f[i], e);
    if (!rc)
        rc = set(u, ent, v, link, sh_arena_printf(u->a, "%" PRId64, link_id), e);
    return rc ? rc : uc_ent_insert(u, ent, v, id, NULL, e);
}

static enum sh_code phones(const struct uc *u, struct sh_err *e)
{
    int64_t cust =
        first(u, "SELECT id FROM customers WHERE type = 'company' ORDER BY id LIMIT 1", e);
    int64_t dealer =
        first(u, "SELECT id FROM customers WHERE type = 'dealer' ORDER BY id LIMIT 1", e);
    int64_t head = first(u,
                         "SELECT id FROM users WHERE active = 1 AND roles LIKE '%dept_head%' "
                         "ORDER BY id LIMIT 1",
                         e);
    if (!cust)
        return SH_OK;
    static const char *const calls[][7] = {
        {"in", "外地经销商 刘经理", "0871-65432100", "询问新机型到货时间及安装安排",
         "要求本周内答复", "昆明市五华区东风西路 88 号", "1"},
        {"out", "客户 设备科王工", "13800001111", "回访：设备运行正常，提出培训需求",
         "客户要求加派培训", NULL, NULL},
        {"in", "客户 采购部李经理", "13900002222", "投诉配件交期延误", "需主管出面协调", NULL,
         NULL},
        {"in", "客户 张主任", "010-88886666", "设备报警，询问是否在保", "要求明天上门", NULL, NULL},
    };
    int64_t ids[4];
    enum sh_code rc = SH_OK;
    for (int i = 0; !rc && i < 4; i++) {
        const char *row[7];
        memcpy(row, calls[i], sizeof(row));
        if (!dealer)
            row[6] = NULL; /* an out-of-town dealer's call needs the dealer */
        rc = record(u, row, i == 3 ? 50 : 3 + i, i == 0 && dealer ? "dealer_id" : "customer_id",
                    i == 0 && dealer ? dealer : cust, &ids[i], e);
    }
    if (rc || !head)
        return rc;
    const char *json;
    struct phone_forward_in f1 = {ids[1], head, at(u, 24), "请安排培训"};
    struct phone_forward_in f2 = {ids[2], head, at(u, 20), NULL};
    struct phone_forward_in f3 = {ids[3], head, at(u, -24), "客户着急"}; /* overdue */
    if ((rc = uc_phone_forward(u, &f1, &json, e)) || (rc = uc_phone_forward(u, &f2, &json, e)) ||
        (rc = uc_phone_forward(u, &f3, &json, e)))
        return rc;
    return phone_record_task_done(u, ids[2], "已与物流确认，周四发货，已回复客户", e);
}

static enum sh_code insert(const struct uc *u, const struct entity *ent, const char *const *kv,
                           int n, int64_t *id, struct sh_err *e)
{
    struct fval *v = sh_arena_alloc(u->a, sizeof(*v) * (size_t)ent->ncols);
    memset(v, 0, sizeof(*v) * (size_t)ent->ncols);
    enum sh_code rc = SH_OK;
    for (int i = 0; !rc && i < n; i += 2) {
        int c = ent_colidx(ent, kv[i]);
        json_t *j = ent->cols[c].kind == F_ID || ent->cols[c].kind == F_INT
                        ? json_integer(strtoll(kv[i + 1], NULL, 10))
                        : json_string(kv[i + 1]);
        rc = ent_parse_value(u->a, &ent->cols[c], j, &v[c], e);
        json_decref(j);
    }
    return rc ? rc : uc_ent_insert(u, ent, v, id, NULL, e);
}

static enum sh_code act(const struct uc *u, int64_t id, const char *a, const char *answer,
                        int64_t hours, struct sh_err *e)
{
    struct supplier_case_act_in in = {id, a, answer, at(u, hours)};
    const char *json;
    return uc_supplier_case_act(u, &in, &json, e);
}

static enum sh_code suppliers(const struct uc *u, struct sh_err *e)
{
    int64_t part = first(u, "SELECT id FROM parts WHERE code = 'FAN-80'", e);
    int64_t model = first(u, "SELECT id FROM product_models ORDER BY id LIMIT 1", e);
    if (!part || !model)
        return SH_OK;
    char day[11], pid[24], mid[24], sid[24];
    sh_date_format(sh_civil_from_days((u->now + 8 * 3600) / 86400 - 30), day);
    snprintf(pid, sizeof(pid), "%" PRId64, part);
    snprintf(mid, sizeof(mid), "%" PRId64, model);
    int64_t sup, c1, c2, k1, k2, k3;
    const char *s[] = {"name",  "东莞宏达电机有限公司", "contact", "陈经理",
                       "phone", "0769-22334455",        "address", "东莞市长安镇工业园 6 号"};
    enum sh_code rc = insert(u, &ent_suppliers, s, 8, &sup, e);
    snprintf(sid, sizeof(sid), "%" PRId64, sup);
    const char *a[] = {"supplier_id",    sid,
                       "part_id",        pid,
                       "response_hours", "24",
                       "contacts",       "陈经理 13700001234",
                       "terms",          "24小时内答复，72小时内到场或寄件",
                       "valid_from",     day};
    const char *b[] = {"supplier_id",    sid,  "model_id", mid,
                       "response_hours", "48", "contacts", "售后热线 400-800-1234",
                       "valid_from",     day};
    if (rc || (rc = insert(u, &ent_supplier_commitments, a, 12, &c1, e)) ||
        (rc = insert(u, &ent_supplier_commitments, b, 10, &c2, e)))
        return rc;
    struct supplier_case_in i1 = {.part_id = part, .problem = "风扇异响，疑似轴承批次问题"};
    struct supplier_case_in i2 = {.part_id = part, .problem = "风扇不转，已更换备件"};
    struct supplier_case_in i3 = {.model_id = model, .problem = "外购控制器死机"};
    if ((rc = uc_supplier_case_open(u, &i1, &k1, e)) ||
        (rc = uc_supplier_case_open(u, &i2, &k2, e)) ||
        (rc = uc_supplier_case_open(u, &i3, &k3, e)))
        return rc;
    if ((rc = act(u, k2, "send", NULL, -30, e)) ||
        (rc = act(u, k2, "answer", "确认批次问题，免费补发 20 只", -10, e)) ||
        (rc = act(u, k3, "send", NULL, -80, e)) ||
        (rc = act(u, k3, "answer", "需返厂检测，已寄出", -20, e)))
        return rc;
    return act(u, k3, "close", NULL, -2, e);
}

static enum sh_code contracts(const struct uc *u, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT DISTINCT contract_id AS id FROM units WHERE contract_id IS "
                               "NOT NULL ORDER BY contract_id LIMIT 2",
                               NULL, 0, &r, e);
    for (int i = 0; !rc && i < r.nrows; i++)
        rc =
            db_exec(u->tx,
                    "UPDATE contracts SET service_owed = $2, special_requirements = $3 WHERE id "
                    "= $1 AND service_owed = '' AND special_requirements = ''",
                    DB_P(DB_INT(db_get_int(&r, i, "id", 0)),
                         DB_TEXT(i ? "一年免费保修，季度巡检" : "两年免费上门维护，每季度巡检一次"),
                         DB_TEXT(i ? "" : "特殊包装：防潮木箱；进入洁净车间须穿防静电服")),
                    NULL, e);
    const char *json;
    if (!rc && r.nrows)
        rc = uc_contract_review(u, db_get_int(&r, 0, "id", 0), &json, e);
    return rc == SH_CONFLICT ? (sh_err_clear(e), SH_OK) : rc;
}

enum sh_code demo_tel(const struct uc *u, struct sh_err *e)
{
    if (first(u, "SELECT id FROM phone_records LIMIT 1", e))
        return SH_OK;
    enum sh_code rc = phones(u, e);
    if (!rc)
        rc = suppliers(u, e);
    return rc ? rc : contracts(u, e);
}
