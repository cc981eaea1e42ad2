/* SPDX-License-Identifier: MIT */
#include "http/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/date.h"
#include "base/jw.h"
#include "base/log.h"
#include "base/xalloc.h"

struct http_server {
    struct MHD_Daemon *d;
    struct http_config cfg;
    uint16_t port;
    atomic_int inflight;
};

#define ARENA_CAP (64u << 20)

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

static void reply_error(struct http_req *r, int status, const char *code, const char *msg)
{
    struct sh_buf b = SH_BUF_INIT(4096);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_key(&w, "error");
    jw_obj_begin(&w);
    jw_kstr(&w, "code", code);
    jw_kstr(&w, "message", msg);
    jw_obj_end(&w);
    jw_obj_end(&w);
    if (jw_finish(&w) == SH_OK)
        http_reply(r, status, "application/json; charset=utf-8", b.buf, b.len);
    sh_buf_release(&b);
}

static struct http_req *req_new(struct http_server *s, struct MHD_Connection *c, const char *url,
                                const char *method)
{
    struct http_req *r = xcalloc(1, sizeof(*r));
    sh_arena_init(&r->arena, ARENA_CAP);
    r->start_ns = sh_mono_ns();
    r->conn = c;
    r->method = sh_arena_strdup(&r->arena, method);
    r->path = sh_arena_strdup(&r->arena, url);
    r->file_fd = -1;
    r->status = 200;
    sh_buf_init(&r->out, 64u << 20);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, r);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->ip,
                      sizeof(r->ip));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, r->ip,
                      sizeof(r->ip));
    }
    size_t max = s->cfg.max_body ? s->cfg.max_body(method, url, s->cfg.app) : 0;
    r->max_body = max ? max : s->cfg.default_max_body;
    sh_buf_init(&r->body, r->max_body);
    return r;
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

static enum MHD_Result send_response(struct MHD_Connection *c, struct http_req *r)
{
    struct MHD_Response *resp;
    if (r->file_fd >= 0) {
        resp = MHD_create_response_from_fd64(r->file_size, r->file_fd);
        r->file_fd = -1; /* MHD owns it now */
    } else {
        resp = MHD_create_response_from_buffer(r->out.len, r->out.buf, MHD_RESPMEM_MUST_COPY);
    }
    if (!resp)
        return MHD_NO;
    if (r->content_type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    for (int i = 0; i < r->nheaders; i++)
        MHD_add_response_header(resp, r->headers[i].k, r->headers[i].v);
    if (r->close)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct http_server *s = cls;
    struct http_req *r = *con_cls;
    if (!r) {
        r = req_new(s, c, url, method);
        *con_cls = r;
        atomic_fetch_add(&s->inflight, 1);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > r->max_body) {
            /* refuse before reading the body; the connection closes */
            r->too_big = true;
            r->close = true;
            char msg[96];
            snprintf(msg, sizeof(msg), "request body larger than %zu bytes", r->max_body);
            reply_error(r, 413, "too_large", msg);
            r->status = 413;
            return send_response(c, r);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* a body trickled in slower than the deadline (slowloris) gets 408; a silent client
         * is closed by the idle timeout, when no answer can be sent */
        if (!r->too_big && s->cfg.body_deadline_s &&
            sh_mono_ns() - r->start_ns > (int64_t)s->cfg.body_deadline_s * 1000000000) {
            *upload_data_size = 0;
            reply_error(r, 408, "request_timeout", "the request body took too long to arrive");
            r->close = true;
            r->too_big = true; /* ignore the rest */
            return send_response(c, r);
        }
        if (!r->too_big && sh_buf_add(&r->body, upload_data, *upload_data_size) != SH_OK) {
            r->too_big = true;
            sh_buf_release(&r->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if ((r->status == 413 || r->status == 408) && r->too_big && r->close)
        return MHD_YES; /* already answered */
    if (r->too_big) {
        char msg[96];
        snprintf(msg, sizeof(msg), "request body larger than %zu bytes", r->max_body);
        reply_error(r, 413, "too_large", msg);
        r->close = true;
    } else {
        s->cfg.handle(r, s->cfg.app);
    }
    return send_response(c, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    struct http_server *s = cls;
    struct http_req *r = *con_cls;
    if (!r)
        return;
    if (s->cfg.access_log) {
        char ts[21];
        sh_ts_format(sh_now(), ts);
        struct sh_buf b = SH_BUF_INIT(8192);
        struct jw w;
        jw_init(&w, &b);
        jw_obj_begin(&w);
        jw_kstr(&w, "ts", ts);
        jw_kstr(&w, "type", "access");
        jw_kstr(&w, "ip", r->ip);
        jw_kstr(&w, "method", r->method);
        jw_kstr(&w, "path", r->path);
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
    req_free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&s->inflight, 1);
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_warn("http: %s", msg);
}

struct http_server *http_start(const struct http_config *cfg, char *errbuf, size_t errlen)
{
    struct http_server *s = xcalloc(1, sizeof(*s));
    s->cfg = *cfg;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(cfg->port);
    if (inet_pton(AF_INET, cfg->host, &sa.sin_addr) != 1) {
        snprintf(errbuf, errlen, "invalid listen address '%s' (IPv4 expected)", cfg->host);
        free(s);
        return NULL;
    }
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    /* the external logger must be the first option, or MHD logs through its own first */
    s->d = MHD_start_daemon(
        flags, cfg->port, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_TIMEOUT,
        cfg->timeout_s ? cfg->timeout_s : 30u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        cfg->header_limit ? cfg->header_limit : (size_t)65536, MHD_OPTION_CONNECTION_LIMIT,
        cfg->max_connections ? cfg->max_connections : 1000u, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, s, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
    if (!s->d) {
        snprintf(errbuf, errlen, "cannot listen on %s:%u (address in use or not permitted)",
                 cfg->host, cfg->port);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : cfg->port;
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
    MHD_socket fd = MHD_quiesce_daemon(s->d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    for (int waited = 0; waited < drain_ms && atomic_load(&s->inflight) > 0; waited += 10)
        usleep(10000);
    MHD_stop_daemon(s->d);
    free(s);
}

/* ---- PROVISIONAL (dispatch branch, issue 10 item 13): http_client_gone ----
 * The HTTP engineer owns the final version; the coordinator keeps one at merge.
 * Peeks at the connection without blocking: 0 bytes means the peer closed it. */
#include <errno.h>

bool http_client_gone(struct http_req *r)
{
    if (!r || !r->conn)
        return false;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!ci)
        return false;
    char c;
    ssize_t n = recv(ci->connect_fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && (errno == ECONNRESET || errno == EPIPE || errno == ENOTCONN));
}
/* ---- end PROVISIONAL http_client_gone ---- */
