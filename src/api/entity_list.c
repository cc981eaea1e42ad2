/* SPDX-License-Identifier: MIT */
/* The entity engine's lists: filters, named views, sort, cursor paging with a
 * total, q= search (trigram, character pairs or LIKE), expand= and exports. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/entity_int.h"
#include "api/export.h"
#include "base/bigram.h"
#include "base/date.h"

#define LIST_DEFAULT 50
#define LIST_MAX     500
#define EXPORT_MAX   100000

/* ---- list ---- */

struct cursor {
    bool set;
    const char *val; /* NULL when the sort value was null */
    int64_t id;
};

static char *cursor_encode(struct sh_arena *a, const char *val, const char *id)
{
    static const char hex[] = "0123456789abcdef";
    const char *v = val ? val : "";
    size_t n = strlen(v), m = strlen(id);
    char *out = sh_arena_alloc(a, (n + m + 2) * 2 + 1);
    size_t k = 0;
    out[k++] = val ? '1' : '0';
    out[k++] = '.';
    for (size_t i = 0; i < n; i++) {
        out[k++] = hex[(unsigned char)v[i] >> 4];
        out[k++] = hex[(unsigned char)v[i] & 15];
    }
    out[k++] = '.';
    memcpy(out + k, id, m);
    out[k + m] = '\0';
    return out;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static bool cursor_decode(struct sh_arena *a, const char *s, struct cursor *cur)
{
    if ((s[0] != '0' && s[0] != '1') || s[1] != '.')
        return false;
    const char *dot = strchr(s + 2, '.');
    if (!dot)
        return false;
    size_t hl = (size_t)(dot - (s + 2));
    if (hl % 2 || hl > 1024)
        return false;
    char *v = sh_arena_alloc(a, hl / 2 + 1);
    for (size_t i = 0; i < hl / 2; i++) {
        int h = hexval(s[2 + 2 * i]), l = hexval(s[3 + 2 * i]);
        if (h < 0 || l < 0)
            return false;
        v[i] = (char)(h * 16 + l);
    }
    char *end;
    long long id = strtoll(dot + 1, &end, 10);
    if (*end || id <= 0 || end == dot + 1)
        return false;
    cur->set = true;
    cur->val = s[0] == '1' ? v : NULL;
    cur->id = id;
    return true;
}

bool numeric(enum field_kind k)
{
    return k == F_INT || k == F_ID || k == F_MONEY || k == F_REAL || k == F_BOOL;
}

/* Escapes LIKE wildcards with backslash. */
static char *like_pattern(struct sh_arena *a, const char *q)
{
    size_t n = strlen(q);
    char *out = sh_arena_alloc(a, n * 2 + 3);
    size_t k = 0;
    out[k++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
            out[k++] = '\\';
        out[k++] = q[i];
    }
    out[k++] = '%';
    out[k] = '\0';
    return out;
}

static char *fts_phrase(struct sh_arena *a, const char *q)
{
    size_t n = strlen(q);
    char *out = sh_arena_alloc(a, n * 2 + 3);
    size_t k = 0;
    out[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (q[i] == '"')
            out[k++] = '"';
        out[k++] = q[i];
    }
    out[k++] = '"';
    out[k] = '\0';
    return out;
}

static bool has_letters(const char *s)
{
    for (; *s; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
            return true;
    return false;
}

/* True when q= can be answered by the SQLite trigram index (3 characters or more). */
static bool fts_usable(enum db_dialect d, const char *term)
{
    return d == DB_SQLITE && term && utf8_len(term) >= 3;
}

/* True when q= is one or two word characters: the character-pair index answers it. */
static bool pairs_usable(const char *term)
{
    return term && utf8_len(term) <= 2 && sh_bigram_term_ok(term);
}

/* The pair-index query for a one- or two-character term: the pair itself, or every pair
 * starting with the character. ASCII is lower-cased as the pair text is. */
static char *pair_query(struct sh_arena *a, const char *term, enum db_dialect d)
{
    char *t = sh_arena_strdup(a, term);
    for (char *p = t; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    bool one = utf8_len(t) == 1;
    if (d == DB_PG)
        return one ? sh_arena_printf(a, "%s:*", t) : t;
    return sh_arena_printf(a, one ? "\"%s\"*" : "\"%s\"", t);
}

/* Adds q= search on t.search: the FTS5 trigram index on SQLite (joined when the FROM
 * clause starts at it), pg_trgm on PostgreSQL (plain LIKE when the term has no letters,
 * which the planner estimates better than ILIKE). */
static void search_where(struct q *q, struct sh_arena *a, const struct entity *ent,
                         enum db_dialect d, const char *term)
{
    if (fts_usable(d, term)) {
        int n = qparam(q, DB_TEXT(fts_phrase(a, term)));
        if (q->fts_join)
            qadd(q, " AND f.%s_fts MATCH $%d", ent->table, n);
        else
            qadd(q, " AND t.id IN (SELECT rowid FROM %s_fts WHERE %s_fts MATCH $%d)", ent->table,
                 ent->table, n);
    } else if (pairs_usable(term)) {
        int n = qparam(q, DB_TEXT(pair_query(a, term, d)));
        if (d == DB_PG)
            qadd(q, " AND to_tsvector('simple', t.search_bi) @@ to_tsquery('simple', $%d)", n);
        else
            qadd(q, " AND t.id IN (SELECT rowid FROM %s_bi WHERE %s_bi MATCH $%d)", ent->table,
                 ent->table, n);
    } else {
        int n = qparam(q, DB_TEXT(like_pattern(a, term)));
        qadd(q, " AND t.search %s $%d ESCAPE '\\'",
             d == DB_PG && has_letters(term) ? "ILIKE" : "LIKE", n);
    }
}

/* Sets e to an invalid query parameter: code 400, the field, a reason. */
static enum sh_code bad_param(struct sh_err *e, const char *field, const char *reason,
                              const char *params, const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    if (params)
        return sh_err_reason(e, reason, "%s", params);
    return sh_err_reason(e, reason, NULL);
}

static const char *bool_text(const char *v)
{
    if (!strcmp(v, "true") || !strcmp(v, "1"))
        return "1";
    if (!strcmp(v, "false") || !strcmp(v, "0"))
        return "0";
    return NULL;
}

static const char *ts_filter(struct sh_arena *a, const char *v)
{
    int64_t t;
    struct sh_date d;
    if (sh_ts_parse(v, &t)) {
        char *ts = sh_arena_alloc(a, 21);
        sh_ts_format(t, ts);
        return ts;
    }
    if (sh_date_parse(v, &d))
        return sh_arena_printf(a, "%sT00:00:00Z", v);
    return NULL;
}

/* Validates a query-string filter value against its column; NULL with e set on error. */
static const char *filter_value(struct sh_arena *a, const struct col *col, const char *name,
                                const char *v, struct sh_err *e)
{
    const char *out = v;
    struct sh_date d;
    char *end;
    switch (col->kind) {
    case F_BOOL:
        if (!(out = bool_text(v)))
            bad_param(e, name, "invalid_format", "{\"format\":\"boolean\"}",
                      sh_arena_printf(a, "'%s' must be true or false", name));
        return out;
    case F_INT:
    case F_ID:
    case F_MONEY: {
        long long i = strtoll(v, &end, 10);
        if (!*v || *end) {
            bad_param(e, name, "invalid_format", "{\"format\":\"integer\"}",
                      sh_arena_printf(a, "'%s' must be an integer", name));
            return NULL;
        }
        return sh_arena_printf(a, "%lld", i);
    }
    case F_ENUM:
        for (const char *const *p = col->enums; *p; p++)
            if (!strcmp(*p, v))
                return v;
        bad_param(e, name, "unknown_value", NULL,
                  sh_arena_printf(a, "'%s' has no value '%.40s'", name, v));
        return NULL;
    case F_DATE:
        if (sh_date_parse(v, &d))
            return v;
        bad_param(e, name, "invalid_format", "{\"format\":\"date\"}",
                  sh_arena_printf(a, "'%s' must be a date YYYY-MM-DD", name));
        return NULL;
    case F_TS:
        if (!(out = ts_filter(a, v)))
            bad_param(e, name, "invalid_format", "{\"format\":\"date-time\"}",
                      sh_arena_printf(a, "'%s' must be a date or time", name));
        return out;
    case F_STR:
    case F_TEXT:
    case F_REAL:
        return v;
    }
    return v;
}

/* A named view (queue=mine): 1 when k is a view parameter (applied), 0 when not, -1 error. */
static int named_view(struct api_ctx *c, const struct entity *ent, struct q *q, const char *k,
                      const char *v, struct sh_err *e)
{
    if (!ent->views)
        return 0;
    const struct list_view *view = NULL;
    bool named = false;
    for (const struct list_view *vw = ent->views; vw->param; vw++) {
        if (strcmp(vw->param, k))
            continue;
        named = true;
        if (!strcmp(vw->value, v))
            view = vw;
    }
    if (!named)
        return 0;
    if (!view) {
        bad_param(e, k, "unknown_value", NULL,
                  sh_arena_printf(c->a, "'%s' has no value '%.40s'", k, v));
        return -1;
    }
    view_where(q, c, view->where);
    return 1;
}

/* The column filtered by parameter k (col, col_from, col_to) and its operator; -1 if none. */
static int filter_col(const struct entity *ent, const char *k, const char **op)
{
    int idx = ent_colidx(ent, k);
    *op = "=";
    if (idx >= 0)
        return ent->cols[idx].flags & COL_FILTER ? idx : -1;
    size_t n = strlen(k);
    char base[64];
    if (n > 5 && n < sizeof(base) && !strcmp(k + n - 5, "_from")) {
        snprintf(base, sizeof(base), "%.*s", (int)(n - 5), k);
        *op = ">=";
    } else if (n > 3 && n < sizeof(base) && !strcmp(k + n - 3, "_to")) {
        snprintf(base, sizeof(base), "%.*s", (int)(n - 3), k);
        *op = "<=";
    } else {
        return -1;
    }
    idx = ent_colidx(ent, base);
    return idx >= 0 && (ent->cols[idx].flags & COL_RANGE) ? idx : -1;
}

static bool reserved_param(const char *k)
{
    static const char *const reserved[] = {"limit",  "cursor", "sort", "q",
                                           "expand", "format", "lang", NULL};
    for (const char *const *r = reserved; *r; r++)
        if (!strcmp(*r, k))
            return true;
    return false;
}

/* One query-string filter k=v as an AND condition. */
static enum sh_code add_filter(struct api_ctx *c, const struct entity *ent, struct q *q,
                               const char *k, const char *v, struct sh_err *e)
{
    int nv = named_view(c, ent, q, k, v, e);
    if (nv)
        return nv < 0 ? SH_INVALID : SH_OK;
    const char *op;
    int idx = filter_col(ent, k, &op);
    if (idx < 0)
        return bad_param(e, k, "unknown_field", NULL,
                         sh_arena_printf(c->a, "unknown filter '%.60s'", k));
    const struct col *col = &ent->cols[idx];
    const char *val = filter_value(c->a, col, k, v, e);
    if (!val)
        return SH_INVALID;
    if (col->kind == F_TS && !strcmp(op, "<=") && strlen(v) == 10)
        val = sh_arena_printf(c->a, "%sT23:59:59Z", v);
    int n = qparam(q, numeric(col->kind) && col->kind != F_REAL ? DB_INT(strtoll(val, NULL, 10))
                                                                : DB_TEXT(val));
    qadd(q, " AND t.%s %s $%d", col->name, op, n);
    q->nconds++;
    return SH_OK;
}

/* Builds the WHERE clause shared by the page and the count. */
static enum sh_code list_where(struct api_ctx *c, const struct entity *ent, struct q *q,
                               struct sh_err *e)
{
    qadd(q, " WHERE 1=1");
    scope_where(q, c, ent);
    for (int i = 0; i < c->req->nquery; i++) {
        const char *k = c->req->query[i].k, *v = c->req->query[i].v;
        enum sh_code rc = reserved_param(k) ? SH_OK : add_filter(c, ent, q, k, v, e);
        if (rc)
            return rc;
    }
    const char *term = http_query(c->req, "q");
    if (term && *term) {
        if (!ent->search)
            return bad_param(e, "q", "unsupported", NULL,
                             sh_arena_printf(c->a, "%s has no text search", ent->table));
        if (utf8_len(term) > 100)
            return bad_param(e, "q", "too_long", "{\"max\":100}",
                             "'q' is longer than 100 characters");
        search_where(q, c->a, ent, db_dialect(c->app->db), term);
    }
    return SH_OK;
}

/* What the query string asks of a list: page size, order, cursor, export format. */
struct list_params {
    long limit;
    const char *sname; /* the sort column */
    const struct col *scol;
    bool desc, by_id, snum;
    const char *sexpr; /* the SQL of the sort key */
    struct cursor cur;
    const char *format; /* NULL: JSON; "csv" or "xlsx": an export */
    const char *term;   /* q= */
};

static enum sh_code parse_limit_format(struct api_ctx *c, struct list_params *p, struct sh_err *e)
{
    p->limit = LIST_DEFAULT;
    const char *ls = http_query(c->req, "limit");
    if (ls) {
        char *end;
        p->limit = strtol(ls, &end, 10);
        if (!*ls || *end || p->limit < 1 || p->limit > LIST_MAX)
            return bad_param(e, "limit", "out_of_range", "{\"min\":1,\"max\":500}",
                             "'limit' must be between 1 and 500");
    }
    const char *fmt = http_query(c->req, "format");
    if (fmt && strcmp(fmt, "json")) {
        if (strcmp(fmt, "csv") && strcmp(fmt, "xlsx"))
            return bad_param(e, "format", "unknown_value",
                             "{\"allowed\":[\"json\",\"csv\",\"xlsx\"]}",
                             "'format' must be json, csv or xlsx");
        p->format = fmt;
    }
    return SH_OK;
}

static enum sh_code list_params(struct api_ctx *c, const struct entity *ent, struct list_params *p,
                                struct sh_err *e)
{
    memset(p, 0, sizeof(*p));
    enum sh_code rc = parse_limit_format(c, p, e);
    if (rc)
        return rc;
    const char *sort = http_query(c->req, "sort");
    if (!sort || !*sort)
        sort = ent->default_sort ? ent->default_sort : "id";
    p->desc = sort[0] == '-';
    p->sname = p->desc ? sort + 1 : sort;
    int sidx = ent_colidx(ent, p->sname);
    if (sidx < 0 || (!(ent->cols[sidx].flags & COL_SORT) && strcmp(p->sname, "id")))
        return bad_param(e, "sort", "unknown_field", NULL,
                         sh_arena_printf(c->a, "cannot sort by '%.60s'", p->sname));
    p->scol = &ent->cols[sidx];
    p->by_id = !strcmp(p->sname, "id");
    p->snum = numeric(p->scol->kind);
    p->sexpr = p->by_id
                   ? "t.id"
                   : sh_arena_printf(c->a, "COALESCE(t.%s, %s)", p->sname, p->snum ? "0" : "''");
    const char *cs = http_query(c->req, "cursor");
    if (cs && *cs && !cursor_decode(c->a, cs, &p->cur))
        return bad_param(e, "cursor", "invalid_format", NULL,
                         "'cursor' is not a cursor this list returned");
    p->term = http_query(c->req, "q");
    if (p->term && !*p->term)
        p->term = NULL;
    return SH_OK;
}

/* Keyset condition after the cursor, ORDER BY and LIMIT. */
static void page_tail(struct q *q, const struct list_params *p, const struct cursor *cur,
                      long limit)
{
    const char *gt = p->desc ? "<" : ">";
    if (cur->set) {
        int ni = qparam(q, DB_INT(cur->id));
        if (p->by_id) {
            qadd(q, " AND %s %s $%d", p->sexpr, gt, ni);
        } else {
            const char *v = cur->val ? cur->val : (p->snum ? "0" : "");
            int nv = qparam(q, p->snum ? (p->scol->kind == F_REAL ? DB_REAL(strtod(v, NULL))
                                                                  : DB_INT(strtoll(v, NULL, 10)))
                                       : DB_TEXT(v));
            qadd(q, " AND (%s %s $%d OR (%s = $%d AND t.id %s $%d))", p->sexpr, gt, nv, p->sexpr,
                 nv, gt, ni);
        }
    }
    qadd(q, " ORDER BY %s %s", p->sexpr, p->desc ? "DESC" : "ASC");
    if (!p->by_id)
        qadd(q, ", t.id %s", p->desc ? "DESC" : "ASC");
    int nl = qparam(q, DB_INT(limit));
    qadd(q, " LIMIT $%d", nl);
}

struct list_ctx {
    struct api_ctx *c;
    const struct entity *ent;
    struct list_params p;
    struct q q, cq;
    struct db_rows rows, count;
    struct export_sink *sink;
};

/* The page query (without its tail) and the count query. */
static enum sh_code list_build(struct list_ctx *l, const char *parent_col, int64_t parent_id,
                               struct sh_err *e)
{
    struct api_ctx *c = l->c;
    const struct entity *ent = l->ent;
    enum db_dialect d = db_dialect(c->app->db);
    const char *term = l->p.term;
    /* q= with the default order walks the trigram index in id order and stops at the page */
    bool fts = ent->search && term && fts_usable(d, term);
    l->q.fts_join = fts && l->p.by_id && !l->p.format;
    if (l->q.fts_join)
        l->p.sexpr = "f.rowid";
    /* an export names references (expand=all) */
    select_from(&l->q, c->a, ent, l->p.format ? "all" : http_query(c->req, "expand"),
                api_is_external(c));
    enum sh_code rc = list_where(c, ent, &l->q, e);
    if (rc)
        return rc;
    qadd(&l->cq, "SELECT count(*) AS n FROM %s t", ent->table);
    if ((rc = list_where(c, ent, &l->cq, e)))
        return rc;
    if (parent_col) {
        int n = qparam(&l->q, DB_INT(parent_id));
        qadd(&l->q, " AND t.%s = $%d", parent_col, n);
        n = qparam(&l->cq, DB_INT(parent_id));
        qadd(&l->cq, " AND t.%s = $%d", parent_col, n);
        l->cq.nconds++;
    }
    bool pairs = ent->search && term && d == DB_SQLITE && pairs_usable(term);
    if ((fts || pairs) && l->cq.nconds == 0) {
        /* only q=: the index counts its matches without touching the table */
        sh_buf_reset(&l->cq.sql);
        l->cq.n = 0;
        int n = qparam(&l->cq,
                       DB_TEXT(fts ? fts_phrase(c->a, term) : pair_query(c->a, term, DB_SQLITE)));
        const char *idx = fts ? "fts" : "bi";
        qadd(&l->cq, "SELECT count(*) AS n FROM %s_%s WHERE %s_%s MATCH $%d", ent->table, idx,
             ent->table, idx, n);
    }
    if (l->q.overflow || l->cq.overflow)
        return bad_param(e, NULL, "too_many_filters", NULL, "too many filters");
    return SH_OK;
}

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct list_ctx *l = arg;
    enum sh_code rc = db_query(tx, l->c->a, l->q.sql.buf, l->q.p, l->q.n, &l->rows, e);
    if (rc)
        return rc;
    return db_query(tx, l->c->a, l->cq.sql.buf, l->cq.p, l->cq.n, &l->count, e);
}

#define EXPORT_CHUNK 1000

/* One read transaction: the count, then the rows in chunks of EXPORT_CHUNK by keyset, each
 * chunk in an arena of its own released once written to the file. */
static enum sh_code export_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct list_ctx *l = arg;
    enum sh_code rc = db_query(tx, l->c->a, l->cq.sql.buf, l->cq.p, l->cq.n, &l->count, e);
    if (rc)
        return rc;
    if (db_get_int(&l->count, 0, "n", 0) > EXPORT_MAX) {
        sh_err_set(e, SH_TOO_BIG, "more than %d rows match: narrow the filters to export",
                   EXPORT_MAX);
        return sh_err_reason(e, "too_large", "{\"max\":%d}", EXPORT_MAX);
    }
    struct cursor cur = {0};
    struct q q = {.sql = SH_BUF_INIT(1 << 16)};
    do {
        struct sh_arena a;
        sh_arena_init(&a, l->c->a->cap);
        struct db_rows r;
        sh_buf_reset(&q.sql);
        memcpy(q.p, l->q.p, sizeof(q.p[0]) * (size_t)l->q.n);
        q.n = l->q.n;
        qadd(&q, "%s", l->q.sql.buf);
        page_tail(&q, &l->p, &cur, EXPORT_CHUNK);
        rc = q.overflow ? sh_err_set(e, SH_INTERNAL, "export query too large")
                        : db_query(tx, &a, q.sql.buf, q.p, q.n, &r, e);
        if (!rc)
            rc = export_add(l->sink, &r, e);
        if (!rc && r.nrows == EXPORT_CHUNK) {
            const char *last =
                l->p.by_id ? db_get(&r, r.nrows - 1, "id") : db_get(&r, r.nrows - 1, l->p.sname);
            cur.set = true;
            cur.val = last ? sh_arena_strdup(l->c->a, last) : NULL;
            cur.id = db_get_int(&r, r.nrows - 1, "id", 0);
        } else {
            cur.set = false;
        }
        sh_arena_release(&a);
    } while (!rc && cur.set);
    sh_buf_release(&q.sql);
    return rc;
}

static void list_export(struct list_ctx *l)
{
    struct sh_err e;
    sh_err_clear(&e);
    enum sh_code rc = export_begin(l->c, l->ent, l->p.format, &l->sink, &e);
    if (!rc)
        rc = db_read(l->c->app->db, export_run, l, &e);
    export_end(l->sink, rc == SH_OK);
    if (rc)
        api_reply_err(l->c, &e);
}

static void list_reply(struct list_ctx *l)
{
    struct api_ctx *c = l->c;
    const struct list_params *p = &l->p;
    bool more = l->rows.nrows > p->limit;
    int shown = more ? (int)p->limit : l->rows.nrows;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_key(&w, "items");
    jw_arr_begin(&w);
    for (int i = 0; i < shown; i++)
        ent_render_for(&w, l->ent, &l->rows, i, api_is_external(c));
    jw_arr_end(&w);
    jw_kint(&w, "total", db_get_int(&l->count, 0, "n", 0));
    jw_kint(&w, "limit", p->limit);
    if (more) {
        int last = shown - 1;
        const char *id = db_get(&l->rows, last, "id");
        jw_kstr(&w, "next_cursor",
                cursor_encode(c->a, p->by_id ? id : db_get(&l->rows, last, p->sname), id));
    } else {
        jw_knull(&w, "next_cursor");
    }
    jw_obj_end(&w);
    if (jw_finish(&w) == SH_OK)
        api_reply_json(c, 200, &b);
    else
        api_reply_error(c, SH_TOO_BIG, NULL, "response too large: lower 'limit'");
    sh_buf_release(&b);
}

static void list_common(struct api_ctx *c, const struct entity *ent, const char *parent_col,
                        int64_t parent_id)
{
    struct list_ctx l = {.c = c, .ent = ent};
    sh_buf_init(&l.q.sql, 1 << 16);
    sh_buf_init(&l.cq.sql, 1 << 16);
    struct sh_err e;
    sh_err_clear(&e);
    enum sh_code rc = list_params(c, ent, &l.p, &e);
    if (!rc)
        rc = list_build(&l, parent_col, parent_id, &e);
    if (rc) {
        api_reply_err(c, &e);
    } else if (l.p.format) {
        list_export(&l);
    } else {
        page_tail(&l.q, &l.p, &l.p.cur, l.p.limit + 1);
        if (l.q.overflow)
            api_reply_error(c, SH_INVALID, NULL, "too many filters");
        else if (db_read(c->app->db, list_run, &l, &e))
            api_reply_err(c, &e);
        else
            list_reply(&l);
    }
    sh_buf_release(&l.q.sql);
    sh_buf_release(&l.cq.sql);
}

void ent_list(struct api_ctx *c)
{
    list_common(c, c->route->ent, NULL, 0);
}

/* Child lists: the parent must exist and be in the caller's scope. */
struct parent_ctx {
    struct api_ctx *c;
    const struct entity *pent;
    int64_t id;
    struct db_rows rows;
};

static enum sh_code parent_check(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct parent_ctx *p = arg;
    enum sh_code rc = ent_load(tx, p->c->a, p->pent, p->id, &p->rows, e);
    if (rc)
        return rc;
    if (!ent_row_in_scope(p->c, p->pent, &p->rows, 0))
        return sh_err_set(e, SH_NOT_FOUND, "%s %" PRId64 " not found", p->pent->name, p->id);
    return SH_OK;
}

extern const struct entity ent_customers;

void ent_list_child(struct api_ctx *c)
{
    /* every child collection so far hangs off a customer: /customers/{id}/<children> */
    struct parent_ctx p = {.c = c, .pent = &ent_customers};
    if (!api_param_id(c, 0, &p.id))
        return;
    if (!api_read_or_reply(c, parent_check, &p))
        return;
    list_common(c, c->route->ent, "customer_id", p.id);
}
