/* SPDX-License-Identifier: MIT */
/* Demo knowledge articles and improvement inputs through the same use cases as the API
 * (uc_ent_insert, uc_kb_link). */
#include "cli/demo_know.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "app/kb.h"

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
    const char *title, *symptom, *category, *cause, *solution, *source, *note, *status;
    int helped; /* demo tickets it helped */
} ARTICLES[] = {
    {"开机无显示：电源模块老化", "设备开机后指示灯不亮，屏幕无任何显示，风扇不转。", "no_power",
     "电源模块使用超过五年，滤波电容鼓包失效。", "更换电源模块（PSU-650），开机自检正常。",
     "ticket", "", "published", 3},
    {"屏幕闪烁、花屏：高清线缆接触不良", "屏幕间歇闪烁，偶尔出现横纹花屏，拍打机壳后好转。",
     "display", "高清线缆接头氧化，插座松动。",
     "更换 3 米高清线缆并紧固插座，连续运行两小时无复现。", "ticket", "", "published", 2},
    {"外机漏水：排水管堵塞", "空调外机下方持续滴水，排水口有积水溢出。", "mechanical",
     "排水管被树叶和泥沙堵塞，冷凝水倒流。", "拆下排水管冲洗，加装防堵滤网，建议每季度清理。",
     "seminar", "2026年10月售后技术研讨会", "published", 1},
    {"压缩机不启动：启动电容失效", "开机后外机嗡嗡响，压缩机不启动，数分钟后保护停机。",
     "electrical", "启动电容容量衰减至标称值的40%。", "更换同规格启动电容，测量运行电流正常。",
     "ticket", "", "published", 2},
    {"频繁跳闸：漏电保护动作", "设备运行约半小时后总闸跳闸，复位后可再运行。", "electrical",
     "加热管绝缘下降，对地漏电 12mA。", "更换加热管，绝缘电阻恢复到 50MΩ 以上。", "ticket", "",
     "published", 1},
    {"扫描床无法升降：限位开关错位", "CT 扫描床升降按钮无反应，控制面板报限位错误。", "mechanical",
     "运输震动导致上限位开关支架移位。", "重新调整限位开关位置并紧固，指导客户复位升降电机。",
     "ticket", "", "published", 4},
    {"图像伪影：探测器温度过高", "扫描图像出现环形伪影，下午更明显。", "equipment_other",
     "机房空调故障，探测器温度超出范围。", "修复机房空调，重新做空气校准后图像正常。", "seminar",
     "2026年11月疑难问题交流会", "published", 0},
    {"触摸屏失灵：需要重新校准", "触摸位置与实际点击位置偏移，部分区域无响应。", "display",
     "更换主板后未做触摸校准。", "进入维护菜单执行五点校准，保存后重启。", "ticket", "",
     "published", 2},
    {"软件升级失败：固件版本过旧", "升级包安装到 60% 报错回滚。", "software",
     "当前固件低于 2.3，不支持跨版本升级。", "先升级到 2.3 过渡版本，再安装最新升级包。", "seminar",
     "2026年9月软件升级培训", "published", 0},
    {"网络连接失败：网口防雷器击穿", "设备无法连接医院网络，网口指示灯不亮。", "electrical",
     "雷雨后网口防雷器击穿短路。", "更换防雷器，建议机房加装等电位接地。", "ticket", "",
     "published", 0},
    {"风扇异响：轴承磨损", "设备运行时有尖锐异响，温度正常。", "mechanical", "", "", "ticket", "",
     "draft", 0},
    {"真空度不够：密封圈老化", "抽真空时间明显变长，达不到设定值。", "mechanical",
     "密封圈硬化开裂。", "更换密封圈并涂抹真空脂（待验证效果）。", "seminar",
     "2026年11月疑难问题交流会", "draft", 0},
    {"电池无法充电", "主机电池显示充电中但电量不增加。", "electrical", "电池循环次数到限。", "",
     "ticket", "", "draft", 0},
    {"旧款打印机卡纸（已停产机型）", "热敏打印机频繁卡纸。", "mechanical", "胶辊老化。",
     "更换胶辊。该机型已停产，改用新款打印模块。", "ticket", "", "archived", 0},
    {"2024 版软件登录缓慢（已修复）", "登录界面等待超过一分钟。", "software",
     "旧版本数据库索引缺失。", "2025 年 3 月版本已修复，升级即可。", "seminar", "2025年技术研讨会",
     "archived", 0},
};

