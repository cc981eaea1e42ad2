/* SPDX-License-Identifier: MIT */
/* The generic entity engine: one implementation of list (filters, sort, cursor
 * paging with total, q= search, expand=), get (ETag), create (Idempotency-Key),
 * update (PATCH with If-Match) and delete, each write in one transaction with
 * its audit row. Resources declare columns and hooks (resources.c). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/export.h"
#include "api/ifmatch.h"
#include "base/bigram.h"
#include "base/date.h"
#include "base/log.h"

#define LIST_DEFAULT   50
#define LIST_MAX       500
#define EXPORT_MAX     100000
#define MAX_SQL_PARAMS 48

int ent_colidx(const struct entity *ent, const char *name)
{
    for (int i = 0; i < ent->ncols; i++)
        if (!strcmp(ent->cols[i].name, name))
            return i;
    return -1;
}

/* ---- SQL building ---- */

struct q {
    struct sh_buf sql;
    struct db_val p[MAX_SQL_PARAMS];
    int n;
    bool overflow;
    int nconds;     /* WHERE conditions other than q= */
    bool fts_join;  /* the FROM clause starts at the FTS table (alias f) */
    const char *sx; /* "" or "_ext": the search text the caller queries (entity.search_external) */
};

static int qparam(struct q *q, struct db_val v)
{
    if (q->n >= MAX_SQL_PARAMS) {
        q->overflow = true;
        return q->n;
    }
    q->p[q->n++] = v;
    return q->n;
}

