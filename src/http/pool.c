/* SPDX-License-Identifier: MIT */
/* The handler pool: a fixed number of threads run the application's handler for requests
 * whose connection is suspended. A handler may block (the group commit answers only when
 * the transaction is on disk) without holding up the event thread or other connections. */
#include <pthread.h>
#include <stdlib.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "http/server_int.h"

struct http_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct http_job *head, *tail;
    bool stopping;
    atomic_int busy; /* queued + running */
    void (*run)(struct http_job *job, void *cls);
    void *cls;
    unsigned n, want; /* started, asked for */
    pthread_t *threads;
    pthread_t spawner;
    bool spawning;
};

/* Threads started before http_pool_start returns; the rest are started by a helper thread
 * right after, so the server listens without waiting for all of them (issue 9, figure 6:
 * 32 threads took ~15 ms of start-up). Requests queue until a thread takes them. */
#define POOL_FIRST 4u

static void *worker(void *arg)
{
    struct http_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->head && !p->stopping)
            pthread_cond_wait(&p->cv, &p->mu);
        struct http_job *j = p->head;
        if (!j) { /* stopping and nothing left */
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        p->head = j->next;
        if (!p->head)
            p->tail = NULL;
        pthread_mutex_unlock(&p->mu);
        j->next = NULL;
        p->run(j, p->cls);
        atomic_fetch_sub(&p->busy, 1);
    }
}

static bool start_one(struct http_pool *p)
{
    pthread_t t;
    if (pthread_create(&t, NULL, worker, p)) {
        log_error("http: cannot start handler thread %u of %u", p->n + 1, p->want);
        return false;
    }
    pthread_mutex_lock(&p->mu);
    p->threads[p->n++] = t;
    pthread_mutex_unlock(&p->mu);
    return true;
}

static void *spawner(void *arg)
{
    struct http_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        bool more = !p->stopping && p->n < p->want;
        pthread_mutex_unlock(&p->mu);
        if (!more || !start_one(p))
            return NULL;
    }
}

struct http_pool *http_pool_start(unsigned n, void (*run)(struct http_job *job, void *cls),
                                  void *cls)
{
    struct http_pool *p = xcalloc(1, sizeof(*p));
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->run = run;
    p->cls = cls;
    p->want = n;
    p->threads = xcalloc(n, sizeof(*p->threads));
    /* the default stack size: handlers were connection threads before and may use it */
    while (p->n < n && p->n < POOL_FIRST && start_one(p))
        ;
    if (p->n == 0) {
        free(p->threads);
        free(p);
        return NULL;
    }
    if (p->n < n)
        p->spawning = pthread_create(&p->spawner, NULL, spawner, p) == 0;
    return p;
}

void http_pool_push(struct http_pool *p, struct http_job *job)
{
    job->next = NULL;
    atomic_fetch_add(&p->busy, 1);
    pthread_mutex_lock(&p->mu);
    if (p->tail)
        p->tail->next = job;
    else
        p->head = job;
    p->tail = job;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

int http_pool_busy(struct http_pool *p)
{
    return atomic_load(&p->busy);
}

void http_pool_stop(struct http_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stopping = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    if (p->spawning) /* it starts no thread once stopping is seen */
        pthread_join(p->spawner, NULL);
    for (unsigned i = 0; i < p->n; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->threads);
    free(p);
}
