/* SPDX-License-Identifier: MIT */
#include "base/date.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t sh_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t mp = (m + 9) % 12;
    const int64_t doy = (153 * mp + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct sh_date sh_civil_from_days(int64_t z)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    struct sh_date r = {(int)(yoe + era * 400 + (m <= 2)), (int)m, (int)d};
    return r;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int sh_days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && leap(y) ? 29 : dm[m - 1];
}

bool sh_date_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= sh_days_in_month(y, m);
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool parse_date_prefix(const char *s, struct sh_date *out)
{
    int y, m, d;
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
        !digits(s + 8, 2, &d))
        return false;
    if (!sh_date_valid(y, m, d))
        return false;
    out->y = y;
    out->m = m;
    out->d = d;
    return true;
}

bool sh_date_parse(const char *s, struct sh_date *out)
{
    if (!s || strlen(s) != 10)
        return false;
    return parse_date_prefix(s, out);
}

void sh_date_format(struct sh_date d, char out[11])
{
    char tmp[48];
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", d.y, d.m, d.d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

struct sh_date sh_date_add_months(struct sh_date d, int months)
{
    int total = d.y * 12 + (d.m - 1) + months;
    struct sh_date r;
    r.y = total / 12;
    r.m = total % 12 + 1;
    int dim = sh_days_in_month(r.y, r.m);
    r.d = d.d > dim ? dim : d.d;
    return r;
}

int sh_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (3 when Monday = 0) */
    int64_t w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

int sh_date_cmp(struct sh_date a, struct sh_date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

bool sh_ts_parse(const char *s, int64_t *out)
{
    struct sh_date d;
    int hh, mm, ss;
    if (!s || strlen(s) < 20 || !parse_date_prefix(s, &d))
        return false;
    if ((s[10] != 'T' && s[10] != ' ') || !digits(s + 11, 2, &hh) || s[13] != ':' ||
        !digits(s + 14, 2, &mm) || s[16] != ':' || !digits(s + 17, 2, &ss))
        return false;
    if (hh > 23 || mm > 59 || ss > 60)
        return false;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    int off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return false;
        off = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return false;
    }
    if (*p)
        return false;
    *out =
        sh_days_from_civil(d.y, d.m, d.d) * 86400 + hh * 3600 + mm * 60 + (ss > 59 ? 59 : ss) - off;
    return true;
}

bool sh_ts_in_range(int64_t t)
{
    return t >= SH_TS_MIN && t <= SH_TS_MAX;
}

void sh_ts_format(int64_t t, char out[21])
{
    /* never a malformed text: callers refuse out-of-range input first (sh_ts_in_range) */
    if (t < SH_TS_MIN)
        t = SH_TS_MIN;
    if (t > SH_TS_MAX)
        t = SH_TS_MAX;
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t sec = t - days * 86400;
    struct sh_date d = sh_civil_from_days(days);
    char tmp[80];
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ", d.y, d.m, d.d, (int)(sec / 3600),
             (int)(sec / 60 % 60), (int)(sec % 60));
    memcpy(out, tmp, 20);
    out[20] = '\0';
}

int64_t sh_now(void)
{
    return (int64_t)time(NULL);
}

int64_t sh_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t sh_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct timespec sh_deadline_ms(int64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += (time_t)(ms / 1000);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}