static void qadd(struct q *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void qadd(struct q *q, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (sh_buf_vaddf(&q->sql, fmt, ap) != SH_OK)
        q->overflow = true;
    va_end(ap);
}

static const char *label_col(const struct entity *ref)
{
    return ref->label_col ? ref->label_col : "name";
}

/* "customer_id" -> "customer_name" */
static const char *expand_name(struct sh_arena *a, const char *col)
{
    size_t n = strlen(col);
    if (n > 3 && !strcmp(col + n - 3, "_id"))
        return sh_arena_printf(a, "%.*s_name", (int)(n - 3), col);
    return sh_arena_printf(a, "%s_name", col);
}

static bool wants_expand(const char *expand, const char *col)
{
    if (!expand)
        return false;
    if (!strcmp(expand, "all") || !strcmp(expand, "*"))
        return true;
    size_t n = strlen(col);
    size_t base = n > 3 && !strcmp(col + n - 3, "_id") ? n - 3 : n;
    for (const char *p = expand; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if ((len == n && !strncmp(p, col, n)) || (len == base && !strncmp(p, col, base)))
            return true;
        if (!e)
            break;
        p = e + 1;
    }
    return false;
}

/* SELECT list and joins for ent, with expand= names. */
static void select_from(struct q *q, struct sh_arena *a, const struct entity *ent,
                        const char *expand)
{
    qadd(q, "SELECT t.*");
    struct sh_buf joins = SH_BUF_INIT(8192);
    for (int i = 0; i < ent->ncols; i++) {
        const struct col *c = &ent->cols[i];
        if (c->kind != F_ID || !c->ref || !wants_expand(expand, c->name))
            continue;
        qadd(q, ", x%d.%s AS %s", i, label_col(c->ref), expand_name(a, c->name));
        if (sh_buf_addf(&joins, " LEFT JOIN %s x%d ON x%d.id = t.%s", c->ref->table, i, i, c->name))
            q->overflow = true;
    }
    if (q->fts_join)
        qadd(q, " FROM %s_fts f JOIN %s t ON t.id = f.rowid%s", ent->table, ent->table, joins.buf);
    else
        qadd(q, " FROM %s t%s", ent->table, joins.buf);
    sh_buf_release(&joins);
}

static void scope_where(struct q *q, struct api_ctx *c, const struct entity *ent)
{
    if (api_is_external(c) && ent->scope_col) {
        int n = qparam(q, DB_INT(c->who.customer_id));
        qadd(q, " AND t.%s = $%d", ent->scope_col, n);
        q->nconds++;
    }
    if (api_is_technician_only(c) && ent->assignee_col) {
        int n = qparam(q, DB_INT(c->who.user_id));
        qadd(q, " AND t.%s = $%d", ent->assignee_col, n);
        q->nconds++;
    }
}

bool ent_row_in_scope(const struct api_ctx *c, const struct entity *ent, const struct db_rows *r,
                      int row)
{
    if (api_is_external(c) && ent->scope_col &&
        db_get_int(r, row, ent->scope_col, -1) != c->who.customer_id)
        return false;
    if (api_is_technician_only(c) && ent->assignee_col &&
        db_get_int(r, row, ent->assignee_col, -1) != c->who.user_id)
        return false;
    return true;
}

/* Adds a named view's SQL, binding {me} and {dept}. */
static void view_where(struct q *q, struct api_ctx *c, const char *sql)
{
    qadd(q, " AND (");
    for (const char *p = sql; *p;) {
        const char *me = strstr(p, "{me}"), *dept = strstr(p, "{dept}");
        const char *next = me && (!dept || me < dept) ? me : dept;
        if (!next) {
            qadd(q, "%s", p);
            break;
        }
        qadd(q, "%.*s", (int)(next - p), p);
        int n = qparam(q, DB_INT(next == me ? c->who.user_id : c->who.department_id));
        qadd(q, "$%d", n);
        p = next + (next == me ? 4 : 6);
    }
    qadd(q, ")");
    q->nconds++;
}

/* ---- rendering ---- */

static void render_cell(struct jw *w, const struct col *col, const char *v)
{
    jw_key(w, col->name);
    if (!v) {
        jw_null(w);
        return;
    }
    switch (col->kind) {
    case F_INT:
    case F_ID:
    case F_MONEY:
        jw_int(w, strtoll(v, NULL, 10));
        break;
    case F_REAL:
        jw_real(w, strtod(v, NULL));
        break;
    case F_BOOL:
        jw_bool(w, strcmp(v, "0") != 0 && strcmp(v, "f") != 0 && *v);
        break;
    case F_STR:
    case F_TEXT:
    case F_ENUM:
    case F_DATE:
    case F_TS:
        jw_str(w, v);
        break;
    }
}

void ent_render(struct jw *w, const struct entity *ent, const struct db_rows *r, int row)
{
    jw_obj_begin(w);
    for (int i = 0; i < ent->ncols; i++) {
        const struct col *col = &ent->cols[i];
        if (col->flags & COL_INTERNAL)
            continue;
        render_cell(w, col, db_get(r, row, col->name));
    }
    /* expanded names come after the columns */
    for (int k = 0; k < r->ncols; k++) {
        const char *name = r->names[k];
        size_t n = strlen(name);
        if (n > 5 && !strcmp(name + n - 5, "_name") && ent_colidx(ent, name) < 0) {
            jw_key(w, name);
            jw_str(w, db_cell(r, row, k));
        }
    }
    jw_obj_end(w);
}

char *ent_json(struct sh_arena *a, const struct entity *ent, const struct db_rows *r, int row)
{
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    struct jw w;
    jw_init(&w, &b);
    ent_render(&w, ent, r, row);
    char *s = jw_finish(&w) == SH_OK ? sh_arena_strdup(a, b.buf) : NULL;
    sh_buf_release(&b);
    return s;
}

enum sh_code ent_load(struct db_tx *tx, struct sh_arena *a, const struct entity *ent, int64_t id,
                      struct db_rows *out, struct sh_err *e)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT t.* FROM %s t WHERE t.id = $1", ent->table);
    enum sh_code rc = db_query(tx, a, sh_arena_strdup(a, sql), DB_P(DB_INT(id)), out, e);
    if (rc)
        return rc;
    if (out->nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "%s %" PRId64 " not found", ent->name, id);
    return SH_OK;
}

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

static bool numeric(enum field_kind k)
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
/* The condition on one search text: sx "" (staff) or "_ext" (customer), parameter $n;
 * kind 0 trigram index, 1 pair index, 2 LIKE. */
static void search_cond(struct q *q, const struct entity *ent, enum db_dialect d, const char *sx,
                        int kind, int n, bool ilike)
{
    if (kind == 0 && q->fts_join)
        qadd(q, " f.%s%s_fts MATCH $%d", ent->table, sx, n);
    else if (kind == 0)
        qadd(q, " t.id IN (SELECT rowid FROM %s%s_fts WHERE %s%s_fts MATCH $%d)", ent->table, sx,
             ent->table, sx, n);
    else if (kind == 1 && d == DB_PG)
        qadd(q, " to_tsvector('simple', t.search%s_bi) @@ to_tsquery('simple', $%d)", sx, n);
    else if (kind == 1)
        qadd(q, " t.id IN (SELECT rowid FROM %s%s_bi WHERE %s%s_bi MATCH $%d)", ent->table, sx,
             ent->table, sx, n);
    else
        qadd(q, " t.search%s %s $%d ESCAPE '\\'", sx, ilike ? "ILIKE" : "LIKE", n);
}

