/* SPDX-License-Identifier: MIT */
/* Message templates: text with {variable} placeholders ({{ and }} are literal braces). */
#include <stdbool.h>
#include <string.h>

#include "base/sh_buf.h"
#include "notify/notify.h"

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static bool allowed(const char *name, size_t n, const char *const *vars)
{
    for (; vars && *vars; vars++)
        if (strlen(*vars) == n && !strncmp(*vars, name, n))
            return true;
    return false;
}

int nt_template_check(const char *tpl, const char *const *vars, const char **bad, size_t *badlen)
{
    for (const char *p = tpl; *p; p++) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            p++;
            continue;
        }
        if (*p == '}') {
            *bad = p, *badlen = 1;
            return -1;
        }
        if (*p != '{')
            continue;
        const char *q = p + 1;
        while (name_char(*q))
            q++;
        if (*q != '}' || q == p + 1 || !allowed(p + 1, (size_t)(q - p - 1), vars)) {
            *bad = p + 1;
            *badlen = *q == '}' ? (size_t)(q - p - 1) : 0;
            return -1;
        }
        p = q;
    }
    return 0;
}

char *nt_template_render(struct sh_arena *a, const char *tpl, const char *const *names,
                         const char *const *values, int n)
{
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    enum sh_code rc = SH_OK;
    for (const char *p = tpl; *p && !rc; p++) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            rc = sh_buf_addc(&b, *p++);
            continue;
        }
        const char *q = p + 1;
        while (*p == '{' && name_char(*q))
            q++;
        if (*p != '{' || *q != '}') {
            rc = sh_buf_addc(&b, *p);
            continue;
        }
        for (int i = 0; i < n; i++)
            if (strlen(names[i]) == (size_t)(q - p - 1) &&
                !strncmp(names[i], p + 1, (size_t)(q - p - 1)))
                rc = sh_buf_adds(&b, values[i] ? values[i] : "");
        p = q;
    }
    char *r = sh_arena_strndup(a, b.buf, b.len);
    sh_buf_release(&b);
    return r;
}
