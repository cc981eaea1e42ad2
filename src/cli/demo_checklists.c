/* SPDX-License-Identifier: MIT */
/* The checklists of the source documents: the cabinet installation acceptance standard
 * (INSTF 一–五: plane error < 2 mm, door gaps < 2 mm / < 3 mm; R-150…R-154), the server rack
 * site and assembly checks (SRV1, SRV2; ), the field-service conduct rules (HW
 * 1.1.5–1.1.12, GEN 三.5, FUR 2.2.2–2.4.5; ), and a general on-site
 * repair checklist. */
#include "cli/demo_checklists.h"

#include <jansson.h>
#include <string.h>

#include "app/checklist_entities.h"
#include "app/checklists.h"
#include "app/entity.h"
#include "app/wo_photos.h"
#include "cli/demo_reports.h"

enum { NONE = -1 };

struct demo_item {
    const char *kind, *label, *label_en, *source;
    int64_t min, max; /* hundredths; NONE: no bound */
    bool min_incl, max_incl;
    const char *unit;
};

struct demo_template {
    const char *code, *name, *name_en, *category, *series, *kind;
    int before, after;
    const struct demo_item *items;
};

#define CHECK(l, en, src)                                                                          \
    {                                                                                              \
        "check", l, en, src, NONE, NONE, true, false, ""                                           \
    }
#define CONDUCT(l, en, src)                                                                        \
    {                                                                                              \
        "conduct", l, en, src, NONE, NONE, true, false, ""                                         \
    }
#define PHOTO(l, en, src)                                                                          \
    {                                                                                              \
        "photo", l, en, src, NONE, NONE, true, false, ""                                           \
    }
#define BELOW(l, en, src, max, u)                                                                  \
    {                                                                                              \
        "measure", l, en, src, NONE, max, true, false, u                                           \
    }
#define ABOVE(l, en, src, min, u)                                                                  \
    {                                                                                              \
        "measure", l, en, src, min, NONE, false, false, u                                          \
    }
#define RANGE(l, en, src, a, b, u)                                                                 \
    {                                                                                              \
        "measure", l, en, src, a, b, true, true, u                                                 \
    }
#define END                                                                                        \
    {                                                                                              \
        NULL, NULL, NULL, NULL, NONE, NONE, false, false, NULL                                     \
    }

/* the four conduct rules every visit keeps (on time, shoe covers, no gifts, tidy site) */
#define CONDUCT_BASICS                                                                             \
    CONDUCT("按预约时间准时到达（提前3~5分钟）", "Arrived on time (3-5 minutes early)",            \
            "HW 1.1.5"),                                                                           \
        CONDUCT("进入用户家中/机房时戴鞋套、手套", "Shoe covers and gloves worn on entry",         \
                "FUR 2.4.3"),                                                                      \
        CONDUCT("未向用户索要或收受财物、礼品",                                                    \
                "No money, property or gifts asked for or accepted", "GEN 三.5"),                  \
        CONDUCT("完工后清理现场卫生", "Site cleaned after the work", "INSTF 一.5")