static void search_where(struct q *q, struct sh_arena *a, const struct entity *ent,
                         enum db_dialect d, const char *term)
{
    int kind = fts_usable(d, term) ? 0 : pairs_usable(term) ? 1 : 2;
    int n = qparam(q, DB_TEXT(kind == 0   ? fts_phrase(a, term)
                              : kind == 1 ? pair_query(a, term, d)
                                          : like_pattern(a, term)));
    bool ilike = d == DB_PG && has_letters(term);
    if (!*q->sx) {
        qadd(q, " AND");
        search_cond(q, ent, d, "", kind, n, ilike);
        return;
    }
    /* the customer text; empty while it equals the staff text (no internal note yet) */
    qadd(q, " AND ((t.search%s = '' AND", q->sx);
    search_cond(q, ent, d, "", kind, n, ilike);
    qadd(q, ") OR");
    search_cond(q, ent, d, q->sx, kind, n, ilike);
    qadd(q, ")");
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
    l.q.sx = l.cq.sx = ent->search_external && api_is_external(c) ? "_ext" : "";
    l.q.fts_join = fts && by_id && !*l.q.sx;
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
    if ((fts || pairs) && l.cq.nconds == 0 && !*l.cq.sx) {
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

/* ---- get ---- */

struct get_ctx {
    struct api_ctx *c;
    const struct entity *ent;
    int64_t id;
    struct db_rows rows;
};

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct get_ctx *g = arg;
    struct q q = {.sql = SH_BUF_INIT(1 << 14)};
    select_from(&q, g->c->a, g->ent, http_query(g->c->req, "expand"));
    int n = qparam(&q, DB_INT(g->id));
    qadd(&q, " WHERE t.id = $%d", n);
    scope_where(&q, g->c, g->ent);
    enum sh_code rc = db_query(tx, g->c->a, q.sql.buf, q.p, q.n, &g->rows, e);
    sh_buf_release(&q.sql);
    if (!rc && g->rows.nrows == 0)
        rc = sh_err_set(e, SH_NOT_FOUND, "%s %" PRId64 " not found", g->ent->name, g->id);
    return rc;
}

static void set_etag(struct api_ctx *c, const char *version)
{
    http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%s\"", version ? version : "0"));
}

void ent_get(struct api_ctx *c)
{
    struct get_ctx g = {.c = c, .ent = c->route->ent};
    if (!api_param_id(c, 0, &g.id))
        return;
    if (!api_read_or_reply(c, get_run, &g))
        return;
    const char *inm = http_header(c->req, "If-None-Match");
    const char *ver = db_get(&g.rows, 0, "version");
    set_etag(c, ver);
    if (inm && !strncmp(inm, "W/", 2))
        inm += 2;
    if (inm && ver && (!strcmp(inm, "*") || !strcmp(inm, sh_arena_printf(c->a, "\"%s\"", ver)))) {
        c->req->status = 304;
        return;
    }
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    ent_render(&w, g.ent, &g.rows, 0);
    api_reply_jw(c, 200, &b, &w);
}

/* ---- writes ---- */

struct write_ctx {
    struct api_ctx *c;
    const struct entity *ent;
    struct fval *vals;
    int64_t id;
    int64_t if_match; /* -1: none */
    const char *idem_key;
    struct sh_buf out;
    int status;
    bool replayed;
    const char *version;
};

/* Checks that every referenced id exists (and, for external callers, is theirs). */
static enum sh_code check_refs(struct ent_write *w, struct sh_err *e)
{
    for (int i = 0; i < w->ent->ncols; i++) {
        const struct col *col = &w->ent->cols[i];
        if (col->kind != F_ID || !col->ref || !w->vals[i].present || w->vals[i].is_null)
            continue;
        if (w->old && w->old[i] && !strcmp(w->old[i], w->vals[i].text))
            continue; /* unchanged */
        struct db_rows r;
        enum sh_code rc = ent_load(w->tx, w->c->a, col->ref, w->vals[i].i, &r, e);
        if (rc == SH_NOT_FOUND)
            return sh_err_field(e, SH_INVALID, col->name, "'%s': no %s with id %" PRId64, col->name,
                                col->ref->name, w->vals[i].i);
        if (rc)
            return rc;
    }
    return SH_OK;
}

