/* SPDX-License-Identifier: MIT */
/* Bulk loader of service requests (工单) for the benchmarks: customers with
 * realistic Chinese company names, then tickets with realistic after-sales text,
 * written straight into a database that holds the Shouhou schema (`shouhou init`).
 *
 * usage: bench_tickets_load (--sqlite PATH | --pg DSN) [--customers N] [--tickets T]
 *                           [--at-risk A] [--breached B] [--due D] [--seed S]
 *
 * Tickets are written in order of receipt (ids grow with received_at) over the
 * last ~3 years, about 900 a day. Columns are those POST /api/v1/tickets writes
 * (tickets.c intake_run): number SH-YYYYMMDD-NNNN continuing each day's
 * ticket_counters row, channel, type, status, priority, customer, region (the
 * customer's province), caller, phone, fault category, description, received_at,
 * the default SLA policy, billing, warranty status, and the `search` text the
 * server builds: "number caller phone customer-name serial description", with the
 * resolution note appended (" " + note, as append_search does) on resolved and
 * closed tickets. No units: serial is empty, as for a ticket taken by phone
 * without a serial number.
 *
 * Status by age: tickets older than 45 days are closed / resolved / cancelled;
 * younger ones are open with a probability that grows towards today (~15 000
 * open for 1M). Of the open ones, A (3000) are at_risk, B (2000) breached
 * (next_due_at, next_check_at set), D (1000) are due for the SLA scanner now
 * (next_check_at in the last 10 minutes); the other open tickets are 'ok' with
 * next_check_at in the future. Every open ticket has ticket_sla rows (reply,
 * remote, onsite). Closed tickets have next_check_at NULL.
 *
 * Speed: SQLite — synchronous=OFF, 1 GB cache, 100 000-row transactions, the
 * secondary indexes and the FTS5 triggers of tickets dropped during the load and
 * re-created from their own stored DDL afterwards (FTS5 'rebuild'), so the schema
 * ends exactly as `shouhou init` made it. PostgreSQL — COPY, with the pg_trgm GIN
 * index dropped and re-created from pg_indexes.indexdef. Both end with ANALYZE (PostgreSQL:
 * VACUUM (ANALYZE) of the two big tables first, as autovacuum would have done).
 * Prints one line: "tickets_load ENGINE customers=N tickets=T open=… at_risk=…
 * breached=… due=… sla_rows=… seconds=S". Deterministic for a given seed (apart
 * from the timestamps, which are relative to now). */
#include <libpq-fe.h>
#include <sqlite3.h>

#include "base/bigram.h"
#include "store/sqlite_funcs.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_NAME "bench_tickets_load"
#include "bench_util.h"

#define N_(a) (sizeof(a) / sizeof((a)[0]))

/* ---- vocabulary ---- */

static const char *const CITIES[] = {"苏州", "无锡", "常州", "南京", "杭州", "宁波", "温州", "绍兴",
                                     "合肥", "济南", "青岛", "烟台", "潍坊", "郑州", "洛阳", "武汉",
                                     "长沙", "成都", "重庆", "西安", "天津", "沈阳", "大连", "长春",
                                     "佛山", "东莞", "深圳", "广州", "厦门", "福州"};
static const char *const PROVINCES[] = {
    "江苏", "江苏", "江苏", "江苏", "浙江", "浙江", "浙江", "浙江", "安徽", "山东",
    "山东", "山东", "山东", "河南", "河南", "湖北", "湖南", "四川", "重庆", "陕西",
    "天津", "辽宁", "辽宁", "吉林", "广东", "广东", "广东", "广东", "福建", "福建"};
static const char *const CORES[] = {
    "华鑫", "恒瑞", "宏达", "永兴", "金泰", "海天", "瑞丰", "鼎盛", "博远", "天成", "信诚", "中联",
    "汇通", "盛世", "新宇", "东方", "长城", "富强", "正泰", "华润", "凯达", "明阳", "宇通", "德力",
    "振华", "嘉禾", "荣昌", "昌盛", "隆基", "森源", "润泽", "天顺", "鸿运", "万达", "联创", "精工",
    "三友", "大华", "金诚", "远航", "通力", "兴业", "创新", "恒达", "宝丰", "泰隆", "佳和", "安泰"};
static const char *const INDUSTRIES[] = {"机械", "电子", "化工", "纺织", "食品", "制药",
                                         "汽车", "建材", "钢铁", "塑料", "包装", "印刷",
                                         "环保", "能源", "物流", "医疗"};
static const char *const SURNAMES[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
                                       "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"};
static const char *const GIVEN[] = {
    "伟",   "芳",   "娜",   "敏",   "静",   "强",   "磊", "军",   "洋",   "勇",   "艳",   "杰",
    "娟",   "涛",   "明",   "超",   "秀英", "霞",   "平", "刚",   "建国", "建华", "国强", "志强",
    "海燕", "丽华", "春梅", "晓东", "文博", "子涵", "工", "经理", "师傅", "主任"};
static const char *const MODELS[] = {
    "数控机床", "激光切割机", "注塑机", "空压机", "冷水机组",     "工业机器人", "折弯机",
    "加工中心", "焊接机器人", "液压机", "包装机", "灌装机",       "贴标机",     "喷码机",
    "打印机",   "分拣机",     "输送线", "干燥机", "离心机",       "真空泵",     "发电机组",
    "变频器",   "伺服电机",   "检测仪", "光谱仪", "超声波清洗机", "雕刻机",     "锅炉",
    "除尘器",   "中央空调",   "配电柜", "叉车",   "电梯",         "工控机",     "触摸屏"};