static const struct demo_item cabinet_items[] = {
    CHECK("柜体组装配件连接到位，柜体结构牢固", "Cabinet fittings connected, structure firm",
          "INSTF 二.1"),
    CHECK("背板与柜体插槽之间衔接紧密", "Back panel tight in its groove", "INSTF 二.1"),
    BELOW("柜体正面基准面误差", "Front reference plane error", "INSTF 二.1", 200, "mm"),
    CHECK("下柜侧板与固定层板安装牢固紧密", "Lower cabinet side panels and fixed shelves firm",
          "INSTF 二.2"),
    CHECK("上柜与下柜基准面一致，整组柜体平面高度在同一水平线上",
          "Upper and lower cabinets on one reference plane, the run level", "INSTF 二.2"),
    CHECK("铰链螺丝帽不突出、不歪斜；同一门板两个以上铰链在一条直线上",
          "Hinge screws flush and straight; hinges of one door in one vertical line", "INSTF 三.1"),
    CHECK("导轨与柜体正面进深一致且同在一水平线上", "Slide rails flush with the depth and level",
          "INSTF 三.2"),
    CHECK("抽屉、拉篮、裤架、格子架、旋转收缩镜抽拉顺滑，无异常声响",
          "Drawers, baskets and racks slide smoothly without noise", "INSTF 三.2"),
    CHECK("挂件、衣通、领带盒、酒架位置合乎用户习惯，稳固、水平",
          "Hangers, rails, tie boxes, wine racks placed as the user wants, firm and level",
          "INSTF 三.3"),
    CHECK("推拉门上下高度一致，推拉顺畅无异响，轨道与顶部、侧板边缘对齐",
          "Sliding doors at equal height, smooth and quiet, tracks aligned", "INSTF 四.1"),
    CHECK("门板安装稳固、开启灵活，拉手与铰链开孔无崩缺",
          "Doors firm and smooth, no chipping at handle and hinge holes", "INSTF 四.2"),
    CHECK("门板与阻尼器接触自然，平稳收缩", "Soft-close damper contact smooth", "INSTF 四.3"),
    CHECK("拉手安装工整对称，整体门板线条平直", "Handles straight and symmetric, door lines true",
          "INSTF 四.4"),
    BELOW("门板之间缝位", "Gap between doors", "INSTF 四.4", 200, "mm"),
    BELOW("门板上下缝位", "Top and bottom door gaps", "INSTF 四.4", 300, "mm"),
    CHECK("门板/抽面表面无刮花擦伤，无明显色差", "No scratches, no obvious colour difference",
          "INSTF 四.5"),
    CHECK("收口板裁切精准，与墙体缝隙紧密且上下一致",
          "Edge strips cut precisely, gap to the wall tight and even", "INSTF 五.1"),
    CHECK("收口板边缘细腻无崩口，玻璃胶干净、胶口宽窄一致",
          "Cut edges clean without chips, glass glue clean and even", "INSTF 五.2"),
    CONDUCT("组装时注意墙面保护，在包装上组装而非直接在地板上",
            "Walls protected; assembled on the packaging, not on the floor",
            "INSTF 一.4; FUR 2.4.5"),
    CONDUCT_BASICS,
    PHOTO("安装完成现场照片（传客服留存）", "Photo of the finished installation", "INSTF 一.5"),
    END,
};

static const struct demo_item server_items[] = {
    ABOVE("机柜角轨前后间距", "Rack angle-rail spacing front to back", "SRV1", 74000, "mm"),
    CHECK("机柜四脚调平、稳固", "Rack levelled on its four feet and stable", "SRV1"),
    CHECK("机柜接地良好", "Rack grounded", "SRV1"),
    RANGE("机房工作温度", "Operating temperature", "SRV1", 500, 3500, "°C"),
    RANGE("供电电压（正弦波 50–60 Hz）", "Supply voltage (sine wave 50-60 Hz)", "SRV1", 20000,
          24000, "V"),
    CHECK("硬件编号和性能与客户需求一致", "Part numbers and performance as the customer ordered",
          "SRV2 三.1"),
    CHECK("CPU针脚无弯曲（如有，报采购）", "CPU pins not bent (else report to purchasing)",
          "SRV2 三.2"),
    CHECK("RAID 虚拟磁盘已创建，操作系统已安装", "RAID virtual disk created, OS installed", "SRV2"),
    CONDUCT("未在机房抽烟、玩游戏、上与工作无关的网站",
            "No smoking, games or unrelated sites in "
            "the machine room",
            "HW 1.1.10"),
    CONDUCT("未操作与本次服务无关的设备或其他厂家设备",
            "No unrelated or other vendors' equipment operated", "HW 1.1.12"),
    CONDUCT_BASICS,
    PHOTO("上架完成照片", "Photo of the racked server", "HW 3.2"),
    END,
};

static const struct demo_item conduct_items[] = {
    CONDUCT("佩戴上岗证，穿工作服、戴工作帽，着装整洁",
            "Badge, uniform and cap worn, clean and tidy", "FUR 2.2.2; HW 1.1.6"),
    CONDUCT_BASICS,
    CONDUCT("未在客户现场处理与本次工作无关的事项", "No unrelated business on site", "HW 1.1.10"),
    CONDUCT("未经客户同意未使用客户电话", "Customer's phone used only with consent", "HW 1.1.11"),
    END,
};