const char *pair_text(struct sh_arena *a, const char *text)
{
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    const char *out = sh_bigrams(text ? text : "", &b) == SH_OK ? sh_arena_strdup(a, b.buf) : "";
    sh_buf_release(&b);
    return out;
}

static const char *search_text(struct ent_write *w, const char *extra)
{
    struct sh_buf b = SH_BUF_INIT(1 << 16);
    for (int i = 0; i < w->ent->ncols; i++) {
        if (!(w->ent->cols[i].flags & COL_SEARCH) || !w->vals[i].present || w->vals[i].is_null)
            continue;
        if (sh_buf_adds(&b, w->vals[i].text) || sh_buf_addc(&b, ' '))
            break;
    }
    if (extra && sh_buf_adds(&b, extra)) {
        /* over-long extra text is simply not searchable */
    }
    const char *s = sh_arena_strdup(w->c->a, b.buf);
    sh_buf_release(&b);
    return s;
}

enum sh_code api_idem_replay(struct api_ctx *c, struct db_tx *tx, const char *key,
                             struct sh_buf *out, int *status, bool *replayed, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, c->a,
                               "SELECT method, path, status, body FROM idempotency_keys "
                               "WHERE user_id = $1 AND key = $2",
                               DB_P(DB_INT(c->who.user_id), DB_TEXT(key)), &r, e);
    if (rc || r.nrows == 0)
        return rc;
    if (strcmp(db_get(&r, 0, "method"), c->req->method) ||
        strcmp(db_get(&r, 0, "path"), c->req->path))
        return sh_err_field(e, SH_UNPROCESSABLE, "Idempotency-Key",
                            "this Idempotency-Key was used for a different request");
    *replayed = true;
    *status = (int)db_get_int(&r, 0, "status", 200);
    sh_buf_reset(out);
    return sh_buf_adds(out, db_get(&r, 0, "body"));
}

enum sh_code api_idem_store(struct api_ctx *c, struct db_tx *tx, const char *key, int status,
                            const char *body, struct sh_err *e)
{
    char now[21];
    api_now(now);
    return db_exec(tx,
                   "INSERT INTO idempotency_keys (user_id, key, method, path, status, body, "
                   "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   DB_P(DB_INT(c->who.user_id), DB_TEXT(key), DB_TEXT(c->req->method),
                        DB_TEXT(c->req->path), DB_INT(status), DB_TEXT(body), DB_TEXT(now)),
                   NULL, e);
}

/* A replayed create answers with the stored record: its id and version come from it. */
static enum sh_code idem_lookup(struct write_ctx *x, struct db_tx *tx, struct sh_err *e)
{
    enum sh_code rc = api_idem_replay(x->c, tx, x->idem_key, &x->out, &x->status, &x->replayed, e);
    if (rc || !x->replayed)
        return rc;
    json_t *j = json_loads(x->out.buf, 0, NULL);
    if (j) {
        x->id = json_integer_value(json_object_get(j, "id"));
        json_int_t v = json_integer_value(json_object_get(j, "version"));
        if (v > 0)
            x->version = sh_arena_printf(x->c->a, "%lld", (long long)v);
        json_decref(j);
    }
    return SH_OK;
}

