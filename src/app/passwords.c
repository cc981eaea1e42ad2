/* SPDX-License-Identifier: MIT */
#include "app/passwords.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "base/date.h"

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int workers, queue_max, wait_ms;
    int busy, waiting;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, 0};

#define DEFAULT_WORKERS_MAX 3

static size_t memlimit = (size_t)CONFIG_PW_MEMORY_MIB_DEFAULT << 20; /* bytes per new hash */
static char dummy[crypto_pwhash_STRBYTES];                           /* under pool.mu */

void pw_cost_configure(int memory_mib)
{
    if (memory_mib <= 0)
        memory_mib = CONFIG_PW_MEMORY_MIB_DEFAULT;
    if (memory_mib < CONFIG_PW_MEMORY_MIB_MIN)
        memory_mib = CONFIG_PW_MEMORY_MIB_MIN;
    if (memory_mib > CONFIG_PW_MEMORY_MIB_MAX)
        memory_mib = CONFIG_PW_MEMORY_MIB_MAX;
    pthread_mutex_lock(&pool.mu);
    memlimit = (size_t)memory_mib << 20;
    dummy[0] = '\0';
    pthread_mutex_unlock(&pool.mu);
}

/* A well-formed argon2id hash string with the parameters of a new hash, a random salt and a
 * random digest (made once, under pool.mu): verifying an unknown user against it runs the
 * same argon2id computation as verifying a known one, and never matches. It is assembled,
 * not computed: hashing here cost start-up a core for ~50 ms and 64 MiB (issue 9, figure 6). */
static void dummy_init_locked(void)
{
    if (sodium_init() < 0)
        return;
    unsigned char salt[crypto_pwhash_SALTBYTES], digest[32];
    char salt64[sodium_base64_ENCODED_LEN(sizeof(salt), sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];
    char digest64[sodium_base64_ENCODED_LEN(sizeof(digest),
                                            sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];
    randombytes_buf(salt, sizeof(salt));
    randombytes_buf(digest, sizeof(digest));
    sodium_bin2base64(salt64, sizeof(salt64), salt, sizeof(salt),
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    sodium_bin2base64(digest64, sizeof(digest64), digest, sizeof(digest),
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    int n = snprintf(dummy, sizeof(dummy), "$argon2id$v=19$m=%zu,t=%llu,p=1$%s$%s", memlimit / 1024,
                     (unsigned long long)crypto_pwhash_OPSLIMIT_INTERACTIVE, salt64, digest64);
    if (n < 0 || (size_t)n >= sizeof(dummy))
        dummy[0] = '\0';
}

const char *pw_dummy_hash(void)
{
    pthread_mutex_lock(&pool.mu);
    if (!dummy[0])
        dummy_init_locked();
    pthread_mutex_unlock(&pool.mu);
    return dummy;
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
    struct timespec until = sh_deadline_ms(pool.wait_ms);
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
    pthread_mutex_unlock(&pool.mu);
    pthread_cond_signal(&pool.cv); /* unlocked: the woken waiter does not block on mu */
}

/* The memory cost of a new hash (pw_cost_configure may change it while others hash). */
static size_t memlimit_now(void)
{
    pthread_mutex_lock(&pool.mu);
    size_t mem = memlimit;
    pthread_mutex_unlock(&pool.mu);
    return mem;
}

enum sh_code pw_hash(const char *pw, char out[PW_HASH_MAX], struct sh_err *e)
{
    size_t mem = memlimit_now();
    enum sh_code rc = slot_take(e);
    if (rc)
        return rc;
    int r = crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE, mem);
    slot_give();
    if (r != 0)
        return sh_err_set(e, SH_INTERNAL, "cannot hash the password (out of memory)");
    return SH_OK;
}

enum sh_code pw_verify(const char *hash, const char *pw, bool *ok, struct sh_err *e)
{
    *ok = false;
    bool real = hash != NULL;
    if (!real)
        hash = pw_dummy_hash();
    enum sh_code rc = slot_take(e);
    if (rc)
        return rc;
    bool match = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
    slot_give();
    *ok = real && match;
    return SH_OK;
}

bool pw_needs_rehash(const char *hash)
{
    /* libsodium judges an argon2i string by argon2i's own parameters: the variant first */
    return strncmp(hash, crypto_pwhash_argon2id_STRPREFIX,
                   strlen(crypto_pwhash_argon2id_STRPREFIX)) != 0 ||
           crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          memlimit_now()) != 0;
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