static const struct demo_item repair_items[] = {
    CHECK("故障已排除，设备试运行正常", "Fault cleared, unit test-run normally", "GEN 二.1"),
    CHECK("已向用户讲解故障原因并传授维修保养常识",
          "Cause explained and care advice given to the user", "GEN 三.2"),
    CONDUCT_BASICS,
    END,
};

static const struct demo_template templates[] = {
    {"INSTF-CABINET", "整体厨柜/衣柜安装自检验收", "Cabinet installation self-check", "appliance",
     "整体厨柜", "installation", 1, 2, cabinet_items},
    {"SRV-RACK", "服务器上架安装自检", "Server rack installation self-check", "equipment", "服务器",
     "installation", 0, 1, server_items},
    {"REPAIR-ONSITE", "上门维修自检", "On-site repair self-check", NULL, "", "onsite_repair", 1, 1,
     repair_items},
    {"CONDUCT", "现场服务行为规范", "Field-service conduct", NULL, "", NULL, 0, 0, conduct_items},
};

/* Parses v into vals[name] (first error sticks in e). */
static enum sh_code put(const struct uc *u, const struct entity *ent, struct fval *vals,
                        const char *name, json_t *v, struct sh_err *e)
{
    int i = ent_colidx(ent, name);
    enum sh_code rc = i < 0 ? sh_err_set(e, SH_INTERNAL, "no column %s", name)
                            : ent_parse_value(u->a, &ent->cols[i], v, &vals[i], e);
    json_decref(v);
    return rc;
}

static enum sh_code load_item(const struct uc *u, int64_t tpl, int pos, const struct demo_item *it,
                              struct sh_err *e)
{
    const struct entity *ent = &ent_checklist_items;
    struct fval *v = sh_arena_alloc(u->a, sizeof(*v) * (size_t)ent->ncols);
    enum sh_code rc = put(u, ent, v, "template_id", json_integer(tpl), e);
    if (!rc)
        rc = put(u, ent, v, "position", json_integer(pos * 10), e);
    if (!rc)
        rc = put(u, ent, v, "kind", json_string(it->kind), e);
    if (!rc)
        rc = put(u, ent, v, "label", json_string(it->label), e);
    if (!rc)
        rc = put(u, ent, v, "label_en", json_string(it->label_en), e);
    if (!rc)
        rc = put(u, ent, v, "source", json_string(it->source), e);
    if (!rc)
        rc = put(u, ent, v, "unit", json_string(it->unit), e);
    if (!rc && it->min != NONE)
        rc = put(u, ent, v, "min_centi", json_integer(it->min), e);
    if (!rc && it->max != NONE)
        rc = put(u, ent, v, "max_centi", json_integer(it->max), e);
    if (!rc)
        rc = put(u, ent, v, "min_inclusive", json_boolean(it->min_incl), e);
    if (!rc)
        rc = put(u, ent, v, "max_inclusive", json_boolean(it->max_incl), e);
    int64_t id;
    return rc ? rc : uc_ent_insert(u, ent, v, &id, NULL, e);
}

static enum sh_code load_template(const struct uc *u, const struct demo_template *t,
                                  struct sh_err *e)
{
    const struct entity *ent = &ent_checklist_templates;
    struct fval *v = sh_arena_alloc(u->a, sizeof(*v) * (size_t)ent->ncols);
    enum sh_code rc = put(u, ent, v, "code", json_string(t->code), e);
    if (!rc)
        rc = put(u, ent, v, "name", json_string(t->name), e);
    if (!rc)
        rc = put(u, ent, v, "name_en", json_string(t->name_en), e);
    if (!rc)
        rc = put(u, ent, v, "product_category",
                 t->category ? json_string(t->category) : json_null(), e);
    if (!rc)
        rc = put(u, ent, v, "model_series", json_string(t->series), e);
    if (!rc)
        rc = put(u, ent, v, "work_order_kind", t->kind ? json_string(t->kind) : json_null(), e);
    if (!rc)
        rc = put(u, ent, v, "photos_before_min", json_integer(t->before), e);
    if (!rc)
        rc = put(u, ent, v, "photos_after_min", json_integer(t->after), e);
    int64_t id;
    if (rc || (rc = uc_ent_insert(u, ent, v, &id, NULL, e)))
        return rc;
    for (int i = 0; t->items[i].kind; i++)
        if ((rc = load_item(u, id, i + 1, &t->items[i], e)))
            return rc;
    return SH_OK;
}