/* fault phrases with weights: a few very common, a long tail of rare ones */
struct phrase {
    const char *text, *fault;
    int w;
};
static const struct phrase FAULTS[] = {{"无法开机", "no_power", 60},
                                       {"开机无反应", "no_power", 30},
                                       {"电源指示灯不亮", "no_power", 20},
                                       {"屏幕花屏", "display", 35},
                                       {"显示屏黑屏", "display", 25},
                                       {"触摸屏失灵", "display", 18},
                                       {"显示乱码", "display", 8},
                                       {"运行时异响", "mechanical", 40},
                                       {"主轴异响", "mechanical", 15},
                                       {"振动明显", "mechanical", 18},
                                       {"刀库卡刀", "mechanical", 10},
                                       {"送料卡顿", "mechanical", 14},
                                       {"输送带跑偏", "mechanical", 10},
                                       {"门锁故障", "mechanical", 5},
                                       {"频繁跳闸", "electrical", 25},
                                       {"主板故障", "electrical", 22},
                                       {"电机过热", "electrical", 20},
                                       {"变频器过流报警", "electrical", 12},
                                       {"编码器故障", "electrical", 8},
                                       {"伺服报警", "electrical", 15},
                                       {"急停无法复位", "electrical", 6},
                                       {"安全光栅误报", "electrical", 4},
                                       {"电池鼓包", "electrical", 2},
                                       {"系统死机", "software", 20},
                                       {"程序丢失", "software", 8},
                                       {"报错代码E03", "software", 10},
                                       {"软件需要升级", "software", 6},
                                       {"通讯中断", "network", 14},
                                       {"网络连接失败", "network", 12},
                                       {"精度偏差", "calibration", 16},
                                       {"定位不准", "calibration", 12},
                                       {"温度传感器报警", "calibration", 10},
                                       {"漏水", "leak", 30},
                                       {"漏油", "leak", 18},
                                       {"漏气", "leak", 10},
                                       {"压力不足", "leak", 12},
                                       {"打印头堵塞", "other", 15},
                                       {"喷码模糊", "other", 8},
                                       {"贴标偏移", "other", 6},
                                       {"制冷效果差", "other", 14},
                                       {"压缩机不启动", "other", 10},
                                       {"风扇不转", "other", 8},
                                       {"噪音过大", "mechanical", 12},
                                       {"加热不均匀", "other", 7},
                                       {"真空度不够", "other", 5},
                                       {"焊缝不均匀", "other", 5},
                                       {"液压油温过高", "other", 6},
                                       {"到货外包装破损", "damage", 5},
                                       {"外壳破损", "damage", 4},
                                       {"缺少配件", "installation", 5},
                                       {"安装后无法调试", "installation", 6},
                                       {"需要操作培训", "usage", 6},
                                       {"咨询保养周期", "usage", 8},
                                       {"更换滤芯", "usage", 6},
                                       {"耗材咨询", "usage", 5}};
static const char *const OPENINGS[] = {"客户来电反映", "客户反映",         "",
                                       "用户报修：",   "现场反馈",         "",
                                       "客户邮件称",   "设备管理员来电：", ""};
static const char *const WHEN[] = {"今早开始",
                                   "昨天下午起",
                                   "使用约三个月后",
                                   "间歇性出现",
                                   "停机后再启动时",
                                   "夜班期间",
                                   "更换耗材后",
                                   "",
                                   "",
                                   ""};
static const char *const DETAILS[] = {"已断电重启无效",
                                      "重启后仍然存在",
                                      "影响生产",
                                      "产线停工",
                                      "客户要求尽快上门",
                                      "希望今天派人",
                                      "请安排工程师",
                                      "已发现场照片",
                                      "设备在保修期内",
                                      "客户情绪较急",
                                      "需带备件上门",
                                      "远程指导未解决",
                                      "报警灯常亮",
                                      "操作员已按手册排查",
                                      "同批次设备也有类似情况",
                                      "客户要求出具维修报告"};
static const char *const NOTES[] = {"更换主板后恢复正常",     "清洗打印头后测试正常",
                                    "更换密封圈，试机无漏水", "重新校准后精度合格",
                                    "远程指导重启后解决",     "升级固件至最新版本",
                                    "更换电源模块",           "紧固接线端子，运行正常",
                                    "更换轴承后异响消除",     "已上门处理完毕，客户确认",
                                    "补发配件，客户自行安装", "培训操作人员后关闭"};

static const char *const CHANNELS[] = {"phone", "email",   "portal", "qr",
                                       "api",   "walk_in", "letter", "fax"};
static const int CHANNEL_W[] = {55, 10, 14, 9, 6, 3, 2, 1};
static const char *const TYPES[] = {"repair",   "consultation", "installation", "replacement",
                                    "return",   "complaint",    "doa",          "visit",
                                    "training", "upgrade"};
static const int TYPE_W[] = {55, 15, 8, 5, 3, 5, 2, 4, 1, 2};
static const char *const OPEN_ST[] = {
    "new",     "assigned",  "in_progress", "waiting_customer", "visit_scheduled",
    "on_site", "at_factory"};
