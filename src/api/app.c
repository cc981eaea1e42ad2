/* SPDX-License-Identifier: MIT */
/* Request dispatch: /healthz, /api/v1/... through the route table (authenticate,
 * check the route's roles, CSRF on unsafe methods for cookie sessions), and the
 * web UI's static files for everything else. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/api.h"
#include "app/auth.h"
#include "base/date.h"
#include "base/log.h"
#include "base/metrics.h"
#include "http/router.h"

#define JSON_TYPE "application/json; charset=utf-8"

void api_json_begin(struct sh_buf *b, struct jw *w)
{
    sh_buf_init(b, 64u << 20);
    jw_init(w, b);
}

void api_reply_json(struct api_ctx *c, int status, const struct sh_buf *body)
{
    http_add_header(c->req, "Cache-Control", "no-store");
    http_reply(c->req, status, JSON_TYPE, body->buf, body->len);
}

bool api_read_or_reply(struct api_ctx *c, db_fn fn, void *ctx)
{
    struct sh_err e;
    sh_err_clear(&e);
    if (db_read(c->app->db, fn, ctx, &e) == SH_OK)
        return true;
    api_reply_err(c, &e);
    return false;
}

bool api_write_or_reply(struct api_ctx *c, db_fn fn, void *ctx)
{
    struct sh_err e;
    sh_err_clear(&e);
    if (db_write(c->app->db, fn, ctx, &e) == SH_OK)
        return true;
    api_reply_err(c, &e);
    return false;
}

void api_reply_jw(struct api_ctx *c, int status, struct sh_buf *b, struct jw *w)
{
    if (jw_finish(w) == SH_OK)
        api_reply_json(c, status, b);
    else
        api_reply_error(c, SH_TOO_BIG, NULL, "response too large");
    sh_buf_release(b);
}

void api_reply_no_content(struct api_ctx *c)
{
    c->req->status = 204;
    c->req->content_type = NULL;
    sh_buf_reset(&c->req->out);
}

/* {"error": {"code", "reason", "message", "field"?, "params"?}} */
static void reply_error_raw(struct http_req *r, enum sh_code code, const char *field,
                            const char *reason, const char *params, const char *msg)
{
    struct sh_buf b = SH_BUF_INIT(8192);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_key(&w, "error");
    jw_obj_begin(&w);
    jw_kstr(&w, "code", sh_code_str(code));
    if (!reason || !*reason) {
        struct sh_err d = {.code = code};
        reason = sh_err_reason_of(&d);
    }
    jw_kstr(&w, "reason", reason);
    jw_kstr(&w, "message", msg);
    if (field && *field)
        jw_kstr(&w, "field", field);
    if (params && *params) {
        jw_key(&w, "params");
        jw_raw(&w, params);
    }
    if (sh_code_http(code) >= 500) /* the key to the server log's line */
        jw_kstr(&w, "request_id", r->rid);
    jw_obj_end(&w);
    jw_obj_end(&w);
    if (jw_finish(&w) == SH_OK)
        http_reply(r, sh_code_http(code), JSON_TYPE, b.buf, b.len);
    sh_buf_release(&b);
}

void api_reply_error(struct api_ctx *c, enum sh_code code, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (code == SH_STORE || code == SH_INTERNAL)
        log_error("%s %s (request %s): %s", c->req->method, c->req->path, c->req->rid, msg);
    reply_error_raw(c->req, code, field, NULL, NULL, msg);
}

void api_reply_err(struct api_ctx *c, const struct sh_err *e)
{
    if (e->code == SH_STORE || e->code == SH_INTERNAL) {
        /* details go to the log, not to the client */
        log_error("%s %s (request %s): %s", c->req->method, c->req->path, c->req->rid, e->msg);
        reply_error_raw(c->req, e->code, NULL, NULL, NULL, "internal error: see the server log");
        return;
    }
    reply_error_raw(c->req, e->code == SH_OK ? SH_INTERNAL : e->code, e->field, sh_err_reason_of(e),
                    e->params, e->msg);
}

