/* SPDX-License-Identifier: MIT */
#include "domain/password.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* cmake/embed_file.cmake: sorted, lower-case, one a line, NUL-terminated */
extern const unsigned char common_passwords[];
extern const unsigned long common_passwords_len;

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

/* Compares the line starting at `line` with key (length n), by byte value. */
static int line_cmp(const unsigned char *line, const char *key, size_t n)
{
    for (size_t i = 0;; i++) {
        int a = line[i] == '\n' || line[i] == '\0' ? -1 : line[i];
        int b = i < n ? (unsigned char)key[i] : -1;
        if (a != b || a == -1)
            return a < b ? -1 : a > b;
    }
}

bool password_is_common(const char *pw)
{
    char low[4 * PASSWORD_MAX + 1];
    size_t n = strlen(pw);
    if (n >= sizeof(low))
        return false;
    for (size_t i = 0; i < n; i++)
        low[i] = (pw[i] >= 'A' && pw[i] <= 'Z') ? (char)(pw[i] - 'A' + 'a') : pw[i];
    low[n] = '\0';
    /* binary search over byte offsets; each probe backs up to the start of its line */
    size_t lo = 0, hi = (size_t)common_passwords_len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, start = mid;
        while (start > lo && common_passwords[start - 1] != '\n')
            start--;
        int c = line_cmp(common_passwords + start, low, n);
        if (c == 0)
            return true;
        if (c < 0) {
            size_t end = start;
            while (end < hi && common_passwords[end] != '\n')
                end++;
            lo = end + 1;
        } else {
            hi = start;
        }
    }
    return false;
}

enum sh_code password_policy_check(const char *pw, const char *username, const char *field,
                                   struct sh_err *e)
{
    size_t n = code_points(pw);
    if (n < PASSWORD_MIN || n > PASSWORD_MAX) {
        sh_err_field(e, SH_INVALID, field, "the password must be %d to %d characters", PASSWORD_MIN,
                     PASSWORD_MAX);
        return sh_err_reason(e, n < PASSWORD_MIN ? "too_short" : "too_long",
                             "{\"min\":%d,\"max\":%d}", PASSWORD_MIN, PASSWORD_MAX);
    }
    if (password_is_common(pw)) {
        sh_err_field(e, SH_INVALID, field,
                     "this password is one of the most common ones: choose another");
        return sh_err_reason(e, "weak_password", "{\"why\":\"common\"}");
    }
    if (username && *username && strcasestr(pw, username)) {
        sh_err_field(e, SH_INVALID, field, "the password must not contain the username");
        return sh_err_reason(e, "weak_password", "{\"why\":\"username\"}");
    }
    return SH_OK;
}
