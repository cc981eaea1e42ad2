/* SPDX-License-Identifier: MIT */
/* The entity engine's writes (app/entity.h): create, update from a known version and
 * delete, each with its audit row, inside the caller's transaction. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/entity_int.h"
#include "app/ticket_warranty.h"
#include "base/bigram.h"
#include "base/date.h"
#include "domain/phone.h"

/* The reference columns a write must check: set and, on update, changed. */
static bool ref_to_check(const struct ent_write *w, int i)
{
    const struct col *col = &w->ent->cols[i];
    if (col->kind != F_ID || !col->ref || !w->vals[i].present || w->vals[i].is_null)
        return false;
    return !(w->old && w->old[i] && !strcmp(w->old[i], w->vals[i].text)); /* unchanged */
}

/* A COL_PAST date after the company's today (a payment received tomorrow): 400
 * out_of_range naming the column, with today as the maximum. */
static enum sh_code check_past(const struct ent_write *w, struct sh_err *e)
{
    char today[11];
    sh_date_format(ticket_local_date(w->u->now), today);
    for (int i = 0; i < w->ent->ncols; i++) {
        const struct col *c = &w->ent->cols[i];
        const struct fval *v = &w->vals[i];
        if (!(c->flags & COL_PAST) || !v->present || v->is_null || !v->text ||
            (!w->creating && !ent_changed(w, c->name)) || strcmp(v->text, today) <= 0)
            continue;
        sh_err_field(e, SH_INVALID, c->name, "'%s' is after today (%s)", c->name, today);
        return sh_err_reason(e, "out_of_range", "{\"max\":\"%s\"}", today);
    }
    return SH_OK;
}

/* A COL_PHONE column set to text that is no phone number (phone_any_valid): 400
 * invalid_format naming the column. */
static enum sh_code check_phones(const struct ent_write *w, struct sh_err *e)
{
    for (int i = 0; i < w->ent->ncols; i++) {
        const struct col *c = &w->ent->cols[i];
        const struct fval *v = &w->vals[i];
        if (!(c->flags & COL_PHONE) || !v->present || v->is_null || !v->text || !*v->text ||
            phone_any_valid(v->text))
            continue;
        sh_err_field(e, SH_INVALID, c->name, "'%s' must be 5 to 20 digits (with + - ( ) or spaces)",
                     c->name);
        return sh_err_reason(e, "invalid_format", "{\"format\":\"phone\"}");
    }
    return SH_OK;
}

/* Checks that every referenced id exists, all in one statement (one scalar subquery per
 * reference, issue 16 item 1), which also reads the entity's write_facts; the first missing
 * reference in column order is the error. */
static enum sh_code check_refs(struct ent_write *w, struct sh_err *e)
{
    struct q q = {.sql = SH_BUF_INIT(1 << 14)};
    int cols[MAX_SQL_PARAMS], n = 0;
    qadd(&q, "SELECT 1 AS one");
    for (int i = 0; i < w->ent->ncols && n < MAX_SQL_PARAMS; i++) {
        if (!ref_to_check(w, i))
            continue;
        int k = qparam(&q, DB_INT(w->vals[i].i));
        qadd(&q, ", (SELECT 1 FROM %s WHERE id = $%d) AS r%d", w->ent->cols[i].ref->table, k, n);
        cols[n++] = i;
    }
    if (w->ent->write_facts)
        w->ent->write_facts(w, &q);
    struct db_rows *r = sh_arena_alloc(w->u->a, sizeof(*r));
    memset(r, 0, sizeof(*r));
    enum sh_code rc = SH_OK;
    if (q.overflow)
        rc = sh_err_set(e, SH_INTERNAL, "%s: too many references", w->ent->name);
    else if (n || w->ent->write_facts)
        rc = db_query(w->u->tx, w->u->a, q.sql.buf, q.p, q.n, r, e);
    sh_buf_release(&q.sql);
    if (!rc && r->nrows)
        w->facts = r;
    for (int j = 0; !rc && j < n && r->nrows; j++) {
        if (db_cell(r, 0, j + 1))
            continue;
        const struct col *col = &w->ent->cols[cols[j]];
        sh_err_field(e, SH_INVALID, col->name, "'%s': no %s with id %" PRId64, col->name,
                     col->ref->name, w->vals[cols[j]].i);
        return sh_err_reason_str1(e, "unknown_reference", "entity", col->ref->name);
    }
    return rc;
}