bool api_param_id(struct api_ctx *c, int i, int64_t *out)
{
    const char *s = i < c->req->nparams ? c->req->params[i] : NULL;
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v <= 0) {
        api_reply_error(c, SH_NOT_FOUND, NULL, "no such record");
        return false;
    }
    *out = v;
    return true;
}

bool api_is_external(const struct api_ctx *c)
{
    return roles_external_only(c->who.roles);
}

bool api_is_technician_only(const struct api_ctx *c)
{
    return (c->who.roles & ROLES_STAFF) == RB(TECHNICIAN);
}

void api_now(char ts[21])
{
    sh_ts_format(sh_now(), ts);
}

void api_today(char d[11])
{
    /* the company's calendar day: Asia/Shanghai, UTC+8 without DST */
    int64_t t = sh_now() + 8 * 3600;
    sh_date_format(sh_civil_from_days(t / 86400), d);
}

static bool unsafe(const char *m)
{
    return strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "OPTIONS");
}

struct health_ctx {
    struct sh_arena *a;
};

static enum sh_code health_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct health_ctx *h = arg;
    struct db_rows r;
    return db_query(tx, h->a, "SELECT 1 AS ok", DB_NOP, &r, e);
}

static void healthz(struct http_req *r, struct app *app)
{
    struct health_ctx h = {&r->arena};
    struct sh_err e;
    sh_err_clear(&e);
    if (db_read(app->db, health_run, &h, &e)) {
        log_error("healthz: %s", e.msg);
        static const char bad[] = "{\"status\":\"unavailable\",\"database\":\"error\"}";
        http_reply(r, 503, JSON_TYPE, bad, sizeof(bad) - 1);
        return;
    }
    static const char ok[] = "{\"status\":\"ok\",\"database\":\"ok\"}";
    http_reply(r, 200, JSON_TYPE, ok, sizeof(ok) - 1);
    http_add_header(r, "Cache-Control", "no-store");
}

/* A body must be JSON (application/json, any parameters), except on the upload routes
 * whose body is a file: a cross-site form (text/plain, urlencoded, multipart) cannot
 * post JSON to the API. */
static bool media_type_ok(struct http_req *r, const struct route *rt)
{
    if (r->body.len == 0 || (rt->flags & ROUTE_RAW_BODY))
        return true;
    const char *ct = http_header(r, "Content-Type");
    if (!ct)
        return false;
    ct += strspn(ct, " \t");
    size_t n = strcspn(ct, "; \t");
    return n == 16 && !strncasecmp(ct, "application/json", 16);
}

/* The route for the request's method and path; *path_known when another method has it. */
static const struct route *route_find(struct http_req *r, bool *path_known)
{
    const char *method = !strcmp(r->method, "HEAD") ? "GET" : r->method;
    *path_known = false;
    for (int i = 0; i < api_nroutes; i++) {
        const struct route *rt = &api_routes[i];
        int np = 0;
        const char *params[HTTP_MAX_PARAMS];
        if (!router_match(rt->pattern, r->path, NULL, NULL, NULL))
            continue;
        *path_known = true;
        if (strcmp(rt->method, method))
            continue;
        if (!router_match(rt->pattern, r->path, &r->arena, params, &np))
            continue;
        memcpy(r->params, params, sizeof(params[0]) * (size_t)np);
        r->nparams = np;
        return rt;
    }
    return NULL;
}

/* Who may call the matched route: signed in, in its roles, with the CSRF token of a cookie
 * session on unsafe methods, sending JSON. Replies and returns false otherwise. */
