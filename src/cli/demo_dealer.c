/* SPDX-License-Identifier: MIT */
/* Demo dealers' installation applications (CAB 3.1.1-3.1.7) filed through the entity engine
 * and moved through their actions like the API does. */
#include "cli/demo_dealer.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "app/dealer_apps.h"
#include "base/date.h"

static const char *day(const struct uc *u, int delta)
{
    char *s = sh_arena_alloc(u->a, 11);
    if (s)
        sh_date_format(sh_civil_from_days((u->now + 8 * 3600) / 86400 + delta), s);
    return s;
}

/* Files one application for dealer (as of u->now). */
static enum sh_code file(const struct uc *u, int64_t dealer, const char *project, int sets,
                         const char *series, int64_t *id, struct sh_err *e)
{
    const struct entity *ent = &ent_dealer_applications;
    json_t *o = json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "dealer_id",
                          (json_int_t)dealer, "project_name", project, "project_ref", "BA-2026-118",
                          "sets", sets, "series", series, "site_address",
                          "昆明市呈贡区彩云北路 88 号", "site_contact", "李工", "site_phone",
                          "13987100000", "wanted_from", day(u, 7), "wanted_to", day(u, 14));
    struct fval *v = sh_arena_alloc(u->a, sizeof(*v) * (size_t)ent->ncols);
    enum sh_code rc = v ? SH_OK : sh_err_set(e, SH_INTERNAL, "out of memory");
    if (v)
        memset(v, 0, sizeof(*v) * (size_t)ent->ncols);
    const char *k;
    json_t *x;
    json_object_foreach(o, k, x)
    {
        int i = ent_colidx(ent, k);
        if (!rc)
            rc = i < 0 ? sh_err_set(e, SH_INTERNAL, "no column %s", k)
                       : ent_parse_value(u->a, &ent->cols[i], x, &v[i], e);
    }
    json_decref(o);
    return rc ? rc : uc_ent_insert(u, ent, v, id, NULL, e);
}

static enum sh_code act(const struct uc *u, int64_t id, enum dapp_action a, const char *note,
                        struct sh_err *e)
{
    const char *json;
    struct dapp_act_in in = {.id = id,
                             .action = a,
                             .note = note,
                             .queue_note = "演示数据",
                             .order_no = "DD-2026-1203",
                             .price_fen = 38650000,
                             .has_price = true,
                             .appliances = 3,
                             .accessories = 12,
                             .departure_date = day(u, 10),
                             .if_match = -1};
    return uc_dealer_app_act(u, &in, &json, e);
}

struct demo_app {
    const char *project, *series;
    int sets;
    enum dapp_action steps[3];
    int nsteps;
    const char *note;
};

enum sh_code demo_dealer(const struct uc *u, int *n, struct sh_err *e)
{
    *n = 0;
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a,
                 "SELECT (SELECT COUNT(*) FROM dealer_applications) AS n, (SELECT id "
                 "FROM customers WHERE type = 'dealer' ORDER BY id LIMIT 1) AS dealer",
                 DB_NOP, &r, e);
    int64_t dealer = rc ? 0 : db_get_int(&r, 0, "dealer", 0);
    if (rc || !dealer || db_get_int(&r, 0, "n", 0))
        return rc;
    static const struct demo_app apps[] = {
        {"滇池国际公寓精装三期", "经典系列", 160, {DAA_APPROVE}, 1, "已安排安装人员"},
        {"翠湖样板间", "时尚系列", 2, {DAA_REFUSE}, 1, "样板单原则上由经销商自行安装"},
        {"呈贡新区人才公寓",
         "时尚系列",
         300,
         {DAA_APPROVE, DAA_NOT_SUPPORTED},
         2,
         "安装人员已全部派出，无法支持"},
        {"阳宗海度假酒店", "经典系列以上", 45, {DAA_APPROVE, DAA_SEND_AGREEMENT}, 2, NULL},
        {"世博生态城 12 栋",
         "经典系列",
         18,
         {DAA_APPROVE, DAA_SEND_AGREEMENT, DAA_CONFIRM},
         3,
         NULL},
        {"官渡古镇商住楼", "时尚系列", 60, {DAA_CANCEL}, 1, "项目延期"},
    };
    for (size_t i = 0; !rc && i < sizeof apps / sizeof apps[0]; i++) {
        int64_t id = 0;
        rc = file(u, dealer, apps[i].project, apps[i].sets, apps[i].series, &id, e);
        for (int s = 0; !rc && s < apps[i].nsteps; s++)
            rc = act(u, id, apps[i].steps[s], apps[i].note ? apps[i].note : "", e);
        *n += !rc;
    }
    /* waiting for an answer: one filed three days ago (overdue), one today */
    struct uc past = *u;
    past.now = u->now - 3 * 86400;
    int64_t id;
    if (!rc && !(rc = file(&past, dealer, "北市区花园小区 A 区", 120, "经典系列", &id, e)))
        ++*n;
    if (!rc && !(rc = file(u, dealer, "安宁温泉山谷别墅", 36, "时尚系列", &id, e)))
        ++*n;
    return rc;
}
