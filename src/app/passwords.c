/* SPDX-License-Identifier: MIT */
#include "app/passwords.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int workers, queue_max, wait_ms;
    int busy, waiting;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, 0};

#define DEFAULT_WORKERS_MAX 3

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy[crypto_pwhash_STRBYTES];

/* A valid argon2id hash of a random password, computed once (thread-safe): verifying an
 * unknown user costs the same as verifying a known one. */
static void dummy_init(void)
{
    if (sodium_init() < 0)
        return;
    unsigned char rnd[16];
    char pw[33];
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(pw, sizeof(pw), rnd, sizeof(rnd));
    if (crypto_pwhash_str(dummy, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy[0] = '\0';
}

static void *dummy_thread(void *arg)
{
    (void)arg;
    pthread_once(&dummy_once, dummy_init);
    return NULL;
}

static void defaults_locked(void)
{
    if (pool.workers <= 0) {
        /* one per core, at most DEFAULT_WORKERS_MAX: the memory bound holds on any host */
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        pool.workers = n > 0 ? (int)(n < DEFAULT_WORKERS_MAX ? n : DEFAULT_WORKERS_MAX) : 2;
    }
    if (pool.queue_max <= 0)
        pool.queue_max = 64 * pool.workers;
    if (pool.wait_ms <= 0)
        pool.wait_ms = 10000;
}

void pw_pool_configure(int workers, int queue_max, int wait_ms)
{
    pthread_mutex_lock(&pool.mu);
    pool.workers = workers;
    pool.queue_max = queue_max;
    pool.wait_ms = wait_ms;
    defaults_locked();
    pthread_mutex_unlock(&pool.mu);
    /* the dummy hash takes ~0.1-0.5 s: computed beside start-up, not in its way */
    pthread_t t;
    if (pthread_create(&t, NULL, dummy_thread, NULL) == 0)
        pthread_detach(t);
}

int pw_pool_retry_after(void)
{
    pthread_mutex_lock(&pool.mu);
    defaults_locked();
    int s = pool.wait_ms / 1000;
    pthread_mutex_unlock(&pool.mu);
    return s < 1 ? 1 : s;
}

static enum sh_code slot_take(struct sh_err *e)
{
    pthread_mutex_lock(&pool.mu);
    defaults_locked();
    if (pool.busy >= pool.workers && pool.waiting >= pool.queue_max) {
        pthread_mutex_unlock(&pool.mu);
        return sh_err_set(e, SH_UNAVAILABLE, "too many password checks at once: retry shortly");
    }
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += pool.wait_ms / 1000;
    until.tv_nsec += (long)(pool.wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pool.waiting++;
    while (pool.busy >= pool.workers) {
        if (pthread_cond_timedwait(&pool.cv, &pool.mu, &until) == ETIMEDOUT &&
            pool.busy >= pool.workers) {
            pool.waiting--;
            pthread_mutex_unlock(&pool.mu);
            return sh_err_set(e, SH_UNAVAILABLE, "too many password checks at once: retry shortly");
        }
    }
    pool.waiting--;
    pool.busy++;
    pthread_mutex_unlock(&pool.mu);
    return SH_OK;
}

static void slot_give(void)
{
    pthread_mutex_lock(&pool.mu);
    pool.busy--;
    pthread_cond_signal(&pool.cv);
    pthread_mutex_unlock(&pool.mu);
}

enum sh_code pw_hash(const char *pw, char out[PW_HASH_MAX], struct sh_err *e)
{
    enum sh_code rc = slot_take(e);
    if (rc)
        return rc;
    int r = crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE);
    slot_give();
    if (r != 0)
        return sh_err_set(e, SH_INTERNAL, "cannot hash the password (out of memory)");
    return SH_OK;
}

enum sh_code pw_verify(const char *hash, const char *pw, bool *ok, struct sh_err *e)
{
    *ok = false;
    pthread_once(&dummy_once, dummy_init);
    bool real = hash != NULL;
    if (!real)
        hash = dummy;
    enum sh_code rc = slot_take(e);
    if (rc)
        return rc;
    bool match = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
    slot_give();
    *ok = real && match;
    return SH_OK;
}

void pw_random_hex(char *out, size_t nbytes)
{
    unsigned char buf[64];
    if (nbytes > sizeof(buf))
        nbytes = sizeof(buf);
    randombytes_buf(buf, nbytes);
    sodium_bin2hex(out, nbytes * 2 + 1, buf, nbytes);
}

bool pw_random_hex_ok(const char *t, size_t nbytes)
{
    if (!t || strlen(t) != nbytes * 2)
        return false;
    for (; *t; t++)
        if (!((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f')))
            return false;
    return true;
}

void pw_token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof(h));
}
