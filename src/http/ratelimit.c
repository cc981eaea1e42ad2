/* SPDX-License-Identifier: MIT */
#include "http/ratelimit.h"

#include <pthread.h>
#include <string.h>

#define SLOTS   4096
#define KEY_MAX 96

struct slot {
    char key[KEY_MAX];
    int64_t window; /* start of the window */
    int hits;
};

static struct slot slots[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

bool ratelimit_allow(const char *key, int max, int window_s, int64_t now)
{
    int64_t window = now - now % window_s;
    uint64_t h = hash(key);
    bool ok;
    pthread_mutex_lock(&mu);
    /* open addressing over 4 probes; a stale or colliding slot is taken over, which can only
     * forget hits (never refuse a key that did not earn it) */
    struct slot *s = NULL;
    for (int i = 0; i < 4; i++) {
        struct slot *c = &slots[(h + (uint64_t)i) % SLOTS];
        if (!strncmp(c->key, key, KEY_MAX - 1)) {
            s = c;
            break;
        }
        if (!s && (c->key[0] == '\0' || c->window < window))
            s = c;
    }
    if (!s)
        s = &slots[h % SLOTS];
    if (strncmp(s->key, key, KEY_MAX - 1) || s->window != window) {
        strncpy(s->key, key, KEY_MAX - 1);
        s->key[KEY_MAX - 1] = '\0';
        s->window = window;
        s->hits = 0;
    }
    ok = s->hits < max;
    if (ok)
        s->hits++;
    pthread_mutex_unlock(&mu);
    return ok;
}

void ratelimit_reset(void)
{
    pthread_mutex_lock(&mu);
    memset(slots, 0, sizeof(slots));
    pthread_mutex_unlock(&mu);
}
