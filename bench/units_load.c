/* SPDX-License-Identifier: MIT */
/* Fast bulk loader for the benchmarks: customers with realistic Chinese company
 * names, product models, and units, written straight into a database that holds
 * the Shouhou schema (`shouhou init`), in big transactions (SQLite) or COPY
 * (PostgreSQL). Rows carry the same columns the server writes, including the
 * `search` text it computes (see resources.c unit_search_extra and entity.c
 * search_text): for a unit "serial_no code model-name customer-name".
 *
 * usage: bench_units_load (--sqlite PATH | --pg DSN) [--customers N] [--models M]
 *                         [--units U] [--seed S]
 * Customers and models are added first; units then point at random existing
 * customers and models of the database. Deterministic for a given seed.
 * Customer names: city (30) + core name (48) + industry (16) + legal suffix, e.g.
 * 苏州华鑫机械有限公司, so a 3-character query hits some but not all units. */
#include <libpq-fe.h>
#include <sqlite3.h>

#include "base/bigram.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_NAME "bench_units_load"
#include "bench_util.h"

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
static const char *const MODEL_NAMES[] = {
    "数控机床", "激光切割机", "注塑机",   "空气压缩机", "冷水机组",     "工业机器人",
    "折弯机",   "加工中心",   "电火花机", "焊接机器人", "液压机",       "冲床",
    "磨床",     "包装机",     "灌装机",   "贴标机",     "喷码机",       "分拣机",
    "输送线",   "干燥机",     "冷却塔",   "离心机",     "真空泵",       "发电机组",
    "变频器",   "伺服电机",   "检测仪",   "光谱仪",     "超声波清洗机", "三坐标测量机",
    "雕刻机",   "锅炉",       "热处理炉", "除尘器",     "污水处理设备", "叉车",
    "行车",     "电梯",       "中央空调", "配电柜"};

#define NCITIES     (sizeof(CITIES) / sizeof(CITIES[0]))
#define NCORES      (sizeof(CORES) / sizeof(CORES[0]))
#define NINDUSTRIES (sizeof(INDUSTRIES) / sizeof(INDUSTRIES[0]))
#define NMNAMES     (sizeof(MODEL_NAMES) / sizeof(MODEL_NAMES[0]))

static unsigned long long rng_state = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

static char NOW[21];

struct row {
    long long id;
    char code[32];
    char name[160];
};

/* ---- generators: fill the text columns of one row ---- */

struct cust_row {
    char code[32], name[160], province[16], city[16], search[400];
};

static void gen_customer(long n, struct cust_row *c)
{
    unsigned ci = rnd(NCITIES);
    unsigned s = rnd(100);
    const char *suffix = s < 60 ? "有限公司" : s < 85 ? "股份有限公司" : s < 95 ? "集团" : "制造厂";
    snprintf(c->code, sizeof(c->code), "BK%07ld", n);
    snprintf(c->name, sizeof(c->name), "%s%s%s%s", CITIES[ci], CORES[rnd(NCORES)],
             INDUSTRIES[rnd(NINDUSTRIES)], suffix);
    snprintf(c->province, sizeof(c->province), "%s", PROVINCES[ci]);
    snprintf(c->city, sizeof(c->city), "%s", CITIES[ci]);
    /* search_text: every COL_SEARCH column (code name province city region address
     * phone), each followed by a space */
    snprintf(c->search, sizeof(c->search), "%s %s %s %s    ", c->code, c->name, c->province,
             c->city);
}

struct model_row {
    char code[32], name[64], search[160];
};

static void gen_model(long n, struct model_row *m)
{
    static const char *const pfx[] = {"XK", "JG", "ZS", "KY", "LS", "JR", "ZW", "HC"};
    snprintf(m->code, sizeof(m->code), "%s-%ld%03u", pfx[n % 8], 7000 + n, rnd(1000));
    snprintf(m->name, sizeof(m->name), "%s", MODEL_NAMES[n % NMNAMES]);
    snprintf(m->search, sizeof(m->search), "%s %s  ", m->code, m->name); /* code name series */
}

