/* SPDX-License-Identifier: MIT */
/* The HTTP server (libmicrohttpd, thread per connection: a handler may block on
 * the group-commit writer without stalling other clients). Nothing above this
 * header sees libmicrohttpd. One struct http_req per request owns an arena that
 * is released when the response has been sent. */
#ifndef SH_HTTP_H
#define SH_HTTP_H

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
    void *conn; /* the MHD connection */
    int64_t start_ns;

    /* router output */
    const char *params[HTTP_MAX_PARAMS];
    int nparams;
    const void *route;

    /* set by the application for the access log */
    const char *user;

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

struct http_config {
    const char *host; /* "127.0.0.1" */
    uint16_t port;
    unsigned timeout_s;       /* idle connection timeout */
    unsigned body_deadline_s; /* a request body must arrive within this (408); 0 = none */
    size_t header_limit;      /* bytes for the request line + headers */
    unsigned max_connections;
    bool access_log;
    /* the application: called once per complete request */
    void (*handle)(struct http_req *r, void *app);
    /* largest body accepted for this method and path (0 = use default_max_body) */
    size_t (*max_body)(const char *method, const char *path, void *app);
    size_t default_max_body;
    void *app;
};

struct http_server;

/* Starts listening; returns NULL and prints why on failure. */
struct http_server *http_start(const struct http_config *cfg, char *errbuf, size_t errlen);
/* The port actually bound (useful with port 0). */
uint16_t http_port(const struct http_server *s);
/* Stops accepting, waits up to drain_ms for in-flight requests, then stops. */
void http_stop(struct http_server *s, int drain_ms);
/* Requests being handled right now. */
int http_inflight(struct http_server *s);

/* Request accessors (header names are case-insensitive). */
const char *http_header(struct http_req *r, const char *name);
const char *http_cookie(struct http_req *r, const char *name);
const char *http_query(struct http_req *r, const char *name);
/* PROVISIONAL (dispatch branch, issue 10 item 13; the HTTP engineer owns the final
 * one): true when the peer has closed the request's connection. */
bool http_client_gone(struct http_req *r);

/* Response helpers. */
void http_add_header(struct http_req *r, const char *k, const char *v);
/* Sets status + body (copied) with a content type. */
void http_reply(struct http_req *r, int status, const char *ctype, const char *body, size_t len);
/* Serves a file below root; refuses '..' and hidden segments; ETag + 304. */
void http_serve_file(struct http_req *r, const char *root, const char *relpath);

#endif