static const int OPEN_W[] = {15, 20, 30, 15, 10, 5, 5};
static const char *const PRIOS[] = {"normal", "high", "low", "urgent"};
static const int PRIO_W[] = {75, 15, 6, 4};

static unsigned long long rng_state = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}
static int pick_w(const int *w, int n)
{
    int tot = 0;
    for (int i = 0; i < n; i++)
        tot += w[i];
    int r = (int)rnd((unsigned)tot);
    for (int i = 0; i < n; i++)
        if ((r -= w[i]) < 0)
            return i;
    return n - 1;
}
static const struct phrase *pick_fault(void)
{
    static int w[N_(FAULTS)];
    if (!w[0])
        for (size_t i = 0; i < N_(FAULTS); i++)
            w[i] = FAULTS[i].w;
    return &FAULTS[pick_w(w, (int)N_(FAULTS))];
}

static void ts_fmt(long long t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
/* the local (UTC+8) day of t as days since the epoch */
static long local_day(long long t)
{
    return (long)((t + 8 * 3600) / 86400);
}
static void day_fmt(long d, char out[11], char compact[9])
{
    time_t tt = (time_t)d * 86400;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
    strftime(compact, 9, "%Y%m%d", &tm);
}

static long long NOW_T;
static char NOW[21];

/* ---- customers ---- */

struct cust {
    long long id;
    char name[160], province[16];
};

struct cust_row {
    char code[32], name[160], province[16], city[16], search[400];
};

static void gen_customer(long n, struct cust_row *c)
{
    unsigned ci = rnd(N_(CITIES));
    unsigned s = rnd(100);
    const char *suffix = s < 60 ? "有限公司" : s < 85 ? "股份有限公司" : s < 95 ? "集团" : "制造厂";
    snprintf(c->code, sizeof(c->code), "TK%07ld", n);
    snprintf(c->name, sizeof(c->name), "%s%s%s%s", CITIES[ci], CORES[rnd(N_(CORES))],
             INDUSTRIES[rnd(N_(INDUSTRIES))], suffix);
    snprintf(c->province, sizeof(c->province), "%s", PROVINCES[ci]);
    snprintf(c->city, sizeof(c->city), "%s", CITIES[ci]);
    snprintf(c->search, sizeof(c->search), "%s %s %s %s    ", c->code, c->name, c->province,
             c->city);
}

/* ---- tickets ---- */

enum kind { K_CLOSED, K_RESOLVED, K_CANCELLED, K_OK, K_AT_RISK, K_BREACHED, K_DUE };

struct ticket {
    enum kind k;
    char number[20], recv[21], replied[21], resolved[21], closed[21], next_due[21], next_check[21];
    char caller[32], phone[16], desc[400], search[1200];
    const char *channel, *type, *status, *prio, *fault, *sla_state;
    const struct cust *c;
    long long received, due_t;
};

/* per-day counters: index = local day - first day */
static long FIRST_DAY;
static unsigned *COUNTERS;
static long NDAYS;

static void gen_ticket(long i, long n, const struct cust *cs, long nc, double p_risk,
                       double p_breach, double p_due, struct ticket *t)
{
    const long long span = 3LL * 365 * 86400;
    long long recv = NOW_T - span + (long long)((double)span * ((double)i + 0.5) / (double)n);
    recv -= rnd(60);
    if (recv > NOW_T - 120)
        recv = NOW_T - 120;
    t->received = recv;
    ts_fmt(recv, t->recv);
    long day = local_day(recv);
    char dtext[11], dc[9];
    day_fmt(day, dtext, dc);
    unsigned seq = ++COUNTERS[day - FIRST_DAY];
    snprintf(t->number, sizeof(t->number), "SH-%s-%04u", dc, seq);
    t->c = &cs[rnd((unsigned)nc)];
    t->channel = CHANNELS[pick_w(CHANNEL_W, (int)N_(CHANNEL_W))];
    t->type = TYPES[pick_w(TYPE_W, (int)N_(TYPE_W))];
    t->prio = PRIOS[pick_w(PRIO_W, (int)N_(PRIO_W))];
    snprintf(t->caller, sizeof(t->caller), "%s%s", SURNAMES[rnd(N_(SURNAMES))],
             GIVEN[rnd(N_(GIVEN))]);
    static const char *const pfx[] = {"138", "139", "136", "137", "150", "151", "158", "159",
                                      "186", "187", "188", "135", "131", "177", "199", "189"};
    snprintf(t->phone, sizeof(t->phone), "%s%08u", pfx[rnd(N_(pfx))], rnd(100000000));
    const struct phrase *f1 = pick_fault();
    t->fault = f1->fault;
    char second[64] = "";
    if (rnd(100) < 35) {
        const struct phrase *f2 = pick_fault();
        if (f2 != f1)
            snprintf(second, sizeof(second), "，%s", f2->text);
    }
    const char *d1 = DETAILS[rnd(N_(DETAILS))];
    char extra[80] = "";
    if (rnd(100) < 40)
        snprintf(extra, sizeof(extra), "，%s", DETAILS[rnd(N_(DETAILS))]);
    snprintf(t->desc, sizeof(t->desc), "%s%s%s%s%s，%s%s。", OPENINGS[rnd(N_(OPENINGS))],
             MODELS[rnd(N_(MODELS))], WHEN[rnd(N_(WHEN))], f1->text, second, d1, extra);

    /* status by age */
    double age_d = (double)(NOW_T - recv) / 86400.0;
    double p_open = age_d < 3 ? 0.9 : age_d < 10 ? 0.6 : age_d < 45 ? 0.3 : 0.0;
    t->replied[0] = t->resolved[0] = t->closed[0] = t->next_due[0] = t->next_check[0] = '\0';
    t->sla_state = "ok";
    double u = (double)rnd(1000000) / 1e6;
    if (u < p_open) {
        t->status = OPEN_ST[pick_w(OPEN_W, (int)N_(OPEN_W))];
        if (strcmp(t->status, "new"))
            ts_fmt(recv + 600 + rnd(3 * 3600), t->replied);
        double v = (double)rnd(1000000) / 1e6;
        if (v < p_risk) {
            t->k = K_AT_RISK;
            t->sla_state = "at_risk";
            t->due_t = NOW_T + 600 + rnd(8 * 3600);
            ts_fmt(t->due_t, t->next_due);
            ts_fmt(t->due_t, t->next_check);
        } else if (v < p_risk + p_breach) {
            t->k = K_BREACHED;
            t->sla_state = "breached";
            t->due_t = NOW_T - 600 - rnd(48 * 3600);
            if (t->due_t < recv + 600)
                t->due_t = recv + 600;
            ts_fmt(t->due_t, t->next_due);
            ts_fmt(NOW_T + 3600 + rnd(24 * 3600), t->next_check); /* next escalation */
        } else if (v < p_risk + p_breach + p_due) {
            t->k = K_DUE;
            t->due_t = NOW_T + 3600 + rnd(48 * 3600);
            ts_fmt(t->due_t, t->next_due);
            ts_fmt(NOW_T - 1 - rnd(600), t->next_check); /* its at-risk instant has passed */
        } else {
            t->k = K_OK;
            t->due_t = NOW_T + 3600 + rnd(72 * 3600);
            ts_fmt(t->due_t, t->next_due);
            ts_fmt(t->due_t - (t->due_t - recv) / 5, t->next_check); /* 80 % of the budget */
            if (strcmp(t->next_check, NOW) <= 0)
                ts_fmt(NOW_T + 60 + rnd(3600), t->next_check);
        }
    } else {
        unsigned s = rnd(100);
        long long done = recv + 1800 + rnd(5 * 86400);
        if (done > NOW_T - 60)
            done = NOW_T - 60;
        ts_fmt(recv + 300 + rnd(2 * 3600), t->replied);
        if (s < 2) {
            t->k = K_CANCELLED;
            t->status = "cancelled";
        } else if (s < 8 && age_d < 120) {
            t->k = K_RESOLVED;
            t->status = "resolved";
            ts_fmt(done, t->resolved);
        } else {
            t->k = K_CLOSED;
            t->status = "closed";
            ts_fmt(done, t->resolved);
            ts_fmt(done + rnd(3 * 86400) < NOW_T ? done + rnd(3 * 86400) : done, t->closed);
        }
    }
    /* search: "number caller phone cname serial desc" (+ " " + note when resolved) */
    int len = snprintf(t->search, sizeof(t->search), "%s %s %s %s  %s", t->number, t->caller,
                       t->phone, t->c->name, t->desc);
    if (t->k == K_RESOLVED || t->k == K_CLOSED)
        snprintf(t->search + len, sizeof(t->search) - (size_t)len, " %s", NOTES[rnd(N_(NOTES))]);
}

/* ticket_sla rows of an open ticket: reply, remote, onsite */
struct sla_row {
    const char *target, *state;
    char started[21], due[21], done[21];
    long long budget;
    int level;
};

static int gen_sla(const struct ticket *t, struct sla_row *r)
{
    if (t->k != K_OK && t->k != K_AT_RISK && t->k != K_BREACHED && t->k != K_DUE)
        return 0;
    static const char *const targets[] = {"onsite", "remote", "reply"};
    static const long long budgets[] = {2880 * 60, 120 * 60, 1440 * 60};
    for (int k = 0; k < 3; k++) {
        r[k].target = targets[k];
        r[k].budget = budgets[k];
        r[k].level = 0;
        snprintf(r[k].started, sizeof(r[k].started), "%s", t->recv);
        r[k].done[0] = '\0';
        if (k == 2 && t->replied[0]) {
            r[k].state = "met";
            ts_fmt(t->received + budgets[k], r[k].due);
            snprintf(r[k].done, sizeof(r[k].done), "%s", t->replied);
        } else if (k == 0) {
            r[k].state = t->k == K_AT_RISK    ? "at_risk"
                         : t->k == K_BREACHED ? "breached"
                                              : "running";
            r[k].level = t->k == K_BREACHED ? 1 : 0;
            snprintf(r[k].due, sizeof(r[k].due), "%s", t->next_due);
        } else {
            r[k].state = "running";
            ts_fmt(t->due_t + 3600 * (k + 1), r[k].due);
        }
    }
    return 3;
}

/* ---- SQLite ---- */

static void sq_step(sqlite3 *h, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        die("insert", sqlite3_errmsg(h));
    sqlite3_reset(st);
}

static void bt(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}
static void bts(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_TRANSIENT);
}

