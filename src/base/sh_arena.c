/* SPDX-License-Identifier: MIT */
#include "base/sh_arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

struct sh_arena_chunk {
    struct sh_arena_chunk *next;
    size_t size, off;
    max_align_t data[];
};

#define CHUNK_DEFAULT (16 * 1024)

void sh_arena_init(struct sh_arena *a, size_t cap)
{
    a->head = NULL;
    a->used = 0;
    a->cap = cap;
    a->over = false;
}

void sh_arena_release(struct sh_arena *a)
{
    struct sh_arena_chunk *c = a->head;
    while (c) {
        struct sh_arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    a->head = NULL;
    a->used = 0;
    a->over = false;
}

void *sh_arena_alloc(struct sh_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
    if (!n)
        n = align;
    struct sh_arena_chunk *c = a->head;
    if (!c || c->size - c->off < n) {
        size_t size = n > CHUNK_DEFAULT / 2 ? n : CHUNK_DEFAULT;
        struct sh_arena_chunk *nc = xmalloc(sizeof(*nc) + size);
        nc->size = size;
        nc->off = 0;
        if (c && n > CHUNK_DEFAULT / 2) {
            /* big block: keep the current chunk on top for small allocations */
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->head = nc;
        }
        c = nc;
    }
    void *p = (char *)c->data + c->off;
    c->off += n;
    a->used += n;
    if (a->cap && a->used > a->cap)
        a->over = true;
    memset(p, 0, n);
    return p;
}

char *sh_arena_strndup(struct sh_arena *a, const char *s, size_t n)
{
    char *p = sh_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *sh_arena_strdup(struct sh_arena *a, const char *s)
{
    return s ? sh_arena_strndup(a, s, strlen(s)) : NULL;
}

char *sh_arena_printf(struct sh_arena *a, const char *fmt, ...)
{
    va_list ap, cp;
    va_start(ap, fmt);
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) {
        va_end(ap);
        return sh_arena_strdup(a, "");
    }
    char *p = sh_arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