const char *pair_text(struct sh_arena *a, const char *text)
{
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    const char *out = sh_bigrams(text ? text : "", &b) == SH_OK ? sh_arena_strdup(a, b.buf) : "";
    sh_buf_release(&b);
    return out;
}

/* The q= search text of the record being written: its COL_SEARCH columns, then the hook's. */
static const char *search_text(struct ent_write *w)
{
    const char *extra = w->ent->search_extra ? w->ent->search_extra(w) : NULL;
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
    const char *s = sh_arena_strdup(w->u->a, b.buf);
    sh_buf_release(&b);
    return s;
}

/* The INSERT of every present column (and the search texts); *id gets the new id, and *row
 * (when not NULL) the whole stored row. */
static enum sh_code insert_exec(struct ent_write *w, int64_t *id, struct db_rows *row,
                                struct sh_err *e)
{
    const struct entity *ent = w->ent;
    char now[21];
    sh_ts_format(w->u->now, now);
    struct q q = {.sql = SH_BUF_INIT(1 << 14)};
    struct sh_buf vs = SH_BUF_INIT(1 << 12);
    qadd(&q, "INSERT INTO %s (created_at, updated_at", ent->table);
    int nnow = qparam(&q, DB_TEXT(now));
    if (sh_buf_addf(&vs, "$%d, $%d", nnow, nnow))
        q.overflow = true;
    for (int i = 0; i < ent->ncols; i++) {
        if (!w->vals[i].present)
            continue;
        int n = qparam(&q, w->vals[i].is_null ? DB_NULL : DB_TEXT(w->vals[i].text));
        qadd(&q, ", %s", ent->cols[i].name);
        if (sh_buf_addf(&vs, ", $%d", n))
            q.overflow = true;
    }
    if (ent->search) {
        const char *st = search_text(w);
        int n = qparam(&q, DB_TEXT(st));
        int nb = qparam(&q, DB_TEXT(pair_text(w->u->a, st)));
        qadd(&q, ", search, search_bi");
        if (sh_buf_addf(&vs, ", $%d, $%d", n, nb))
            q.overflow = true;
    }
    qadd(&q, ") VALUES (%s) RETURNING %s", vs.buf, row ? "*" : "id");
    sh_buf_release(&vs);
    struct db_rows r;
    enum sh_code rc = q.overflow ? sh_err_set(e, SH_INTERNAL, "insert too large")
                                 : db_query(w->u->tx, w->u->a, q.sql.buf, q.p, q.n, &r, e);
    sh_buf_release(&q.sql);
    if (!rc)
        *id = db_get_int(&r, 0, "id", 0);
    if (!rc && row)
        *row = r;
    return rc;
}

/* The values a write's hooks may change: a copy, so that the caller's input stays as it came
 * and a transaction run again (store/db.h: a named statement gone stale after a migration)
 * starts from the same input, not from what its first run derived. */
static struct fval *own_vals(const struct uc *u, const struct entity *ent, const struct fval *vals)
{
    struct fval *v = sh_arena_alloc(u->a, sizeof(*v) * (size_t)ent->ncols);
    memcpy(v, vals, sizeof(*v) * (size_t)ent->ncols);
    return v;
}

enum sh_code uc_ent_insert(const struct uc *u, const struct entity *ent, const struct fval *vals,
                           int64_t *id, const char **after_json, struct sh_err *e)
{
    struct ent_write w = {.u = u, .ent = ent, .vals = own_vals(u, ent, vals), .creating = true};
    enum sh_code rc = check_past(&w, e);
    if (!rc)
        rc = check_phones(&w, e);
    if (rc || (rc = check_refs(&w, e)))
        return rc;
    if (ent->before_write && (rc = ent->before_write(&w, e)))
        return rc;
    /* the INSERT answers the stored row unless a hook may still change it */
    bool returned = !ent->after_write || ent->after_write_skips_create;
    struct db_rows r;
    if ((rc = insert_exec(&w, id, returned ? &r : NULL, e)))
        return rc;
    w.id = *id;
    if (ent->after_write && (rc = ent->after_write(&w, e)))
        return rc;
    if (!returned && (rc = ent_load(u->tx, u->a, ent, *id, &r, e)))
        return rc;
    const char *after = ent_json(u->a, ent, &r, 0);
    if ((rc = uc_audit(u, ent->name, *id, "create", NULL, after, e)))
        return rc;
    if (after_json)
        *after_json = after;
    return SH_OK;
}