enum sh_code ent_insert(struct api_ctx *c, struct db_tx *tx, const struct entity *ent,
                        struct fval *vals, int64_t *id, const char **after_json, struct sh_err *e)
{
    struct sh_arena *a = c->a;
    struct ent_write w = {.c = c, .tx = tx, .ent = ent, .vals = vals, .creating = true};
    enum sh_code rc = check_refs(&w, e);
    if (rc)
        return rc;
    if (ent->before_write && (rc = ent->before_write(&w, e)))
        return rc;
    char now[21];
    api_now(now);
    struct q q = {.sql = SH_BUF_INIT(1 << 14)};
    struct sh_buf vs = SH_BUF_INIT(1 << 12);
    qadd(&q, "INSERT INTO %s (created_at, updated_at", ent->table);
    int nnow = qparam(&q, DB_TEXT(now));
    if (sh_buf_addf(&vs, "$%d, $%d", nnow, nnow))
        q.overflow = true;
    for (int i = 0; i < ent->ncols; i++) {
        if (!vals[i].present)
            continue;
        int n = qparam(&q, vals[i].is_null ? DB_NULL : DB_TEXT(vals[i].text));
        qadd(&q, ", %s", ent->cols[i].name);
        if (sh_buf_addf(&vs, ", $%d", n))
            q.overflow = true;
    }
    if (ent->search) {
        const char *st = search_text(&w, ent->search_extra ? ent->search_extra(&w) : NULL);
        int n = qparam(&q, DB_TEXT(st));
        int nb = qparam(&q, DB_TEXT(pair_text(a, st)));
        qadd(&q, ", search, search_bi");
        if (sh_buf_addf(&vs, ", $%d, $%d", n, nb))
            q.overflow = true;
    }
    qadd(&q, ") VALUES (%s) RETURNING id", vs.buf);
    sh_buf_release(&vs);
    struct db_rows r;
    rc = q.overflow ? sh_err_set(e, SH_INTERNAL, "insert too large")
                    : db_query(tx, a, q.sql.buf, q.p, q.n, &r, e);
    sh_buf_release(&q.sql);
    if (rc)
        return rc;
    *id = db_get_int(&r, 0, "id", 0);
    w.id = *id;
    if (ent->after_write && (rc = ent->after_write(&w, e)))
        return rc;
    if ((rc = ent_load(tx, a, ent, *id, &r, e)))
        return rc;
    const char *after = ent_json(a, ent, &r, 0);
    if ((rc = audit_write(tx, &c->who, ent->name, *id, "create", NULL, after, e)))
        return rc;
    if (after_json)
        *after_json = after;
    return SH_OK;
}

static enum sh_code create_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct write_ctx *x = arg;
    enum sh_code rc;
    if (x->idem_key) {
        rc = idem_lookup(x, tx, e);
        if (rc || x->replayed)
            return rc;
    }
    const char *after = NULL;
    if ((rc = ent_insert(x->c, tx, x->ent, x->vals, &x->id, &after, e)))
        return rc;
    x->status = 201;
    x->version = "1";
    sh_buf_reset(&x->out);
    if (sh_buf_adds(&x->out, after ? after : "{}"))
        return sh_err_set(e, SH_TOO_BIG, "record too large");
    if (x->idem_key)
        rc = api_idem_store(x->c, tx, x->idem_key, x->status, x->out.buf, e);
    return rc;
}

static enum sh_code idem_replay_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    return idem_lookup(arg, tx, e);
}

bool api_idem_key(struct api_ctx *c, const char **key)
{
    *key = http_header(c->req, "Idempotency-Key");
    if (!*key)
        return true;
    size_t n = strlen(*key);
    bool ok = n >= 1 && n <= 200;
    for (size_t i = 0; ok && i < n; i++)
        ok = (unsigned char)(*key)[i] > 0x20 && (unsigned char)(*key)[i] < 0x7f;
    if (!ok)
        api_reply_error(c, SH_INVALID, "Idempotency-Key",
                        "Idempotency-Key must be 1 to 200 visible ASCII characters");
    return ok;
}

static void finish_write(struct api_ctx *c, struct write_ctx *x)
{
    if (x->replayed)
        http_add_header(c->req, "Idempotent-Replayed", "true");
    if (x->version)
        set_etag(c, x->version);
    if (x->status == 201)
        http_add_header(c->req, "Location",
                        sh_arena_printf(c->a, "%s/%" PRId64, c->req->path, x->id));
    api_reply_json(c, x->status, &x->out);
}