static long sq_long(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = sq_prep(h, sql);
    long v = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return v;
}

static struct cust *sq_customers(sqlite3 *h, long *n)
{
    sqlite3_stmt *st = sq_prep(h, "SELECT id, name, COALESCE(NULLIF(region, ''), province) "
                                  "FROM customers ORDER BY id");
    long cap = 1024;
    struct cust *r = malloc(sizeof(*r) * (size_t)cap);
    *n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap)
            r = realloc(r, sizeof(*r) * (size_t)(cap *= 2));
        r[*n].id = sqlite3_column_int64(st, 0);
        snprintf(r[*n].name, sizeof(r[*n].name), "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(r[*n].province, sizeof(r[*n].province), "%s",
                 (const char *)sqlite3_column_text(st, 2));
        (*n)++;
    }
    sqlite3_finalize(st);
    return r;
}

static const char *const TICKET_COLS =
    "number, channel, type, status, priority, customer_id, region, caller_name, caller_phone, "
    "fault_category, description, received_at, sla_policy_id, sla_state, next_due_at, billing, "
    "warranty_status, replied_at, resolved_at, closed_at, next_check_at, search, created_at, "
    "updated_at";

struct stats {
    long open, at_risk, breached, due, sla_rows;
};

static void count(struct stats *s, const struct ticket *t)
{
    s->open += t->k >= K_OK;
    s->at_risk += t->k == K_AT_RISK;
    s->breached += t->k == K_BREACHED;
    s->due += t->k == K_DUE;
}

