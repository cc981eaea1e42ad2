/* SPDX-License-Identifier: MIT */
/* sh_err: the one error type: a stable code, a machine-readable reason with its
 * parameters, and a human message; no allocation. Clients translate from code,
 * reason and params, never from the English message. */
#ifndef SH_ERR_H
#define SH_ERR_H

#define SH_WUR __attribute__((warn_unused_result))

enum sh_code {
    SH_OK = 0,
    SH_INVALID,       /* bad input: 400 */
    SH_UNAUTH,        /* no or bad credentials: 401 */
    SH_FORBIDDEN,     /* authenticated but not allowed: 403 */
    SH_NOT_FOUND,     /* 404 */
    SH_CONFLICT,      /* duplicate or illegal state change: 409 */
    SH_PRECONDITION,  /* stale If-Match: 412 */
    SH_TOO_BIG,       /* a limit was exceeded: 413 */
    SH_UNPROCESSABLE, /* well-formed but refused by a rule: 422 */
    SH_THROTTLED,     /* 429 */
    SH_STORE,         /* database failure: 500 */
    SH_INTERNAL,      /* 500 */
    SH_UNAVAILABLE,   /* 503 */
    SH_UNSUPPORTED,   /* a body that is not of the accepted media type: 415 */
    SH_GONE,          /* existed but no longer usable (a used or expired link): 410 */
};

struct sh_err {
    enum sh_code code;
    char msg[256];
    char field[64]; /* the input field at fault, "" when none */
    /* stable reason ("required", "too_long", "unknown_reference", "duplicate",
     * "illegal_action", "guard", ...); "" means the code's default (sh_err_reason_str) */
    char reason[40];
    char params[256]; /* a JSON object with the reason's parameters, "" when none */
};

/* Sets code and message; returns c so callers can `return sh_err_set(...)`. */
enum sh_code sh_err_set(struct sh_err *e, enum sh_code c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* As sh_err_set, naming the input field at fault. */
enum sh_code sh_err_field(struct sh_err *e, enum sh_code c, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Adds the reason and its parameters (a JSON object built from fmt; NULL for none) to an
 * error already set; returns its code. Parameter values that are strings must be JSON-escaped
 * by the caller (use sh_err_reason_str1 for one string parameter). */
enum sh_code sh_err_reason(struct sh_err *e, const char *reason, const char *params_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* As sh_err_reason with one string parameter {"<key>": "<value>"}, escaped. */
enum sh_code sh_err_reason_str1(struct sh_err *e, const char *reason, const char *key,
                                const char *value);
void sh_err_clear(struct sh_err *e);
/* The reason to show: e->reason, or the default of its code ("invalid", "not_found", ...). */
const char *sh_err_reason_of(const struct sh_err *e);
/* Stable machine name of a code, e.g. "validation_failed". */
const char *sh_code_str(enum sh_code c);
/* HTTP status for a code. */
int sh_code_http(enum sh_code c);

#endif