static const struct {
    const char *kind, *title, *body, *status, *reply;
} INPUTS[] = {
    {"customer_need", "希望增加远程查看设备日志", "医院设备科希望不到现场也能看到报警日志。", "new",
     ""},
    {"product_feedback", "排水口位置不便清理", "多家客户反映外机排水口贴近墙面，清理困难。",
     "accepted", "已转结构组，下一批次外机排水口外移 3 厘米。"},
    {"customer_need", "需要英文操作界面", "外资医院要求操作界面提供英文。", "rejected",
     "现有版本已支持英文，指导客户在设置中切换即可。"},
    {"product_feedback", "触摸屏更换后需自动校准", "维修后经常忘记校准导致二次上门。", "done",
     "2026.12 固件已加入更换后首次开机自动校准。"},
};

static enum sh_code ids_of(const struct uc *u, const char *sql, int64_t *out, int max, int *n,
                           struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, sql, NULL, 0, &r, e);
    *n = 0;
    for (int i = 0; !rc && i < r.nrows && i < max; i++)
        out[(*n)++] = db_get_int(&r, i, "id", 0);
    return rc;
}

static enum sh_code inputs(const struct uc *u, const int64_t *tickets, int nt, struct sh_err *e)
{
    enum sh_code rc = SH_OK;
    for (size_t i = 0; !rc && nt && i < sizeof INPUTS / sizeof INPUTS[0]; i++) {
        int64_t id;
        rc = insert(u, &ent_improvement_inputs,
                    json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "kind", INPUTS[i].kind, "title",
                              INPUTS[i].title, "body", INPUTS[i].body, "status", INPUTS[i].status,
                              "reply", INPUTS[i].reply, "ticket_id",
                              (json_int_t)tickets[i % (size_t)nt]),
                    &id, e);
    }
    return rc;
}

enum sh_code demo_know(const struct uc *u, int *n, struct sh_err *e)
{
    int64_t models[8], tickets[12];
    int nm = 0, nt = 0, have = 0;
    enum sh_code rc = ids_of(u, "SELECT id FROM kb_articles LIMIT 1", models, 1, &have, e);
    if (rc || have ||
        (rc = ids_of(u, "SELECT id FROM product_models ORDER BY id LIMIT 8", models, 8, &nm, e)) ||
        (rc = ids_of(u, "SELECT id FROM tickets ORDER BY id LIMIT 12", tickets, 12, &nt, e)))
        return rc;
    for (size_t i = 0; !rc && i < sizeof ARTICLES / sizeof ARTICLES[0]; i++) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title", ARTICLES[i].title,
                              "symptom", ARTICLES[i].symptom, "cause", ARTICLES[i].cause,
                              "solution", ARTICLES[i].solution, "source", ARTICLES[i].source,
                              "source_note", ARTICLES[i].note, "status", ARTICLES[i].status);
        if (strcmp(ARTICLES[i].category, "equipment_other"))
            json_object_set_new(o, "fault_category", json_string(ARTICLES[i].category));
        if (nm)
            json_object_set_new(o, "model_id", json_integer(models[i % (size_t)nm]));
        int64_t id;
        if ((rc = insert(u, &ent_kb_articles, o, &id, e)))
            break;
        (*n)++;
        for (int k = 0; !rc && k < ARTICLES[i].helped && k < nt; k++) {
            struct kb_link_out lo;
            rc = uc_kb_link(u, tickets[(i + (size_t)k) % (size_t)nt], id, &lo, e);
        }
    }
    return rc ? rc : inputs(u, tickets, nt, e);
}
