/* SPDX-License-Identifier: MIT */
/* The knowledge suggestions of the intake and ticket pages (issue 18 items 4 and 9: target
 * p99 <= 50 ms server time over 10,000 articles). Makes a fresh SQLite database with the
 * server's schema (db_open migrates it), 50 product models and N published articles of
 * realistic Chinese fault text (title, symptom, cause, solution: ~150 characters, a model,
 * a helped count), indexed by the migration's triggers as the server's writes are; then,
 * after a warm-up, times uc_kb_suggest (app/kb.c: the same use case GET
 * /api/v1/kb-articles/suggest runs) in its own read transaction for Q random fault
 * descriptions of 3 to 5 phrases and a random model.
 *
 * Tickets do not enter this query: an article's helped count is kept on the article
 * (kb_articles.helped_count, updated with each kb_links row in the same transaction), and
 * the candidates come from the articles' pair index alone; the 1,000,000 tickets of the
 * issue's figure live in other tables and other indexes, which the query never reads.
 * So the figure is measured over the articles alone.
 *
 * usage:  bench_kb_suggest [--articles N] [--queries Q] [--db PATH]
 * prints: kb_suggest articles=N queries=Q p50_ms=... p99_ms=... cpu_p99_ms=...
 *         avg_items=... load_s=... PASS|MISS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "bench_kb_suggest"
#include "bench_util.h"

#include "app/kb.h"
#include "base/log.h"
#include "store/db.h"

#define NMODELS 50

static const char *const symptoms[] = {
    "开机无显示",   "屏幕闪烁",   "外机漏水",       "压缩机不启动", "风扇异响",
    "温度过高报警", "通讯中断",   "电源指示灯不亮", "触摸屏失灵",   "打印机卡纸",
    "电机过热",     "传感器故障", "水泵报警",       "排水不畅",     "制冷效果差",
    "噪音很大",     "频繁跳闸",   "漏电保护动作",   "主板烧毁",     "软件升级失败",
    "网络连接失败", "数据丢失",   "电池无法充电",   "显示乱码",     "按键无反应",
    "升降卡顿",     "气压不足",   "油温过高",       "振动异常",     "扫描床无法移动",
    "图像有伪影",   "探头无信号", "真空度不够",     "加热很慢",     "冷凝水溢出"};
static const char *const causes[] = {
    "电源模块老化",   "排水管被异物堵塞", "启动电容失效",   "散热风扇积灰",
    "接插件松动氧化", "固件版本过旧",     "传感器线缆破损", "轴承磨损",
    "限位开关错位",   "保险丝熔断",       "网口防雷器击穿", "控制板受潮",
    "冷媒泄漏",       "密封圈老化",       "驱动器参数丢失", "电池循环次数到限"};
static const char *const fixes[] = {"更换电源模块后恢复",
                                    "清理排水管并复位报警",
                                    "更换启动电容",
                                    "清理风扇灰尘并加装滤网",
                                    "重新插拔并紧固接插件",
                                    "升级到最新固件",
                                    "更换传感器线缆",
                                    "更换轴承并加润滑脂",
                                    "重新调整限位开关位置",
                                    "更换同规格保险丝",
                                    "更换防雷器",
                                    "烘干控制板并做防潮处理",
                                    "补焊漏点后加注冷媒",
                                    "更换密封圈",
                                    "恢复驱动器出厂参数后重新标定",
                                    "更换电池组"};
#define N(a) (sizeof(a) / sizeof((a)[0]))

#define PICK(a) ((a)[bench_rnd() % N(a)])

/* Models and articles with one prepared statement each, in one transaction; the
 * migration's triggers fill the trigram and pair indexes as the server's inserts do. */
