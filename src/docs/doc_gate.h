/* SPDX-License-Identifier: MIT */
/* Bounds on making documents (review 2026-12-07 #3 L6). A PDF takes 0.1–0.6 s of CPU and 35–45
 * MB while it is drawn, and the heap keeps such memory in the arena of the thread that drew it:
 * twelve worker threads drawing in turn kept ~200 MB. So PDFs are drawn on a few document
 * threads of their own (one per core, 1–4): a request hands its drawing over and waits; a
 * drawing not started within DOC_GATE_WAIT_S seconds is refused (503). When the last drawing
 * ends the free heap goes back to the system. A small cache keeps the latest documents by key
 * (a quote's id and version: content that does not change), DOC_CACHE_BYTES in all. */
#ifndef SH_DOCS_DOC_GATE_H
#define SH_DOCS_DOC_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/sh_buf.h"
#include "base/sh_err.h"

#define DOC_GATE_WAIT_S   20
#define DOC_GATE_MAX      4
#define DOC_CACHE_BYTES   (32u << 20)
#define DOC_CACHE_ENTRIES 32

/* Runs fn(arg, e) on a document thread and returns what it returned, or SH_UNAVAILABLE when
 * no thread took it within the wait. The caller waits; fn must not call doc_pool_run. */
SH_WUR enum sh_code doc_pool_run(enum sh_code (*fn)(void *arg, struct sh_err *e), void *arg,
                                 struct sh_err *e);
/* The threads (at most), and how many drawings run now. */
int doc_gate_max(void);
int doc_gate_busy(void);
/* Another number of threads (1–DOC_GATE_MAX) and wait (seconds, 0–600), before the first
 * drawing: for tests. */
void doc_gate_configure(int max, int wait_s);

/* Appends the cached document of key to out: true when there was one. */
bool doc_cache_get(const char *key, struct sh_buf *out);
/* Keeps a copy of the document under key (the oldest entries make room; a document over a
 * quarter of DOC_CACHE_BYTES is not kept). */
void doc_cache_put(const char *key, const void *p, size_t n);
/* Hits and misses so far (for tests). */
void doc_cache_stats(long *hits, long *misses);

#endif
