/* SPDX-License-Identifier: MIT */
/* Values of a declared column: a JSON value (from a request body, a CSV cell or the demo
 * loader) is turned into its typed, canonical text, and every refusal names the field
 * and a reason. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/entity.h"
#include "base/date.h"

size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

const char *utf8_prefix(struct sh_arena *a, const char *s, size_t max)
{
    if (!s)
        return "";
    size_t n = 0, i = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == max)
            break;
    }
    return s[i] ? sh_arena_strndup(a, s, i) : s;
}

static bool enum_ok(const char *const *vals, const char *s)
{
    for (; *vals; vals++)
        if (!strcmp(*vals, s))
            return true;
    return false;
}

/* A value of the wrong JSON type: reason invalid_type {expected}. */
static enum sh_code want(struct sh_err *e, const char *field, const char *expected,
                         const char *what)
{
    sh_err_field(e, SH_INVALID, field, "'%s' must be %s", field, what);
    return sh_err_reason_str1(e, "invalid_type", "expected", expected);
}

/* The allowed values of an enum as a JSON array, for reason unknown_value {allowed}. */
static enum sh_code unknown_value(struct sh_err *e, const char *field, const char *const *enums)
{
    char allowed[200] = "", list[200] = "";
    size_t n = 0, m = 0;
    for (const char *const *p = enums; *p && n < sizeof(allowed) - 40; p++) {
        n += (size_t)snprintf(allowed + n, sizeof(allowed) - n, "%s%s", n ? ", " : "", *p);
        m += (size_t)snprintf(list + m, sizeof(list) - m, "%s\"%s\"", m ? "," : "", *p);
    }
    sh_err_field(e, SH_INVALID, field, "'%s' must be one of: %s", field, allowed);
    if (m >= sizeof(list) - 1)
        return sh_err_reason(e, "unknown_value", NULL);
    return sh_err_reason(e, "unknown_value", "{\"allowed\":[%s]}", list);
}

/* RULE review 69 I3: text holds no C0 control character but TAB, LF and CR, and no DEL: they
 * have no meaning in a name or a note and reach CSV files, PDFs and calendar feeds raw. */
static const char *control_char(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
            return s;
    }
    return NULL;
}

static enum sh_code parse_string(struct sh_arena *a, const struct col *col, json_t *v,
                                 struct fval *out, struct sh_err *e)
{
    const char *f = col->name;
    if (!json_is_string(v))
        return want(e, f, "string", "a string");
    const char *s = json_string_value(v);
    size_t max = col->maxlen ? (size_t)col->maxlen : (col->kind == F_TEXT ? 4000u : 200u);
    if (utf8_len(s) > max) {
        sh_err_field(e, SH_INVALID, f, "'%s' is longer than %zu characters", f, max);
        return sh_err_reason(e, "too_long", "{\"max\":%zu}", max);
    }
    if ((col->kind == F_STR || col->kind == F_TEXT) && control_char(s)) {
        sh_err_field(e, SH_INVALID, f, "'%s' holds a control character", f);
        return sh_err_reason(e, "control_char", NULL);
    }
    if (col->kind == F_ENUM && !enum_ok(col->enums, s))
        return unknown_value(e, f, col->enums);
    if (col->kind == F_DATE) {
        struct sh_date d;
        if (!sh_date_parse(s, &d)) {
            sh_err_field(e, SH_INVALID, f, "'%s' must be a date YYYY-MM-DD", f);
            return sh_err_reason_str1(e, "invalid_format", "format", "date");
        }
    }
    if (col->kind == F_TS) {
        int64_t t;
        if (!sh_ts_parse(s, &t)) {
            sh_err_field(e, SH_INVALID, f, "'%s' must be a time like 2026-11-27T09:30:00+08:00", f);
            return sh_err_reason_str1(e, "invalid_format", "format", "date-time");
        }
        if (!sh_ts_in_range(t)) { /* L6: a 5-digit year would be stored */
            sh_err_field(e, SH_INVALID, f, "'%s' is outside the years 1 to 9999", f);
            return sh_err_reason(e, "out_of_range", NULL);
        }
        char ts[21];
        sh_ts_format(t, ts);
        out->i = t;
        out->text = sh_arena_strdup(a, ts);
        return SH_OK;
    }
    if ((col->flags & COL_REQUIRED) && col->kind != F_TEXT) {
        const char *p = s;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p) {
            sh_err_field(e, SH_INVALID, f, "'%s' cannot be blank", f);
            return sh_err_reason(e, "required", NULL);
        }
    }
    out->text = sh_arena_strdup(a, s);
    return SH_OK;
}

static enum sh_code parse_number(struct sh_arena *a, const struct col *col, json_t *v,
                                 struct fval *out, struct sh_err *e)
{
    const char *f = col->name;
    bool ranged = col->min < col->max;
    if (col->kind == F_REAL) {
        if (!json_is_number(v))
            return want(e, f, "number", "a number");
        double r = json_number_value(v);
        if (!isfinite(r) || (ranged && (r < col->min || r > col->max))) {
            sh_err_field(e, SH_INVALID, f, "'%s' must be between %g and %g", f, col->min, col->max);
            return sh_err_reason(e, "out_of_range", "{\"min\":%.17g,\"max\":%.17g}", col->min,
                                 col->max);
        }
        out->r = r;
        out->text = sh_arena_printf(a, "%.10g", r);
        return SH_OK;
    }
    if (!json_is_integer(v))
        return want(e, f, "integer",
                    col->kind == F_MONEY ? "an integer amount in fen" : "an integer");
    json_int_t i = json_integer_value(v);
    if (col->kind == F_ID && i <= 0) {
        sh_err_field(e, SH_INVALID, f, "'%s' must be a positive id", f);
        return sh_err_reason(e, "out_of_range", "{\"min\":1}");
    }
    if (ranged && ((double)i < col->min || (double)i > col->max)) {
        sh_err_field(e, SH_INVALID, f, "'%s' must be between %.0f and %.0f", f, col->min, col->max);
        return sh_err_reason(e, "out_of_range", "{\"min\":%.0f,\"max\":%.0f}", col->min, col->max);
    }
    out->i = i;
    out->text = sh_arena_printf(a, "%lld", (long long)i);
    return SH_OK;
}

enum sh_code ent_parse_value(struct sh_arena *a, const struct col *col, json_t *v, struct fval *out,
                             struct sh_err *e)
{
    const char *f = col->name;
    memset(out, 0, sizeof(*out));
    out->present = true;
    if (json_is_null(v)) {
        if (!(col->flags & COL_NULLABLE)) {
            sh_err_field(e, SH_INVALID, f, "'%s' cannot be null", f);
            return sh_err_reason(e, "required", NULL);
        }
        out->is_null = true;
        return SH_OK;
    }
    switch (col->kind) {
    case F_STR:
    case F_TEXT:
    case F_ENUM:
    case F_DATE:
    case F_TS:
        return parse_string(a, col, v, out, e);
    case F_BOOL:
        if (!json_is_boolean(v))
            return want(e, f, "boolean", "true or false");
        out->i = json_is_true(v);
        out->text = out->i ? "1" : "0";
        return SH_OK;
    case F_INT:
    case F_ID:
    case F_MONEY:
    case F_REAL:
        return parse_number(a, col, v, out, e);
    }
    return sh_err_field(e, SH_INTERNAL, f, "unknown field kind");
}