void ent_create(struct api_ctx *c)
{
    const struct entity *ent = c->route->ent;
    struct write_ctx x = {.c = c, .ent = ent, .if_match = -1};
    sh_buf_init(&x.out, 1 << 20);
    if (!api_idem_key(c, &x.idem_key))
        goto out;
    x.vals = sh_arena_alloc(c->a, sizeof(struct fval) * (size_t)ent->ncols);
    struct sh_err e;
    sh_err_clear(&e);
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, ent->cols, ent->ncols, false,
                         x.vals, NULL, &e)) {
        api_reply_err(c, &e);
        goto out;
    }
    /* an external caller can only create inside its own scope */
    if (api_is_external(c) && ent->scope_col) {
        int si = ent_colidx(ent, ent->scope_col);
        if (si >= 0) {
            x.vals[si].present = true;
            x.vals[si].is_null = false;
            x.vals[si].i = c->who.customer_id;
            x.vals[si].text = sh_arena_printf(c->a, "%" PRId64, c->who.customer_id);
        }
    }
    enum sh_code rc = db_write(c->app->db, create_run, &x, &e);
    if (rc == SH_CONFLICT && x.idem_key) {
        /* a concurrent request with the same key won: answer with its result */
        struct sh_err e2;
        sh_err_clear(&e2);
        if (db_read(c->app->db, idem_replay_run, &x, &e2) == SH_OK && x.replayed)
            rc = SH_OK;
    }
    if (rc) {
        api_reply_err(c, &e);
        goto out;
    }
    finish_write(c, &x);
out:
    sh_buf_release(&x.out);
}

static enum sh_code update_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct write_ctx *x = arg;
    const struct entity *ent = x->ent;
    struct sh_arena *a = x->c->a;
    struct db_rows old;
    enum sh_code rc = ent_load(tx, a, ent, x->id, &old, e);
    if (rc)
        return rc;
    if (!ent_row_in_scope(x->c, ent, &old, 0))
        return sh_err_set(e, SH_NOT_FOUND, "%s %" PRId64 " not found", ent->name, x->id);
    int64_t version = db_get_int(&old, 0, "version", 0);
    if (x->if_match >= 0 && x->if_match != version)
        return sh_err_set(e, SH_PRECONDITION,
                          "%s %" PRId64 " was changed by someone else (version %" PRId64
                          ", yours %" PRId64 "): reload and retry",
                          ent->name, x->id, version, x->if_match);
    /* merge: unchanged columns keep their stored text */
    const char **oldv = sh_arena_alloc(a, sizeof(char *) * (size_t)ent->ncols);
    for (int i = 0; i < ent->ncols; i++) {
        oldv[i] = db_get(&old, 0, ent->cols[i].name);
        if (!x->vals[i].present) {
            x->vals[i].present = true;
            x->vals[i].is_null = oldv[i] == NULL;
            x->vals[i].text = oldv[i];
            x->vals[i].i = oldv[i] ? strtoll(oldv[i], NULL, 10) : 0;
            x->vals[i].r = oldv[i] ? strtod(oldv[i], NULL) : 0;
        }
    }
    struct ent_write w = {
        .c = x->c, .tx = tx, .ent = ent, .vals = x->vals, .old = oldv, .id = x->id};
    if ((rc = check_refs(&w, e)))
        return rc;
    if (ent->before_write && (rc = ent->before_write(&w, e)))
        return rc;
    char now[21];
    api_now(now);
    struct q q = {.sql = SH_BUF_INIT(1 << 14)};
    int nnow = qparam(&q, DB_TEXT(now));
    qadd(&q, "UPDATE %s SET updated_at = $%d, version = version + 1", ent->table, nnow);
    for (int i = 0; i < ent->ncols; i++) {
        const struct col *col = &ent->cols[i];
        if ((col->flags & COL_READONLY) && !(col->flags & COL_DERIVED))
            continue;
        int n = qparam(&q, x->vals[i].is_null ? DB_NULL : DB_TEXT(x->vals[i].text));
        qadd(&q, ", %s = $%d", col->name, n);
    }
    if (ent->search) {
        const char *st = search_text(&w, ent->search_extra ? ent->search_extra(&w) : NULL);
        int n = qparam(&q, DB_TEXT(st));
        int nb = qparam(&q, DB_TEXT(pair_text(a, st)));
        qadd(&q, ", search = $%d, search_bi = $%d", n, nb);
    }
    int nid = qparam(&q, DB_INT(x->id));
    int nver = qparam(&q, DB_INT(version));
    qadd(&q, " WHERE id = $%d AND version = $%d", nid, nver);
    int64_t changed = 0;
    rc = q.overflow ? sh_err_set(e, SH_INTERNAL, "update too large")
                    : db_exec(tx, q.sql.buf, q.p, q.n, &changed, e);
    sh_buf_release(&q.sql);
    if (rc)
        return rc;
    if (changed != 1)
        return sh_err_set(e, SH_PRECONDITION, "%s %" PRId64 " was changed concurrently: retry",
                          ent->name, x->id);
    if (ent->after_write && (rc = ent->after_write(&w, e)))
        return rc;
    const char *before = ent_json(a, ent, &old, 0);
    struct db_rows now_rows;
    if ((rc = ent_load(tx, a, ent, x->id, &now_rows, e)))
        return rc;
    const char *after = ent_json(a, ent, &now_rows, 0);
    if ((rc = audit_write(tx, &x->c->who, ent->name, x->id, "update", before, after, e)))
        return rc;
    x->status = 200;
    x->version = db_get(&now_rows, 0, "version");
    sh_buf_reset(&x->out);
    if (sh_buf_adds(&x->out, after ? after : "{}"))
        return sh_err_set(e, SH_TOO_BIG, "record too large");
    return SH_OK;
}