static bool route_allowed(struct api_ctx *c, const struct route *match)
{
    struct http_req *r = c->req;
    struct sh_err e;
    sh_err_clear(&e);
    if (auth_resolve(c, &e)) {
        api_reply_err(c, &e);
        return false;
    }
    if (match->flags & ROUTE_PUBLIC) {
        /* public routes act for nobody: a session cookie must not lend them its rights */
        memset(&c->who, 0, sizeof(c->who));
    } else {
        if (!c->who.user_id) {
            api_reply_error(c, SH_UNAUTH, NULL, "sign in or send a bearer token");
            return false;
        }
        if (!(c->who.roles & match->roles)) {
            api_reply_error(c, SH_FORBIDDEN, NULL, "your role may not do this");
            return false;
        }
        if (c->who.via_session && unsafe(r->method) && !(match->flags & ROUTE_NO_CSRF)) {
            const char *tok = http_header(r, "X-CSRF-Token");
            if (!tok || !c->who.csrf || strcmp(tok, c->who.csrf)) {
                api_reply_error(c, SH_FORBIDDEN, "X-CSRF-Token",
                                "missing or wrong X-CSRF-Token header");
                return false;
            }
        }
    }
    /* review 72 #10: a POST that would not recognise a retry refuses the key */
    if (!strcmp(r->method, "POST") && http_header(r, "Idempotency-Key") &&
        match->fn != ent_create && !(match->flags & ROUTE_IDEM)) {
        sh_err_field(&e, SH_INVALID, "Idempotency-Key",
                     "this route takes no Idempotency-Key: a retry would not be recognised");
        sh_err_reason(&e, "idempotency_unsupported", NULL);
        api_reply_err(c, &e);
        return false;
    }
    if (!media_type_ok(r, match)) {
        sh_err_set(&e, SH_UNSUPPORTED,
                   "the body must be JSON: send 'Content-Type: application/json'");
        sh_err_reason(&e, "unsupported_media_type", NULL);
        api_reply_err(c, &e);
        return false;
    }
    return true;
}

/* A GET takes only the query parameters its route declares (route.query), each once, so that
 * a typo or a second value never silently answers something else; the entity lists check
 * their names against the entity's columns. Replies 400 unknown_field or duplicate_field
 * and returns false otherwise. */
static bool query_known(struct api_ctx *c, const struct route *rt)
{
    if (strcmp(c->req->method, "GET") && strcmp(c->req->method, "HEAD"))
        return true;
    return api_query_known_or_reply(c, rt->query, rt->fn == ent_list || rt->fn == ent_list_child);
}

/* Authenticates the request, checks its route and runs its handler. A read-only request
 * may start for the caller its credential gave when last seen (checks: app_resolve); false
 * when the database then refused that guess: nothing of this run may be answered. */
static bool dispatch_once(struct http_req *r, struct app *app, const struct route *match,
                          bool checks)
{
    struct api_ctx c = {.app = app, .req = r, .a = &r->arena, .route = match};
    /* a read-only request: the authentication read opens the handler's read transaction; a
     * write that may be foreseen: its check goes with the write's first wait */
    bool hold = !unsafe(r->method) || (match->flags & ROUTE_FORESEE);
    if (hold)
        db_request_hold(app->db, checks);
    if (route_allowed(&c, match)) {
        if (c.who.username)
            r->user = c.who.username;
        if (query_known(&c, match))
            match->fn(&c);
    }
    db_request_release(app->db);
    return !hold || !checks || !db_request_refused(app->db);
}

/* Forgets the answer a refused run made (dispatch_once). */
static void reply_forget(struct http_req *r, int nheaders)
{
    if (r->file_fd >= 0) {
        close(r->file_fd);
        r->file_fd = -1;
    }
    r->status = 200;
    r->content_type = NULL;
    r->nheaders = nheaders;
    r->user = NULL;
    sh_buf_reset(&r->out);
}

