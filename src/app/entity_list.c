/* SPDX-License-Identifier: MIT */
/* The entity engine's lists (app/entity.h): filters, named views, sort, cursor paging
 * with a total, q= search (trigram, character pairs or LIKE), expand= and exports. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/entity_int.h"
#include "base/bigram.h"
#include "base/date.h"
#include "domain/phone.h"

#define EXPORT_MAX ENT_EXPORT_MAX

/* ---- list ---- */

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

static bool cursor_decode(struct sh_arena *a, const char *s, struct ent_cursor *cur)
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

/* q between two edge characters, each of the specials prefixed with esc. */
static char *quoted(struct sh_arena *a, const char *q, char edge, const char *specials, char esc)
{
    size_t n = strlen(q);
    char *out = sh_arena_alloc(a, n * 2 + 3);
    size_t k = 0;
    out[k++] = edge;
    for (size_t i = 0; i < n; i++) {
        if (strchr(specials, q[i]))
            out[k++] = esc;
        out[k++] = q[i];
    }
    out[k++] = edge;
    out[k] = '\0';
    return out;
}

/* Escapes LIKE wildcards with backslash. */
static char *like_pattern(struct sh_arena *a, const char *q)
{
    return quoted(a, q, '%', "%_\\", '\\');
}

static char *fts_phrase(struct sh_arena *a, const char *q)
{
    return quoted(a, q, '"', "\"", '"');
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
    else if (q->noindex) /* an expression no index serves: the planner walks the ids */
        qadd(q, " (t.search%s || '') %s $%d ESCAPE '\\'", sx, ilike ? "ILIKE" : "LIKE", n);
    else
        qadd(q, " t.search%s %s $%d ESCAPE '\\'", sx, ilike ? "ILIKE" : "LIKE", n);
}

static void search_where(struct q *q, struct sh_arena *a, const struct entity *ent,
                         enum db_dialect d, const char *term)
{
    int kind = q->noindex ? 2 : fts_usable(d, term) ? 0 : pairs_usable(term) ? 1 : 2;
    int n = qparam(q, DB_TEXT(kind == 0   ? fts_phrase(a, term)
                              : kind == 1 ? pair_query(a, term, d)
                                          : like_pattern(a, term)));
    bool ilike = d == DB_PG && has_letters(term);
    if (!q->sx || !*q->sx) {
        qadd(q, " AND");
        search_cond(q, ent, d, "", kind, n, ilike);
        return;
    }
    /* the customer text (issue 10 item 5); empty while it equals the staff text */
    qadd(q, " AND ((t.search%s = '' AND", q->sx);
    search_cond(q, ent, d, "", kind, n, ilike);
    qadd(q, ") OR");
    search_cond(q, ent, d, q->sx, kind, n, ilike);
    qadd(q, ")");
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
static int named_view(const struct uc *u, const struct entity *ent, struct q *q, const char *k,
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
                  sh_arena_printf(u->a, "'%s' has no value '%.40s'", k, v));
        return -1;
    }
    view_where(q, u, view->where);
    return 1;
}

/* The column filtered by parameter k (col, col_from, col_to) and its operator; -1 if none. */
static int filter_col_any(const struct entity *ent, const char *k, const char **op)
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

static bool staff_only(const struct uc *u, const struct col *c)
{
    return (c->flags & COL_STAFF) && principal_external(u->who);
}

/* The column a filter k names, or -1: none, not filterable, or staff-only for an external
 * caller (a customer or dealer would read a hidden value back from the matching rows). */