#define TXN_ROWS 100000

static void load_sqlite(const char *path, long ncust, long ntickets, double pr, double pb,
                        double pd, struct stats *stats)
{
    sqlite3 *h;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        die(path, sqlite3_errmsg(h));
    sqlite3_busy_timeout(h, 30000);
    sq_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;"
               "PRAGMA cache_size=-1000000; PRAGMA temp_store=MEMORY;");
    sqlite3_stmt *st;
    if (ncust > 0) {
        long base = sq_long(h, "SELECT count(*) FROM customers");
        st = sq_prep(h, "INSERT INTO customers (code, name, type, province, city, search, "
                        "created_at, updated_at, first_contact_at, search_bi) "
                        "VALUES (?1, ?2, 'company', ?3, ?4, ?5, ?6, ?6, ?6, ?7)");
        sq_exec(h, "BEGIN");
        for (long i = 0; i < ncust; i++) {
            struct cust_row c;
            gen_customer(base + i + 1, &c);
            bts(st, 1, c.code);
            bts(st, 2, c.name);
            bts(st, 3, c.province);
            bts(st, 4, c.city);
            bts(st, 5, c.search);
            bts(st, 6, NOW);
            bts(st, 7, pairs_of(c.search));
            sq_step(h, st);
        }
        sq_exec(h, SQ_SEARCH_FLUSH);
        sq_exec(h, "COMMIT");
        sqlite3_finalize(st);
    }
    if (ntickets > 0) {
        long nc;
        struct cust *cs = sq_customers(h, &nc);
        if (!nc)
            die("tickets", "the database has no customers");
        /* existing day counters */
        st = sq_prep(h, "SELECT day, n FROM ticket_counters");
        while (sqlite3_step(st) == SQLITE_ROW) {
            struct tm tm = {0};
            if (!strptime((const char *)sqlite3_column_text(st, 0), "%Y-%m-%d", &tm))
                continue;
            long d = (long)(timegm(&tm) / 86400) - FIRST_DAY;
            if (d >= 0 && d < NDAYS)
                COUNTERS[d] = (unsigned)sqlite3_column_int64(st, 1);
        }
        sqlite3_finalize(st);
        /* secondary indexes and FTS triggers: dropped, re-created from their DDL after */
        sq_exec(h, "BEGIN");
        st = sq_prep(h, "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'tickets' AND "
                        "type IN ('index', 'trigger') AND sql IS NOT NULL");
        char *ddl[64], *names[64];
        int nddl = 0;
        while (sqlite3_step(st) == SQLITE_ROW && nddl < 64) {
            names[nddl] = strdup((const char *)sqlite3_column_text(st, 0));
            ddl[nddl++] = strdup((const char *)sqlite3_column_text(st, 1));
        }
        sqlite3_finalize(st);
        for (int i = 0; i < nddl; i++) {
            char sql[200];
            snprintf(sql, sizeof(sql), "DROP %s \"%s\"",
                     !strncmp(ddl[i], "CREATE TRIGGER", 14) ? "TRIGGER" : "INDEX", names[i]);
            sq_exec(h, sql);
        }
        sq_exec(h, "COMMIT");
        char sql[1024];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO tickets (%s) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                 "?12, 1, ?13, ?14, 'warranty', 'unknown', ?15, ?16, ?17, ?18, ?19, ?20, ?20)",
                 TICKET_COLS);
        st = sq_prep(h, sql);
        sqlite3_stmt *ss = sq_prep(h, "INSERT INTO ticket_sla (ticket_id, target, started_at, "
                                      "due_at, done_at, budget_seconds, state, escalation_level) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        for (long i = 0; i < ntickets; i++) {
            if (i % TXN_ROWS == 0)
                sq_exec(h, "BEGIN");
            struct ticket t;
            gen_ticket(i, ntickets, cs, nc, pr, pb, pd, &t);
            count(stats, &t);
            bts(st, 1, t.number);
            bts(st, 2, t.channel);
            bts(st, 3, t.type);
            bts(st, 4, t.status);
            bts(st, 5, t.prio);
            sqlite3_bind_int64(st, 6, t.c->id);
            bts(st, 7, t.c->province);
            bts(st, 8, t.caller);
            bts(st, 9, t.phone);
            bts(st, 10, t.fault);
            bts(st, 11, t.desc);
            bts(st, 12, t.recv);
            bts(st, 13, t.sla_state);
            bt(st, 14, t.next_due);
            bt(st, 15, t.replied);
            bt(st, 16, t.resolved);
            bt(st, 17, t.closed);
            bt(st, 18, t.next_check);
            bts(st, 19, t.search);
            bts(st, 20, t.recv);
            sq_step(h, st);
            struct sla_row r[3];
            int ns = gen_sla(&t, r);
            long long id = sqlite3_last_insert_rowid(h);
            for (int k = 0; k < ns; k++) {
                sqlite3_bind_int64(ss, 1, id);
                bts(ss, 2, r[k].target);
                bt(ss, 3, r[k].started);
                bt(ss, 4, r[k].due);
                bt(ss, 5, r[k].done);
                sqlite3_bind_int64(ss, 6, r[k].budget);
                bts(ss, 7, r[k].state);
                sqlite3_bind_int(ss, 8, r[k].level);
                sq_step(h, ss);
            }
            stats->sla_rows += ns;
            if (i % TXN_ROWS == TXN_ROWS - 1 || i == ntickets - 1)
                sq_exec(h, "COMMIT");
        }
        sqlite3_finalize(st);
        sqlite3_finalize(ss);
        free(cs);
        sq_exec(h, "BEGIN");
        st = sq_prep(h, "INSERT INTO ticket_counters (day, n) VALUES (?1, ?2) ON CONFLICT (day) "
                        "DO UPDATE SET n = max(ticket_counters.n, excluded.n)");
        for (long d = 0; d < NDAYS; d++) {
            if (!COUNTERS[d])
                continue;
            char dt[11], dc[9];
            day_fmt(FIRST_DAY + d, dt, dc);
            bts(st, 1, dt);
            sqlite3_bind_int64(st, 2, COUNTERS[d]);
            sq_step(h, st);
        }
        sqlite3_finalize(st);
        /* the character-pair text, as the server writes it (store/sqlite_funcs.c), filled
         * while the triggers are still away (a trigger would try to delete index entries
         * that were never made); both indexes are rebuilt after */
        if (sqlite_register_pairs(h) != SQLITE_OK)
            die("sqlite", "cannot register sh_pairs()");
        sq_exec(h, "UPDATE tickets SET search_bi = sh_pairs(search)");
        sq_exec(h, "UPDATE customers SET search_bi = sh_pairs(search) WHERE search_bi = ''");
        for (int i = 0; i < nddl; i++) {
            sq_exec(h, ddl[i]);
            free(ddl[i]);
            free(names[i]);
        }
        sq_exec(h, "INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild')");
        sq_exec(h, "INSERT INTO tickets_bi(tickets_bi) VALUES ('rebuild')");
        sq_exec(h, SQ_SEARCH_FLUSH);
        sq_exec(h, "COMMIT");
        sq_exec(h, "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;");
    }
    sqlite3_close(h);
}

