/* SPDX-License-Identifier: MIT */
/* A technician's text encodings (issue 5, docs/dispatch.md "API"): skills,
 * authorisations, weekly shift and leave. Pure parsers that name the field in
 * their errors; the technician resource and the dispatch planning share them. */
#include "domain/tech_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool tech_code_ok(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++, n++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    return n >= 1 && n <= TECH_CODE_MAX;
}

/* Copies the next item of a comma list into buf; returns the rest or NULL at the end. */
static const char *next_item(const char *s, char *buf, size_t cap, bool *too_long)
{
    const char *c = strchr(s, ',');
    size_t n = c ? (size_t)(c - s) : strlen(s);
    while (n && s[0] == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    *too_long = n >= cap;
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return c ? c + 1 : NULL;
}

enum sh_code tech_skills_parse(const char *s, bool with_level, const char *field,
                               struct tech_skill *out, int *n, struct sh_err *e)
{
    *n = 0;
    if (!s || !*s)
        return SH_OK;
    const char *fmt = with_level ? "code:level[:YYYY-MM-DD]" : "code[:YYYY-MM-DD]";
    for (const char *p = s; p;) {
        char item[80], *colon;
        bool too_long;
        p = next_item(p, item, sizeof item, &too_long);
        if (too_long || !*item)
            return sh_err_field(e, SH_INVALID, field, "'%s' entries are %s separated by commas",
                                field, fmt);
        if (*n >= TECH_SKILL_MAX)
            return sh_err_field(e, SH_INVALID, field, "'%s' has more than %d entries", field,
                                TECH_SKILL_MAX);
        struct tech_skill *k = &out[*n];
        memset(k, 0, sizeof *k);
        k->level = 1;
        char *rest = NULL;
        if ((colon = strchr(item, ':'))) {
            *colon = '\0';
            rest = colon + 1;
        }
        if (!tech_code_ok(item))
            return sh_err_field(e, SH_INVALID, field,
                                "'%s': '%s' is not a code (1 to 40 of a-z, 0-9, _ and -)", field,
                                item);
        memcpy(k->code, item, strlen(item) + 1); /* tech_code_ok: <= 40 */
        if (with_level) {
            if (!rest || rest[0] < '1' || rest[0] > '5' || (rest[1] && rest[1] != ':'))
                return sh_err_field(e, SH_INVALID, field,
                                    "'%s': skill '%s' needs a level 1 to 5 (%s)", field, k->code,
                                    fmt);
            k->level = rest[0] - '0';
            rest = rest[1] ? rest + 2 : NULL;
        }
        if (rest) {
            if (!sh_date_parse(rest, &k->expires_on))
                return sh_err_field(e, SH_INVALID, field,
                                    "'%s': '%s' has a bad expiry date (YYYY-MM-DD)", field,
                                    k->code);
            k->expires = true;
        }
        for (int i = 0; i < *n; i++)
            if (!strcmp(out[i].code, k->code))
                return sh_err_field(e, SH_INVALID, field, "'%s': '%s' is listed twice", field,
                                    k->code);
        (*n)++;
    }
    return SH_OK;
}

static bool hhmm(const char *s, int *min)
{
    if (strlen(s) != 5 || s[2] != ':')
        return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return false;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m))
        return false;
    *min = h * 60 + m;
    return true;
}

enum sh_code tech_shift_parse(const char *s, const char *field, struct tech_shift *out,
                              struct sh_err *e)
{
    for (int d = 0; d < 7; d++)
        out->start[d] = out->end[d] = -1;
    if (!s || !*s)
        return SH_OK; /* never on shift */
    char buf[512];
    if (strlen(s) >= sizeof buf)
        return sh_err_field(e, SH_INVALID, field, "'%s' is too long", field);
    snprintf(buf, sizeof buf, "%s", s);
    char *save = NULL;
    for (char *grp = buf; grp; grp = save) {
        char *semi = strchr(grp, ';');
        save = semi ? semi + 1 : NULL;
        if (semi)
            *semi = '\0';
        while (*grp == ' ')
            grp++;
        int d1, d2, used = 0;
        if (sscanf(grp, "%d-%d %n", &d1, &d2, &used) == 2 && used) {
        } else if (sscanf(grp, "%d %n", &d1, &used) == 1 && used) {
            d2 = d1;
        } else {
            return sh_err_field(e, SH_INVALID, field,
                                "'%s' is weekday hours such as \"1-5 08:30-17:30\"", field);
        }
        if (d1 < 1 || d2 > 7 || d1 > d2)
            return sh_err_field(e, SH_INVALID, field, "'%s': weekdays are 1 (Monday) to 7", field);
        int lo = 24 * 60, hi = -1;
        for (char *iv = grp + used; iv && *iv;) {
            char *comma = strchr(iv, ',');
            if (comma)
                *comma = '\0';
            char a[8], b[8];
            int m1, m2;
            if (strlen(iv) != 11 || iv[5] != '-')
                return sh_err_field(e, SH_INVALID, field, "'%s': bad interval '%s' (HH:MM-HH:MM)",
                                    field, iv);
            memcpy(a, iv, 5);
            a[5] = '\0';
            memcpy(b, iv + 6, 5);
            b[5] = '\0';
            if (!hhmm(a, &m1) || !hhmm(b, &m2) || m2 <= m1)
                return sh_err_field(e, SH_INVALID, field, "'%s': bad interval '%s' (HH:MM-HH:MM)",
                                    field, iv);
            if (m1 < lo)
                lo = m1;
            if (m2 > hi)
                hi = m2;
            iv = comma ? comma + 1 : NULL;
        }
        if (hi < 0)
            return sh_err_field(e, SH_INVALID, field, "'%s': weekdays without hours", field);
        for (int d = d1; d <= d2; d++) {
            if (out->start[d - 1] >= 0)
                return sh_err_field(e, SH_INVALID, field, "'%s': weekday %d is given twice", field,
                                    d);
            out->start[d - 1] = lo;
            out->end[d - 1] = hi;
        }
    }
    return SH_OK;
}

enum sh_code tech_leave_parse(const char *s, const char *field, struct tech_leave *out, int *n,
                              struct sh_err *e)
{
    *n = 0;
    if (!s || !*s)
        return SH_OK;
    for (const char *p = s; p;) {
        char item[40];
        bool too_long;
        p = next_item(p, item, sizeof item, &too_long);
        if (*n >= TECH_LEAVE_MAX)
            return sh_err_field(e, SH_INVALID, field, "'%s' has more than %d periods", field,
                                TECH_LEAVE_MAX);
        struct tech_leave *l = &out[*n];
        char *slash = strchr(item, '/');
        if (slash)
            *slash = '\0';
        if (too_long || !sh_date_parse(item, &l->from) ||
            (slash && !sh_date_parse(slash + 1, &l->to)))
            return sh_err_field(e, SH_INVALID, field,
                                "'%s' is periods YYYY-MM-DD/YYYY-MM-DD separated by commas", field);
        if (!slash)
            l->to = l->from;
        if (sh_date_cmp(l->to, l->from) < 0)
            return sh_err_field(e, SH_INVALID, field, "'%s': a period ends before it starts",
                                field);
        (*n)++;
    }
    return SH_OK;
}

bool tech_on_leave(const struct tech_leave *l, int n, struct sh_date d)
{
    for (int i = 0; i < n; i++)
        if (sh_date_cmp(d, l[i].from) >= 0 && sh_date_cmp(d, l[i].to) <= 0)
            return true;
    return false;
}
