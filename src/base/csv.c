/* SPDX-License-Identifier: MIT */
/* RFC 4180 CSV reading and the encoding helpers of the CSV import. */
#include "base/csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

void csv_init(struct csv *r, const char *text, size_t len)
{
    r->p = text;
    r->end = text + len;
    r->line = 1;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        r->p += 3;
}

/* Consumes a line end at r->p if there is one: CRLF, LF or a lone CR. */
static bool eat_eol(struct csv *r)
{
    if (r->p < r->end && *r->p == '\r') {
        r->p++;
        if (r->p < r->end && *r->p == '\n')
            r->p++;
        r->line++;
        return true;
    }
    if (r->p < r->end && *r->p == '\n') {
        r->p++;
        r->line++;
        return true;
    }
    return false;
}

/* Reads a quoted field; r->p is just past the opening quote. */
static enum sh_code quoted(struct csv *r, struct sh_arena *a, const char **out, int start,
                           struct sh_err *e)
{
    const char *s = r->p;
    size_t n = 0;
    /* first pass: find the closing quote and the unescaped length */
    const char *q = s;
    for (;;) {
        if (q >= r->end)
            return sh_err_set(e, SH_INVALID, "line %d: unterminated quoted field", start);
        if (*q == '"') {
            if (q + 1 < r->end && q[1] == '"') {
                q += 2;
                n++;
                continue;
            }
            break;
        }
        q++;
        n++;
    }
    if (n > CSV_MAX_FIELD)
        return sh_err_set(e, SH_TOO_BIG, "line %d: field longer than %d bytes", start,
                          CSV_MAX_FIELD);
    char *d = sh_arena_alloc(a, n + 1);
    size_t k = 0;
    for (const char *p = s; p < q; p++) {
        if (*p == '"')
            p++; /* the first of a doubled quote */
        else if (*p == '\n' || (*p == '\r' && (p + 1 >= q || p[1] != '\n')))
            r->line++;
        d[k++] = *p;
    }
    d[k] = '\0';
    r->p = q + 1;
    *out = d;
    if (r->p < r->end && *r->p != ',' && *r->p != '\r' && *r->p != '\n')
        return sh_err_set(e, SH_INVALID, "line %d: unexpected text after a closing quote", r->line);
    return SH_OK;
}

enum sh_code csv_next(struct csv *r, struct sh_arena *a, struct csv_row *row, bool *done,
                      struct sh_err *e)
{
    const char *fields[CSV_MAX_FIELDS];
    memset(row, 0, sizeof(*row));
    for (;;) {
        *done = r->p >= r->end;
        if (*done)
            return SH_OK;
        int n = 0;
        row->line = r->line;
        for (;;) {
            if (n == CSV_MAX_FIELDS)
                return sh_err_set(e, SH_TOO_BIG, "line %d: more than %d fields", row->line,
                                  CSV_MAX_FIELDS);
            const char *f = NULL;
            if (r->p < r->end && *r->p == '"') {
                r->p++;
                enum sh_code rc = quoted(r, a, &f, row->line, e);
                if (rc)
                    return rc;
            } else {
                const char *s = r->p;
                while (r->p < r->end && *r->p != ',' && *r->p != '\r' && *r->p != '\n')
                    r->p++;
                if ((size_t)(r->p - s) > CSV_MAX_FIELD)
                    return sh_err_set(e, SH_TOO_BIG, "line %d: field longer than %d bytes",
                                      row->line, CSV_MAX_FIELD);
                f = sh_arena_strndup(a, s, (size_t)(r->p - s));
            }
            fields[n++] = f;
            if (r->p < r->end && *r->p == ',') {
                r->p++;
                continue;
            }
            eat_eol(r);
            break;
        }
        if (n == 1 && !*fields[0])
            continue; /* a blank line */
        row->nfields = n;
        row->fields = sh_arena_alloc(a, sizeof(char *) * (size_t)n);
        memcpy(row->fields, fields, sizeof(char *) * (size_t)n);
        return SH_OK;
    }
}

bool csv_is_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        int len;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (end - p < len)
            return false;
        for (int i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        p += len;
    }
    return true;
}

enum sh_code csv_to_utf8(const char *s, size_t n, const char *from, char **out, size_t *outn,
                         const char **used, struct sh_err *e)
{
    *out = NULL;
    *outn = 0;
    bool utf8;
    if (!strcmp(from, "auto"))
        utf8 = csv_is_utf8(s, n);
    else if (!strcasecmp(from, "utf-8") || !strcasecmp(from, "utf8"))
        utf8 = true;
    else if (!strcasecmp(from, "gb18030") || !strcasecmp(from, "gbk") ||
             !strcasecmp(from, "gb2312"))
        utf8 = false;
    else
        return sh_err_set(e, SH_INVALID, "unknown encoding '%s' (utf-8, gb18030 or auto)", from);
    if (used)
        *used = utf8 ? "utf-8" : "gb18030";
    if (utf8) {
        if (!csv_is_utf8(s, n))
            return sh_err_set(e, SH_INVALID,
                              "the file is not valid UTF-8 (try --encoding gb18030)");
        *out = malloc(n + 1);
        if (!*out)
            return sh_err_set(e, SH_INTERNAL, "out of memory");
        memcpy(*out, s, n);
        (*out)[n] = '\0';
        *outn = n;
        return SH_OK;
    }
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return sh_err_set(e, SH_INTERNAL, "iconv cannot convert GB18030: %s", strerror(errno));
    /* GB18030 → UTF-8 grows at most 2× (2-byte → 3-byte, 4-byte → 4-byte) */
    size_t cap = n * 2 + 4;
    char *buf = malloc(cap);
    enum sh_code rc = SH_OK;
    if (!buf) {
        rc = sh_err_set(e, SH_INTERNAL, "out of memory");
        goto out;
    }
    char *in = (char *)(uintptr_t)s, *o = buf;
    size_t inleft = n, oleft = cap - 1;
    if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
        rc = sh_err_set(e, SH_INVALID, "the file is not valid GB18030 at byte %zu",
                        (size_t)(in - s));
        free(buf);
        goto out;
    }
    *o = '\0';
    *out = buf;
    *outn = (size_t)(o - buf);
out:
    iconv_close(cd);
    return rc;
}

/* [+-]digits[.digits][e[+-]digits], nothing else */
static bool plain_number(const char *v)
{
    const char *p = v;
    if (*p == '+' || *p == '-')
        p++;
    bool digits = false;
    while (*p >= '0' && *p <= '9')
        p++, digits = true;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits = true;
    if (digits && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return digits && !*p;
}

bool csv_formula_risk(const char *v)
{
    if (!v || !v[0] || !strchr("=+-@\t\r", v[0]))
        return false;
    return !plain_number(v);
}

enum sh_code csv_write_cell(struct sh_buf *b, const char *v)
{
    bool formula = csv_formula_risk(v);
    bool quote = formula || strpbrk(v, ",\"\r\n\t") != NULL;
    enum sh_code rc = SH_OK;
    if (quote)
        rc |= sh_buf_addc(b, '"');
    if (formula)
        rc |= sh_buf_addc(b, '\'');
    for (const char *p = v; *p && !rc; p++) {
        if (*p == '"')
            rc |= sh_buf_addc(b, '"');
        rc |= sh_buf_addc(b, *p);
    }
    if (quote)
        rc |= sh_buf_addc(b, '"');
    return rc ? SH_TOO_BIG : SH_OK;
}
