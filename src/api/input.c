/* SPDX-License-Identifier: MIT */
/* Input validation at the API boundary: JSON bodies (jansson) are turned into
 * typed, canonical field values against a column spec, and every refusal names
 * the field at fault. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/ifmatch.h"
#include "http/ratelimit.h"

enum sh_code api_load_object(const char *body, size_t len, json_t **out, struct sh_err *e)
{
    if (len == 0) {
        sh_err_set(e, SH_INVALID, "request body is empty: a JSON object is expected");
        return sh_err_reason(e, "invalid_json", NULL);
    }
    json_error_t je;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        sh_err_set(e, SH_INVALID, "malformed JSON at line %d column %d: %s", je.line, je.column,
                   je.text);
        return sh_err_reason(e, "invalid_json", "{\"line\":%d,\"column\":%d}", je.line, je.column);
    }
    if (!json_is_object(root)) {
        json_decref(root);
        sh_err_set(e, SH_INVALID, "a JSON object is expected");
        return sh_err_reason(e, "invalid_json", NULL);
    }
    *out = root;
    return SH_OK;
}

/* The index of key among the columns of the mask (0: all), or -1. */
static int col_index(const struct api_body *b, const char *key)
{
    for (int k = 0; k < b->ncols; k++)
        if (!strcmp(b->cols[k].name, key) && (!b->mask || (b->mask & (1u << k))))
            return k;
    return -1;
}

static enum sh_code unknown(const char *key, struct sh_err *e)
{
    char safe[64];
    snprintf(safe, sizeof(safe), "%s", key);
    sh_err_field(e, SH_INVALID, safe, "unknown field '%s'", safe);
    return sh_err_reason(e, "unknown_field", NULL);
}

/* Whether the request may set col: an error unknown_field (internal) or read_only. */
static enum sh_code writable(const struct col *col, bool partial, struct sh_err *e)
{
    if (col->flags & COL_INTERNAL)
        return unknown(col->name, e);
    if (col->flags & COL_READONLY) {
        sh_err_field(e, SH_INVALID, col->name, "field '%s' is read-only", col->name);
        return sh_err_reason(e, "read_only", NULL);
    }
    if (partial && (col->flags & COL_CREATE_ONLY)) {
        sh_err_field(e, SH_INVALID, col->name, "field '%s' cannot be changed", col->name);
        return sh_err_reason(e, "read_only", NULL);
    }
    return SH_OK;
}

/* The one loop over a body's keys: a column of the mask, else extra's, else unknown; then
 * the required columns (unless partial). */
static enum sh_code parse_keys(struct api_ctx *c, struct sh_arena *a, json_t *root,
                               const struct api_body *b, struct fval *vals, struct sh_err *e)
{
    for (int i = 0; i < b->ncols; i++)
        memset(&vals[i], 0, sizeof(vals[i]));
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        int k = col_index(b, key);
        enum sh_code rc;
        if (k >= 0) {
            if ((rc = writable(&b->cols[k], b->partial, e)) ||
                (rc = ent_parse_value(a, &b->cols[k], v, &vals[k], e)))
                return rc;
            continue;
        }
        bool known = false;
        if (b->extra) {
            known = true;
            if ((rc = b->extra(c, b->arg, key, v, &known, e)))
                return rc;
        }
        if (!known)
            return unknown(key, e);
    }
    if (!b->partial)
        for (int k = 0; k < b->ncols; k++)
            if ((!b->mask || (b->mask & (1u << k))) && (b->cols[k].flags & COL_REQUIRED) &&
                (!vals[k].present || vals[k].is_null)) {
                sh_err_field(e, SH_INVALID, b->cols[k].name, "'%s' is required", b->cols[k].name);
                return sh_err_reason(e, "required", NULL);
            }
    return SH_OK;
}

enum sh_code api_parse_object(struct sh_arena *a, const char *body, size_t len,
                              const struct col *cols, int ncols, bool partial, struct fval *vals,
                              json_t **root_out, struct sh_err *e)
{
    json_t *root = NULL;
    enum sh_code rc = api_load_object(body, len, &root, e);
    if (rc)
        return rc;
    struct api_body b = {.cols = cols, .ncols = ncols, .partial = partial};
    rc = parse_keys(NULL, a, root, &b, vals, e);
    if (rc == SH_OK && root_out)
        *root_out = root;
    else
        json_decref(root);
    return rc;
}

enum sh_code api_parse_body(struct api_ctx *c, const struct api_body *b, struct fval *vals,
                            struct sh_err *e)
{
    json_t *root = NULL;
    enum sh_code rc = api_load_object(c->req->body.buf, c->req->body.len, &root, e);
    if (rc)
        return rc;
    rc = parse_keys(c, c->a, root, b, vals, e);
    json_decref(root);
    return rc;
}