/* ---- PostgreSQL (COPY) ---- */

static void pg_cmd(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        die(sql, PQerrorMessage(c));
    PQclear(r);
}

static PGresult *pg_q(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        die(sql, PQerrorMessage(c));
    return r;
}

struct copybuf {
    char *b;
    size_t len, cap;
};

static void cb_addf(struct copybuf *cb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cb_addf(struct copybuf *cb, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(cb->b + cb->len, cb->cap - cb->len, fmt, ap);
        va_end(ap);
        if ((size_t)n < cb->cap - cb->len) {
            cb->len += (size_t)n;
            return;
        }
        cb->cap = cb->cap * 2 + (size_t)n;
        cb->b = realloc(cb->b, cb->cap);
    }
}

static const char *nz(const char *s)
{
    return s && *s ? s : "\\N";
}

static void pg_copy_start(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN)
        die(sql, PQerrorMessage(c));
    PQclear(r);
}
static void pg_copy_put(PGconn *c, struct copybuf *cb)
{
    if (cb->len && PQputCopyData(c, cb->b, (int)cb->len) != 1)
        die("copy", PQerrorMessage(c));
    cb->len = 0;
}
static void pg_copy_end(PGconn *c)
{
    if (PQputCopyEnd(c, NULL) != 1)
        die("copy", PQerrorMessage(c));
    PGresult *r = PQgetResult(c);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        die("copy", PQerrorMessage(c));
    PQclear(r);
    while ((r = PQgetResult(c)))
        PQclear(r);
}

