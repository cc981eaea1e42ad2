/* SPDX-License-Identifier: MIT */
/* Deadlines for slow clients. libmicrohttpd's own timeout is an idle timeout, restarted by
 * every byte, so a client sending one header byte every few seconds would hold its
 * connection for ever. The guard keeps every connection with its phase and, a few times a
 * second, shuts down the socket of
 *   - a connection whose request line and headers are not complete head_timeout_s after it
 *     was accepted or after its previous response (an idle keep-alive connection too), and
 *   - a request whose body arrives slower than body_min_rate bytes/s (after an allowance
 *     of head_timeout_s): it first gets a 408 JSON answer and a FIN, then the socket is
 *     shut down for reading 2 s later unless the client has closed it by then.
 * The event thread sees EOF and closes the connection. The list lock is also taken by
 * http_guard_remove, which MHD calls before it closes a socket, so a descriptor is never
 * shut down after it has been closed (and maybe reused). */
#include <pthread.h>
#include <sys/ioctl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "base/date.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "http/server_int.h"

#define TICK_MS         200
#define ANSWER_LINGER_S 2

struct http_guard {
    struct http_guard_config cfg;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;
    struct http_conn *head;
    pthread_t thread;
    bool running;
    long n_head; /* closed for the head deadline since the last log line */
    int64_t logged_ns;
};

static void answer_408(struct http_guard *g, struct http_conn *c, int64_t now)
{
    /* the event thread may be finishing the body right now: whoever moves the phase
     * away from BODY first answers */
    int body = HTTP_PH_BODY;
    atomic_store(&c->answered_ns, now);
    if (!atomic_compare_exchange_strong(&c->phase, &body, HTTP_PH_408))
        return;
    /* the socket is non-blocking and the answer small: it fits in the send buffer */
    size_t off = 0;
    while (off < g->cfg.resp_408_len) {
        ssize_t n = send(c->fd, g->cfg.resp_408 + off, g->cfg.resp_408_len - off,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    shutdown(c->fd, SHUT_WR);
}

/* Bytes the event thread has not read yet: when it lags behind (a burst of connections, a
 * busy machine) a request that arrived in time is not cut off; a slow client's bytes are read
 * as they come, so it has none waiting. Twice the deadline is the limit all the same. */
static bool unread(int fd)
{
    int n = 0;
    return ioctl(fd, FIONREAD, &n) == 0 && n > 0;
}

static void sweep(struct http_guard *g, int64_t now)
{
    const int64_t s = 1000000000;
    int n_head = 0;
    const int64_t head = (int64_t)g->cfg.head_timeout_s * s;
    for (struct http_conn *c = g->head; c; c = c->next) {
        if (c->shut)
            continue;
        int ph = atomic_load(&c->phase);
        if (ph == HTTP_PH_HEAD) {
            int64_t age = now - atomic_load(&c->since_ns);
            if (head && age > head && (age > 2 * head || !unread(c->fd))) {
                shutdown(c->fd, SHUT_RDWR);
                c->shut = true;
                n_head++;
            }
            continue;
        }
        if (ph == HTTP_PH_408) {
            if (now - atomic_load(&c->answered_ns) > ANSWER_LINGER_S * s) {
                shutdown(c->fd, SHUT_RDWR);
                c->shut = true;
            }
            continue;
        }
        if (ph != HTTP_PH_BODY || !g->cfg.body_min_rate)
            continue;
        int64_t late = now - atomic_load(&c->body_start_ns) - head;
        if (late <= 0)
            continue;
        /* bytes owed by now: body_min_rate per second past the allowance */
        double owed = (double)g->cfg.body_min_rate * (double)late / 1e9;
        if ((double)atomic_load(&c->body_bytes) < owed)
            answer_408(g, c, now);
    }
    /* one line per 10 s at most, not one per connection: an attack does not flood the log */
    g->n_head += n_head;
    if (g->n_head && now - g->logged_ns > 10 * s) {
        log_warn("http: closed %ld connection(s) whose request head was not complete within %u s",
                 g->n_head, g->cfg.head_timeout_s);
        g->n_head = 0;
        g->logged_ns = now;
    }
}

static void *guard_main(void *arg)
{
    struct http_guard *g = arg;
    pthread_mutex_lock(&g->mu);
    while (!g->stopping) {
        struct timespec ts = sh_deadline_ms(TICK_MS);
        pthread_cond_timedwait(&g->cv, &g->mu, &ts);
        if (!g->stopping)
            sweep(g, sh_mono_ns());
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

struct http_guard *http_guard_start(const struct http_guard_config *cfg)
{
    struct http_guard *g = xcalloc(1, sizeof(*g));
    g->cfg = *cfg;
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    if (pthread_create(&g->thread, NULL, guard_main, g)) {
        pthread_cond_destroy(&g->cv);
        pthread_mutex_destroy(&g->mu);
        free(g);
        return NULL;
    }
    g->running = true;
    return g;
}

struct http_conn *http_guard_add(struct http_guard *g, int fd)
{
    struct http_conn *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->fd = fd;
    atomic_init(&c->phase, HTTP_PH_HEAD);
    atomic_init(&c->since_ns, sh_mono_ns());
    atomic_init(&c->body_start_ns, 0);
    atomic_init(&c->body_bytes, 0);
    atomic_init(&c->answered_ns, 0);
    pthread_mutex_lock(&g->mu);
    c->next = g->head;
    if (g->head)
        g->head->prev = c;
    g->head = c;
    pthread_mutex_unlock(&g->mu);
    return c;
}

void http_guard_remove(struct http_guard *g, struct http_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->mu);
    if (c->prev)
        c->prev->next = c->next;
    else
        g->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&g->mu);
    free(c);
}

void http_guard_stop(struct http_guard *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    g->stopping = true;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
    if (g->running)
        pthread_join(g->thread, NULL);
    /* connections still listed belong to a daemon being stopped: MHD removes them */
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    free(g);
}