static int filter_col(const struct uc *u, const struct entity *ent, const char *k, const char **op)
{
    int idx = filter_col_any(ent, k, op);
    return idx >= 0 && staff_only(u, &ent->cols[idx]) ? -1 : idx;
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

/* RULE review 69 (docs/api.md "Phones"): ?phone= and ?caller_phone= match the same number
 * however it is typed ("138 0000 1111", "+86 13800001111", "138-0000-1111"): the stored number
 * without spaces and hyphens is one of the typed number's spellings (phone_cn_spellings), or the
 * typed text without them (text that is no number). The expression has no index: the filter
 * reads every row the caller's other conditions leave (docs/api.md). */
static void phone_filter(const struct uc *u, struct q *q, const char *col, const char *v)
{
    char key[PHONE_KEY_MAX], sp[PHONE_SPELLINGS][PHONE_KEY_MAX + 4];
    phone_cn_spellings(phone_cn_key(v, key), sp);
    char *bare = sh_arena_strdup(u->a, v), *w = bare;
    for (const char *r = v; *r; r++)
        if (*r != ' ' && *r != '-')
            *w++ = *r;
    *w = '\0';
    qadd(q, " AND REPLACE(REPLACE(t.%s, ' ', ''), '-', '') IN ($%d", col, qparam(q, DB_TEXT(bare)));
    for (int i = 0; i < PHONE_SPELLINGS; i++)
        qadd(q, ", $%d", qparam(q, DB_TEXT(sh_arena_strdup(u->a, sp[i]))));
    qadd(q, ")");
}

/* One query-string filter k=v as an AND condition. */
static enum sh_code add_filter(const struct uc *u, const struct entity *ent, struct q *q,
                               const char *k, const char *v, struct sh_err *e)
{
    int nv = named_view(u, ent, q, k, v, e);
    if (nv)
        return nv < 0 ? SH_INVALID : SH_OK;
    const char *op;
    int idx = filter_col(u, ent, k, &op);
    if (idx < 0)
        return bad_param(e, k, "unknown_field", NULL,
                         sh_arena_printf(u->a, "unknown filter '%.60s'", k));
    const struct col *col = &ent->cols[idx];
    const char *val = filter_value(u->a, col, k, v, e);
    if (!val)
        return SH_INVALID;
    if (col->kind == F_TS && !strcmp(op, "<=") && strlen(v) == 10)
        val = sh_arena_printf(u->a, "%sT23:59:59Z", v);
    if (col->flags & COL_PHONE) {
        phone_filter(u, q, col->name, val);
        q->nconds++;
        return SH_OK;
    }
    int n = qparam(q, numeric(col->kind) && col->kind != F_REAL ? DB_INT(strtoll(val, NULL, 10))
                                                                : DB_TEXT(val));
    qadd(q, " AND t.%s %s $%d", col->name, op, n);
    q->nconds++;
    return SH_OK;
}

/* Builds the WHERE clause shared by the page and the count. */
static enum sh_code list_where(const struct uc *u, const struct entity *ent,
                               const struct ent_list_in *in, struct q *q, struct sh_err *e)
{
    qadd(q, " WHERE 1=1");
    scope_where(q, u->who, ent);
    for (int i = 0; i < in->nparams; i++) {
        const char *k = in->params[i].k, *v = in->params[i].v;
        enum sh_code rc = reserved_param(k) ? SH_OK : add_filter(u, ent, q, k, v, e);
        if (rc)
            return rc;
    }
    const char *term = in->q;
    if (term && *term) {
        if (!ent->search)
            return bad_param(e, "q", "unsupported", NULL,
                             sh_arena_printf(u->a, "%s has no text search", ent->table));
        if (utf8_len(term) > 100)
            return bad_param(e, "q", "too_long", "{\"max\":100}",
                             "'q' is longer than 100 characters");
        search_where(q, u->a, ent, db_dialect(u->app->db), term);
    }
    return SH_OK;
}

/* The order (sort=) and the place (cursor=) of a list. */
static enum sh_code list_order(const struct uc *u, const struct entity *ent,
                               const struct ent_list_in *in, struct ent_list *p, struct sh_err *e)
{
    const char *sort = in->sort;
    if (!sort || !*sort)
        sort = ent->default_sort ? ent->default_sort : "id";
    p->desc = sort[0] == '-';
    p->sname = p->desc ? sort + 1 : sort;
    int sidx = ent_colidx(ent, p->sname);
    if (sidx < 0 || (!(ent->cols[sidx].flags & COL_SORT) && strcmp(p->sname, "id")) ||
        staff_only(u, &ent->cols[sidx]))
        return bad_param(e, "sort", "unknown_field", NULL,
                         sh_arena_printf(u->a, "cannot sort by '%.60s'", p->sname));
    p->scol = &ent->cols[sidx];
    p->by_id = !strcmp(p->sname, "id");
    p->snum = numeric(p->scol->kind);
    p->sexpr = p->by_id
                   ? "t.id"
                   : sh_arena_printf(u->a, "COALESCE(t.%s, %s)", p->sname, p->snum ? "0" : "''");
    const char *cs = in->cursor;
    if (cs && *cs && !cursor_decode(u->a, cs, &p->cur))
        return bad_param(e, "cursor", "invalid_format", NULL,
                         "'cursor' is not a cursor this list returned");
    p->term = in->q;
    if (p->term && !*p->term)
        p->term = NULL;
    return SH_OK;
}

/* Keyset condition after the cursor, ORDER BY and LIMIT. */
static void page_tail(struct q *q, const struct ent_list *p, const struct ent_cursor *cur,
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

/* The page query (without its tail) and the count query. */
/* The count query when only q= narrows the list: the index counts its matches without
 * touching the table. */
static void count_by_index(const struct uc *u, struct ent_list *l, bool fts)
{
    const struct entity *ent = l->ent;
    sh_buf_reset(&l->cq.sql);
    l->cq.n = 0;
    int n = qparam(&l->cq,
                   DB_TEXT(fts ? fts_phrase(u->a, l->term) : pair_query(u->a, l->term, DB_SQLITE)));
    const char *idx = fts ? "fts" : "bi";
    qadd(&l->cq, "SELECT count(*) AS n FROM %s_%s WHERE %s_%s MATCH $%d", ent->table, idx,
         ent->table, idx, n);
}

/* The walk step's page query (ent_list.walk): the same list with q= unindexed. */
static enum sh_code walk_build(const struct uc *u, const struct ent_list_in *in, struct ent_list *l,
                               bool external, struct sh_err *e)
{
    sh_buf_init(&l->wq.sql, 1 << 16);
    l->wq.sx = l->q.sx;
    l->wq.noindex = true;
    select_from(&l->wq, u->a, l->ent, in->expand, external);
    enum sh_code rc = list_where(u, l->ent, in, &l->wq, e);
    if (rc)
        return rc;
    if (in->parent_col) {
        int n = qparam(&l->wq, DB_INT(in->parent_id));
        qadd(&l->wq, " AND t.%s = $%d", in->parent_col, n);
    }
    return l->wq.overflow ? bad_param(e, NULL, "too_many_filters", NULL, "too many filters")
                          : SH_OK;
}

/* The page query (without its tail) and the count query. */
static enum sh_code list_build(const struct uc *u, const struct ent_list_in *in, struct ent_list *l,
                               struct sh_err *e)
{
    const struct entity *ent = l->ent;
    enum db_dialect d = db_dialect(u->app->db);
    const char *term = l->term;
    bool external = principal_external(u->who);
    /* q= with the default order walks the trigram index in id order and stops at the page */
    bool fts = ent->search && term && fts_usable(d, term);
    l->q.sx = l->cq.sx = ent->search_external && external ? "_ext" : "";
    l->q.fts_join = fts && l->by_id && !l->export && !*l->q.sx;
    if (l->q.fts_join)
        l->sexpr = "f.rowid";
    /* an export names references (expand=all) */
    select_from(&l->q, u->a, ent, l->export ? "all" : in->expand, external);
    enum sh_code rc = list_where(u, ent, in, &l->q, e);
    if (rc)
        return rc;
    /* PostgreSQL q=: the total stops at the cap (issue 16 item 1); exports count them all */
    l->capped = d == DB_PG && ent->search && term && !l->export;
    if (l->capped)
        qadd(&l->cq, "SELECT count(*) AS n FROM (SELECT 1 FROM %s t", ent->table);
    else
        qadd(&l->cq, "SELECT count(*) AS n FROM %s t", ent->table);
    if ((rc = list_where(u, ent, in, &l->cq, e)))
        return rc;
    if (in->parent_col) {
        int n = qparam(&l->q, DB_INT(in->parent_id));
        qadd(&l->q, " AND t.%s = $%d", in->parent_col, n);
        n = qparam(&l->cq, DB_INT(in->parent_id));
        qadd(&l->cq, " AND t.%s = $%d", in->parent_col, n);
        l->cq.nconds++;
    }
    if (l->capped) {
        int n = qparam(&l->cq, DB_INT(ENT_TOTAL_CAP + 1));
        l->cap_param = n - 1;
        qadd(&l->cq, " LIMIT $%d) c", n);
    }
    bool pairs = ent->search && term && d == DB_SQLITE && pairs_usable(term);
    if ((fts || pairs) && l->cq.nconds == 0 && !*l->cq.sx)
        count_by_index(u, l, fts);
    if (l->q.overflow || l->cq.overflow)
        return bad_param(e, NULL, "too_many_filters", NULL, "too many filters");
    l->walk = l->capped && l->by_id && ent->search_walk;
    return l->walk ? walk_build(u, in, l, external, e) : SH_OK;
}

enum sh_code ent_list_plan(const struct uc *u, const struct entity *ent,
                           const struct ent_list_in *in, struct ent_list *l, struct sh_err *e)
{
    memset(l, 0, sizeof(*l));
    l->ent = ent;
    l->limit = in->limit;
    l->export = in->export;
    sh_buf_init(&l->q.sql, 1 << 16);
    sh_buf_init(&l->cq.sql, 1 << 16);
    enum sh_code rc = list_order(u, ent, in, l, e);
    return rc ? rc : list_build(u, in, l, e);
}

void ent_list_release(struct ent_list *l)
{
    sh_buf_release(&l->q.sql);
    sh_buf_release(&l->cq.sql);
    if (l->walk)
        sh_buf_release(&l->wq.sql);
}

/* Rows a then rows b (the same columns) as one result. */
static struct db_rows rows_concat(struct sh_arena *a, const struct db_rows *x,
                                  const struct db_rows *y)
{
    if (!x->nrows)
        return *y;
    if (!y->nrows)
        return *x;
    struct db_rows r = *x;
    size_t nx = (size_t)x->nrows * (size_t)x->ncols, ny = (size_t)y->nrows * (size_t)y->ncols;
    const char **cells = sh_arena_alloc(a, sizeof(*cells) * (nx + ny));
    memcpy(cells, x->cells, sizeof(*cells) * nx);
    memcpy(cells + nx, y->cells, sizeof(*cells) * ny);
    r.cells = cells;
    r.nrows = x->nrows + y->nrows;
    return r;
}

static int64_t walk_ids(const struct uc *u)
{
    return u->app && u->app->search_walk_ids > 0 ? u->app->search_walk_ids : ENT_WALK_IDS;
}

/* The walk reads at least this many matches (the page's beyond its limit are dropped): the
 * sample of walk_estimate. */
#define WALK_SAMPLE 101

/* The ids a walked page (walk_page) reads from: the table's lowest and highest, where the walk
 * starts (the cursor, or past the newest (oldest) id) and the first id past the walk
 * (ENT_WALK_IDS ids on, exclusive). */
struct walk {
    int64_t lo, hi, from, bound;
};

/* Reads w's ids. It runs before walk_page's SET LOCALs: planned without index scans it
 * reads the whole table (1.3-2.6 s over 1,000,000 tickets, measured when it ran after them). */
static enum sh_code walk_ids_read(const struct uc *u, const struct ent_list *l, struct walk *w,
                                  struct sh_err *e)
{
    struct db_rows r;
    const char *sql =
        sh_arena_printf(u->a, "SELECT min(id) AS lo, max(id) AS hi FROM %s", l->ent->table);
    enum sh_code rc = db_query(u->tx, u->a, sql, NULL, 0, &r, e);
    if (rc)
        return rc;
    w->lo = db_get_int(&r, 0, "lo", 0);
    w->hi = db_get_int(&r, 0, "hi", 0);
    w->from = l->cur.set ? l->cur.id : l->desc ? w->hi + 1 : w->lo - 1;
    w->bound = l->desc ? w->from - walk_ids(u) - 1 : w->from + walk_ids(u) + 1;
    return SH_OK;
}

/* An estimated total: the page's matches per id walked (from w->from to `end`) times the ids
 * of the table, at least `least` (the matches known to exist). */
static void density_total(const struct ent_list *l, const struct walk *w, int64_t end,
                          int64_t least, struct ent_page *out)
{
    if (l->desc ? end < w->lo : end > w->hi)
        end = l->desc ? w->lo : w->hi;
    int64_t walked = l->desc ? w->from - end : end - w->from, span = w->hi - w->lo + 1;
    double est = (double)out->rows.nrows * (double)span / (double)(walked < 1 ? 1 : walked);
    int64_t t = est >= (double)span ? span : (int64_t)(est + 0.5);
    out->total = t > least ? t : least;
    out->total_estimated = true;
}

/* The total of a page the walk filled. Exact on a first page whose walk saw the whole table
 * without reaching its sample; otherwise its matches per id walked times the ids of the
 * table (an estimate: a frequent term, whose exact count would read thousands of rows). */
static void walk_estimate(const struct ent_list *l, const struct walk *w, struct ent_page *out)
{
    int64_t n = out->rows.nrows;
    bool sampled = n >= (l->limit + 1 > WALK_SAMPLE ? l->limit + 1 : WALK_SAMPLE);
    out->total = n;
    if (!sampled && !l->cur.set && (l->desc ? w->bound < w->lo : w->bound > w->hi))
        return; /* every match seen */
    int64_t end = sampled   ? db_get_int(&out->rows, n - 1, "id", 0)
                  : l->desc ? w->bound + 1
                            : w->bound - 1;
    density_total(l, w, end, n, out);
}

/* Windows of ids the index step reads before the rest of the table: WALK_WINDOW_IDS times
 * the walk's ids, then four times more each. */
#define WALK_WINDOWS    2
#define WALK_WINDOW_IDS 8

/* The rest of the page past the walk (from bound on), from the search index in windows of ids:
 * each window reads from the table only its matches (a BitmapAnd of the search index and the
 * primary key's range; plain index scans off, which would walk the window's every row), not
 * every match of the term at once — a rare term's thousands of rows, each a page read from
 * disk or the OS after a start (measured over 1,000,000 tickets, 鼓包: 3,551 table pages for
 * a page of 50, 60 in a window of 16,000 ids). The last query takes what the windows left,
 * sorted: `t.id + 0` keeps the planner from walking the primary key. */
static enum sh_code walk_rest(const struct uc *u, struct ent_list *l, int64_t bound,
                              struct ent_page *out, struct sh_err *e)
{
    enum sh_code rc = db_exec(u->tx, "SET LOCAL enable_indexscan = off", NULL, 0, NULL, e);
    struct ent_list rest = *l;
    rest.sexpr = "(t.id + 0)";
    int64_t from = bound, w = WALK_WINDOW_IDS * walk_ids(u);
    struct q q = {.sql = SH_BUF_INIT(1 << 16)};
    for (int i = 0; !rc && i <= WALK_WINDOWS && out->rows.nrows <= l->limit; i++, w *= 4) {
        bool last = i == WALK_WINDOWS;
        int64_t to = l->desc ? from - w : from + w; /* exclusive */
        sh_buf_reset(&q.sql);
        memcpy(q.p, l->q.p, sizeof(q.p[0]) * (size_t)l->q.n);
        q.n = l->q.n;
        qadd(&q, "%s", l->q.sql.buf);
        int nb = qparam(&q, DB_INT(from));
        qadd(&q, " AND t.id %s $%d", l->desc ? "<=" : ">=", nb);
        if (!last) {
            int nt = qparam(&q, DB_INT(to));
            qadd(&q, " AND t.id %s $%d", l->desc ? ">" : "<", nt);
        }
        page_tail(&q, &rest, &(struct ent_cursor){0}, l->limit + 1 - out->rows.nrows);
        struct db_rows more;
        rc = q.overflow ? sh_err_set(e, SH_INVALID, "too many filters")
                        : db_query(u->tx, u->a, q.sql.buf, q.p, q.n, &more, e);
        if (!rc)
            out->rows = rows_concat(u->a, &out->rows, &more);
        if (l->desc && to < 1)
            break; /* the window reached the first id */
        from = to;
    }
    sh_buf_release(&q.sql);
    return rc;
}

/* A page the index step filled counts at most this many matches exactly; past it its total
 * is estimated from the ids the page walked. The capped count reads each match from the table,
 * a page read apiece when cold: ENT_TOTAL_CAP of them cost a first search over 1,000,000
 * tickets ~40 ms (issue 16 item 1). */
#define WALK_COUNT_MAX 200

/* The total of a walked page (walk_page) once the index step has run. A first page it did not
 * fill saw every match: exact, no count. Otherwise the capped count runs, at most
 * WALK_COUNT_MAX + 1 matches on a filled page: past that the total is estimated. */
static enum sh_code rest_total(const struct uc *u, struct ent_list *l, const struct walk *w,
                               struct ent_page *out, struct db_rows *count, struct sh_err *e)
{
    bool filled = out->rows.nrows > l->limit;
    if (!filled && !l->cur.set) {
        out->total = out->rows.nrows;
        return SH_OK;
    }
    if (filled)
        l->cq.p[l->cap_param] = DB_INT(WALK_COUNT_MAX + 1);
    enum sh_code rc = db_query(u->tx, u->a, l->cq.sql.buf, l->cq.p, l->cq.n, count, e);
    if (rc || !filled || db_get_int(count, 0, "n", 0) <= WALK_COUNT_MAX)
        return rc;
    *count = (struct db_rows){0};
    density_total(l, w, db_get_int(&out->rows, (int)l->limit, "id", 0), WALK_COUNT_MAX + 1, out);
    return SH_OK;
}

/* A PostgreSQL q= page in id order (issue 16 item 1). The ENT_WALK_IDS ids from the cursor
 * (or the newest) are walked by the primary key with the substring test: a frequent term
 * fills the page there after a few hundred rows, and its total is estimated from the walk
 * (walk_estimate). Otherwise the term is rare: the search index serves the rest of the page
 * past the walk, sorted, and then the total (rest_total) — seq scans off for this read
 * transaction, which the planner would otherwise choose on its poor estimate of a
 * substring's frequency. */
static enum sh_code walk_page(const struct uc *u, struct ent_list *l, struct ent_page *out,
                              struct db_rows *count, struct sh_err *e)
{
    struct walk w;
    enum sh_code rc = walk_ids_read(u, l, &w, e);
    if (rc)
        return rc;
    int nb = qparam(&l->wq, DB_INT(w.bound));
    qadd(&l->wq, " AND t.id %s $%d", l->desc ? ">" : "<", nb);
    page_tail(&l->wq, l, &l->cur, l->limit + 1 > WALK_SAMPLE ? l->limit + 1 : WALK_SAMPLE);
    if (l->wq.overflow)
        return sh_err_set(e, SH_INVALID, "too many filters");
    if ((rc = db_query(u->tx, u->a, l->wq.sql.buf, l->wq.p, l->wq.n, &out->rows, e)))
        return rc;
    if (out->rows.nrows > l->limit) {
        walk_estimate(l, &w, out);
        return SH_OK;
    }
    if ((rc = db_exec(u->tx, "SET LOCAL enable_seqscan = off", NULL, 0, NULL, e)) ||
        (rc = walk_rest(u, l, w.bound, out, e)))
        return rc;
    return rest_total(u, l, &w, out, count, e);
}

/* How far a query was built before a page's run appended to it. */
struct q_mark {
    size_t len;
    int n;
    bool overflow;
};

static struct q_mark q_mark(const struct q *q)
{
    return (struct q_mark){q->sql.len, q->n, q->overflow};
}

static void q_cut(struct q *q, struct q_mark m)
{
    sh_buf_truncate(&q->sql, m.len);
    q->n = m.n;
    q->overflow = m.overflow;
}

static enum sh_code list_once(const struct uc *u, struct ent_list *l, struct ent_page *out,
                              struct sh_err *e);

/* A page of l. What the page appends to l's queries (its order, limit and walk bounds, the
 * capped count's limit) is cut off again on return: the read that runs it is run again whole
 * when a named statement went stale (a migration while running), and its second run must
 * build the same statements as the first. */
enum sh_code uc_ent_list(const struct uc *u, struct ent_list *l, struct ent_page *out,
                         struct sh_err *e)
{
    struct q_mark q = q_mark(&l->q), wq = q_mark(&l->wq), cq = q_mark(&l->cq);
    struct db_val cap = l->capped ? l->cq.p[l->cap_param] : DB_NULL;
    enum sh_code rc = list_once(u, l, out, e);
    q_cut(&l->q, q);
    if (l->walk)
        q_cut(&l->wq, wq);
    q_cut(&l->cq, cq);
    if (l->capped)
        l->cq.p[l->cap_param] = cap;
    return rc;
}

static enum sh_code list_once(const struct uc *u, struct ent_list *l, struct ent_page *out,
                              struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    struct db_rows count = {0}; /* no columns: walk_estimate set the total */
    enum sh_code rc;
    if (l->walk) {
        if ((rc = walk_page(u, l, out, &count, e)))
            return rc;
    } else {
        page_tail(&l->q, l, &l->cur, l->limit + 1);
        if (l->q.overflow)
            return sh_err_set(e, SH_INVALID, "too many filters");
        rc = db_query(u->tx, u->a, l->q.sql.buf, l->q.p, l->q.n, &out->rows, e);
        if (rc || (rc = db_query(u->tx, u->a, l->cq.sql.buf, l->cq.p, l->cq.n, &count, e)))
            return rc;
    }
    if (count.ncols)
        out->total = db_get_int(&count, 0, "n", 0);
    if (l->capped && !out->total_estimated && out->total > ENT_TOTAL_CAP) {
        out->total = ENT_TOTAL_CAP;
        out->total_capped = true;
    }
    bool more = out->rows.nrows > l->limit;
    out->shown = more ? (int)l->limit : out->rows.nrows;
    if (more) {
        int last = out->shown - 1;
        const char *id = db_get(&out->rows, last, "id");
        out->next_cursor =
            cursor_encode(u->a, l->by_id ? id : db_get(&out->rows, last, l->sname), id);
    }
    return SH_OK;
}

#define EXPORT_CHUNK 1000

/* One read transaction: the count, then the rows in chunks of EXPORT_CHUNK by keyset, each
 * chunk in an arena of its own released once written to the file. */
enum sh_code uc_ent_export(const struct uc *u, struct ent_list *l,
                           enum sh_code (*sink)(void *ctx, const struct db_rows *r,
                                                struct sh_err *e),
                           void *ctx, struct sh_err *e)
{
    struct db_rows count;
    enum sh_code rc = db_query(u->tx, u->a, l->cq.sql.buf, l->cq.p, l->cq.n, &count, e);
    if (rc)
        return rc;
    if (db_get_int(&count, 0, "n", 0) > EXPORT_MAX) {
        sh_err_set(e, SH_TOO_BIG, "more than %d rows match: narrow the filters to export",
                   EXPORT_MAX);
        return sh_err_reason(e, "too_large", "{\"max\":%d}", EXPORT_MAX);
    }
    struct ent_cursor cur = {0};
    struct q q = {.sql = SH_BUF_INIT(1 << 16)};
    do {
        struct sh_arena a;
        sh_arena_init(&a, u->a->cap);
        struct db_rows r;
        sh_buf_reset(&q.sql);
        memcpy(q.p, l->q.p, sizeof(q.p[0]) * (size_t)l->q.n);
        q.n = l->q.n;
        qadd(&q, "%s", l->q.sql.buf);
        page_tail(&q, l, &cur, EXPORT_CHUNK);
        rc = q.overflow ? sh_err_set(e, SH_INTERNAL, "export query too large")
                        : db_query(u->tx, &a, q.sql.buf, q.p, q.n, &r, e);
        if (!rc)
            rc = sink(ctx, &r, e);
        if (!rc && r.nrows == EXPORT_CHUNK) {
            const char *last =
                l->by_id ? db_get(&r, r.nrows - 1, "id") : db_get(&r, r.nrows - 1, l->sname);
            cur.set = true;
            cur.val = last ? sh_arena_strdup(u->a, last) : NULL;
            cur.id = db_get_int(&r, r.nrows - 1, "id", 0);
        } else {
            cur.set = false;
        }
        sh_arena_release(&a);
    } while (!rc && cur.set);
    sh_buf_release(&q.sql);
    return rc;
}
