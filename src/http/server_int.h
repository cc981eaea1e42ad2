/* SPDX-License-Identifier: MIT */
/* Internals of the HTTP server shared by server.c, pool.c and guard.c (not for other layers).
 *
 * pool:  a fixed set of handler threads taking jobs from a FIFO; a job is a request whose
 *        connection the event thread has suspended. The thread woken for a job is the one
 *        that went idle last (LIFO), so a light load keeps running on the same few threads.
 * guard: every open connection with the phase it is in, and a thread that enforces the
 *        request-head deadline and the minimum body rate by shutting sockets down (the
 *        event thread then sees EOF and closes them; no thread waits on a slow client). */
#ifndef SH_HTTP_SERVER_INT_H
#define SH_HTTP_SERVER_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- handler pool ---- */

struct http_job {
    struct http_job *next;
};

struct http_pool;

/* Starts n threads calling run(job, cls) for every pushed job; NULL on failure. */
struct http_pool *http_pool_start(unsigned n, void (*run)(struct http_job *job, void *cls),
                                  void *cls);
void http_pool_push(struct http_pool *p, struct http_job *job);
/* Jobs queued or running. */
int http_pool_busy(struct http_pool *p);
/* Threads waiting for a job (on the idle stack). */
int http_pool_idle(struct http_pool *p);
/* Lets the queued jobs finish, then joins the threads and frees the pool. */
void http_pool_stop(struct http_pool *p);

/* ---- connection guard ---- */

enum http_phase {
    HTTP_PH_HEAD = 0, /* waiting for a complete request line + headers */
    HTTP_PH_BODY = 1, /* the headers are in, the body is arriving */
    HTTP_PH_BUSY = 2, /* handled or answering: no deadline of ours (MHD's idle timeout) */
    HTTP_PH_408 = 3,  /* the guard answered 408 to a too-slow body (set by CAS from BODY) */
};

struct http_conn {
    struct http_conn *prev, *next;
    int fd;
    atomic_int phase;
    atomic_int_fast64_t since_ns;      /* HEAD: accepted or previous response done */
    atomic_int_fast64_t body_start_ns; /* BODY: the headers were complete */
    atomic_uint_fast64_t body_bytes;   /* BODY: received so far */
    atomic_int_fast64_t answered_ns;   /* 408: when the guard sent it */
    bool shut;                         /* the guard shut the socket down (guard lock) */
};

struct http_guard_config {
    unsigned head_timeout_s; /* 0 = no head deadline */
    unsigned body_min_rate;  /* bytes/s after head_timeout_s of allowance; 0 = none */
    const char *resp_408;    /* a complete HTTP response written on a too-slow body */
    size_t resp_408_len;
};

struct http_guard;

struct http_guard *http_guard_start(const struct http_guard_config *cfg);
/* Tracks a new connection (event thread); NULL when out of memory (then untracked). */
struct http_conn *http_guard_add(struct http_guard *g, int fd);
/* Forgets a connection before its socket is closed (event thread). */
void http_guard_remove(struct http_guard *g, struct http_conn *c);
void http_guard_stop(struct http_guard *g);

#endif
