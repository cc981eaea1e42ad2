/* SPDX-License-Identifier: MIT */
#include "base/sh_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

char sh_buf_empty[1];

void sh_buf_init(struct sh_buf *b, size_t max)
{
    b->buf = sh_buf_empty;
    b->len = b->alloc = 0;
    b->max = max;
}

void sh_buf_release(struct sh_buf *b)
{
    if (b->alloc)
        free(b->buf);
    sh_buf_init(b, b->max);
}

void sh_buf_reset(struct sh_buf *b)
{
    b->len = 0;
    if (b->alloc)
        b->buf[0] = '\0';
}

void sh_buf_truncate(struct sh_buf *b, size_t len)
{
    if (len >= b->len)
        return;
    b->len = len;
    if (b->alloc)
        b->buf[len] = '\0';
}

char *sh_buf_detach(struct sh_buf *b, size_t *len)
{
    char *p = b->alloc ? b->buf : xstrdup("");
    if (len)
        *len = b->len;
    sh_buf_init(b, b->max);
    return p;
}

static enum sh_code grow(struct sh_buf *b, size_t extra)
{
    if (extra > b->max || b->len + extra > b->max)
        return SH_TOO_BIG;
    size_t need = b->len + extra + 1;
    if (need <= b->alloc)
        return SH_OK;
    size_t n = b->alloc ? b->alloc : 64;
    while (n < need)
        n *= 2;
    if (b->alloc) {
        b->buf = xrealloc(b->buf, n);
    } else {
        b->buf = xmalloc(n);
        b->buf[0] = '\0';
    }
    b->alloc = n;
    return SH_OK;
}

enum sh_code sh_buf_add(struct sh_buf *b, const void *p, size_t n)
{
    if (grow(b, n) != SH_OK)
        return SH_TOO_BIG;
    if (n)
        memcpy(b->buf + b->len, p, n);
    b->len += n;
    b->buf[b->len] = '\0';
    return SH_OK;
}

enum sh_code sh_buf_adds(struct sh_buf *b, const char *s)
{
    return sh_buf_add(b, s, strlen(s));
}

enum sh_code sh_buf_addc(struct sh_buf *b, char c)
{
    return sh_buf_add(b, &c, 1);
}

enum sh_code sh_buf_vaddf(struct sh_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return SH_INTERNAL;
    if (grow(b, (size_t)n) != SH_OK)
        return SH_TOO_BIG;
    vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return SH_OK;
}

enum sh_code sh_buf_addf(struct sh_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum sh_code rc = sh_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}
