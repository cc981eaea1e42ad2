/* SPDX-License-Identifier: MIT */
/* The document threads and the document cache (docs/doc_gate.h): one mutex each; jobs wait in
 * a list, first come first drawn; the cache is kept newest first. */
#include "docs/doc_gate.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct job {
    enum sh_code (*fn)(void *arg, struct sh_err *e);
    void *arg;
    struct sh_err *e;
    enum sh_code rc;
    enum { QUEUED, RUNNING, DONE } state;
    struct job *next;
};

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cv = PTHREAD_COND_INITIALIZER; /* a job queued */
static pthread_cond_t done_cv;                            /* a job done (CLOCK_MONOTONIC) */
static pthread_once_t gate_once = PTHREAD_ONCE_INIT;
static struct job *queue, **queue_end = &queue;
static int gate_max, gate_busy, gate_idle, gate_threads, gate_wait = DOC_GATE_WAIT_S;

static void gate_init(void)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&done_cv, &a);
    pthread_condattr_destroy(&a);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    gate_max = n < 1 ? 1 : n > DOC_GATE_MAX ? DOC_GATE_MAX : (int)n;
}

int doc_gate_max(void)
{
    pthread_once(&gate_once, gate_init);
    pthread_mutex_lock(&gate_mu);
    int n = gate_max;
    pthread_mutex_unlock(&gate_mu);
    return n;
}

int doc_gate_busy(void)
{
    pthread_mutex_lock(&gate_mu);
    int n = gate_busy;
    pthread_mutex_unlock(&gate_mu);
    return n;
}

void doc_gate_configure(int max, int wait_s)
{
    pthread_once(&gate_once, gate_init);
    pthread_mutex_lock(&gate_mu);
    gate_max = max < 1 ? 1 : max > DOC_GATE_MAX ? DOC_GATE_MAX : max;
    gate_wait = wait_s < 0 ? 0 : wait_s > 600 ? 600 : wait_s;
    pthread_mutex_unlock(&gate_mu);
}

static void *doc_thread(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&gate_mu);
    for (;;) {
        gate_idle++;
        while (!queue)
            pthread_cond_wait(&work_cv, &gate_mu);
        gate_idle--;
        struct job *j = queue;
        if (!(queue = j->next))
            queue_end = &queue;
        j->state = RUNNING;
        gate_busy++;
        pthread_mutex_unlock(&gate_mu);
        enum sh_code rc = j->fn(j->arg, j->e);
        pthread_mutex_lock(&gate_mu);
        j->rc = rc;
        j->state = DONE;
        pthread_cond_broadcast(&done_cv);
        if (--gate_busy == 0 && !queue) {
            /* RULE review 69 L6: a drawing's memory goes back to the system */
            pthread_mutex_unlock(&gate_mu);
            malloc_trim(0);
            pthread_mutex_lock(&gate_mu);
        }
    }
    return NULL;
}

/* Under gate_mu: a thread for the queued job when none is idle and there is room for one. */
static void more_threads(void)
{
    if (gate_idle || gate_threads >= gate_max)
        return;
    pthread_t t;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    if (!pthread_create(&t, &a, doc_thread, NULL))
        gate_threads++;
    pthread_attr_destroy(&a);
}

static void unqueue(struct job *j)
{
    struct job **p = &queue;
    while (*p != j)
        p = &(*p)->next;
    if (!(*p = j->next))
        queue_end = p;
}

enum sh_code doc_pool_run(enum sh_code (*fn)(void *arg, struct sh_err *e), void *arg,
                          struct sh_err *e)
{
    pthread_once(&gate_once, gate_init);
    struct job j = {.fn = fn, .arg = arg, .e = e, .state = QUEUED};
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    pthread_mutex_lock(&gate_mu);
    until.tv_sec += gate_wait;
    *queue_end = &j;
    queue_end = &j.next;
    more_threads();
    pthread_cond_signal(&work_cv);
    while (j.state == QUEUED && pthread_cond_timedwait(&done_cv, &gate_mu, &until) != ETIMEDOUT)
        ;
    if (j.state == QUEUED) {
        unqueue(&j);
        pthread_mutex_unlock(&gate_mu);
        return sh_err_set(e, SH_UNAVAILABLE,
                          "too many documents are being made: try again shortly");
    }
    while (j.state != DONE)
        pthread_cond_wait(&done_cv, &gate_mu);
    pthread_mutex_unlock(&gate_mu);
    return j.rc;
}

/* ---- the cache ---- */

struct entry {
    char *key;
    void *p;
    size_t n;
};

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct entry cache[DOC_CACHE_ENTRIES]; /* newest first */
static int ncache;
static size_t cache_bytes;
static long hits, misses;

static void drop_last(void)
{
    struct entry *x = &cache[--ncache];
    cache_bytes -= x->n;
    free(x->key);
    free(x->p);
}

bool doc_cache_get(const char *key, struct sh_buf *out)
{
    pthread_mutex_lock(&cache_mu);
    int i = 0;
    while (i < ncache && strcmp(cache[i].key, key))
        i++;
    bool ok = i < ncache && sh_buf_add(out, cache[i].p, cache[i].n) == SH_OK;
    if (ok) { /* to the front */
        struct entry x = cache[i];
        memmove(&cache[1], &cache[0], sizeof(cache[0]) * (size_t)i);
        cache[0] = x;
    }
    ok ? hits++ : misses++;
    pthread_mutex_unlock(&cache_mu);
    return ok;
}

void doc_cache_put(const char *key, const void *p, size_t n)
{
    if (n > DOC_CACHE_BYTES / 4)
        return;
    struct entry x = {strdup(key), malloc(n ? n : 1), n};
    if (!x.key || !x.p) {
        free(x.key);
        free(x.p);
        return;
    }
    memcpy(x.p, p, n);
    pthread_mutex_lock(&cache_mu);
    for (int i = 0; i < ncache; i++) {
        if (!strcmp(cache[i].key, key)) { /* made twice at once: keep one */
            struct entry old = cache[i];
            memmove(&cache[i], &cache[i + 1], sizeof(cache[0]) * (size_t)(ncache - i - 1));
            ncache--;
            cache_bytes -= old.n;
            free(old.key);
            free(old.p);
            break;
        }
    }
    while (ncache && (ncache == DOC_CACHE_ENTRIES || cache_bytes + n > DOC_CACHE_BYTES))
        drop_last();
    memmove(&cache[1], &cache[0], sizeof(cache[0]) * (size_t)ncache);
    cache[0] = x;
    ncache++;
    cache_bytes += n;
    pthread_mutex_unlock(&cache_mu);
}

void doc_cache_stats(long *h, long *m)
{
    pthread_mutex_lock(&cache_mu);
    *h = hits;
    *m = misses;
    pthread_mutex_unlock(&cache_mu);
}