struct unit_row {
    char serial[40], ship[48], wstart[48], wend[48], search[512];
    long long model_id, customer_id;
};

static void gen_unit(long n, const struct row *models, long nm, const struct row *custs, long nc,
                     struct unit_row *u)
{
    const struct row *m = &models[rnd((unsigned)nm)];
    const struct row *c = &custs[rnd((unsigned)nc)];
    int y = 2022 + (int)rnd(4), mo = 1 + (int)rnd(12), d = 1 + (int)rnd(28);
    snprintf(u->serial, sizeof(u->serial), "SN%d%02d%07ld", y, mo, n);
    snprintf(u->ship, sizeof(u->ship), "%04d-%02d-%02d", y, mo, d);
    snprintf(u->wstart, sizeof(u->wstart), "%s", u->ship);
    snprintf(u->wend, sizeof(u->wend), "%04d-%02d-%02d", y + 1, mo, d);
    u->model_id = m->id;
    u->customer_id = c->id;
    /* search_text: serial_no + ' ' + unit_search_extra: "code name customer" */
    snprintf(u->search, sizeof(u->search), "%s %s %s %s", u->serial, m->code, m->name, c->name);
}

/* ---- SQLite ---- */

static void sq_step(sqlite3 *h, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        die("insert", sqlite3_errmsg(h));
    sqlite3_reset(st);
}

static struct row *sq_rows(sqlite3 *h, const char *sql, long *n)
{
    sqlite3_stmt *st = sq_prep(h, sql);
    long cap = 1024;
    struct row *r = malloc(sizeof(*r) * (size_t)cap);
    *n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap)
            r = realloc(r, sizeof(*r) * (size_t)(cap *= 2));
        r[*n].id = sqlite3_column_int64(st, 0);
        snprintf(r[*n].code, sizeof(r[*n].code), "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(r[*n].name, sizeof(r[*n].name), "%s", (const char *)sqlite3_column_text(st, 2));
        (*n)++;
    }
    sqlite3_finalize(st);
    return r;
}

#define TXN_ROWS 20000

