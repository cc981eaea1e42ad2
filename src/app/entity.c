/* SPDX-License-Identifier: MIT */
/* The generic entity engine (app/entity.h): the shared SQL, the caller's scope, rows as
 * JSON, load and get. Lists are in entity_list.c, writes in entity_write.c, value
 * validation in entity_value.c. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/entity_int.h"
#include "app/ticket_warranty.h"
#include "base/date.h"

int ent_colidx(const struct entity *ent, const char *name)
{
    for (int i = 0; i < ent->ncols; i++)
        if (!strcmp(ent->cols[i].name, name))
            return i;
    return -1;
}

const char *ent_val(const struct ent_write *w, const char *name)
{
    int i = ent_colidx(w->ent, name);
    return i >= 0 && w->vals[i].present && !w->vals[i].is_null ? w->vals[i].text : NULL;
}

struct fval *ent_slot(struct ent_write *w, const char *name)
{
    int i = ent_colidx(w->ent, name);
    return i >= 0 ? &w->vals[i] : NULL;
}

bool ent_changed(const struct ent_write *w, const char *name)
{
    int i = ent_colidx(w->ent, name);
    if (i < 0 || !w->vals[i].present)
        return false;
    const struct fval *v = &w->vals[i];
    const char *old = w->old ? w->old[i] : NULL;
    if (v->is_null || !v->text)
        return old != NULL;
    return !old || strcmp(old, v->text);
}

enum sh_code ent_not_found(struct sh_err *e, const struct entity *ent, int64_t id)
{
    return sh_err_set(e, SH_NOT_FOUND, "%s %" PRId64 " not found", ent->name, id);
}

static const char *label_col(const struct entity *ref)
{
    return ref->label_col ? ref->label_col : "name";
}

const char *ent_ref_labels(struct ent_write *w, const char *const *cols)
{
    struct sh_buf b = SH_BUF_INIT(1 << 12);
    for (; *cols; cols++) {
        int i = ent_colidx(w->ent, *cols);
        const struct col *c = i >= 0 ? &w->ent->cols[i] : NULL;
        const char *id = ent_val(w, *cols);
        if (!c || !c->ref || !id)
            continue;
        const char *sql = sh_arena_printf(w->u->a, "SELECT %s AS l FROM %s WHERE id = $1",
                                          label_col(c->ref), c->ref->table);
        struct db_rows r;
        struct sh_err e = {0};
        if (!db_query(w->u->tx, w->u->a, sql, DB_P(DB_INT(strtoll(id, NULL, 10))), &r, &e) &&
            r.nrows && db_get(&r, 0, "l") &&
            (sh_buf_adds(&b, db_get(&r, 0, "l")) || sh_buf_addc(&b, ' ')))
            break;
    }
    const char *out = b.len ? sh_arena_strdup(w->u->a, b.buf) : NULL;
    sh_buf_release(&b);
    return out;
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
void select_from(struct q *q, struct sh_arena *a, const struct entity *ent, const char *expand,
                 bool external)
{
    qadd(q, "SELECT t.*");
    struct sh_buf joins = SH_BUF_INIT(8192);
    for (int i = 0; i < ent->ncols; i++) {
        const struct col *c = &ent->cols[i];
        if (c->kind != F_ID || !c->ref || !wants_expand(expand, c->name))
            continue;
        /* customer and dealer accounts see customer-safe names only (no staff logins, no
         * internal policy names) */
        const char *label = external ? c->ref->ext_label_col : label_col(c->ref);
        if (!label || (external && (c->flags & COL_STAFF)))
            continue;
        qadd(q, ", x%d.%s AS %s", i, label, expand_name(a, c->name));
        if (sh_buf_addf(&joins, " LEFT JOIN %s x%d ON x%d.id = t.%s", c->ref->table, i, i, c->name))
            q->overflow = true;
    }
    if (q->fts_join)
        qadd(q, " FROM %s_fts f JOIN %s t ON t.id = f.rowid%s", ent->table, ent->table, joins.buf);
    else
        qadd(q, " FROM %s t%s", ent->table, joins.buf);
    sh_buf_release(&joins);
}

/* The entity's tech_scope as an AND condition, {me} bound to one parameter (me). */
static void tech_scope_where(struct q *q, const char *sql, int64_t me)
{
    int n = qparam(q, DB_INT(me));
    qadd(q, " AND (");
    for (const char *p = sql; *p;) {
        const char *at = strstr(p, "{me}");
        if (!at) {
            qadd(q, "%s", p);
            break;
        }
        qadd(q, "%.*s$%d", (int)(at - p), p, n);
        p = at + 4;
    }
    qadd(q, ")");
    q->nconds++;
}