enum sh_code demo_checklists(const struct uc *u, int *n, struct sh_err *e)
{
    *n = 0;
    for (size_t i = 0; i < sizeof(templates) / sizeof(templates[0]); i++) {
        struct db_rows r;
        enum sh_code rc =
            db_query(u->tx, u->a, "SELECT id FROM checklist_templates WHERE code = $1",
                     DB_P(DB_TEXT(templates[i].code)), &r, e);
        if (rc)
            return rc;
        if (r.nrows)
            continue;
        if ((rc = load_template(u, &templates[i], e))) {
            char msg[sizeof(e->msg)];
            memcpy(msg, e->msg, sizeof(msg));
            return sh_err_set(e, rc, "checklist %s: %s", templates[i].code, msg);
        }
        (*n)++;
    }
    return SH_OK;
}

/* A demo photo (a PNG drawn by k) of phase ph, for item (0: none), stored like an upload. */
static enum sh_code demo_photo(const struct uc *u, int64_t wo, const char *ph, int64_t item, int k,
                               int64_t *photo_id, struct sh_err *e)
{
    struct sh_buf png = SH_BUF_INIT(1 << 20);
    struct ticket_blob b;
    struct cl_photo_row row;
    const char *name = sh_arena_printf(u->a, "demo-%s-%d.png", ph, k);
    enum sh_code rc = demo_png(k, 320, 240, &png, e);
    if (!rc)
        rc = wo_photo_check(u->a, png.buf, png.len, name, &b, e);
    if (!rc)
        rc = ticket_blob_store(u->app->data_dir, &b, e);
    struct wo_photo_in in = {.work_order_id = wo, .phase = ph, .item_id = item, .blob = &b};
    if (!rc)
        rc = uc_wo_photo_add(u, &in, &row, e);
    sh_buf_release(&png);
    *photo_id = rc ? 0 : row.id;
    return rc;
}

/* A measured value that keeps the limit: the middle of a range, half a maximum, a little
 * above a minimum. */
static const char *passing_value(const struct uc *u, const struct cl_limit *l)
{
    int64_t v = l->has_min && l->has_max ? (l->min + l->max) / 2
                : l->has_max             ? l->max / 2
                                         : l->min + (l->min > 0 ? l->min / 50 : 0) + 1;
    char *s = sh_arena_alloc(u->a, 32);
    cl_decimal_format(v, s);
    return s;
}

static enum sh_code answer_line(const struct uc *u, int64_t wo, const struct checklist_line *l,
                                int k, struct sh_err *e)
{
    struct checklist_record_in in = {.work_order_id = wo, .item_id = l->item->id};
    struct checklist_view out;
    if (l->item->kind == CLK_PHOTO) /* the photo of a photo item answers it */
        return l->photos ? SH_OK : demo_photo(u, wo, "check", l->item->id, k, &in.photo_id, e);
    if (l->item->kind == CLK_MEASURE)
        in.value = passing_value(u, &l->item->limit);
    else
        in.has_passed = in.passed = true;
    return uc_checklist_record(u, &in, &out, e);
}

enum sh_code demo_checklist_pass(const struct uc *u, int64_t wo, struct sh_err *e)
{
    struct checklist_view v;
    int64_t id;
    enum sh_code rc = checklist_view_load(u, wo, &v, e);
    for (int i = v.before; !rc && i < v.tpl.photos_before_min; i++)
        rc = demo_photo(u, wo, "before", 0, i, &id, e);
    for (int i = v.after; !rc && i < v.tpl.photos_after_min; i++)
        rc = demo_photo(u, wo, "after", 0, 10 + i, &id, e);
    for (int i = 0; !rc && i < v.nlines; i++)
        if (!v.lines[i].result || !v.lines[i].result->passed)
            rc = answer_line(u, wo, &v.lines[i], 20 + i, e);
    return rc ? rc : uc_checklist_gate(u, wo, e);
}
