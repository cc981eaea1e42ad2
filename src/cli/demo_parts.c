/* SPDX-License-Identifier: MIT */
/* Demo spare parts through the same use cases as the API: the catalogue, locations,
 * minimums and 旧件 with uc_ent_insert, every stock change with uc_stock_move (the ledger). */
#include "cli/demo_parts.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "app/parts.h"

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

static const struct {
    const char *code, *name, *models, *unit;
    int64_t price, cost, stock, min;
} PARTS[] = {
    {"MB-300", "主控板 MB-300", "CT-X1,CT-X2", "块", 268000, 152000, 6, 4},
    {"FAN-80", "散热风扇 80mm", "", "个", 8800, 4200, 40, 20},
    {"PSU-650", "开关电源 650W", "CT-X1", "台", 96000, 61000, 3, 5},
    {"SEN-T2", "温度传感器 T2", "", "个", 15000, 6800, 25, 10},
    {"CBL-HDMI", "高清线缆 3m", "", "根", 6000, 1800, 50, 10},
    {"LED-M1", "LED 模组 M1", "LED-P3", "块", 42000, 25500, 2, 6},
};

static enum sh_code move(const struct uc *u, const char *kind, int64_t part, int64_t qty,
                         int64_t from, int64_t to, int *n, struct sh_err *e)
{
    struct movement_in in = {.kind = kind,
                             .part_id = part,
                             .qty = qty,
                             .from_location_id = from,
                             .to_location_id = to,
                             .note = ""};
    struct movement_row out;
    enum sh_code rc = uc_stock_move(u, &in, &out, e);
    *n += !rc;
    return rc;
}

/* A van for every technician; vans[] gets their ids (up to 8). */
static enum sh_code vans(const struct uc *u, int64_t *out, int *nvans, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT id, display_name, username FROM users WHERE roles LIKE "
                               "'%technician%' AND active = 1 ORDER BY id LIMIT 8",
                               DB_NOP, &r, e);
    *nvans = 0;
    for (int i = 0; !rc && i < r.nrows; i++) {
        const char *dn = db_get(&r, i, "display_name");
        rc = insert(u, &ent_stock_locations,
                    json_pack("{s:s, s:s, s:s, s:I}", "code",
                              sh_arena_printf(u->a, "VAN-%s", db_get(&r, i, "username")), "name",
                              sh_arena_printf(u->a, "%s的车载库",
                                              dn && *dn ? dn : db_get(&r, i, "username")),
                              "kind", "van", "technician_id",
                              (json_int_t)db_get_int(&r, i, "id", 0)),
                    &out[*nvans], e);
        *nvans += !rc;
    }
    return rc;
}

/* A consumption on the first open work order whose lead has a van, and its 旧件. */
static enum sh_code on_work_order(const struct uc *u, const int64_t *part, int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a,
                 "SELECT w.id, w.lead_id FROM work_orders w JOIN stock_locations l ON "
                 "l.technician_id = w.lead_id WHERE w.status <> 'cancelled' "
                 "ORDER BY w.id LIMIT 1",
                 DB_NOP, &r, e);
    if (rc || !r.nrows)
        return rc;
    int64_t wo = db_get_int(&r, 0, "id", 0), id;
    struct movement_in in = {
        .kind = "consume", .part_id = part[1], .qty = 1, .work_order_id = wo, .note = ""};
    struct movement_row out;
    if ((rc = uc_stock_move(u, &in, &out, e)))
        return rc;
    (*n)++;
    return insert(u, &ent_faulty_parts,
                  json_pack("{s:I, s:I, s:I, s:s, s:s, s:b, s:s}", "part_id", (json_int_t)part[1],
                            "technician_id", (json_int_t)db_get_int(&r, 0, "lead_id", 0),
                            "work_order_id", (json_int_t)wo, "serial_no", "FAN80-2311-0457",
                            "fault", "轴承卡死，转速为零", "third_party", 1, "supplier",
                            "外协厂 东莞宏达电机"),
                  &id, e);
}

enum sh_code demo_parts(const struct uc *u, int *n, struct sh_err *e)
{
    struct db_rows r;
    *n = 0;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT id FROM parts LIMIT 1", DB_NOP, &r, e);
    if (rc || r.nrows)
        return rc;
    int64_t wh, part[6], van[8], id;
    int nvans;
    if ((rc = insert(u, &ent_stock_locations,
                     json_pack("{s:s, s:s, s:s}", "code", "WH-MAIN", "name", "总部配件库", "kind",
                               "warehouse"),
                     &wh, e)) ||
        (rc = vans(u, van, &nvans, e)))
        return rc;
    for (int i = 0; !rc && i < 6; i++) {
        rc = insert(u, &ent_parts,
                    json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "code", PARTS[i].code, "name",
                              PARTS[i].name, "models", PARTS[i].models, "unit", PARTS[i].unit,
                              "price_fen", (json_int_t)PARTS[i].price, "cost_fen",
                              (json_int_t)PARTS[i].cost),
                    &part[i], e);
        if (!rc)
            rc = move(u, "receipt", part[i], PARTS[i].stock, 0, wh, n, e);
        if (!rc)
            rc = insert(u, &ent_stock_minimums,
                        json_pack("{s:I, s:I, s:I}", "part_id", (json_int_t)part[i], "location_id",
                                  (json_int_t)wh, "min_qty", (json_int_t)PARTS[i].min),
                        &id, e);
        int64_t q = i == 1 ? 3 : 1; /* to every van while half the stock stays */
        for (int k = 0; !rc && k < nvans && (i < 2 || i == 3) && (k + 1) * q <= PARTS[i].stock / 2;
             k++)
            rc = move(u, "issue", part[i], q, wh, van[k], n, e);
    }
    return rc ? rc : on_work_order(u, part, n, e);
}
