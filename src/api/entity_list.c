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

struct list_ctx {
    struct api_ctx *c;
    const struct entity *ent;
    struct q q, cq;
    struct db_rows rows, count;
};

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct list_ctx *l = arg;
    enum sh_code rc = db_query(tx, l->c->a, l->q.sql.buf, l->q.p, l->q.n, &l->rows, e);
    if (rc)
        return rc;
    return db_query(tx, l->c->a, l->cq.sql.buf, l->cq.p, l->cq.n, &l->count, e);
}

static const char *bool_text(const char *v)
{
    if (!strcmp(v, "true") || !strcmp(v, "1"))
        return "1";
    if (!strcmp(v, "false") || !strcmp(v, "0"))
        return "0";
    return NULL;
}

/* Validates a query-string filter value against its column; NULL + reply on error. */
static const char *filter_value(struct api_ctx *c, const struct col *col, const char *name,
                                const char *v)
{
    struct sh_err e;
    sh_err_clear(&e);
    switch (col->kind) {
    case F_BOOL: {
        const char *b = bool_text(v);
        if (!b)
            api_reply_error(c, SH_INVALID, name, "'%s' must be true or false", name);
        return b;
    }
    case F_INT:
    case F_ID:
    case F_MONEY: {
        char *end;
        long long i = strtoll(v, &end, 10);
        if (!*v || *end) {
            api_reply_error(c, SH_INVALID, name, "'%s' must be an integer", name);
            return NULL;
        }
        return sh_arena_printf(c->a, "%lld", i);
    }
    case F_ENUM:
        for (const char *const *p = col->enums; *p; p++)
            if (!strcmp(*p, v))
                return v;
        api_reply_error(c, SH_INVALID, name, "'%s' has no value '%.40s'", name, v);
        return NULL;
    case F_DATE: {
        struct sh_date d;
        if (!sh_date_parse(v, &d)) {
            api_reply_error(c, SH_INVALID, name, "'%s' must be a date YYYY-MM-DD", name);
            return NULL;
        }
        return v;
    }
    case F_TS: {
        int64_t t;
        struct sh_date d;
        if (sh_ts_parse(v, &t)) {
            char *ts = sh_arena_alloc(c->a, 21);
            sh_ts_format(t, ts);
            return ts;
        }
        if (sh_date_parse(v, &d))
            return sh_arena_printf(c->a, "%sT00:00:00Z", v);
        api_reply_error(c, SH_INVALID, name, "'%s' must be a date or time", name);
        return NULL;
    }
    case F_STR:
    case F_TEXT:
    case F_REAL:
        return v;
    }
    return v;
}

