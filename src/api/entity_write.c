/* SPDX-License-Identifier: MIT */
/* The entity handlers' writes: create (with Idempotency-Key), update (PATCH with If-Match)
 * and delete, each one use case of app/entity.h in one write transaction. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/entity_int.h"
#include "api/ifmatch.h"
#include "store/idempotency.h"

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
    struct idem_row r;
    bool found;
    enum sh_code rc = idem_find(tx, c->a, c->who.user_id, key, &r, &found, e);
    if (rc || !found)
        return rc;
    if (strcmp(r.method, c->req->method) || strcmp(r.path, c->req->path) ||
        (r.request_hash && strcmp(r.request_hash, request_hash(c)))) {
        sh_err_field(e, SH_UNPROCESSABLE, "Idempotency-Key",
                     "this Idempotency-Key was used for a different request");
        return sh_err_reason(e, "idempotency_mismatch", NULL);
    }
    *replayed = true;
    *status = r.status;
    sh_buf_reset(out);
    return sh_buf_adds(out, r.body);
}

enum sh_code api_idem_store(struct api_ctx *c, struct db_tx *tx, const char *key, int status,
                            const char *body, struct sh_err *e)
{
    char now[21];
    api_now(now);
    const struct idem_row r = {.method = c->req->method,
                               .path = c->req->path,
                               .body = body,
                               .request_hash = request_hash(c),
                               .status = status};
    return idem_insert(tx, c->who.user_id, key, &r, now, e);
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
    const struct uc u = api_uc(c, tx);
    return uc_ent_insert(&u, ent, vals, id, after_json, e);
}

/* The answer of a write: the record as JSON. */
static enum sh_code answer(struct write_ctx *x, int status, const struct ent_written *w,
                           struct sh_err *e)
{
    x->status = status;
    x->id = w->id;
    x->version = w->version;
    sh_buf_reset(&x->out);
    if (sh_buf_adds(&x->out, w->json ? w->json : "{}"))
        return sh_err_set(e, SH_TOO_BIG, "record too large");
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
    const struct uc u = api_uc(x->c, tx);
    struct ent_written w;
    if ((rc = uc_ent_create(&u, x->ent, x->vals, &w, e)) || (rc = answer(x, 201, &w, e)))
        return rc;
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

/* The body's values for ent (partial: an update); false after replying. */
static bool parse_body(struct write_ctx *x, bool partial)
{
    struct api_ctx *c = x->c;
    x->vals = sh_arena_alloc(c->a, sizeof(struct fval) * (size_t)x->ent->ncols);
    struct sh_err e;
    sh_err_clear(&e);
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, x->ent->cols, x->ent->ncols,
                         partial, x->vals, NULL, &e) ||
        (partial && ent_update_allowed(&c->who, x->ent, x->vals, &e))) {
        api_reply_err(c, &e);
        return false;
    }
    return true;
}

void ent_create(struct api_ctx *c)
{
    struct write_ctx x = {.c = c, .ent = c->route->ent, .if_match = -1};
    sh_buf_init(&x.out, 1 << 20);
    if (!api_idem_key(c, &x.idem_key) || !parse_body(&x, false))
        goto out;
    struct sh_err e;
    sh_err_clear(&e);
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
    const struct uc u = api_uc(x->c, tx);
    struct ent_written w;
    enum sh_code rc = uc_ent_update(&u, x->ent, x->id, x->if_match, x->vals, &w, e);
    return rc ? rc : answer(x, 200, &w, e);
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
    struct write_ctx x = {.c = c, .ent = c->route->ent};
    sh_buf_init(&x.out, 1 << 20);
    if (!api_param_id(c, 0, &x.id) || !if_match(c, &x.if_match) || !parse_body(&x, true))
        goto out;
    struct sh_err e;
    sh_err_clear(&e);
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
    const struct uc u = api_uc(x->c, tx);
    return uc_ent_delete(&u, x->ent, x->id, x->if_match, e);
}

void ent_delete(struct api_ctx *c)
{
    struct write_ctx x = {.c = c, .ent = c->route->ent};
    if (!api_param_id(c, 0, &x.id) || !if_match(c, &x.if_match))
        return;
    struct sh_err e;
    sh_err_clear(&e);
    if (db_write(c->app->db, delete_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    api_reply_no_content(c);
}
