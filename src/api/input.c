/* SPDX-License-Identifier: MIT */
/* Input validation at the API boundary: JSON bodies (jansson) are turned into
 * typed, canonical field values against a column spec, and every refusal names
 * the field at fault. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/date.h"

size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

enum sh_code api_load_object(const char *body, size_t len, json_t **out, struct sh_err *e)
{
    if (len == 0) {
        sh_err_set(e, SH_INVALID, "request body is empty: a JSON object is expected");
        return sh_err_reason(e, "invalid_json", NULL);
    }
    json_error_t je;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        sh_err_set(e, SH_INVALID, "malformed JSON at line %d column %d: %s", je.line, je.column,
                   je.text);
        return sh_err_reason(e, "invalid_json", "{\"line\":%d,\"column\":%d}", je.line, je.column);
    }
    if (!json_is_object(root)) {
        json_decref(root);
        sh_err_set(e, SH_INVALID, "a JSON object is expected");
        return sh_err_reason(e, "invalid_json", NULL);
    }
    *out = root;
    return SH_OK;
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

enum sh_code api_parse_value(struct sh_arena *a, const struct col *col, json_t *v, struct fval *out,
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

/* The column of key, or an error: unknown_field, read_only. */
static enum sh_code field_of(const struct col *cols, int ncols, bool partial, const char *key,
                             int *idx, struct sh_err *e)
{
    *idx = -1;
    for (int i = 0; i < ncols; i++)
        if (!strcmp(cols[i].name, key)) {
            *idx = i;
            break;
        }
    char safe[64];
    snprintf(safe, sizeof(safe), "%s", key);
    if (*idx < 0 || (cols[*idx].flags & COL_INTERNAL)) {
        sh_err_field(e, SH_INVALID, safe, "unknown field '%s'", safe);
        return sh_err_reason(e, "unknown_field", NULL);
    }
    if (cols[*idx].flags & COL_READONLY) {
        sh_err_field(e, SH_INVALID, safe, "field '%s' is read-only", safe);
        return sh_err_reason(e, "read_only", NULL);
    }
    if (partial && (cols[*idx].flags & COL_CREATE_ONLY)) {
        sh_err_field(e, SH_INVALID, safe, "field '%s' cannot be changed", safe);
        return sh_err_reason(e, "read_only", NULL);
    }
    return SH_OK;
}

enum sh_code api_parse_object(struct sh_arena *a, const char *body, size_t len,
                              const struct col *cols, int ncols, bool partial, struct fval *vals,
                              json_t **root_out, struct sh_err *e)
{
    json_t *root;
    enum sh_code rc = api_load_object(body, len, &root, e);
    if (rc)
        return rc;
    for (int i = 0; i < ncols; i++)
        memset(&vals[i], 0, sizeof(vals[i]));
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        int idx;
        if ((rc = field_of(cols, ncols, partial, key, &idx, e)) ||
            (rc = api_parse_value(a, &cols[idx], v, &vals[idx], e)))
            goto out;
    }
    if (!partial)
        for (int i = 0; i < ncols; i++)
            if ((cols[i].flags & COL_REQUIRED) && (!vals[i].present || vals[i].is_null)) {
                sh_err_field(e, SH_INVALID, cols[i].name, "'%s' is required", cols[i].name);
                rc = sh_err_reason(e, "required", NULL);
                goto out;
            }
out:
    if (rc == SH_OK && root_out)
        *root_out = root;
    else
        json_decref(root);
    return rc;
}
