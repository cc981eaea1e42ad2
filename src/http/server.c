/* SPDX-License-Identifier: MIT */
/* The HTTP server on libmicrohttpd: one internal epoll thread for every connection, a
 * handler pool (pool.c) for the application, deadlines for slow clients (guard.c).
 *
 * A request's life: MHD calls on_request once when the headers are complete (req_new), once
 * per piece of body, and once more at the end. At the end the connection is suspended and
 * the request pushed to the pool; a handler thread runs cfg->handle and resumes the
 * connection; MHD calls on_request again and the response is queued there. Queuing on a
 * later call than the first keeps the connection alive (0.9.75 closes it after a response
 * queued on the first call). Errors of the HTTP layer itself (400/413/431) are answered on
 * the event thread without the pool. */
#include "http/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/csv.h"
#include "base/date.h"
#include "base/jw.h"
#include "base/log.h"
#include "base/metrics.h"
#include "base/xalloc.h"
#include "http/server_int.h"

struct http_server {
    struct MHD_Daemon *d;
    struct http_config cfg;
    uint16_t port;
    atomic_int inflight;
    atomic_bool stopped; /* http_stop's drain time is over: handlers are asked to stop */
    struct http_pool *pool;
    struct http_guard *guard;
    char resp_408[1024];
};

/* What the server keeps beside the public request. */
struct req_priv {
    struct http_req r; /* first: a struct http_req * is a struct req_priv * */
    struct http_job job;
    struct http_server *s;
    struct http_conn *gc; /* the guard's record of the connection (may be NULL) */
    int early_status;     /* an HTTP-layer error found at the first call, answered at the end */
    bool dispatched;      /* handed to the pool; the connection is suspended */
    atomic_bool done;     /* the handler has finished */
    bool answered;        /* a response has been queued */
};

#define ARENA_CAP  (64u << 20)
#define JSON_TYPE  "application/json; charset=utf-8"
#define HSTS_VALUE "max-age=31536000"

static void add_query(struct http_req *r, const char *k, const char *v)
{
    static const int cap_step = 8;
    if (r->nquery % cap_step == 0) {
        struct http_kv *n = sh_arena_alloc(&r->arena, sizeof(*n) * (size_t)(r->nquery + cap_step));
        if (r->nquery)
            memcpy(n, r->query, sizeof(*n) * (size_t)r->nquery);
        r->query = n;
    }
    r->query[r->nquery].k = sh_arena_strdup(&r->arena, k);
    r->query[r->nquery].v = sh_arena_strdup(&r->arena, v ? v : "");
    r->nquery++;
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    if (key)
        add_query(cls, key, value);
    return MHD_YES;
}

const char *http_header(struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *http_query(struct http_req *r, const char *name)
{
    for (int i = 0; i < r->nquery; i++)
        if (!strcmp(r->query[i].k, name))
            return r->query[i].v;
    return NULL;
}

bool http_client_gone(struct http_req *r)
{
    if (r->fd < 0)
        return false;
    struct pollfd p = {.fd = r->fd, .events = POLLIN | POLLRDHUP};
    if (poll(&p, 1, 0) <= 0)
        return false;
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL | POLLRDHUP))
        return true;
    if (p.revents & POLLIN) {
        /* readable: EOF, or the next pipelined request (the client is still there) */
        char c;
        ssize_t n = recv(r->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
    }
    return false;
}

bool http_abandoned(struct http_req *r)
{
    return (r->stopped && atomic_load(r->stopped)) || http_client_gone(r);
}

void http_add_header(struct http_req *r, const char *k, const char *v)
{
    if (r->nheaders == r->capheaders) {
        int cap = r->capheaders ? r->capheaders * 2 : 8;
        struct http_kv *n = sh_arena_alloc(&r->arena, sizeof(*n) * (size_t)cap);
        if (r->nheaders)
            memcpy(n, r->headers, sizeof(*n) * (size_t)r->nheaders);
        r->headers = n;
        r->capheaders = cap;
    }
    r->headers[r->nheaders].k = sh_arena_strdup(&r->arena, k);
    r->headers[r->nheaders].v = sh_arena_strdup(&r->arena, v);
    r->nheaders++;
}

