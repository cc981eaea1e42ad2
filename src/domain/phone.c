/* SPDX-License-Identifier: MIT */
#include "domain/phone.h"

#include <stdio.h>
#include <string.h>

bool phone_any_valid(const char *s)
{
    size_t digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr("+-() ", *p))
            return false;
    }
    return digits >= 5 && digits <= 20;
}

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

/* the digits of s after an optional leading '+', single spaces and hyphens dropped; false
 * when anything else is in it or there are too many */
static bool digits_of(const char *s, char *d, size_t cap, bool *plus)
{
    size_t n = 0;
    *plus = *s == '+';
    for (s += *plus; *s; s++) {
        if (*s == ' ' || *s == '-')
            continue;
        if (*s < '0' || *s > '9' || n + 1 >= cap)
            return false;
        d[n++] = *s;
    }
    d[n] = '\0';
    return n > 0;
}

const char *phone_cn_key(const char *s, char out[PHONE_KEY_MAX])
{
    char d[PHONE_KEY_MAX - 1]; /* room for a leading + or 0 in out */
    bool plus;
    if (!s)
        s = "";
    if (!digits_of(s, d, sizeof d, &plus)) {
        snprintf(out, PHONE_KEY_MAX, "%s", s); /* not a number: compared as it is */
        return out;
    }
    const char *p = d;
    size_t n = strlen(d);
    bool intl = false;
    if (plus && !strncmp(p, "86", 2))
        intl = true, p += 2, n -= 2;
    else if (!plus && !strncmp(p, "0086", 4))
        intl = true, p += 4, n -= 4;
    else if (!plus && n >= 11 && n <= 13 && !strncmp(p, "86", 2) && p[2] != '0')
        intl = true, p += 2, n -= 2; /* as phone_cn_valid reads 86 without its + */
    if (plus && !intl) {
        snprintf(out, PHONE_KEY_MAX, "+%s", d); /* another country's: kept whole */
        return out;
    }
    /* after the country code a landline's area code has lost its 0: put it back */
    bool mobile = n == 11 && p[0] == '1';
    snprintf(out, PHONE_KEY_MAX, "%s%s", intl && !mobile && p[0] != '0' ? "0" : "", p);
    return out;
}

void phone_cn_spellings(const char *key, char out[PHONE_SPELLINGS][PHONE_KEY_MAX + 4])
{
    /* the national number: a landline without its 0, a mobile as it is */
    const char *nat = key[0] == '0' && key[1] != '0' ? key + 1 : key;
    snprintf(out[0], PHONE_KEY_MAX + 4, "%s", key);
    snprintf(out[1], PHONE_KEY_MAX + 4, "+86%s", nat);
    snprintf(out[2], PHONE_KEY_MAX + 4, "0086%s", nat);
    snprintf(out[3], PHONE_KEY_MAX + 4, "86%s", nat);
}

bool phone_cn_same(const char *a, const char *b)
{
    char ka[PHONE_KEY_MAX], kb[PHONE_KEY_MAX];
    return a && b && *a && *b && !strcmp(phone_cn_key(a, ka), phone_cn_key(b, kb));
}