/* The entity's staff_scope applies to who: staff without any of its staff_all roles. */
static bool staff_scoped(const struct principal *who, const struct entity *ent)
{
    return ent->staff_scope && !principal_external(who) && !(who->roles & ent->staff_all);
}

void scope_where(struct q *q, const struct principal *who, const struct entity *ent)
{
    if (principal_external(who) && ent->scope_col) {
        int n = qparam(q, DB_INT(who->customer_id));
        qadd(q, " AND t.%s = $%d", ent->scope_col, n);
        q->nconds++;
    }
    if (principal_external(who) && ent->ext_scope) {
        qadd(q, " AND (%s)", ent->ext_scope);
        q->nconds++;
    }
    if (principal_technician_only(who) && ent->assignee_col) {
        int n = qparam(q, DB_INT(who->user_id));
        qadd(q, " AND t.%s = $%d", ent->assignee_col, n);
        q->nconds++;
    }
    if (principal_technician_only(who) && ent->tech_scope)
        tech_scope_where(q, ent->tech_scope, who->user_id);
    if (staff_scoped(who, ent)) {
        qadd(q, " AND (%s)", ent->staff_scope);
        q->nconds++;
    }
    if (ent->own_col && !(who->roles & ent->own_all)) {
        int n = qparam(q, DB_INT(who->user_id));
        if (ent->own_col2)
            qadd(q, " AND (t.%s = $%d OR t.%s = $%d)", ent->own_col, n, ent->own_col2, n);
        else
            qadd(q, " AND t.%s = $%d", ent->own_col, n);
        q->nconds++;
    }
}

bool ent_row_visible(const struct principal *who, const struct entity *ent, const struct db_rows *r,
                     int row)
{
    if (principal_technician_only(who) && ent->tech_scope)
        return false; /* only the database judges it: uc_ent_load_visible */
    if (principal_external(who) && ent->ext_scope)
        return false; /* the same */
    if (staff_scoped(who, ent))
        return false; /* the same */
    if (principal_external(who) && ent->scope_col &&
        db_get_int(r, row, ent->scope_col, -1) != who->customer_id)
        return false;
    if (principal_technician_only(who) && ent->assignee_col &&
        db_get_int(r, row, ent->assignee_col, -1) != who->user_id)
        return false;
    if (ent->own_col && !(who->roles & ent->own_all) &&
        db_get_int(r, row, ent->own_col, -1) != who->user_id &&
        (!ent->own_col2 || db_get_int(r, row, ent->own_col2, -1) != who->user_id))
        return false;
    return true;
}

/* Adds a named view's SQL, binding {me}, {dept}, {now} (the use case's time, as stored) and
 * {today} (the local date at the use case's time, written as a literal of digits and dashes). */