static void api_dispatch(struct http_req *r, struct app *app)
{
    struct api_ctx c = {.app = app, .req = r, .a = &r->arena};
    if (app->request_memory_cap)
        r->arena.cap = app->request_memory_cap;
    bool path_known;
    const struct route *match = route_find(r, &path_known);
    if (!match) {
        if (path_known) {
            static const char body[] = "{\"error\":{\"code\":\"method_not_allowed\","
                                       "\"reason\":\"method_not_allowed\","
                                       "\"message\":\"method not allowed on this path\"}}";
            http_reply(r, 405, JSON_TYPE, body, sizeof(body) - 1);
        } else {
            reply_error_raw(r, SH_NOT_FOUND, NULL, NULL, NULL, "no such API route");
        }
        return;
    }
    c.route = match;
    r->route = match;
    r->metric_route = (int)(match - api_routes);
    /* behind a trusted reverse proxy, the client is in X-Forwarded-For */
    char peer[sizeof(r->ip)];
    memcpy(peer, r->ip, sizeof(peer));
    auth_client_ip(app->trusted_proxies, peer, http_header(r, "X-Forwarded-For"), r->ip);
    int nheaders = r->nheaders;
    if (!dispatch_once(r, app, match, true)) {
        reply_forget(r, nheaders);
        (void)dispatch_once(r, app, match, false);
    }
    if (sh_arena_over(c.a) && r->status < 400) {
        /* the handler went past the request's memory cap: its answer may be incomplete */
        if (r->file_fd >= 0) {
            close(r->file_fd);
            r->file_fd = -1;
        }
        reply_error_raw(r, SH_TOO_BIG, NULL, "too_large", NULL,
                        "the answer is larger than one request may hold: narrow the query");
    }
}

void app_handle(struct http_req *r, void *arg)
{
    struct app *app = arg;
    if (!strcmp(r->path, "/healthz")) {
        healthz(r, app);
        return;
    }
    if (!strncmp(r->path, "/api/", 5) || !strcmp(r->path, "/api")) {
        api_dispatch(r, app);
        return;
    }
    if (!strcmp(r->path, "/metrics")) {
        api_metrics(r, app);
        return;
    }
    r->metric_route = METRIC_STATIC;
    if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
        reply_error_raw(r, SH_NOT_FOUND, NULL, NULL, NULL, "no such resource");
        return;
    }
    /* client routes of the single-page UI (the QR fault report /r/<serial> and its status
     * page /r/s/<token>) have no file: they get index.html, whose script reads the path */
    if (!strncmp(r->path, "/r/", 3)) {
        http_serve_file(r, app->web_root, "/index.html");
        return;
    }
    http_serve_file(r, app->web_root, r->path);
}

/* Review 69 L2: the public links' tokens stand for the customer (accept a quote, answer a
 * survey, follow a ticket, read a calendar), and the database keeps only their hashes. The
 * access log keeps their first 6 characters and "…". */
const char *app_log_path(struct sh_arena *a, const char *path, void *app)
{
    (void)app;
    static const char *const secret[] = {"/api/v1/public/reports/",
                                         "/api/v1/public/surveys/",
                                         "/api/v1/public/quotes/",
                                         "/api/v1/public/calendars/",
                                         "/r/s/",
                                         "/r/survey/",
                                         "/r/quote/"};
    for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++) {
        size_t n = strlen(secret[i]);
        if (strncmp(path, secret[i], n))
            continue;
        const char *tok = path + n, *end = tok + strcspn(tok, "/");
        if (end - tok <= 6)
            return path;
        return sh_arena_printf(a, "%.*s…%s", (int)(n + 6), path, end);
    }
    return path;
}

size_t app_max_body(const char *method, const char *path, void *app)
{
    (void)method;
    (void)app;
    /* attachments (photos, PDFs) may be up to 20 MB; JSON bodies 1 MiB */
    const char *tail = strrchr(path, '/');
    if (tail && !strcmp(tail, "/attachments"))
        return 21u << 20;
    if (tail && !strcmp(tail, "/photos"))
        return 11u << 20;
    return 1u << 20;
}
