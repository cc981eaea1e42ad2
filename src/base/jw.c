/* SPDX-License-Identifier: MIT */
#include "base/jw.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void jw_init(struct jw *w, struct sh_buf *b)
{
    w->b = b;
    w->depth = 0;
    w->first[0] = true;
    w->rc = SH_OK;
}

enum sh_code jw_finish(struct jw *w)
{
    if (w->rc == SH_OK && w->depth != 0)
        w->rc = SH_INTERNAL;
    return w->rc;
}

static void put(struct jw *w, const char *s, size_t n)
{
    if (w->rc == SH_OK)
        w->rc = sh_buf_add(w->b, s, n);
}

/* Separator before a value at the current level (not after a key). */
static void sep(struct jw *w)
{
    if (!w->first[w->depth])
        put(w, ",", 1);
    w->first[w->depth] = false;
}

static void value_prefix(struct jw *w)
{
    sep(w);
}

enum sh_code jw_escape(struct sh_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        char u[7];
        if (c == '"')
            rep = "\\\"";
        else if (c == '\\')
            rep = "\\\\";
        else if (c == '\n')
            rep = "\\n";
        else if (c == '\r')
            rep = "\\r";
        else if (c == '\t')
            rep = "\\t";
        else if (c < 0x20 || c == 0x7f) {
            u[0] = '\\';
            u[1] = 'u';
            u[2] = '0';
            u[3] = '0';
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
            u[6] = '\0';
            rep = u;
        } else if (c == '<' || c == '>' || c == '&') {
            /* keep JSON safe to embed in HTML */
            u[0] = '\\';
            u[1] = 'u';
            u[2] = '0';
            u[3] = '0';
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
            u[6] = '\0';
            rep = u;
        }
        if (rep) {
            if (sh_buf_add(b, s + start, i - start) || sh_buf_adds(b, rep))
                return SH_TOO_BIG;
            start = i + 1;
        }
    }
    return sh_buf_add(b, s + start, n - start);
}

static void push(struct jw *w, char open)
{
    put(w, &open, 1);
    if (w->depth + 1 >= JW_MAX_DEPTH) {
        w->rc = SH_INTERNAL;
        return;
    }
    w->first[++w->depth] = true;
}

static void pop(struct jw *w, char close)
{
    if (w->depth == 0) {
        w->rc = SH_INTERNAL;
        return;
    }
    w->depth--;
    put(w, &close, 1);
}

void jw_obj_begin(struct jw *w)
{
    value_prefix(w);
    push(w, '{');
}

void jw_obj_end(struct jw *w)
{
    pop(w, '}');
}

void jw_arr_begin(struct jw *w)
{
    value_prefix(w);
    push(w, '[');
}

void jw_arr_end(struct jw *w)
{
    pop(w, ']');
}

void jw_key(struct jw *w, const char *k)
{
    sep(w);
    put(w, "\"", 1);
    if (w->rc == SH_OK)
        w->rc = jw_escape(w->b, k, strlen(k));
    put(w, "\":", 2);
    /* the value that follows must not add a comma */
    w->first[w->depth] = true;
}

static void after_value(struct jw *w)
{
    w->first[w->depth] = false;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
    value_prefix(w);
    put(w, "\"", 1);
    if (w->rc == SH_OK)
        w->rc = jw_escape(w->b, s, n);
    put(w, "\"", 1);
    after_value(w);
}

void jw_str(struct jw *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    jw_strn(w, s, strlen(s));
}

void jw_int(struct jw *w, int64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%" PRId64, v);
    value_prefix(w);
    put(w, tmp, (size_t)n);
    after_value(w);
}

void jw_real(struct jw *w, double v)
{
    char tmp[40];
    if (!isfinite(v)) {
        jw_null(w);
        return;
    }
    int n = snprintf(tmp, sizeof(tmp), "%.15g", v);
    value_prefix(w);
    put(w, tmp, (size_t)n);
    after_value(w);
}

void jw_bool(struct jw *w, bool v)
{
    value_prefix(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
    after_value(w);
}

void jw_null(struct jw *w)
{
    value_prefix(w);
    put(w, "null", 4);
    after_value(w);
}

void jw_raw(struct jw *w, const char *json)
{
    value_prefix(w);
    put(w, json, strlen(json));
    after_value(w);
}

void jw_kstr(struct jw *w, const char *k, const char *s)
{
    jw_key(w, k);
    jw_str(w, s);
}

void jw_kint(struct jw *w, const char *k, int64_t v)
{
    jw_key(w, k);
    jw_int(w, v);
}

void jw_kbool(struct jw *w, const char *k, bool v)
{
    jw_key(w, k);
    jw_bool(w, v);
}

void jw_knull(struct jw *w, const char *k)
{
    jw_key(w, k);
    jw_null(w);
}

void jw_kreal(struct jw *w, const char *k, double v)
{
    jw_key(w, k);
    jw_real(w, v);
}

void jw_kid(struct jw *w, const char *k, int64_t id)
{
    if (id)
        jw_kint(w, k, id);
    else
        jw_knull(w, k);
}

void jw_kintstr(struct jw *w, const char *k, const char *digits)
{
    jw_key(w, k);
    if (!digits || !*digits) {
        jw_null(w);
        return;
    }
    jw_raw(w, digits);
}