/* Builds the WHERE clause shared by the page and the count; false after replying. */
static bool list_where(struct api_ctx *c, const struct entity *ent, struct q *q, bool *is_csv)
{
    static const char *const reserved[] = {"limit",  "cursor", "sort", "q",
                                           "expand", "format", "lang", NULL};
    qadd(q, " WHERE 1=1");
    scope_where(q, c, ent);
    enum db_dialect d = db_dialect(c->app->db);
    for (int i = 0; i < c->req->nquery; i++) {
        const char *k = c->req->query[i].k, *v = c->req->query[i].v;
        bool skip = false;
        for (const char *const *r = reserved; *r; r++)
            if (!strcmp(*r, k))
                skip = true;
        if (skip)
            continue;
        if (ent->views) {
            const struct list_view *view = NULL;
            bool named = false;
            for (const struct list_view *vw = ent->views; vw->param; vw++) {
                if (strcmp(vw->param, k))
                    continue;
                named = true;
                if (!strcmp(vw->value, v))
                    view = vw;
            }
            if (named) {
                if (!view) {
                    api_reply_error(c, SH_INVALID, k, "'%s' has no value '%.40s'", k, v);
                    return false;
                }
                view_where(q, c, view->where);
                continue;
            }
        }
        int idx = ent_colidx(ent, k);
        const char *op = "=";
        if (idx < 0) {
            size_t n = strlen(k);
            char base[64];
            if (n > 5 && n < sizeof(base) && !strcmp(k + n - 5, "_from")) {
                snprintf(base, sizeof(base), "%.*s", (int)(n - 5), k);
                op = ">=";
            } else if (n > 3 && n < sizeof(base) && !strcmp(k + n - 3, "_to")) {
                snprintf(base, sizeof(base), "%.*s", (int)(n - 3), k);
                op = "<=";
            } else {
                base[0] = '\0';
            }
            idx = base[0] ? ent_colidx(ent, base) : -1;
            if (idx >= 0 && !(ent->cols[idx].flags & COL_RANGE))
                idx = -1;
        } else if (!(ent->cols[idx].flags & COL_FILTER)) {
            idx = -1;
        }
        if (idx < 0) {
            api_reply_error(c, SH_INVALID, k, "unknown filter '%.60s'", k);
            return false;
        }
        const struct col *col = &ent->cols[idx];
        const char *val = filter_value(c, col, k, v);
        if (!val)
            return false;
        if (col->kind == F_TS && !strcmp(op, "<=") && strlen(v) == 10)
            val = sh_arena_printf(c->a, "%sT23:59:59Z", v);
        int n = qparam(q, numeric(col->kind) && col->kind != F_REAL ? DB_INT(strtoll(val, NULL, 10))
                                                                    : DB_TEXT(val));
        qadd(q, " AND t.%s %s $%d", col->name, op, n);
        q->nconds++;
    }
    const char *term = http_query(c->req, "q");
    if (term && *term) {
        if (!ent->search) {
            api_reply_error(c, SH_INVALID, "q", "%s has no text search", ent->table);
            return false;
        }
        if (utf8_len(term) > 100) {
            api_reply_error(c, SH_INVALID, "q", "'q' is longer than 100 characters");
            return false;
        }
        search_where(q, c->a, ent, d, term);
    }
    const char *fmt = http_query(c->req, "format");
    *is_csv = false;
    if (fmt && strcmp(fmt, "json")) {
        if (strcmp(fmt, "csv") && strcmp(fmt, "xlsx")) {
            api_reply_error(c, SH_INVALID, "format", "'format' must be json, csv or xlsx");
            return false;
        }
        *is_csv = true;
    }
    return true;
}