void http_reply(struct http_req *r, int status, const char *ctype, const char *body, size_t len)
{
    r->status = status;
    r->content_type = ctype;
    sh_buf_reset(&r->out);
    if (sh_buf_add(&r->out, body, len) != SH_OK) {
        r->status = 500;
        sh_buf_reset(&r->out);
    }
}

/* {"error":{"code","reason","message","params"?}} into b */
static void error_json(struct sh_buf *b, const char *code, const char *reason, const char *msg,
                       const char *params)
{
    struct jw w;
    jw_init(&w, b);
    jw_obj_begin(&w);
    jw_key(&w, "error");
    jw_obj_begin(&w);
    jw_kstr(&w, "code", code);
    jw_kstr(&w, "reason", reason);
    jw_kstr(&w, "message", msg);
    if (params) {
        jw_key(&w, "params");
        jw_raw(&w, params);
    }
    jw_obj_end(&w);
    jw_obj_end(&w);
    if (jw_finish(&w) != SH_OK)
        sh_buf_reset(b);
}

static void reply_error(struct http_req *r, int status, const char *code, const char *reason,
                        const char *msg, const char *params)
{
    struct sh_buf b = SH_BUF_INIT(4096);
    error_json(&b, code, reason, msg, params);
    http_reply(r, status, JSON_TYPE, b.buf, b.len);
    sh_buf_release(&b);
}

static void reply_too_large(struct http_req *r)
{
    char msg[96], params[48];
    snprintf(msg, sizeof(msg), "request body larger than %zu bytes", r->max_body);
    snprintf(params, sizeof(params), "{\"max\":%zu}", r->max_body);
    reply_error(r, 413, "too_large", "too_large", msg, params);
    r->close = true;
}

/* Length of the valid UTF-8 sequence at p (of n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    for (size_t len = 1; len <= 4 && len <= n; len++)
        if (csv_is_utf8((const char *)p, len))
            return len;
    return 0;
}

/* s[0..n) with every byte that is not part of valid UTF-8 replaced: by the text \xNN
 * (hex, for logs) or by U+FFFD (for bodies). NUL-terminated, in the arena. */
static char *utf8_fix(struct sh_arena *a, const char *s, size_t n, bool hex, size_t *outn)
{
    char *out = sh_arena_alloc(a, n * 4 + 1), *q = out;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        size_t k = utf8_seq(p, (size_t)(end - p));
        if (k) {
            memcpy(q, p, k);
            q += k;
            p += k;
        } else if (hex) {
            static const char digits[] = "0123456789abcdef";
            *q++ = '\\';
            *q++ = 'x';
            *q++ = digits[*p >> 4];
            *q++ = digits[*p & 15];
            p++;
        } else {
            memcpy(q, "\xEF\xBF\xBD", 3);
            q += 3;
            p++;
        }
    }
    *q = '\0';
    if (outn)
        *outn = (size_t)(q - out);
    return out;
}

/* A copy of s safe for JSON logs: invalid UTF-8 bytes become \xNN. */
static const char *printable(struct sh_arena *a, const char *s)
{
    size_t n = strlen(s);
    return csv_is_utf8(s, n) ? s : utf8_fix(a, s, n, true, NULL);
}

/* The path and every query key and value must be UTF-8; else 400 and a printable path. */
static bool check_encoding(struct http_req *r)
{
    bool ok = csv_is_utf8(r->path, strlen(r->path));
    for (int i = 0; ok && i < r->nquery; i++)
        ok = csv_is_utf8(r->query[i].k, strlen(r->query[i].k)) &&
             csv_is_utf8(r->query[i].v, strlen(r->query[i].v));
    if (!ok)
        r->path = printable(&r->arena, r->path);
    return ok;
}

static void client_ip(struct MHD_Connection *c, char *ip, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, ip,
                      (socklen_t)n);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, ip,
                      (socklen_t)n);
    }
}

