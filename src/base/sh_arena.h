/* SPDX-License-Identifier: MIT */
/* sh_arena: a bump allocator owned by one request (h2o req->pool). Everything a
 * handler allocates from it is freed at once by sh_arena_release(). A byte cap
 * bounds what one request may hold (SH_ARENA_CAP_DEFAULT, or the server's
 * `request_memory_cap`): an allocation past it is still served (callers need not
 * check every allocation) but marks the arena over; the boundaries check
 * sh_arena_over() and stop with SH_TOO_BIG (reason "too_large", 413): db_query
 * while it materialises rows, the API before it replies. Nothing crashes. */
#ifndef SH_ARENA_H
#define SH_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct sh_arena_chunk;

struct sh_arena {
    struct sh_arena_chunk *head;
    size_t used, cap;
    bool over; /* set when an allocation went past cap (still served, from the heap) */
};

#define SH_ARENA_CAP_DEFAULT ((size_t)64 << 20)

/* cap 0: unbounded (tools and tests). */
void sh_arena_init(struct sh_arena *a, size_t cap);
/* True once the arena went past its cap. */
static inline bool sh_arena_over(const struct sh_arena *a)
{
    return a->over;
}
void sh_arena_release(struct sh_arena *a);
/* Zeroed memory, aligned for any type. Never returns NULL. */
void *sh_arena_alloc(struct sh_arena *a, size_t n);
char *sh_arena_strdup(struct sh_arena *a, const char *s);
char *sh_arena_strndup(struct sh_arena *a, const char *s, size_t n);
char *sh_arena_printf(struct sh_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