static void load_raw(const char *path, long n)
{
    sqlite3 *h;
    if (sqlite3_open(path, &h) != SQLITE_OK)
        die(path, sqlite3_errmsg(h));
    sq_exec(h, "PRAGMA foreign_keys=ON; PRAGMA cache_size=-262144; BEGIN");
    sqlite3_stmt *m = sq_prep(h, "INSERT INTO product_models (id, code, name, category, "
                                 "created_at, updated_at) VALUES (?1, ?2, ?2, 'equipment', "
                                 "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
    for (int i = 1; i <= NMODELS; i++) {
        char code[16];
        snprintf(code, sizeof code, "KB-M%02d", i);
        sqlite3_bind_int64(m, 1, i);
        sqlite3_bind_text(m, 2, code, -1, SQLITE_TRANSIENT);
        sq_step_done(h, m);
    }
    sqlite3_finalize(m);
    sqlite3_stmt *st = sq_prep(
        h, "INSERT INTO kb_articles (title, symptom, model_id, cause, solution, source, status, "
           "helped_count, search, search_bi, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, "
           "?5, 'ticket', 'published', ?6, ?7, ?8, '2026-06-01T00:00:00Z', "
           "'2026-06-01T00:00:00Z')");
    for (long i = 0; i < n; i++) {
        char title[200], symptom[600], cause[300], fix[300], search[1600];
        const char *s1 = PICK(symptoms), *s2 = PICK(symptoms), *c = PICK(causes), *f = PICK(fixes);
        snprintf(title, sizeof title, "%s%s处理", s1, bench_rnd() % 2 ? "" : s2);
        snprintf(symptom, sizeof symptom, "客户反映设备%s，偶尔%s，重启后%s，现场检查发现%s。", s1,
                 s2, PICK(symptoms), PICK(symptoms));
        snprintf(cause, sizeof cause, "经检查为%s，同时%s。", c, PICK(causes));
        snprintf(fix, sizeof fix, "%s，并%s，回访客户确认正常。", f, PICK(fixes));
        snprintf(search, sizeof search, "%s %s %s %s KB-M%02d", title, symptom, cause, fix,
                 (int)(i % NMODELS) + 1);
        sqlite3_bind_text(st, 1, title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, symptom, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, (i % NMODELS) + 1);
        sqlite3_bind_text(st, 4, cause, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, fix, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 6, (int64_t)(bench_rnd() % 30));
        sqlite3_bind_text(st, 7, search, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 8, pairs_of(search), -1, SQLITE_TRANSIENT);
        sq_step_done(h, st);
    }
    sqlite3_finalize(st);
    sq_exec(h, "COMMIT");
    sqlite3_close(h);
}

struct query {
    char text[400];
    int64_t model;
    int items;
};

static enum sh_code query_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct query *q = arg;
    struct sh_arena a;
    sh_arena_init(&a, 8 << 20);
    struct principal who = {.user_id = 1};
    struct uc u = {.tx = tx, .a = &a, .who = &who, .now = 0, .app = NULL};
    struct kb_suggest_in in = {.text = q->text, .model_id = q->model, .limit = 5};
    struct kb_suggest_out out;
    enum sh_code rc = uc_kb_suggest(&u, &in, &out, e);
    q->items = out.n;
    sh_arena_release(&a);
    return rc;
}

static void describe(struct query *q)
{
    int k = 3 + (int)(bench_rnd() % 3);
    size_t len = 0;
    q->text[0] = '\0';
    for (int i = 0; i < k; i++)
        len += (size_t)snprintf(q->text + len, sizeof q->text - len, "%s%s", i ? "，" : "",
                                PICK(symptoms));
    q->model = 1 + (int64_t)(bench_rnd() % NMODELS);
}

int main(int argc, char **argv)
{
    long n = 10000, queries = 1000;
    const char *path = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--articles"))
            n = strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--queries"))
            queries = strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--db"))
            path = argv[i + 1];
    }
    if (n < 1 || queries < 10 || queries > 1000000)
        return 2;
    char tmp[] = "/tmp/bench-kb-XXXXXX";
    char url[300];
    if (!path) {
        if (!mkdtemp(tmp))
            return 1;
        snprintf(url, sizeof url, "sqlite:%s/kb.db", tmp);
    } else {
        snprintf(url, sizeof url, "sqlite:%s", path);
    }
    log_set_level(LOG_WARN);
    struct sh_err e;
    sh_err_clear(&e);
    struct db_options o = {.pg_pool_size = 2, .migrate = true};
    struct db *db;
    if (db_open(url, &o, &db, &e)) {
        fprintf(stderr, "bench_kb_suggest: %s: %s\n", url, e.msg);
        return 1;
    }
    db_close(db);
    double t0 = now_ms();
    load_raw(url + strlen("sqlite:"), n);
    double load_s = (now_ms() - t0) / 1e3;
    if (db_open(url, &o, &db, &e)) {
        fprintf(stderr, "bench_kb_suggest: reopen: %s\n", e.msg);
        return 1;
    }
    for (int i = 0; i < 50; i++) { /* warm, as a running server's cache would be */
        struct query w;
        describe(&w);
        if (db_read(db, query_run, &w, &e))
            die("warm", e.msg);
    }
    double *tw = calloc((size_t)queries, sizeof *tw), *tc = calloc((size_t)queries, sizeof *tc);
    long items = 0;
    for (long k = 0; k < queries; k++) {
        struct query q;
        describe(&q);
        double a = now_ms(), ca = cpu_ms();
        if (db_read(db, query_run, &q, &e))
            die("suggest", e.msg);
        tw[k] = now_ms() - a;
        tc[k] = cpu_ms() - ca;
        items += q.items;
    }
    qsort(tw, (size_t)queries, sizeof *tw, cmp_d);
    qsort(tc, (size_t)queries, sizeof *tc, cmp_d);
    double p99 = tw[queries * 99 / 100];
    printf("kb_suggest articles=%ld queries=%ld p50_ms=%.3f p99_ms=%.3f cpu_p99_ms=%.3f "
           "avg_items=%.1f load_s=%.1f %s\n",
           n, queries, tw[queries / 2], p99, tc[queries * 99 / 100], (double)items / queries,
           load_s, p99 <= 50.0 ? "PASS" : "MISS");
    free(tw);
    free(tc);
    db_close(db);
    if (!path) {
        snprintf(url, sizeof url, "%s/kb.db", tmp);
        unlink(url);
        char side[320];
        snprintf(side, sizeof side, "%s-wal", url);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", url);
        unlink(side);
        rmdir(tmp);
    }
    return 0;
}