static void load_pg(const char *dsn, long ncust, long ntickets, double pr, double pb, double pd,
                    struct stats *stats)
{
    PGconn *c = PQconnectdb(dsn);
    if (PQstatus(c) != CONNECTION_OK)
        die(dsn, PQerrorMessage(c));
    pg_cmd(c, "SET synchronous_commit = off");
    pg_cmd(c, "SET maintenance_work_mem = '1GB'");
    struct copybuf cb = {malloc(1 << 20), 0, 1 << 20};
    if (ncust > 0) {
        PGresult *r = pg_q(c, "SELECT count(*) FROM customers");
        long base = atol(PQgetvalue(r, 0, 0));
        PQclear(r);
        pg_copy_start(c, "COPY customers (code, name, type, province, city, search, created_at, "
                         "updated_at, first_contact_at, search_bi) FROM STDIN");
        for (long i = 0; i < ncust; i++) {
            struct cust_row cr;
            gen_customer(base + i + 1, &cr);
            cb_addf(&cb, "%s\t%s\tcompany\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cr.code, cr.name,
                    cr.province, cr.city, cr.search, NOW, NOW, NOW, pairs_of(cr.search));
        }
        pg_copy_put(c, &cb);
        pg_copy_end(c);
    }
    if (ntickets > 0) {
        PGresult *r = pg_q(c, "SELECT id, name, COALESCE(NULLIF(region, ''), province) FROM "
                              "customers ORDER BY id");
        long nc = PQntuples(r);
        if (!nc)
            die("tickets", "the database has no customers");
        struct cust *cs = malloc(sizeof(*cs) * (size_t)nc);
        for (long i = 0; i < nc; i++) {
            cs[i].id = atoll(PQgetvalue(r, (int)i, 0));
            snprintf(cs[i].name, sizeof(cs[i].name), "%s", PQgetvalue(r, (int)i, 1));
            snprintf(cs[i].province, sizeof(cs[i].province), "%s", PQgetvalue(r, (int)i, 2));
        }
        PQclear(r);
        /* the server's per-day sequences (migration 0039) folded into the counters; dropped
         * after the load, the next intake of a day starts again above its counter */
        pg_cmd(c, "INSERT INTO ticket_counters (day, n) SELECT to_char(to_date(substr("
                  "sequencename, 11), 'YYYYMMDD'), 'YYYY-MM-DD'), last_value FROM pg_sequences "
                  "WHERE sequencename LIKE 'ticket\\_no\\_%' AND last_value IS NOT NULL ON "
                  "CONFLICT (day) DO UPDATE SET n = GREATEST(ticket_counters.n, excluded.n)");
        r = pg_q(c, "SELECT day, n FROM ticket_counters");
        for (int i = 0; i < PQntuples(r); i++) {
            struct tm tm = {0};
            if (!strptime(PQgetvalue(r, i, 0), "%Y-%m-%d", &tm))
                continue;
            long d = (long)(timegm(&tm) / 86400) - FIRST_DAY;
            if (d >= 0 && d < NDAYS)
                COUNTERS[d] = (unsigned)atol(PQgetvalue(r, i, 1));
        }
        PQclear(r);
        long long base = 0;
        r = pg_q(c, "SELECT COALESCE(MAX(id), 0) FROM tickets");
        base = atoll(PQgetvalue(r, 0, 0));
        PQclear(r);
        /* the trigram GIN index: built once after the load instead of row by row */
        r = pg_q(c, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'tickets' AND "
                    "indexdef LIKE '%gin%'");
        int ngin = PQntuples(r);
        char **gdef = calloc((size_t)ngin + 1, sizeof(char *));
        for (int i = 0; i < ngin; i++) {
            char sql[300];
            gdef[i] = strdup(PQgetvalue(r, i, 1));
            snprintf(sql, sizeof(sql), "DROP INDEX \"%s\"", PQgetvalue(r, i, 0));
            pg_cmd(c, sql);
        }
        PQclear(r);
        /* explicit ids (the sequence is moved past them after) so ticket_sla can point at them */
        char sql[1024];
        snprintf(sql, sizeof(sql), "COPY tickets (id, %s, search_bi) FROM STDIN", TICKET_COLS);
        pg_copy_start(c, sql);
        struct copybuf sb = {malloc(1 << 20), 0, 1 << 20};
        for (long i = 0; i < ntickets; i++) {
            struct ticket t;
            gen_ticket(i, ntickets, cs, nc, pr, pb, pd, &t);
            count(stats, &t);
            long long id = base + i + 1;
            cb_addf(&cb,
                    "%lld\t%s\t%s\t%s\t%s\t%s\t%lld\t%s\t%s\t%s\t%s\t%s\t%s\t1\t%s\t%s\twarranty\t"
                    "unknown\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
                    id, t.number, t.channel, t.type, t.status, t.prio, t.c->id, t.c->province,
                    t.caller, t.phone, t.fault, t.desc, t.recv, t.sla_state, nz(t.next_due),
                    nz(t.replied), nz(t.resolved), nz(t.closed), nz(t.next_check), t.search, t.recv,
                    t.recv, pairs_of(t.search));
            struct sla_row sr[3];
            int ns = gen_sla(&t, sr);
            for (int k = 0; k < ns; k++)
                cb_addf(&sb, "%lld\t%s\t%s\t%s\t%s\t%lld\t%s\t%d\n", id, sr[k].target,
                        nz(sr[k].started), nz(sr[k].due), nz(sr[k].done), sr[k].budget, sr[k].state,
                        sr[k].level);
            stats->sla_rows += ns;
            if (cb.len > (8u << 20))
                pg_copy_put(c, &cb);
        }
        pg_copy_put(c, &cb);
        pg_copy_end(c);
        pg_copy_start(c, "COPY ticket_sla (ticket_id, target, started_at, due_at, done_at, "
                         "budget_seconds, state, escalation_level) FROM STDIN");
        pg_copy_put(c, &sb);
        pg_copy_end(c);
        free(sb.b);
        pg_cmd(c, "SELECT setval(pg_get_serial_sequence('tickets', 'id'), "
                  "(SELECT MAX(id) FROM tickets))");
        for (long d = 0; d < NDAYS; d++) {
            if (!COUNTERS[d])
                continue;
            char dt[11], dc[9];
            day_fmt(FIRST_DAY + d, dt, dc);
            cb_addf(&cb, "%s\t%u\n", dt, COUNTERS[d]);
        }
        pg_cmd(c, "CREATE TEMP TABLE tc (day TEXT, n INTEGER)");
        pg_copy_start(c, "COPY tc FROM STDIN");
        pg_copy_put(c, &cb);
        pg_copy_end(c);
        pg_cmd(c, "INSERT INTO ticket_counters (day, n) SELECT day, n FROM tc ON CONFLICT (day) "
                  "DO UPDATE SET n = GREATEST(ticket_counters.n, excluded.n)");
        pg_cmd(c, "DO $$ DECLARE r record; BEGIN FOR r IN SELECT sequencename FROM pg_sequences "
                  "WHERE sequencename LIKE 'ticket\\_no\\_%' LOOP EXECUTE format('DROP SEQUENCE "
                  "%I', r.sequencename); END LOOP; END $$");
        for (int i = 0; i < ngin; i++) {
            pg_cmd(c, gdef[i]);
            free(gdef[i]);
        }
        free(gdef);
        free(cs);
        /* the tables as autovacuum leaves a live database: hint bits set and pages marked
         * all-visible, so the reports' index-only scans (migration 0042) read no table page
         * and the first reader does not write the whole table back (a COPY artefact) */
        pg_cmd(c, "VACUUM (ANALYZE) tickets");
        pg_cmd(c, "VACUUM (ANALYZE) ticket_sla");
        pg_cmd(c, "ANALYZE");
        PQclear(PQexec(c, "CHECKPOINT")); /* the load's WAL out before the figures (if allowed) */
    }
    free(cb.b);
    PQfinish(c);
}