enum sh_code api_parse_ids(json_t *v, const char *field, int max, int64_t *out, int *n,
                           struct sh_err *e)
{
    *n = 0;
    if (!json_is_array(v) || json_array_size(v) > (size_t)max) {
        sh_err_field(e, SH_INVALID, field, "'%s': an array of at most %d ids", field, max);
        return json_is_array(v) ? sh_err_reason(e, "too_long", "{\"max\":%d}", max)
                                : sh_err_reason(e, "invalid_format", NULL);
    }
    size_t i;
    json_t *id;
    json_array_foreach(v, i, id)
    {
        if (!json_is_integer(id) || json_integer_value(id) < 1) {
            sh_err_field(e, SH_INVALID, field, "'%s': an array of ids", field);
            return sh_err_reason(e, "invalid_format", NULL);
        }
        out[(*n)++] = json_integer_value(id);
    }
    return SH_OK;
}

bool api_action_request(struct api_ctx *c, int64_t *id, int64_t *if_match, const struct col *cols,
                        int ncols, struct fval *vals)
{
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, id))
        return false;
    if (api_if_match(c->req, if_match, &e) ||
        api_parse_object(c->a, c->req->body.buf, c->req->body.len, cols, ncols, false, vals, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return false;
    }
    return true;
}

/* True when name is one of the space-separated names. */
static bool name_listed(const char *names, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = names; p && *p;) {
        size_t len = strcspn(p, " ");
        if (len == n && n && !strncmp(p, name, n))
            return true;
        p += len;
        p += strspn(p, " ");
    }
    return false;
}

/* Replies 400 validation_failed naming field with reason; returns false. */
static bool query_refused(struct api_ctx *c, const char *field, const char *reason, const char *msg)
{
    struct sh_err e;
    sh_err_clear(&e);
    sh_err_field(&e, SH_INVALID, field, "%s", msg);
    (void)sh_err_reason(&e, reason, NULL);
    api_reply_err(c, &e);
    return false;
}

bool api_query_known_or_reply(struct api_ctx *c, const char *names, bool any_name)
{
    const struct http_kv *q = c->req->query;
    for (int i = 0; i < c->req->nquery; i++) {
        const char *k = q[i].k;
        if (!*k)
            return query_refused(c, API_QUERY_NAMELESS, "unknown_field",
                                 "a query parameter has no name");
        char safe[64];
        snprintf(safe, sizeof(safe), "%s", k);
        if (!any_name && !name_listed(names, k))
            return query_refused(c, safe, "unknown_field",
                                 sh_arena_printf(c->a, "unknown query parameter '%s'", safe));
        for (int j = 0; j < i; j++)
            if (!strcmp(q[j].k, k))
                return query_refused(
                    c, safe, "duplicate_field",
                    sh_arena_printf(c->a, "query parameter '%s' is given more than once", safe));
    }
    return true;
}

bool api_query_int(struct api_ctx *c, const char *name, int lo, int hi, int def, int *out)
{
    const char *s = http_query(c->req, name);
    char *end = NULL;
    long v = s ? strtol(s, &end, 10) : def;
    if (s && (!*s || *end || v < lo || v > hi)) {
        api_reply_error(c, SH_INVALID, name, "%s: a whole number from %d to %d", name, lo, hi);
        return false;
    }
    *out = (int)v;
    return true;
}

bool api_query_page(struct api_ctx *c, int *limit, int *offset)
{
    return api_query_int(c, "limit", 1, 200, 50, limit) &&
           api_query_int(c, "offset", 0, 1000000, 0, offset);
}

bool api_query_id(struct api_ctx *c, const char *name, int64_t *out)
{
    const char *s = http_query(c->req, name);
    char *end = NULL;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (s && (!*s || *end || v < 1)) {
        api_reply_error(c, SH_INVALID, name, "%s: an id", name);
        return false;
    }
    *out = v;
    return true;
}

bool api_query_bool(struct api_ctx *c, const char *name, bool *out)
{
    const char *s = http_query(c->req, name);
    *out = s && !strcmp(s, "true");
    if (!s || !strcmp(s, "true") || !strcmp(s, "false"))
        return true;
    api_reply_error(c, SH_INVALID, name, "%s: true or false", name);
    return false;
}

bool api_throttled(struct api_ctx *c, const char *what, const char *key, int max, int window)
{
    char k[96];
    snprintf(k, sizeof(k), "%s:%s", what, key);
    if (ratelimit_allow(k, max, window, sh_now()))
        return false;
    http_add_header(c->req, "Retry-After", sh_arena_printf(c->a, "%d", window));
    api_reply_error(c, SH_THROTTLED, NULL, "too many requests: try again later");
    return true;
}