static void list_common(struct api_ctx *c, const struct entity *ent, const char *parent_col,
                        int64_t parent_id)
{
    struct list_ctx l = {.c = c, .ent = ent};
    sh_buf_init(&l.q.sql, 1 << 16);
    sh_buf_init(&l.cq.sql, 1 << 16);
    bool export = false;

    /* limit */
    long limit = LIST_DEFAULT;
    const char *ls = http_query(c->req, "limit");
    if (ls) {
        char *end;
        limit = strtol(ls, &end, 10);
        if (!*ls || *end || limit < 1 || limit > LIST_MAX) {
            api_reply_error(c, SH_INVALID, "limit", "'limit' must be between 1 and %d", LIST_MAX);
            goto out;
        }
    }
    /* sort */
    const char *sort = http_query(c->req, "sort");
    if (!sort || !*sort)
        sort = ent->default_sort ? ent->default_sort : "id";
    bool desc = sort[0] == '-';
    const char *sname = desc ? sort + 1 : sort;
    int sidx = ent_colidx(ent, sname);
    if (sidx < 0 || (!(ent->cols[sidx].flags & COL_SORT) && strcmp(sname, "id"))) {
        api_reply_error(c, SH_INVALID, "sort", "cannot sort by '%.60s'", sname);
        goto out;
    }
    const struct col *scol = &ent->cols[sidx];
    bool by_id = !strcmp(sname, "id");
    bool snum = numeric(scol->kind);
    const char *sexpr =
        by_id ? "t.id" : sh_arena_printf(c->a, "COALESCE(t.%s, %s)", sname, snum ? "0" : "''");
    /* cursor */
    struct cursor cur = {0};
    const char *cs = http_query(c->req, "cursor");
    if (cs && *cs && !cursor_decode(c->a, cs, &cur)) {
        api_reply_error(c, SH_INVALID, "cursor", "'cursor' is not a cursor this list returned");
        goto out;
    }

    /* q= with the default order walks the trigram index in id order and stops at the page */
    const char *term = http_query(c->req, "q");
    bool fts = ent->search && term && *term && fts_usable(db_dialect(c->app->db), term);
    l.q.fts_join = fts && by_id;
    if (l.q.fts_join)
        sexpr = "f.rowid";
    select_from(&l.q, c->a, ent, http_query(c->req, "expand"));
    if (!list_where(c, ent, &l.q, &export))
        goto out;
    qadd(&l.cq, "SELECT count(*) AS n FROM %s t", ent->table);
    if (!list_where(c, ent, &l.cq, &export))
        goto out;
    if (parent_col) {
        int n = qparam(&l.q, DB_INT(parent_id));
        qadd(&l.q, " AND t.%s = $%d", parent_col, n);
        n = qparam(&l.cq, DB_INT(parent_id));
        qadd(&l.cq, " AND t.%s = $%d", parent_col, n);
        l.cq.nconds++;
    }
    bool pairs =
        ent->search && term && *term && db_dialect(c->app->db) == DB_SQLITE && pairs_usable(term);
    if ((fts || pairs) && l.cq.nconds == 0) {
        /* only q=: the index counts its matches without touching the table */
        sh_buf_reset(&l.cq.sql);
        l.cq.n = 0;
        int n = qparam(&l.cq,
                       DB_TEXT(fts ? fts_phrase(c->a, term) : pair_query(c->a, term, DB_SQLITE)));
        const char *idx = fts ? "fts" : "bi";
        qadd(&l.cq, "SELECT count(*) AS n FROM %s_%s WHERE %s_%s MATCH $%d", ent->table, idx,
             ent->table, idx, n);
    }
    if (cur.set && !export) {
        const char *gt = desc ? "<" : ">";
        int ni = qparam(&l.q, DB_INT(cur.id));
        if (by_id) {
            qadd(&l.q, " AND %s %s $%d", sexpr, gt, ni);
        } else {
            const char *v = cur.val ? cur.val : (snum ? "0" : "");
            int nv = qparam(&l.q, snum ? (scol->kind == F_REAL ? DB_REAL(strtod(v, NULL))
                                                               : DB_INT(strtoll(v, NULL, 10)))
                                       : DB_TEXT(v));
            qadd(&l.q, " AND (%s %s $%d OR (%s = $%d AND t.id %s $%d))", sexpr, gt, nv, sexpr, nv,
                 gt, ni);
        }
    }
    qadd(&l.q, " ORDER BY %s %s", sexpr, desc ? "DESC" : "ASC");
    if (!by_id)
        qadd(&l.q, ", t.id %s", desc ? "DESC" : "ASC");
    int nl = qparam(&l.q, DB_INT(export ? EXPORT_MAX + 1 : limit + 1));
    qadd(&l.q, " LIMIT $%d", nl);
    if (l.q.overflow || l.cq.overflow) {
        api_reply_error(c, SH_INVALID, NULL, "too many filters");
        goto out;
    }
    struct sh_err e;
    sh_err_clear(&e);
    if (db_read(c->app->db, list_run, &l, &e)) {
        api_reply_err(c, &e);
        goto out;
    }
    if (export) {
        if (l.rows.nrows > EXPORT_MAX) {
            api_reply_error(c, SH_TOO_BIG, NULL,
                            "more than %d rows match: narrow the filters to export", EXPORT_MAX);
            goto out;
        }
        export_rows(c, ent, &l.rows, http_query(c->req, "format"));
        goto out;
    }
    bool more = l.rows.nrows > limit;
    int shown = more ? (int)limit : l.rows.nrows;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_key(&w, "items");
    jw_arr_begin(&w);
    for (int i = 0; i < shown; i++)
        ent_render(&w, ent, &l.rows, i);
    jw_arr_end(&w);
    jw_kint(&w, "total", db_get_int(&l.count, 0, "n", 0));
    jw_kint(&w, "limit", limit);
    if (more) {
        int last = shown - 1;
        jw_kstr(&w, "next_cursor",
                cursor_encode(c->a,
                              by_id ? db_get(&l.rows, last, "id") : db_get(&l.rows, last, sname),
                              db_get(&l.rows, last, "id")));
    } else {
        jw_knull(&w, "next_cursor");
    }
    jw_obj_end(&w);
    if (jw_finish(&w) == SH_OK)
        api_reply_json(c, 200, &b);
    else
        api_reply_error(c, SH_TOO_BIG, NULL, "response too large: lower 'limit'");
    sh_buf_release(&b);
out:
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
