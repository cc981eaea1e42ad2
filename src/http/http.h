/* SPDX-License-Identifier: MIT */
/* The HTTP server on libmicrohttpd. Nothing above this header sees libmicrohttpd. One
 * struct http_req per request owns an arena that is released when the response has been
 * sent.
 *
 * Threading model:
 * - one event thread (MHD's internal epoll loop) owns every connection: it accepts, reads
 *   request heads and bodies and writes responses. An idle or slow connection costs a
 *   socket and a little memory, never a thread.
 * - a fixed pool of handler threads (`workers`, default 32) runs cfg->handle. When a
 *   request is complete its connection is suspended and the request queued for the pool;
 *   the handler may block (the group commit answers only when the transaction is durable,
 *   so up to `workers` writes wait in one group); then the connection is resumed and the
 *   response written by the event thread. A waiting handler is not a connection thread.
 * - a guard thread enforces the deadlines libmicrohttpd lacks: the request line and
 *   headers within head_timeout_s of the connection (or of its previous response), and a
 *   body at body_min_rate bytes/s after the same allowance (else 408 JSON, then close).
 *   MHD's own idle timeout (timeout_s) still closes silent connections in other phases.
 * cfg->handle therefore runs on a pool thread, one request per call, with the connection
 * suspended: use http_client_gone() to notice a client that has gone away. */
#ifndef SH_HTTP_H
#define SH_HTTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_buf.h"

#define HTTP_MAX_PARAMS 8

struct http_kv {
    const char *k, *v;
};

struct http_req {
    struct sh_arena arena;
    const char *method;
    const char *path; /* decoded, without the query string */
    struct http_kv *query;
    int nquery;
    struct sh_buf body;
    size_t max_body;
    bool too_big;
    char ip[64];
    void *conn;                 /* the MHD connection */
    int fd;                     /* its socket (http_client_gone), -1 if unknown */
    const atomic_bool *stopped; /* the server's drain time is over (http_abandoned); NULL: never */
    int64_t start_ns;

    /* router output */
    const char *params[HTTP_MAX_PARAMS];
    int nparams;
    const void *route;

    /* set by the application for the access log and the metrics */
    const char *user;
    int metric_route; /* index of the API route, or METRIC_STATIC / METRIC_OTHER */
    /* the request id: the client's X-Request-Id when it is 1–64 of [A-Za-z0-9._-], else
     * made here; sent back in X-Request-Id, written in the access log and in 5xx answers */
    char rid[65];

    /* response */
    int status;
    struct sh_buf out;
    const char *content_type;
    struct http_kv *headers;
    int nheaders, capheaders;
    int file_fd; /* >= 0: send this file instead of out */
    uint64_t file_size;
    bool close; /* ask the client to close the connection */
};

/* The request line and headers: a larger head gets the server's JSON 431. libmicrohttpd
 * gives each connection a memory pool of header_limit + HTTP_POOL_SLACK (the head, the
 * response headers, the read buffer); a pool over 32 KiB it maps with mmap for every
 * connection and unmaps at its close, where the munmap's TLB shootdown on every core cost
 * 5 times the rest of a request on a new connection on the 2-core VM (server CPU 675 µs
 * against 120 µs at 16 + 16 KiB, which libmicrohttpd takes from malloc). A head too large for
 * the pool gets libmicrohttpd's own 431 (a short HTML page) and the connection is closed. */
#define HTTP_HEADER_LIMIT (16 * 1024)
#define HTTP_POOL_SLACK   (16 * 1024)

struct http_config {
    const char *host; /* "127.0.0.1" */
    uint16_t port;
    unsigned timeout_s;      /* idle connection timeout (MHD's, restarted by every byte) */
    unsigned head_timeout_s; /* request line + headers due within this; 0 = none */
    unsigned body_min_rate;  /* bytes/s a body must average after head_timeout_s; 0 = none */
    size_t header_limit;     /* request line + headers, 431 above (0: HTTP_HEADER_LIMIT) */
    unsigned max_connections;
    unsigned max_connections_per_ip; /* 0 = no limit */
    unsigned workers;                /* handler threads (default 32) */
    bool hsts;                       /* Strict-Transport-Security on every response */
    const char *tls_cert, *tls_key;  /* PEM text: HTTPS (GnuTLS) when both are set */
    bool access_log;
    /* the application: called once per complete request */
    void (*handle)(struct http_req *r, void *app);
    /* largest body accepted for this method and path (0 = use default_max_body) */
    size_t (*max_body)(const char *method, const char *path, void *app);
    size_t default_max_body;
    /* the path as the access log writes it (secrets in it redacted, allocated in a); NULL:
     * the path as it came */
    const char *(*log_path)(struct sh_arena *a, const char *path, void *app);
    void *app;
};

struct http_server;

/* Starts listening; returns NULL and prints why on failure. */
struct http_server *http_start(const struct http_config *cfg, char *errbuf, size_t errlen);
/* The port actually bound (useful with port 0). */
uint16_t http_port(const struct http_server *s);
/* Stops accepting, waits up to drain_ms for in-flight requests, asks the handlers still
 * running to stop (http_abandoned), waits for them, then stops. */
void http_stop(struct http_server *s, int drain_ms);
/* Requests being handled right now. */
int http_inflight(struct http_server *s);

/* True when the peer has closed its end of the connection (checked without blocking on
 * the socket: poll, then a peek for EOF). Pipelined bytes from a live client do not count as
 * gone. */
bool http_client_gone(struct http_req *r);
/* True when nobody waits for the request's answer any more: its client has gone
 * (http_client_gone), or the server is stopping and has given the requests in progress their
 * drain time (http_stop). Long handlers call it now and then and stop their work. */
bool http_abandoned(struct http_req *r);

/* Request accessors (header names are case-insensitive). */
const char *http_header(struct http_req *r, const char *name);
const char *http_cookie(struct http_req *r, const char *name);
const char *http_query(struct http_req *r, const char *name);

/* Response helpers. */
void http_add_header(struct http_req *r, const char *k, const char *v);
/* Sets status + body (copied) with a content type. */
void http_reply(struct http_req *r, int status, const char *ctype, const char *body, size_t len);
/* True when the client takes gzip (Accept-Encoding). */
bool http_accepts_gzip(struct http_req *r);
/* in[0..n) as a gzip stream in a fresh malloc'd buffer; false on failure (send it plain). */
bool http_gzip(const void *in, size_t n, unsigned char **out, size_t *outlen);
/* Serves a file below root; refuses '..' and hidden segments; ETag + 304. */
void http_serve_file(struct http_req *r, const char *root, const char *relpath);
/* The same with the Content-Security-Policy of one page (an HTML file) instead of the UI's. */
void http_serve_file_csp(struct http_req *r, const char *root, const char *relpath,
                         const char *csp);

#endif