/* If-Match (api/ifmatch.c, one parser for every route); false after replying. */
static bool if_match(struct api_ctx *c, int64_t *out)
{
    struct sh_err e;
    sh_err_clear(&e);
    if (api_if_match(c->req, out, &e) == SH_OK)
        return true;
    api_reply_err(c, &e);
    return false;
}

void ent_update(struct api_ctx *c)
{
    const struct entity *ent = c->route->ent;
    struct write_ctx x = {.c = c, .ent = ent};
    sh_buf_init(&x.out, 1 << 20);
    if (!api_param_id(c, 0, &x.id) || !if_match(c, &x.if_match))
        goto out;
    x.vals = sh_arena_alloc(c->a, sizeof(struct fval) * (size_t)ent->ncols);
    struct sh_err e;
    sh_err_clear(&e);
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, ent->cols, ent->ncols, true,
                         x.vals, NULL, &e)) {
        api_reply_err(c, &e);
        goto out;
    }
    if (api_is_external(c) && ent->scope_col) {
        int si = ent_colidx(ent, ent->scope_col);
        if (si >= 0 && x.vals[si].present) {
            api_reply_error(c, SH_FORBIDDEN, ent->scope_col, "'%s' cannot be changed",
                            ent->scope_col);
            goto out;
        }
    }
    if (db_write(c->app->db, update_run, &x, &e)) {
        api_reply_err(c, &e);
        goto out;
    }
    finish_write(c, &x);
out:
    sh_buf_release(&x.out);
}

static enum sh_code delete_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct write_ctx *x = arg;
    const struct entity *ent = x->ent;
    struct db_rows old;
    enum sh_code rc = ent_load(tx, x->c->a, ent, x->id, &old, e);
    if (rc)
        return rc;
    if (!ent_row_in_scope(x->c, ent, &old, 0))
        return sh_err_set(e, SH_NOT_FOUND, "%s %" PRId64 " not found", ent->name, x->id);
    int64_t version = db_get_int(&old, 0, "version", 0);
    if (x->if_match >= 0 && x->if_match != version)
        return sh_err_set(e, SH_PRECONDITION, "%s %" PRId64 " was changed by someone else",
                          ent->name, x->id);
    char sql[128];
    snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = $1", ent->table);
    rc = db_exec(tx, sh_arena_strdup(x->c->a, sql), DB_P(DB_INT(x->id)), NULL, e);
    if (rc == SH_INVALID)
        return sh_err_set(e, SH_CONFLICT, "%s %" PRId64 " is still referenced by other records",
                          ent->name, x->id);
    if (rc)
        return rc;
    return audit_write(tx, &x->c->who, ent->name, x->id, "delete", ent_json(x->c->a, ent, &old, 0),
                       NULL, e);
}

void ent_delete(struct api_ctx *c)
{
    struct write_ctx x = {.c = c, .ent = c->route->ent};
    sh_buf_init(&x.out, 1 << 10);
    if (!api_param_id(c, 0, &x.id) || !if_match(c, &x.if_match))
        goto out;
    struct sh_err e;
    sh_err_clear(&e);
    if (db_write(c->app->db, delete_run, &x, &e)) {
        api_reply_err(c, &e);
        goto out;
    }
    api_reply_no_content(c);
out:
    sh_buf_release(&x.out);
}