void view_where(struct q *q, const struct uc *u, const char *sql)
{
    static const char *const names[] = {"{me}", "{dept}", "{now}", "{today}"};
    char now[21];
    sh_ts_format(u->now, now);
    qadd(q, " AND (");
    for (const char *p = sql; *p;) {
        const char *next = NULL;
        int which = -1;
        for (int i = 0; i < 4; i++) {
            const char *at = strstr(p, names[i]);
            if (at && (!next || at < next)) {
                next = at;
                which = i;
            }
        }
        if (!next) {
            qadd(q, "%s", p);
            break;
        }
        qadd(q, "%.*s", (int)(next - p), p);
        if (which == 3) {
            char d[11];
            sh_date_format(ticket_local_date(u->now), d);
            qadd(q, "'%s'", d);
        } else {
            int n = which == 2   ? qparam(q, DB_TEXT(sh_arena_strdup(u->a, now)))
                    : which == 0 ? qparam(q, DB_INT(u->who->user_id))
                                 : qparam(q, DB_INT(u->who->department_id));
            qadd(q, "$%d", n);
        }
        p = next + strlen(names[which]);
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
    ent_render_for(w, ent, r, row, false);
}

/* True when the column a name expands (department_name: department_id or department) is
 * staff-only: its name is not shown to an external account either. */
static bool names_staff_col(const struct entity *ent, const char *name, size_t base)
{
    char col[64];
    if (base + 4 > sizeof(col))
        return false;
    snprintf(col, sizeof(col), "%.*s_id", (int)base, name);
    int i = ent_colidx(ent, col);
    if (i < 0) {
        col[base] = '\0';
        i = ent_colidx(ent, col);
    }
    return i >= 0 && (ent->cols[i].flags & COL_STAFF);
}

void ent_render_for(struct jw *w, const struct entity *ent, const struct db_rows *r, int row,
                    bool external)
{
    ent_render_extra(w, ent, r, row, external, NULL);
}

enum sh_code uc_ent_read_extra(const struct uc *u, const struct entity *ent,
                               const struct db_rows *r, int n, const char ***out, struct sh_err *e)
{
    *out = NULL;
    if (!ent->read_extra || n <= 0)
        return SH_OK;
    *out = sh_arena_alloc(u->a, sizeof(**out) * (size_t)n);
    memset(*out, 0, sizeof(**out) * (size_t)n);
    return ent->read_extra(u, r, n, *out, e);
}

void ent_render_extra(struct jw *w, const struct entity *ent, const struct db_rows *r, int row,
                      bool external, const char *const *extra)
{
    jw_obj_begin(w);
    for (int i = 0; i < ent->ncols; i++) {
        const struct col *col = &ent->cols[i];
        if ((col->flags & COL_INTERNAL) || (external && (col->flags & COL_STAFF)))
            continue;
        render_cell(w, col, db_get(r, row, col->name));
    }
    /* expanded names come after the columns */
    for (int k = 0; k < r->ncols; k++) {
        const char *name = r->names[k];
        size_t n = strlen(name);
        if (n > 5 && !strcmp(name + n - 5, "_name") && ent_colidx(ent, name) < 0 &&
            !(external && names_staff_col(ent, name, n - 5))) {
            jw_key(w, name);
            jw_str(w, db_cell(r, row, k));
        }
    }
    if (extra && ent->extra_key) {
        jw_key(w, ent->extra_key);
        if (extra[row])
            jw_raw(w, extra[row]);
        else
            jw_null(w);
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
        return ent_not_found(e, ent, id);
    return SH_OK;
}

/* ---- get ---- */

enum sh_code uc_ent_get(const struct uc *u, const struct entity *ent, int64_t id,
                        const char *expand, struct db_rows *out, struct sh_err *e)
{
    struct q q = {.sql = SH_BUF_INIT(1 << 14)};
    select_from(&q, u->a, ent, expand, principal_external(u->who));
    int n = qparam(&q, DB_INT(id));
    qadd(&q, " WHERE t.id = $%d", n);
    scope_where(&q, u->who, ent);
    enum sh_code rc = db_query(u->tx, u->a, q.sql.buf, q.p, q.n, out, e);
    sh_buf_release(&q.sql);
    if (!rc && out->nrows == 0)
        rc = ent_not_found(e, ent, id);
    return rc;
}

enum sh_code uc_ent_load_visible(const struct uc *u, const struct entity *ent, int64_t id,
                                 struct db_rows *out, struct sh_err *e)
{
    struct q q = {.sql = SH_BUF_INIT(1 << 12)};
    int n = qparam(&q, DB_INT(id));
    qadd(&q, "SELECT t.* FROM %s t WHERE t.id = $%d", ent->table, n);
    scope_where(&q, u->who, ent);
    enum sh_code rc = q.overflow ? sh_err_set(e, SH_INTERNAL, "%s: scope too large", ent->name)
                                 : db_query(u->tx, u->a, q.sql.buf, q.p, q.n, out, e);
    sh_buf_release(&q.sql);
    if (!rc && out->nrows == 0)
        rc = ent_not_found(e, ent, id);
    return rc;
}

enum sh_code uc_ent_visible(const struct uc *u, const struct entity *ent, int64_t id,
                            struct sh_err *e)
{
    struct db_rows r;
    return uc_ent_load_visible(u, ent, id, &r, e);
}

enum sh_code uc_ent_find_by(const struct uc *u, const struct entity *ent, const char *const *cols,
                            const char *const *values, int n, int64_t *id, struct sh_err *e)
{
    struct q q = {.sql = SH_BUF_INIT(1 << 12)};
    qadd(&q, "SELECT id FROM %s WHERE 1=1", ent->table);
    for (int i = 0; i < n; i++) {
        if (ent_colidx(ent, cols[i]) < 0)
            q.overflow = true;
        int k = qparam(&q, DB_TEXT(values[i]));
        qadd(&q, " AND %s = $%d", cols[i], k);
    }
    struct db_rows r;
    enum sh_code rc = q.overflow ? sh_err_set(e, SH_INTERNAL, "%s: bad lookup", ent->name)
                                 : db_query(u->tx, u->a, q.sql.buf, q.p, q.n, &r, e);
    sh_buf_release(&q.sql);
    if (rc)
        return rc;
    if (r.nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "no such %s", ent->name);
    *id = db_get_int(&r, 0, "id", 0);
    return SH_OK;
}

enum sh_code uc_ent_find(const struct uc *u, const struct entity *ent, const char *col,
                         const char *value, int64_t *id, struct sh_err *e)
{
    return uc_ent_find_by(u, ent, &col, &value, 1, id, e);
}
