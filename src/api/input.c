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
    if (len == 0)
        return sh_err_set(e, SH_INVALID, "request body is empty: a JSON object is expected");
    json_error_t je;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return sh_err_set(e, SH_INVALID, "malformed JSON at line %d column %d: %s", je.line,
                          je.column, je.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return sh_err_set(e, SH_INVALID, "a JSON object is expected");
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

static enum sh_code want(struct sh_err *e, const char *field, const char *what)
{
    return sh_err_field(e, SH_INVALID, field, "'%s' must be %s", field, what);
}

enum sh_code api_parse_value(struct sh_arena *a, const struct col *col, json_t *v, struct fval *out,
                             struct sh_err *e)
{
    const char *f = col->name;
    memset(out, 0, sizeof(*out));
    out->present = true;
    if (json_is_null(v)) {
        if (!(col->flags & COL_NULLABLE))
            return sh_err_field(e, SH_INVALID, f, "'%s' cannot be null", f);
        out->is_null = true;
        return SH_OK;
    }
    switch (col->kind) {
    case F_STR:
    case F_TEXT:
    case F_ENUM:
    case F_DATE:
    case F_TS: {
        if (!json_is_string(v))
            return want(e, f, "a string");
        const char *s = json_string_value(v);
        size_t max = col->maxlen ? (size_t)col->maxlen : (col->kind == F_TEXT ? 4000u : 200u);
        if (utf8_len(s) > max)
            return sh_err_field(e, SH_INVALID, f, "'%s' is longer than %zu characters", f, max);
        if (col->kind == F_ENUM && !enum_ok(col->enums, s)) {
            char allowed[256] = "";
            size_t n = 0;
            for (const char *const *p = col->enums; *p && n < sizeof(allowed) - 32; p++)
                n += (size_t)snprintf(allowed + n, sizeof(allowed) - n, "%s%s", n ? ", " : "", *p);
            return sh_err_field(e, SH_INVALID, f, "'%s' must be one of: %s", f, allowed);
        }
        if (col->kind == F_DATE) {
            struct sh_date d;
            if (!sh_date_parse(s, &d))
                return want(e, f, "a date YYYY-MM-DD");
        }
        if (col->kind == F_TS) {
            int64_t t;
            if (!sh_ts_parse(s, &t))
                return want(e, f, "a time like 2026-11-27T09:30:00+08:00");
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
            if (!*p)
                return sh_err_field(e, SH_INVALID, f, "'%s' cannot be blank", f);
        }
        out->text = sh_arena_strdup(a, s);
        return SH_OK;
    }
    case F_BOOL:
        if (!json_is_boolean(v))
            return want(e, f, "true or false");
        out->i = json_is_true(v);
        out->text = out->i ? "1" : "0";
        return SH_OK;
    case F_INT:
    case F_ID:
    case F_MONEY: {
        if (!json_is_integer(v))
            return want(e, f, col->kind == F_MONEY ? "an integer amount in fen" : "an integer");
        json_int_t i = json_integer_value(v);
        if (col->kind == F_ID && i <= 0)
            return want(e, f, "a positive id");
        if (col->min < col->max && ((double)i < col->min || (double)i > col->max))
            return sh_err_field(e, SH_INVALID, f, "'%s' must be between %.0f and %.0f", f, col->min,
                                col->max);
        out->i = i;
        out->text = sh_arena_printf(a, "%lld", (long long)i);
        return SH_OK;
    }
    case F_REAL: {
        if (!json_is_number(v))
            return want(e, f, "a number");
        double r = json_number_value(v);
        if (!isfinite(r) || (col->min < col->max && (r < col->min || r > col->max)))
            return sh_err_field(e, SH_INVALID, f, "'%s' must be between %g and %g", f, col->min,
                                col->max);
        out->r = r;
        out->text = sh_arena_printf(a, "%.10g", r);
        return SH_OK;
    }
    }
    return sh_err_field(e, SH_INTERNAL, f, "unknown field kind");
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
        int idx = -1;
        for (int i = 0; i < ncols; i++)
            if (!strcmp(cols[i].name, key)) {
                idx = i;
                break;
            }
        if (idx < 0 || (cols[idx].flags & (COL_READONLY | COL_INTERNAL))) {
            char safe[64];
            snprintf(safe, sizeof(safe), "%s", key);
            rc = sh_err_field(e, SH_INVALID, safe,
                              idx < 0 ? "unknown field '%s'" : "field '%s' is read-only", safe);
            goto out;
        }
        if (partial && (cols[idx].flags & COL_CREATE_ONLY)) {
            rc = sh_err_field(e, SH_INVALID, cols[idx].name, "field '%s' cannot be changed",
                              cols[idx].name);
            goto out;
        }
        rc = api_parse_value(a, &cols[idx], v, &vals[idx], e);
        if (rc)
            goto out;
    }
    if (!partial)
        for (int i = 0; i < ncols; i++)
            if ((cols[i].flags & COL_REQUIRED) && (!vals[i].present || vals[i].is_null)) {
                rc = sh_err_field(e, SH_INVALID, cols[i].name, "'%s' is required", cols[i].name);
                goto out;
            }
out:
    if (rc == SH_OK && root_out)
        *root_out = root;
    else
        json_decref(root);
    return rc;
}