enum sh_code uc_ent_create(const struct uc *u, const struct entity *ent, struct fval *vals,
                           struct ent_written *out, struct sh_err *e)
{
    /* an external caller can only create inside its own scope */
    if (principal_external(u->who) && ent->scope_col) {
        int si = ent_colidx(ent, ent->scope_col);
        if (si >= 0) {
            vals[si].present = true;
            vals[si].is_null = false;
            vals[si].i = u->who->customer_id;
            vals[si].text = sh_arena_printf(u->a, "%" PRId64, u->who->customer_id);
        }
    }
    out->version = "1";
    return uc_ent_insert(u, ent, vals, &out->id, &out->json, e);
}

/* A stale If-Match: 412, reason stale {version (current), yours}. */
static enum sh_code stale(struct sh_err *e, const struct entity *ent, int64_t id, int64_t version,
                          int64_t yours)
{
    sh_err_set(e, SH_PRECONDITION,
               "%s %" PRId64 " was changed by someone else (version %" PRId64 ", yours %" PRId64
               "): reload and retry",
               ent->name, id, version, yours);
    return sh_err_reason(e, "stale", "{\"version\":%" PRId64 ",\"yours\":%" PRId64 "}", version,
                         yours);
}

/* Loads record id for a write by u: 404 outside the caller's scope, 412 when if_match >= 0
 * names another version. The scope is the one reads have (uc_ent_load_visible),
 * asked of the database before any reference or hook sees the write: a record the caller
 * cannot read answers as if it did not exist, not with what a check would say of it. */
static enum sh_code load_for_write(const struct uc *u, const struct entity *ent, int64_t id,
                                   int64_t if_match, struct db_rows *old, int64_t *version,
                                   struct sh_err *e)
{
    enum sh_code rc = uc_ent_load_visible(u, ent, id, old, e);
    if (rc)
        return rc;
    *version = db_get_int(old, 0, "version", 0);
    if (if_match >= 0 && if_match != *version)
        return stale(e, ent, id, *version, if_match);
    return SH_OK;
}

/* Merges the stored row into vals (unchanged columns keep their stored text); returns the
 * old cell text per column. */
static const char **merge_old(struct sh_arena *a, const struct entity *ent, struct db_rows *old,
                              struct fval *vals)
{
    const char **oldv = sh_arena_alloc(a, sizeof(char *) * (size_t)ent->ncols);
    for (int i = 0; i < ent->ncols; i++) {
        oldv[i] = db_get(old, 0, ent->cols[i].name);
        if (!vals[i].present) {
            vals[i].present = true;
            vals[i].is_null = oldv[i] == NULL;
            vals[i].text = oldv[i];
            vals[i].i = oldv[i] ? strtoll(oldv[i], NULL, 10) : 0;
            vals[i].r = oldv[i] ? strtod(oldv[i], NULL) : 0;
        }
    }
    return oldv;
}

/* The UPDATE of every writable column, guarded by the version read. */
static enum sh_code update_exec(struct ent_write *w, int64_t version, struct sh_err *e)
{
    const struct entity *ent = w->ent;
    char now[21];
    sh_ts_format(w->u->now, now);
    struct q q = {.sql = SH_BUF_INIT(1 << 14)};
    int nnow = qparam(&q, DB_TEXT(now));
    qadd(&q, "UPDATE %s SET updated_at = $%d, version = version + 1", ent->table, nnow);
    for (int i = 0; i < ent->ncols; i++) {
        const struct col *col = &ent->cols[i];
        if ((col->flags & COL_READONLY) && !(col->flags & COL_DERIVED))
            continue;
        int n = qparam(&q, w->vals[i].is_null ? DB_NULL : DB_TEXT(w->vals[i].text));
        qadd(&q, ", %s = $%d", col->name, n);
    }
    if (ent->search) {
        const char *st = search_text(w);
        int n = qparam(&q, DB_TEXT(st));
        int nb = qparam(&q, DB_TEXT(pair_text(w->u->a, st)));
        qadd(&q, ", search = $%d, search_bi = $%d", n, nb);
    }
    int nid = qparam(&q, DB_INT(w->id));
    int nver = qparam(&q, DB_INT(version));
    qadd(&q, " WHERE id = $%d AND version = $%d", nid, nver);
    int64_t changed = 0;
    enum sh_code rc = q.overflow ? sh_err_set(e, SH_INTERNAL, "update too large")
                                 : db_exec(w->u->tx, q.sql.buf, q.p, q.n, &changed, e);
    sh_buf_release(&q.sql);
    if (rc)
        return rc;
    if (changed != 1) {
        sh_err_set(e, SH_PRECONDITION, "%s %" PRId64 " was changed concurrently: retry", ent->name,
                   w->id);
        return sh_err_reason(e, "stale", NULL);
    }
    return SH_OK;
}