static void load_sqlite(const char *path, long ncust, long nmodels, long nunits)
{
    sqlite3 *h;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        die(path, sqlite3_errmsg(h));
    sqlite3_busy_timeout(h, 30000);
    sq_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
               "PRAGMA cache_size=-65536;");
    sqlite3_stmt *st;
    long base;
    if (ncust > 0) {
        st = sq_prep(h, "SELECT count(*) FROM customers");
        sqlite3_step(st);
        base = (long)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        st = sq_prep(h, "INSERT INTO customers (code, name, type, province, city, search, "
                        "created_at, updated_at, first_contact_at, search_bi) "
                        "VALUES (?1, ?2, 'company', ?3, ?4, ?5, ?6, ?6, ?6, ?7)");
        sq_exec(h, "BEGIN");
        for (long i = 0; i < ncust; i++) {
            struct cust_row c;
            gen_customer(base + i + 1, &c);
            sqlite3_bind_text(st, 1, c.code, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 2, c.name, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 3, c.province, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 4, c.city, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 5, c.search, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 6, NOW, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 7, pairs_of(c.search), -1, SQLITE_TRANSIENT);
            sq_step(h, st);
        }
        sq_exec(h, SQ_SEARCH_FLUSH);
        sq_exec(h, "COMMIT");
        sqlite3_finalize(st);
    }
    if (nmodels > 0) {
        st = sq_prep(h, "SELECT count(*) FROM product_models");
        sqlite3_step(st);
        base = (long)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        st = sq_prep(h, "INSERT INTO product_models (code, name, category, warranty_months, "
                        "search, created_at, updated_at, search_bi) VALUES (?1, ?2, 'equipment', "
                        "12, ?3, ?4, ?4, ?5)");
        sq_exec(h, "BEGIN");
        for (long i = 0; i < nmodels; i++) {
            struct model_row m;
            gen_model(base + i, &m);
            sqlite3_bind_text(st, 1, m.code, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 2, m.name, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 3, m.search, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 4, NOW, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, pairs_of(m.search), -1, SQLITE_TRANSIENT);
            sq_step(h, st);
        }
        sq_exec(h, SQ_SEARCH_FLUSH);
        sq_exec(h, "COMMIT");
        sqlite3_finalize(st);
    }
    if (nunits > 0) {
        long nm, nc;
        struct row *m = sq_rows(h, "SELECT id, code, name FROM product_models", &nm);
        struct row *c = sq_rows(h, "SELECT id, code, name FROM customers", &nc);
        if (!nm || !nc)
            die("units", "the database has no product models or no customers");
        st = sq_prep(h, "SELECT COALESCE(MAX(id), 0) FROM units");
        sqlite3_step(st);
        base = (long)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        st = sq_prep(h, "INSERT INTO units (serial_no, model_id, customer_id, status, ship_date, "
                        "warranty_end, warranty_basis, warranty_start, warranty_months, search, "
                        "created_at, updated_at, search_bi) VALUES (?1, ?2, ?3, 'shipped', ?4, "
                        "?5, 'ship', ?6, 12, ?7, ?8, ?8, ?9)");
        for (long i = 0; i < nunits; i++) {
            if (i % TXN_ROWS == 0)
                sq_exec(h, "BEGIN");
            struct unit_row u;
            gen_unit(base + i + 1, m, nm, c, nc, &u);
            sqlite3_bind_text(st, 1, u.serial, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 2, u.model_id);
            sqlite3_bind_int64(st, 3, u.customer_id);
            sqlite3_bind_text(st, 4, u.ship, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 5, u.wend, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 6, u.wstart, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 7, u.search, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 8, NOW, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 9, pairs_of(u.search), -1, SQLITE_TRANSIENT);
            sq_step(h, st);
            if (i % TXN_ROWS == TXN_ROWS - 1 || i == nunits - 1) {
                sq_exec(h, SQ_SEARCH_FLUSH);
                sq_exec(h, "COMMIT");
            }
        }
        sqlite3_finalize(st);
        free(m);
        free(c);
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

static long pg_long(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        die(sql, PQerrorMessage(c));
    long v = atol(PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

static struct row *pg_rows(PGconn *c, const char *sql, long *n)
{
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        die(sql, PQerrorMessage(c));
    *n = PQntuples(r);
    struct row *rows = malloc(sizeof(*rows) * (size_t)(*n ? *n : 1));
    for (long i = 0; i < *n; i++) {
        rows[i].id = atoll(PQgetvalue(r, (int)i, 0));
        snprintf(rows[i].code, sizeof(rows[i].code), "%s", PQgetvalue(r, (int)i, 1));
        snprintf(rows[i].name, sizeof(rows[i].name), "%s", PQgetvalue(r, (int)i, 2));
    }
    PQclear(r);
    return rows;
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

static void pg_copy(PGconn *c, const char *sql, struct copybuf *cb)
{
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN)
        die(sql, PQerrorMessage(c));
    PQclear(r);
    if (PQputCopyData(c, cb->b, (int)cb->len) != 1 || PQputCopyEnd(c, NULL) != 1)
        die("copy", PQerrorMessage(c));
    r = PQgetResult(c);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        die("copy", PQerrorMessage(c));
    PQclear(r);
    cb->len = 0;
}

static void load_pg(const char *dsn, long ncust, long nmodels, long nunits)
{
    PGconn *c = PQconnectdb(dsn);
    if (PQstatus(c) != CONNECTION_OK)
        die(dsn, PQerrorMessage(c));
    struct copybuf cb = {malloc(1 << 20), 0, 1 << 20};
    if (ncust > 0) {
        long base = pg_long(c, "SELECT count(*) FROM customers");
        for (long i = 0; i < ncust; i++) {
            struct cust_row r;
            gen_customer(base + i + 1, &r);
            cb_addf(&cb, "%s\t%s\tcompany\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.code, r.name,
                    r.province, r.city, r.search, NOW, NOW, NOW, pairs_of(r.search));
        }
        pg_copy(c,
                "COPY customers (code, name, type, province, city, search, created_at, "
                "updated_at, first_contact_at, search_bi) FROM STDIN",
                &cb);
    }
    if (nmodels > 0) {
        long base = pg_long(c, "SELECT count(*) FROM product_models");
        for (long i = 0; i < nmodels; i++) {
            struct model_row m;
            gen_model(base + i, &m);
            cb_addf(&cb, "%s\t%s\tequipment\t12\t%s\t%s\t%s\t%s\n", m.code, m.name, m.search, NOW,
                    NOW, pairs_of(m.search));
        }
        pg_copy(c,
                "COPY product_models (code, name, category, warranty_months, search, "
                "created_at, updated_at, search_bi) FROM STDIN",
                &cb);
    }
    if (nunits > 0) {
        long nm, nc;
        struct row *m = pg_rows(c, "SELECT id, code, name FROM product_models", &nm);
        struct row *cu = pg_rows(c, "SELECT id, code, name FROM customers", &nc);
        if (!nm || !nc)
            die("units", "the database has no product models or no customers");
        long base = pg_long(c, "SELECT COALESCE(MAX(id), 0) FROM units");
        for (long i = 0; i < nunits; i++) {
            struct unit_row u;
            gen_unit(base + i + 1, m, nm, cu, nc, &u);
            cb_addf(&cb, "%s\t%lld\t%lld\tshipped\t%s\t%s\tship\t%s\t12\t%s\t%s\t%s\t%s\n",
                    u.serial, u.model_id, u.customer_id, u.ship, u.wend, u.wstart, u.search, NOW,
                    NOW, pairs_of(u.search));
            if (cb.len > (8u << 20) || i == nunits - 1)
                pg_copy(c,
                        "COPY units (serial_no, model_id, customer_id, status, ship_date, "
                        "warranty_end, warranty_basis, warranty_start, warranty_months, "
                        "search, created_at, updated_at, search_bi) FROM STDIN",
                        &cb);
        }
        free(m);
        free(cu);
        /* as autovacuum and the checkpointer would leave it (bench_tickets_load does the
         * same): else autovacuum's pass over the fresh rows and their trigram index, and the
         * checkpoint of the load's WAL, ran beside the figures measured next (the raw ticket
         * insert and POST /tickets fell by a third in one run) */
        pg_cmd(c, "VACUUM (ANALYZE) units");
        pg_cmd(c, "ANALYZE");
        PQclear(PQexec(c, "CHECKPOINT")); /* a role without pg_checkpoint: not done */
    }
    free(cb.b);
    PQfinish(c);
}

int main(int argc, char **argv)
{
    const char *sqlite = NULL, *pg = NULL;
    long ncust = 0, nmodels = 0, nunits = 0;
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
        else if (!strcmp(a, "--models"))
            nmodels = atol(v);
        else if (!strcmp(a, "--units"))
            nunits = atol(v);
        else if (!strcmp(a, "--seed"))
            rng_state ^= (unsigned long long)atoll(v) * 0x9E3779B97F4A7C15ULL;
        else
            die(a, "unknown option");
    }
    if (!sqlite == !pg) {
        fprintf(stderr, "usage: bench_units_load (--sqlite PATH | --pg DSN) [--customers N] "
                        "[--models M] [--units U] [--seed S]\n");
        return 2;
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(NOW, sizeof(NOW), "%Y-%m-%dT%H:%M:%SZ", &tm);
    double t0 = now_s();
    if (sqlite)
        load_sqlite(sqlite, ncust, nmodels, nunits);
    else
        load_pg(pg, ncust, nmodels, nunits);
    printf("units_load %s customers=%ld models=%ld units=%ld seconds=%.2f\n",
           sqlite ? "sqlite" : "pg", ncust, nmodels, nunits, now_s() - t0);
    return 0;
}