static uint32_t rid_boot; /* random per process: ids differ across restarts and instances */
static atomic_uint_fast64_t rid_seq;

/* The client's X-Request-Id when it is 1–64 of [A-Za-z0-9._-]; else a new one. */
static void request_id(struct MHD_Connection *c, char out[65])
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-Id");
    size_t n = v ? strlen(v) : 0;
    bool ok = n >= 1 && n <= 64;
    for (size_t i = 0; ok && i < n; i++) {
        char ch = v[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
             ch == '.' || ch == '_' || ch == '-';
    }
    if (ok)
        memcpy(out, v, n + 1);
    else
        snprintf(out, 65, "%08x%08llx", rid_boot,
                 (unsigned long long)atomic_fetch_add(&rid_seq, 1) & 0xffffffffull);
}

static struct req_priv *req_new(struct http_server *s, struct MHD_Connection *c, const char *url,
                                const char *method)
{
    struct req_priv *p = xcalloc(1, sizeof(*p));
    struct http_req *r = &p->r;
    p->s = s;
    atomic_init(&p->done, false);
    sh_arena_init(&r->arena, ARENA_CAP);
    r->start_ns = sh_mono_ns();
    r->conn = c;
    r->method = sh_arena_strdup(&r->arena, method);
    r->path = sh_arena_strdup(&r->arena, url);
    r->file_fd = -1;
    r->fd = -1;
    r->stopped = &s->stopped;
    r->status = 200;
    r->metric_route = METRIC_OTHER;
    request_id(c, r->rid);
    sh_buf_init(&r->out, 64u << 20);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, r);
    client_ip(c, r->ip, sizeof(r->ip));
    const union MHD_ConnectionInfo *fi =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (fi)
        r->fd = fi->connect_fd;
    const union MHD_ConnectionInfo *sc =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    p->gc = sc ? sc->socket_context : NULL;
    size_t max = s->cfg.max_body ? s->cfg.max_body(method, url, s->cfg.app) : 0;
    r->max_body = max ? max : s->cfg.default_max_body;
    sh_buf_init(&r->body, r->max_body);
    return p;
}

static void req_free(struct http_req *r)
{
    if (r->file_fd >= 0)
        close(r->file_fd);
    sh_buf_release(&r->body);
    sh_buf_release(&r->out);
    sh_arena_release(&r->arena);
    free(r);
}

/* Headers on every response of ours; error responses are never stored by caches, and of
 * several Cache-Control headers set by the application the last one wins. */
static void add_headers(struct http_server *s, struct MHD_Response *resp, struct http_req *r)
{
    if (r->content_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "X-Request-Id", r->rid);
    if (s->cfg.hsts)
        MHD_add_response_header(resp, "Strict-Transport-Security", HSTS_VALUE);
    const char *cache = r->status >= 400 ? "no-store" : NULL;
    for (int i = 0; i < r->nheaders; i++) {
        if (!strcasecmp(r->headers[i].k, "Cache-Control")) {
            if (r->status < 400)
                cache = r->headers[i].v;
            continue;
        }
        MHD_add_response_header(resp, r->headers[i].k, r->headers[i].v);
    }
    if (cache)
        MHD_add_response_header(resp, "Cache-Control", cache);
    if (r->close)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
}

