/* SPDX-License-Identifier: MIT */
/* The handler pool: a fixed number of threads run the application's handler for requests
 * whose connection is suspended. A handler may block (the group commit answers only when
 * the transaction is on disk) without holding up the event thread or other connections.
 *
 * Jobs are taken in order (FIFO), but the thread that takes a new job is the one that went
 * idle last (LIFO): a steady load needing k threads at once runs on the same k threads, and
 * the others sleep. With one shared condition variable every signal woke some other sleeper
 * in turn, so a light sequential load went round all 32 threads, and each thread's malloc
 * cache (glibc's tcache: up to 7 freed chunks per size class per thread, never given back
 * while the thread lives) filled with chunks no other thread could reuse; the soak's RSS grew
 * for 10 minutes (+6.6 %; docs/operations.md "Fault and soak tests"). */
#include <pthread.h>
#include <stdlib.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "http/server_int.h"

/* One handler thread; it waits on its own condition variable while on the idle stack. */
struct pool_worker {
    struct http_pool *p;
    pthread_t t;
    pthread_cond_t cv;
    struct pool_worker *next_idle;
    bool idle; /* on the idle stack: http_pool_push takes it off before signalling */
    unsigned index;
};

struct http_pool {
    pthread_mutex_t mu;
    struct http_job *head, *tail;
    struct pool_worker *idle; /* the idle stack, the last to go idle on top */
    bool stopping;
    atomic_int busy; /* queued + running */
    void (*run)(struct http_job *job, void *cls);
    void *cls;
    unsigned n, want; /* started, asked for */
    struct pool_worker *workers;
    pthread_t spawner;
    bool spawning;
};

/* Threads started before http_pool_start returns; the rest are started by a helper thread
 * right after, so the server listens without waiting for all of them (issue 9, figure 6:
 * 32 threads took ~15 ms of start-up). Requests queue until a thread takes them. */
#define POOL_FIRST 4u

/* Called with p->mu held: waits on the idle stack until a job is pushed or the pool stops. */
static void wait_idle(struct http_pool *p, struct pool_worker *w)
{
    w->idle = true;
    w->next_idle = p->idle;
    p->idle = w;
    while (w->idle && !p->stopping)
        pthread_cond_wait(&w->cv, &p->mu);
    if (w->idle) { /* stopping: leave the stack */
        for (struct pool_worker **q = &p->idle; *q; q = &(*q)->next_idle)
            if (*q == w) {
                *q = w->next_idle;
                break;
            }
        w->idle = false;
    }
}

static void *worker(void *arg)
{
    struct pool_worker *w = arg;
    struct http_pool *p = w->p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->head && !p->stopping)
            wait_idle(p, w);
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
        pthread_mutex_lock(&p->mu);
    }
}

static bool start_one(struct http_pool *p)
{
    struct pool_worker *w = &p->workers[p->n];
    w->p = p;
    w->index = p->n;
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->t, NULL, worker, w)) {
        log_error("http: cannot start handler thread %u of %u", p->n + 1, p->want);
        pthread_cond_destroy(&w->cv);
        return false;
    }
    pthread_mutex_lock(&p->mu);
    p->n++;
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
    p->run = run;
    p->cls = cls;
    p->want = n;
    p->workers = xcalloc(n, sizeof(*p->workers));
    /* the default stack size: handlers were connection threads before and may use it */
    while (p->n < n && p->n < POOL_FIRST && start_one(p))
        ;
    if (p->n == 0) {
        pthread_mutex_destroy(&p->mu);
        free(p->workers);
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
    struct pool_worker *w = p->idle; /* the last to go idle: its caches are warm */
    if (w) {
        p->idle = w->next_idle;
        w->idle = false;
    }
    pthread_mutex_unlock(&p->mu);
    /* after the unlock: a worker woken under the lock blocks on it at once (two more
     * futex calls per request). Safe: w left the idle stack above, so a spurious wake-up
     * finds idle false and nobody else signals it; the pool is stopped only after the
     * server that pushes. */
    if (w)
        pthread_cond_signal(&w->cv);
}

int http_pool_busy(struct http_pool *p)
{
    return atomic_load(&p->busy);
}

int http_pool_idle(struct http_pool *p)
{
    int n = 0;
    pthread_mutex_lock(&p->mu);
    for (struct pool_worker *w = p->idle; w; w = w->next_idle)
        n++;
    pthread_mutex_unlock(&p->mu);
    return n;
}

void http_pool_stop(struct http_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stopping = true;
    for (struct pool_worker *w = p->idle; w; w = w->next_idle)
        pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&p->mu);
    if (p->spawning) /* it starts no thread once stopping is seen */
        pthread_join(p->spawner, NULL);
    for (unsigned i = 0; i < p->n; i++) {
        pthread_join(p->workers[i].t, NULL);
        pthread_cond_destroy(&p->workers[i].cv);
    }
    pthread_mutex_destroy(&p->mu);
    free(p->workers);
    free(p);
}
