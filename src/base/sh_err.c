/* SPDX-License-Identifier: MIT */
#include "base/sh_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum sh_code sh_err_set(struct sh_err *e, enum sh_code c, const char *fmt, ...)
{
    if (!e)
        return c;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    e->code = c;
    e->field[0] = '\0';
    e->reason[0] = '\0';
    e->params[0] = '\0';
    return c;
}

enum sh_code sh_err_field(struct sh_err *e, enum sh_code c, const char *field, const char *fmt, ...)
{
    if (!e)
        return c;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    e->code = c;
    snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
    e->reason[0] = '\0';
    e->params[0] = '\0';
    return c;
}

enum sh_code sh_err_reason(struct sh_err *e, const char *reason, const char *params_fmt, ...)
{
    if (!e)
        return SH_INTERNAL;
    snprintf(e->reason, sizeof(e->reason), "%s", reason ? reason : "");
    e->params[0] = '\0';
    if (params_fmt) {
        va_list ap;
        va_start(ap, params_fmt);
        int n = vsnprintf(e->params, sizeof(e->params), params_fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t)n >= sizeof(e->params))
            e->params[0] = '\0'; /* never a truncated JSON object */
    }
    return e->code;
}

enum sh_code sh_err_reason_str1(struct sh_err *e, const char *reason, const char *key,
                                const char *value)
{
    char esc[200];
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)(value ? value : ""); *p; p++) {
        if (o + 7 >= sizeof(esc))
            break;
        if (*p == '"' || *p == '\\') {
            esc[o++] = '\\';
            esc[o++] = (char)*p;
        } else if (*p < 0x20) {
            o += (size_t)snprintf(esc + o, sizeof(esc) - o, "\\u%04x", *p);
        } else {
            esc[o++] = (char)*p;
        }
    }
    /* do not cut a UTF-8 sequence in half */
    while (o > 0 && ((unsigned char)esc[o - 1] & 0xC0) == 0x80)
        o--;
    if (o > 0 && ((unsigned char)esc[o - 1] & 0xC0) == 0xC0)
        o--;
    esc[o] = '\0';
    return sh_err_reason(e, reason, "{\"%s\":\"%s\"}", key, esc);
}

const char *sh_err_reason_of(const struct sh_err *e)
{
    if (e->reason[0])
        return e->reason;
    switch (e->code) {
    case SH_INVALID:
        return "invalid";
    case SH_UNAUTH:
        return "unauthenticated";
    case SH_FORBIDDEN:
        return "forbidden";
    case SH_NOT_FOUND:
        return "not_found";
    case SH_CONFLICT:
        return "conflict";
    case SH_PRECONDITION:
        return "stale";
    case SH_TOO_BIG:
        return "too_large";
    case SH_UNPROCESSABLE:
        return "refused";
    case SH_THROTTLED:
        return "throttled";
    case SH_UNAVAILABLE:
        return "unavailable";
    case SH_UNSUPPORTED:
        return "unsupported_media_type";
    case SH_GONE:
        return "gone";
    default:
        return "internal";
    }
}

void sh_err_clear(struct sh_err *e)
{
    e->code = SH_OK;
    e->msg[0] = '\0';
    e->field[0] = '\0';
    e->reason[0] = '\0';
    e->params[0] = '\0';
}

const char *sh_code_str(enum sh_code c)
{
    switch (c) {
    case SH_OK:
        return "ok";
    case SH_INVALID:
        return "validation_failed";
    case SH_UNAUTH:
        return "unauthenticated";
    case SH_FORBIDDEN:
        return "forbidden";
    case SH_NOT_FOUND:
        return "not_found";
    case SH_CONFLICT:
        return "conflict";
    case SH_PRECONDITION:
        return "precondition_failed";
    case SH_TOO_BIG:
        return "too_large";
    case SH_UNPROCESSABLE:
        return "unprocessable";
    case SH_THROTTLED:
        return "too_many_requests";
    case SH_STORE:
        return "store_error";
    case SH_INTERNAL:
        return "internal_error";
    case SH_UNAVAILABLE:
        return "unavailable";
    case SH_UNSUPPORTED:
        return "unsupported_media_type";
    case SH_GONE:
        return "gone";
    }
    return "internal_error";
}

int sh_code_http(enum sh_code c)
{
    switch (c) {
    case SH_OK:
        return 200;
    case SH_INVALID:
        return 400;
    case SH_UNAUTH:
        return 401;
    case SH_FORBIDDEN:
        return 403;
    case SH_NOT_FOUND:
        return 404;
    case SH_CONFLICT:
        return 409;
    case SH_PRECONDITION:
        return 412;
    case SH_TOO_BIG:
        return 413;
    case SH_UNPROCESSABLE:
        return 422;
    case SH_THROTTLED:
        return 429;
    case SH_STORE:
    case SH_INTERNAL:
        return 500;
    case SH_UNAVAILABLE:
        return 503;
    case SH_UNSUPPORTED:
        return 415;
    case SH_GONE:
        return 410;
    }
    return 500;
}
