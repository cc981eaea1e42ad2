/* SPDX-License-Identifier: MIT */
/* sh_arena: a bump allocator owned by one request (h2o req->pool). Everything a
 * handler allocates from it is freed at once by sh_arena_release(). A byte cap
 * bounds what one request may hold; going over it aborts the request via
 * sh_arena_over() which callers check at their boundaries. */
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

void sh_arena_init(struct sh_arena *a, size_t cap);
void sh_arena_release(struct sh_arena *a);
/* Zeroed memory, aligned for any type. Never returns NULL. */
void *sh_arena_alloc(struct sh_arena *a, size_t n);
char *sh_arena_strdup(struct sh_arena *a, const char *s);
char *sh_arena_strndup(struct sh_arena *a, const char *s, size_t n);
char *sh_arena_printf(struct sh_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
