/* SPDX-License-Identifier: MIT */
/* sh_buf: a growable byte buffer with a mandatory maximum (curl dynbuf, git strbuf).
 * `buf` is never NULL and always NUL-terminated. Appends past `max` fail with
 * SH_TOO_BIG and leave the buffer unchanged. */
#ifndef SH_BUF_H
#define SH_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "base/sh_err.h"

struct sh_buf {
    char *buf;
    size_t len, alloc, max;
};

extern char sh_buf_empty[];
#define SH_BUF_INIT(maxbytes)                                                                      \
    {                                                                                              \
        sh_buf_empty, 0, 0, (maxbytes)                                                             \
    }

void sh_buf_init(struct sh_buf *b, size_t max);
void sh_buf_release(struct sh_buf *b);
void sh_buf_reset(struct sh_buf *b);
/* Keeps the first len bytes (nothing happens when it holds no more). */
void sh_buf_truncate(struct sh_buf *b, size_t len);
/* Hands the bytes to the caller (free() them); the buffer is left empty. */
char *sh_buf_detach(struct sh_buf *b, size_t *len);
SH_WUR enum sh_code sh_buf_add(struct sh_buf *b, const void *p, size_t n);
SH_WUR enum sh_code sh_buf_adds(struct sh_buf *b, const char *s);
SH_WUR enum sh_code sh_buf_addc(struct sh_buf *b, char c);
SH_WUR enum sh_code sh_buf_addf(struct sh_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
SH_WUR enum sh_code sh_buf_vaddf(struct sh_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif
