/* SPDX-License-Identifier: MIT */
/* The entity engine's writes: create (with Idempotency-Key), update (PATCH with
 * If-Match) and delete, each in one transaction with its audit row. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/entity_int.h"
#include "base/bigram.h"

/* ---- writes ---- */
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
        if (rc == SH_NOT_FOUND) {
            sh_err_field(e, SH_INVALID, col->name, "'%s': no %s with id %" PRId64, col->name,
                         col->ref->name, w->vals[i].i);
            return sh_err_reason_str1(e, "unknown_reference", "entity", col->ref->name);
        }
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

/* The hash of the request an Idempotency-Key answers: method, path and body. */
static const char *request_hash(struct api_ctx *c)
{
    const char *body = c->req->body.buf ? c->req->body.buf : "";
    char *text = sh_arena_printf(c->a, "%s\n%s\n%.*s", c->req->method, c->req->path,
                                 (int)c->req->body.len, body);
    char *out = sh_arena_alloc(c->a, 65);
    auth_token_hash(text, out);
    return out;
}

enum sh_code api_idem_replay(struct api_ctx *c, struct db_tx *tx, const char *key,
                             struct sh_buf *out, int *status, bool *replayed, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, c->a,
                               "SELECT method, path, status, body, request_hash FROM "
                               "idempotency_keys WHERE user_id = $1 AND key = $2",
                               DB_P(DB_INT(c->who.user_id), DB_TEXT(key)), &r, e);
    if (rc || r.nrows == 0)
        return rc;
    const char *hash = db_get(&r, 0, "request_hash");
    if (strcmp(db_get(&r, 0, "method"), c->req->method) ||
        strcmp(db_get(&r, 0, "path"), c->req->path) || (hash && strcmp(hash, request_hash(c)))) {
        sh_err_field(e, SH_UNPROCESSABLE, "Idempotency-Key",
                     "this Idempotency-Key was used for a different request");
        return sh_err_reason(e, "idempotency_mismatch", NULL);
    }
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
                   "created_at, request_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                   DB_P(DB_INT(c->who.user_id), DB_TEXT(key), DB_TEXT(c->req->method),
                        DB_TEXT(c->req->path), DB_INT(status), DB_TEXT(body), DB_TEXT(now),
                        DB_TEXT(request_hash(c))),
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
    if (!ok) {
        struct sh_err e;
        sh_err_field(&e, SH_INVALID, "Idempotency-Key",
                     "Idempotency-Key must be 1 to 200 visible ASCII characters");
        sh_err_reason(&e, "invalid_format", NULL);
        api_reply_err(c, &e);
    }
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

static enum sh_code update_exec(struct ent_write *w, int64_t version, struct sh_err *e);
static enum sh_code update_finish(struct write_ctx *x, struct db_tx *tx, struct db_rows *old,
                                  struct sh_err *e);

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
        return stale(e, ent, x->id, version, x->if_match);
    struct ent_write w = {.c = x->c,
                          .tx = tx,
                          .ent = ent,
                          .vals = x->vals,
                          .old = merge_old(a, ent, &old, x->vals),
                          .id = x->id};
    if ((rc = check_refs(&w, e)))
        return rc;
    if (ent->before_write && (rc = ent->before_write(&w, e)))
        return rc;
    if ((rc = update_exec(&w, version, e)))
        return rc;
    if (ent->after_write && (rc = ent->after_write(&w, e)))
        return rc;
    return update_finish(x, tx, &old, e);
}

static enum sh_code update_finish(struct write_ctx *x, struct db_tx *tx, struct db_rows *old,
                                  struct sh_err *e)
{
    struct sh_arena *a = x->c->a;
    const char *before = ent_json(a, x->ent, old, 0);
    struct db_rows now_rows;
    enum sh_code rc = ent_load(tx, a, x->ent, x->id, &now_rows, e);
    if (rc)
        return rc;
    const char *after = ent_json(a, x->ent, &now_rows, 0);
    if ((rc = audit_write(tx, &x->c->who, x->ent->name, x->id, "update", before, after, e)))
        return rc;
    x->status = 200;
    x->version = db_get(&now_rows, 0, "version");
    sh_buf_reset(&x->out);
    if (sh_buf_adds(&x->out, after ? after : "{}"))
        return sh_err_set(e, SH_TOO_BIG, "record too large");
    return SH_OK;
}

/* The UPDATE of every writable column, guarded by the version read. */
static enum sh_code update_exec(struct ent_write *w, int64_t version, struct sh_err *e)
{
    const struct entity *ent = w->ent;
    struct sh_arena *a = w->c->a;
    enum sh_code rc;
    char now[21];
    api_now(now);
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
        const char *st = search_text(w, ent->search_extra ? ent->search_extra(w) : NULL);
        int n = qparam(&q, DB_TEXT(st));
        int nb = qparam(&q, DB_TEXT(pair_text(a, st)));
        qadd(&q, ", search = $%d, search_bi = $%d", n, nb);
    }
    int nid = qparam(&q, DB_INT(w->id));
    int nver = qparam(&q, DB_INT(version));
    qadd(&q, " WHERE id = $%d AND version = $%d", nid, nver);
    int64_t changed = 0;
    rc = q.overflow ? sh_err_set(e, SH_INTERNAL, "update too large")
                    : db_exec(w->tx, q.sql.buf, q.p, q.n, &changed, e);
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

/* If-Match: "\"3\"" or "3" or W/"3"; -1 when absent; false after replying. */
static bool if_match(struct api_ctx *c, int64_t *out)
{
    const char *h = http_header(c->req, "If-Match");
    *out = -1;
    if (!h || !strcmp(h, "*"))
        return true;
    if (!strncmp(h, "W/", 2))
        h += 2;
    char *end;
    long long v = strtoll(h[0] == '"' ? h + 1 : h, &end, 10);
    if ((h[0] == '"' && strcmp(end, "\"")) || (h[0] != '"' && *end) || v < 0) {
        struct sh_err e;
        sh_err_field(&e, SH_INVALID, "If-Match", "If-Match must be an ETag this API returned");
        sh_err_reason(&e, "invalid_format", NULL);
        api_reply_err(c, &e);
        return false;
    }
    *out = v;
    return true;
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
            sh_err_field(&e, SH_FORBIDDEN, ent->scope_col, "'%s' cannot be changed",
                         ent->scope_col);
            sh_err_reason(&e, "read_only", NULL);
            api_reply_err(c, &e);
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
        return stale(e, ent, x->id, version, x->if_match);
    char sql[128];
    snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = $1", ent->table);
    rc = db_exec(tx, sh_arena_strdup(x->c->a, sql), DB_P(DB_INT(x->id)), NULL, e);
    if (rc == SH_INVALID) {
        sh_err_set(e, SH_CONFLICT, "%s %" PRId64 " is still referenced by other records", ent->name,
                   x->id);
        return sh_err_reason(e, "referenced", NULL);
    }
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