int main(int argc, char **argv)
{
    const char *sqlite = NULL, *pg = NULL;
    long ncust = 0, ntickets = 0, n_risk = 3000, n_breach = 2000, n_due = 1000;
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            die(a, "needs a value");
        if (!strcmp(a, "--sqlite"))
            sqlite = v;
        else if (!strcmp(a, "--pg"))
            pg = v;
        else if (!strcmp(a, "--customers"))
            ncust = atol(v);
        else if (!strcmp(a, "--tickets"))
            ntickets = atol(v);
        else if (!strcmp(a, "--at-risk"))
            n_risk = atol(v);
        else if (!strcmp(a, "--breached"))
            n_breach = atol(v);
        else if (!strcmp(a, "--due"))
            n_due = atol(v);
        else if (!strcmp(a, "--seed"))
            rng_state ^= (unsigned long long)atoll(v) * 0x9E3779B97F4A7C15ULL;
        else
            die(a, "unknown option");
    }
    if (!sqlite == !pg) {
        fprintf(stderr, "usage: bench_tickets_load (--sqlite PATH | --pg DSN) [--customers N] "
                        "[--tickets T] [--at-risk A] [--breached B] [--due D] [--seed S]\n");
        return 2;
    }
    NOW_T = (long long)time(NULL);
    ts_fmt(NOW_T, NOW);
    FIRST_DAY = local_day(NOW_T - 3LL * 365 * 86400) - 1;
    NDAYS = local_day(NOW_T) - FIRST_DAY + 2;
    COUNTERS = calloc((size_t)NDAYS, sizeof(*COUNTERS));
    /* expected open tickets ≈ 900/day × (3×0.9 + 7×0.6 + 35×0.3) at 1M: scale the shares */
    double per_day = (double)ntickets / (3.0 * 365);
    double open = per_day * (3 * 0.9 + 7 * 0.6 + 35 * 0.3);
    double pr = open > 0 ? (double)n_risk / open : 0, pb = open > 0 ? (double)n_breach / open : 0,
           pd = open > 0 ? (double)n_due / open : 0;
    if (pr + pb + pd > 0.9) {
        double s = 0.9 / (pr + pb + pd);
        pr *= s, pb *= s, pd *= s;
    }
    struct stats st = {0};
    double t0 = now_s();
    if (sqlite)
        load_sqlite(sqlite, ncust, ntickets, pr, pb, pd, &st);
    else
        load_pg(pg, ncust, ntickets, pr, pb, pd, &st);
    printf("tickets_load %s customers=%ld tickets=%ld open=%ld at_risk=%ld breached=%ld due=%ld "
           "sla_rows=%ld seconds=%.2f\n",
           sqlite ? "sqlite" : "pg", ncust, ntickets, st.open, st.at_risk, st.breached, st.due,
           st.sla_rows, now_s() - t0);
    free(COUNTERS);
    return 0;
}