enum sh_code ent_update_allowed(const struct principal *who, const struct entity *ent,
                                const struct fval *vals, struct sh_err *e)
{
    if (principal_external(who) && ent->scope_col) {
        int si = ent_colidx(ent, ent->scope_col);
        if (si >= 0 && vals[si].present) {
            sh_err_field(e, SH_FORBIDDEN, ent->scope_col, "'%s' cannot be changed", ent->scope_col);
            return sh_err_reason(e, "read_only", NULL);
        }
    }
    return SH_OK;
}

/* The audit row and the answer of an update. */
static enum sh_code update_finish(struct ent_write *w, struct db_rows *old, struct ent_written *out,
                                  struct sh_err *e)
{
    const struct uc *u = w->u;
    const char *before = ent_json(u->a, w->ent, old, 0);
    struct db_rows now_rows;
    enum sh_code rc = ent_load(u->tx, u->a, w->ent, w->id, &now_rows, e);
    if (rc)
        return rc;
    const char *after = ent_json(u->a, w->ent, &now_rows, 0);
    if ((rc = uc_audit(u, w->ent->name, w->id, "update", before, after, e)))
        return rc;
    out->id = w->id;
    out->json = after;
    out->version = db_get(&now_rows, 0, "version");
    return SH_OK;
}

enum sh_code uc_ent_update(const struct uc *u, const struct entity *ent, int64_t id,
                           int64_t if_match, const struct fval *vals, struct ent_written *out,
                           struct sh_err *e)
{
    struct db_rows old;
    int64_t version = 0;
    enum sh_code rc = ent_update_allowed(u->who, ent, vals, e);
    if (rc || (rc = load_for_write(u, ent, id, if_match, &old, &version, e)))
        return rc;
    struct fval *v = own_vals(u, ent, vals);
    struct ent_write w = {
        .u = u, .ent = ent, .vals = v, .old = merge_old(u->a, ent, &old, v), .id = id};
    if ((rc = check_past(&w, e)) || (rc = check_phones(&w, e)) || (rc = check_refs(&w, e)))
        return rc;
    if (ent->before_write && (rc = ent->before_write(&w, e)))
        return rc;
    if ((rc = update_exec(&w, version, e)))
        return rc;
    if (ent->after_write && (rc = ent->after_write(&w, e)))
        return rc;
    return update_finish(&w, &old, out, e);
}

enum sh_code uc_ent_delete(const struct uc *u, const struct entity *ent, int64_t id,
                           int64_t if_match, struct sh_err *e)
{
    struct db_rows old;
    int64_t version = 0;
    enum sh_code rc = load_for_write(u, ent, id, if_match, &old, &version, e);
    if (rc || (ent->before_delete && (rc = ent->before_delete(u, &old, e))))
        return rc;
    char sql[128];
    snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = $1", ent->table);
    rc = db_exec(u->tx, sh_arena_strdup(u->a, sql), DB_P(DB_INT(id)), NULL, e);
    if (rc == SH_INVALID) {
        sh_err_set(e, SH_CONFLICT, "%s %" PRId64 " is still referenced by other records", ent->name,
                   id);
        return sh_err_reason(e, "referenced", NULL);
    }
    if (rc)
        return rc;
    return uc_audit(u, ent->name, id, "delete", ent_json(u->a, ent, &old, 0), NULL, e);
}