static enum MHD_Result send_response(struct MHD_Connection *c, struct req_priv *p)
{
    struct http_req *r = &p->r;
    struct MHD_Response *resp;
    if (r->status >= 400 && r->file_fd < 0 && r->content_type &&
        !strncmp(r->content_type, "application/json", 16) && !csv_is_utf8(r->out.buf, r->out.len)) {
        /* an error message may quote input cut in the middle of a character: the answer
         * stays valid UTF-8 JSON */
        size_t n;
        char *fixed = utf8_fix(&r->arena, r->out.buf, r->out.len, false, &n);
        sh_buf_reset(&r->out);
        if (sh_buf_add(&r->out, fixed, n) != SH_OK)
            sh_buf_reset(&r->out);
    }
    if (r->file_fd >= 0) {
        resp = MHD_create_response_from_fd64(r->file_size, r->file_fd);
        r->file_fd = -1; /* MHD owns it now */
    } else {
        resp = MHD_create_response_from_buffer(r->out.len, r->out.buf, MHD_RESPMEM_MUST_COPY);
    }
    if (!resp)
        return MHD_NO;
    add_headers(p->s, resp, r);
    if (p->gc)
        atomic_store(&p->gc->phase, HTTP_PH_BUSY);
    p->answered = true;
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* A pool thread: the application's handler, then the connection goes back to MHD. */
static void run_job(struct http_job *job, void *cls)
{
    (void)cls;
    struct req_priv *p = (struct req_priv *)(void *)((char *)job - offsetof(struct req_priv, job));
    p->s->cfg.handle(&p->r, p->s->cfg.app);
    atomic_store(&p->done, true);
    MHD_resume_connection(p->r.conn);
}

/* The first call: the headers are complete. */
static enum MHD_Result on_head(struct http_server *s, struct MHD_Connection *c, const char *url,
                               const char *method, void **con_cls)
{
    struct req_priv *p = req_new(s, c, url, method);
    struct http_req *r = &p->r;
    *con_cls = p;
    atomic_fetch_add(&s->inflight, 1);
    if (p->gc) {
        atomic_store(&p->gc->body_bytes, 0);
        atomic_store(&p->gc->body_start_ns, sh_mono_ns());
        atomic_store(&p->gc->phase, HTTP_PH_BODY);
    }
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > r->max_body) {
        /* refused before the body is read: the connection closes */
        r->too_big = true;
        reply_too_large(r);
        return send_response(c, p);
    }
    const union MHD_ConnectionInfo *hs =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    if (hs && s->cfg.header_limit && hs->header_size > s->cfg.header_limit) {
        char msg[96], params[48];
        snprintf(msg, sizeof(msg), "request headers larger than %zu bytes", s->cfg.header_limit);
        snprintf(params, sizeof(params), "{\"max\":%zu}", s->cfg.header_limit);
        reply_error(r, 431, "too_large", "headers_too_large", msg, params);
        p->early_status = 431;
    } else if (!check_encoding(r)) {
        reply_error(r, 400, "validation_failed", "invalid_encoding",
                    "the path or query string is not valid UTF-8", NULL);
        p->early_status = 400;
    }
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct http_server *s = cls;
    struct req_priv *p = *con_cls;
    if (!p)
        return on_head(s, c, url, method, con_cls);
    struct http_req *r = &p->r;
    if (p->dispatched) /* resumed: the handler is done */
        return atomic_load(&p->done) && !p->answered ? send_response(c, p) : MHD_YES;
    if (*upload_data_size) {
        if (p->gc) {
            atomic_fetch_add(&p->gc->body_bytes, *upload_data_size);
            if (atomic_load(&p->gc->phase) == HTTP_PH_408)
                r->too_big = true; /* the guard answered: the rest is ignored */
        }
        if (!r->too_big && !p->early_status &&
            sh_buf_add(&r->body, upload_data, *upload_data_size) != SH_OK) {
            r->too_big = true;
            sh_buf_release(&r->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (p->answered)
        return MHD_YES;
    if (p->gc) {
        int body = HTTP_PH_BODY;
        if (!atomic_compare_exchange_strong(&p->gc->phase, &body, HTTP_PH_BUSY) &&
            body == HTTP_PH_408) {
            r->status = 408;
            return MHD_NO; /* answered by the guard: close */
        }
    }
    if (p->early_status)
        return send_response(c, p);
    if (r->too_big) {
        reply_too_large(r);
        return send_response(c, p);
    }
    p->dispatched = true;
    MHD_suspend_connection(c);
    http_pool_push(s->pool, &p->job);
    return MHD_YES;
}

static void access_log(const struct http_server *s, struct http_req *r,
                       enum MHD_RequestTerminationCode toe)
{
    char ts[21];
    sh_ts_format(sh_now(), ts);
    struct sh_buf b = SH_BUF_INIT(8192);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kstr(&w, "ts", ts);
    jw_kstr(&w, "type", "access");
    jw_kstr(&w, "rid", r->rid);
    jw_kstr(&w, "ip", r->ip);
    jw_kstr(&w, "method", r->method);
    const char *path = printable(&r->arena, r->path);
    if (s->cfg.log_path)
        path = s->cfg.log_path(&r->arena, path, s->cfg.app);
    jw_kstr(&w, "path", path);
    jw_kint(&w, "status", r->status);
    jw_kint(&w, "bytes", (int64_t)(r->file_size ? r->file_size : r->out.len));
    jw_kreal(&w, "ms", (double)(sh_mono_ns() - r->start_ns) / 1e6);
    if (r->user)
        jw_kstr(&w, "user", r->user);
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
        jw_kstr(&w, "aborted",
                toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? "timeout" : "client");
    jw_obj_end(&w);
    if (jw_finish(&w) == SH_OK)
        log_json_line(b.buf);
    sh_buf_release(&b);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    struct http_server *s = cls;
    struct req_priv *p = *con_cls;
    if (!p)
        return;
    if (p->gc) {
        if (atomic_load(&p->gc->phase) == HTTP_PH_408)
            p->r.status = 408;
        /* the next request's head is due within the deadline from now */
        atomic_store(&p->gc->since_ns, sh_mono_ns());
        atomic_store(&p->gc->phase, HTTP_PH_HEAD);
    }
    metrics_request(p->r.metric_route, p->r.status, sh_mono_ns() - p->r.start_ns);
    if (s->cfg.access_log)
        access_log(s, &p->r, toe);
    req_free(&p->r);
    *con_cls = NULL;
    atomic_fetch_sub(&s->inflight, 1);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct http_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *fi =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = fi ? http_guard_add(s->guard, fi->connect_fd) : NULL;
    } else if (*socket_context) {
        http_guard_remove(s->guard, *socket_context);
        *socket_context = NULL;
    }
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    /* a client going away (or shut down by the guard) is routine, and during an attack
     * there are thousands: the access log and the guard's summary say enough */
    if (strstr(msg, "connection closure") || strstr(msg, "has been disconnected") ||
        strstr(msg, "onnection reset") || strstr(msg, "Broken pipe") ||
        strstr(msg, "closed by remote side"))
        return;
    log_warn("http: %s", msg);
}

/* The complete answer the guard writes to a too-slow body. */
static void build_408(struct http_server *s)
{
    struct sh_buf b = SH_BUF_INIT(1024);
    error_json(&b, "request_timeout", "too_slow",
               "the request body arrived too slowly; the connection is closed", NULL);
    snprintf(s->resp_408, sizeof(s->resp_408),
             "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
             "Content-Type: " JSON_TYPE "\r\nContent-Length: %zu\r\n"
             "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n%s\r\n%s",
             b.len, s->cfg.hsts ? "Strict-Transport-Security: " HSTS_VALUE "\r\n" : "",
             b.buf ? b.buf : "");
    sh_buf_release(&b);
}

static bool start_helpers(struct http_server *s, char *errbuf, size_t errlen)
{
    build_408(s);
    struct http_guard_config gc = {
        .head_timeout_s = s->cfg.head_timeout_s,
        .body_min_rate = s->cfg.body_min_rate,
        .resp_408 = s->resp_408,
        .resp_408_len = strlen(s->resp_408),
    };
    s->guard = http_guard_start(&gc);
    s->pool = http_pool_start(s->cfg.workers ? s->cfg.workers : 32u, run_job, s);
    if (s->guard && s->pool)
        return true;
    snprintf(errbuf, errlen, "cannot start the HTTP helper threads");
    http_pool_stop(s->pool);
    http_guard_stop(s->guard);
    return false;
}

static int64_t gauge_inflight(void *arg)
{
    return atomic_load(&((struct http_server *)arg)->inflight);
}

static int64_t gauge_queue(void *arg)
{
    struct http_server *s = arg;
    int waiting = http_pool_busy(s->pool) - (int)(s->cfg.workers ? s->cfg.workers : 32u);
    return waiting > 0 ? waiting : 0;
}

struct http_server *http_start(const struct http_config *cfg, char *errbuf, size_t errlen)
{
    struct http_server *s = xcalloc(1, sizeof(*s));
    s->cfg = *cfg;
    if (getrandom(&rid_boot, sizeof(rid_boot), 0) != (ssize_t)sizeof(rid_boot))
        rid_boot = (uint32_t)sh_now();
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(cfg->port);
    if (inet_pton(AF_INET, cfg->host, &sa.sin_addr) != 1) {
        snprintf(errbuf, errlen, "invalid listen address '%s' (IPv4 expected)", cfg->host);
        free(s);
        return NULL;
    }
    if (!start_helpers(s, errbuf, errlen)) {
        free(s);
        return NULL;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ITC | MHD_USE_ERROR_LOG;
    bool tls = cfg->tls_cert && cfg->tls_key;
    struct MHD_OptionItem tls_opts[] = {
        {tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, (void *)(uintptr_t)cfg->tls_key},
        {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)(uintptr_t)cfg->tls_cert},
        {MHD_OPTION_END, 0, NULL},
    };
    if (tls)
        flags |= MHD_USE_TLS;
    size_t hl = cfg->header_limit ? cfg->header_limit : (size_t)HTTP_HEADER_LIMIT;
    /* MHD's pool holds the request head and the response headers; with room above our own
     * limit a head somewhat over it still gets our JSON 431 rather than MHD's HTML page
     * (HTTP_HEADER_LIMIT says why the pool stays at 32 KiB) */
    s->d = MHD_start_daemon(
        flags, cfg->port, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_TIMEOUT,
        cfg->timeout_s ? cfg->timeout_s : 30u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        hl + HTTP_POOL_SLACK, MHD_OPTION_CONNECTION_LIMIT,
        cfg->max_connections ? cfg->max_connections : 1000u, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        cfg->max_connections_per_ip, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
        MHD_OPTION_ARRAY, tls_opts, MHD_OPTION_END);
    if (!s->d) {
        snprintf(errbuf, errlen, "cannot listen on %s:%u (address in use or not permitted%s)",
                 cfg->host, cfg->port, tls ? ", or the TLS certificate or key is not valid" : "");
        http_pool_stop(s->pool);
        http_guard_stop(s->guard);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : cfg->port;
    metrics_gauge("shouhou_http_inflight", "Requests being handled now.", gauge_inflight, s);
    metrics_gauge("shouhou_http_queue_depth", "Complete requests waiting for a handler thread.",
                  gauge_queue, s);
    return s;
}

uint16_t http_port(const struct http_server *s)
{
    return s->port;
}

int http_inflight(struct http_server *s)
{
    return atomic_load(&s->inflight);
}

void http_stop(struct http_server *s, int drain_ms)
{
    if (!s)
        return;
    /* new connections are refused from now on (shutdown ends the listening state), but the
     * socket is closed only after MHD_stop_daemon: MHD's thread may still be taking it out of
     * its epoll set (libmicrohttpd's rule for MHD_quiesce_daemon; ThreadSanitizer saw the
     * close race that epoll_ctl) */
    MHD_socket fd = MHD_quiesce_daemon(s->d);
    if (fd != MHD_INVALID_SOCKET)
        shutdown(fd, SHUT_RDWR);
    for (int waited = 0; waited < drain_ms && atomic_load(&s->inflight) > 0; waited += 10)
        usleep(10000);
    /* the drain time is over: long handlers (a dispatch solve) stop at their next look */
    atomic_store(&s->stopped, true);
    /* MHD must not be stopped with suspended connections: handlers still running are
     * waited for (they were connection threads before and were joined the same way) */
    if (http_pool_busy(s->pool) > 0)
        log_warn("http: waiting for %d request handler(s) still running", http_pool_busy(s->pool));
    while (http_pool_busy(s->pool) > 0)
        usleep(10000);
    usleep(20000); /* the last resumed connections are answered */
    MHD_stop_daemon(s->d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    http_pool_stop(s->pool);
    http_guard_stop(s->guard);
    free(s);
}
