/* SPDX-License-Identifier: MIT */
#include "domain/phone.h"

#include <string.h>

bool phone_cn_valid(const char *s)
{
    char d[24];
    size_t n = 0;
    bool intl = false; /* after +86: a landline's area code drops its 0 */
    if (!s)
        return false;
    if (*s == '+') {
        intl = true;
        if (strncmp(s, "+86", 3))
            return false;
        s += 3;
        if (*s == ' ' || *s == '-')
            s++;
    }
    bool sep = true; /* no separator first, two in a row or last */
    for (; *s; s++) {
        if (*s == ' ' || *s == '-') {
            if (sep)
                return false;
            sep = true;
            continue;
        }
        if (*s < '0' || *s > '9' || n + 1 >= sizeof(d))
            return false;
        d[n++] = *s;
        sep = false;
    }
    if (sep)
        return false;
    d[n] = '\0';
    const char *p = d;
    if (!intl && n >= 11 && n <= 13 && !strncmp(p, "86", 2) && p[2] != '0')
        intl = true, p += 2, n -= 2;
    if (n == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9')
        return true;
    if (intl && p[0] >= '1' && p[0] <= '9' && n >= 9 && n <= 11)
        return true;
    /* a landline: 0, an area code of 2–3 more digits (not starting with 0), 7–8 digits */
    return p[0] == '0' && p[1] >= '1' && p[1] <= '9' && n >= 10 && n <= 12;
}
