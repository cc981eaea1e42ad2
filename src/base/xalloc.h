/* SPDX-License-Identifier: MIT */
/* Allocation wrappers that abort on out-of-memory (h2o, git): callers never check NULL. */
#ifndef SH_XALLOC_H
#define SH_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
