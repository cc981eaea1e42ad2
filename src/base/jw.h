/* SPDX-License-Identifier: MIT */
/* jw: a small streaming JSON writer over sh_buf (git json-writer). Always escapes,
 * keeps key order, and records the first error (sticky) to be checked once by
 * jw_finish(). Nesting is bounded by JW_MAX_DEPTH. */
#ifndef SH_JW_H
#define SH_JW_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_buf.h"

#define JW_MAX_DEPTH 32

struct jw {
    struct sh_buf *b;
    int depth;
    bool first[JW_MAX_DEPTH];
    enum sh_code rc;
};

void jw_init(struct jw *w, struct sh_buf *b);
SH_WUR enum sh_code jw_finish(struct jw *w);

void jw_obj_begin(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w);
void jw_arr_end(struct jw *w);
/* Key for the next value inside an object. */
void jw_key(struct jw *w, const char *k);

void jw_str(struct jw *w, const char *s); /* NULL writes null */
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, int64_t v);
void jw_real(struct jw *w, double v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Inserts already-serialised JSON verbatim (trusted: produced by jw or jansson). */
void jw_raw(struct jw *w, const char *json);

/* key + value shorthands */
void jw_kstr(struct jw *w, const char *k, const char *s);
void jw_kint(struct jw *w, const char *k, int64_t v);
void jw_kbool(struct jw *w, const char *k, bool v);
void jw_knull(struct jw *w, const char *k);
/* An id, or null when it is 0 (no reference). */
void jw_kid(struct jw *w, const char *k, int64_t id);
void jw_kreal(struct jw *w, const char *k, double v);
/* Writes the text of an integer column as a JSON number (NULL → null). */
void jw_kintstr(struct jw *w, const char *k, const char *digits);

/* Appends s JSON-escaped (without quotes) to b. */
SH_WUR enum sh_code jw_escape(struct sh_buf *b, const char *s, size_t n);

#endif
