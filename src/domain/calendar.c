/* SPDX-License-Identifier: MIT */
/* Business calendars: weekly opening hours plus per-date exceptions, walked a day at a time so
 * that a closed day costs one table lookup, never a per-minute loop. */
#include "domain/calendar.h"

#include <string.h>

/* A calendar that shows no service for this many consecutive days is treated as never open. */
#define CLOSED_SCAN_LIMIT 3660

static const struct cal_day FULL_DAY = {1, {{0, CAL_DAY_SECONDS}}};
static const struct cal_day CLOSED_DAY = {0, {{0, 0}}};

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static struct cal_day weekly(const struct calendar *cal, int weekday)
{
    switch (cal->kind) {
    case CAL_24X7:
        return FULL_DAY;
    case CAL_6X24:
        return weekday < 6 ? FULL_DAY : CLOSED_DAY;
    case CAL_HOURS:
        return cal->week[weekday];
    }
    return CLOSED_DAY;
}

static const struct cal_exception *find_exception(const struct calendar *cal, struct sh_date d)
{
    for (size_t i = 0; i < cal->nyears; i++) {
        const struct cal_year *y = &cal->years[i];
        if (y->year != d.y)
            continue;
        size_t lo = 0, hi = y->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = sh_date_cmp(y->items[mid].date, d);
            if (c == 0)
                return &y->items[mid];
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return NULL;
    }
    return NULL;
}

/* Opening intervals of local day number `ld` (days since 1970-01-01 in local time). */
static struct cal_day day_hours(const struct calendar *cal, int64_t ld)
{
    if (cal->kind == CAL_24X7)
        return FULL_DAY;
    if (cal->nyears > 0) {
        const struct cal_exception *e = find_exception(cal, sh_civil_from_days(ld));
        if (e) {
            switch (e->kind) {
            case CAL_EXC_HOLIDAY:
                return CLOSED_DAY;
            case CAL_EXC_WORKDAY:
                return weekly(cal, e->as_weekday);
            }
        }
    }
    return weekly(cal, sh_weekday(ld));
}

/* Splits instant t into local day number and seconds into that day. */
static void split(const struct calendar *cal, int64_t t, int64_t *ld, int32_t *sec)
{
    int64_t local = t + cal->utc_offset;
    *ld = floor_div(local, CAL_DAY_SECONDS);
    *sec = (int32_t)(local - *ld * CAL_DAY_SECONDS);
}

static int64_t join(const struct calendar *cal, int64_t ld, int64_t sec)
{
    return ld * CAL_DAY_SECONDS + sec - cal->utc_offset;
}

void cal_init(struct calendar *cal, enum cal_kind kind, int32_t utc_offset)
{
    memset(cal, 0, sizeof(*cal));
    cal->kind = kind;
    cal->utc_offset = utc_offset;
}

enum sh_code cal_add_hours(struct calendar *cal, unsigned weekday_mask, int32_t start, int32_t end,
                           struct sh_err *err)
{
    if (cal->kind != CAL_HOURS)
        return sh_err_set(err, SH_INVALID, "only a working-hours calendar takes hours");
    if (start < 0 || end > CAL_DAY_SECONDS || start >= end)
        return sh_err_set(err, SH_INVALID, "bad interval %d..%d", (int)start, (int)end);
    if (weekday_mask == 0 || weekday_mask > 0x7fu)
        return sh_err_set(err, SH_INVALID, "bad weekday mask 0x%x", weekday_mask);
    /* Check every day first so that a failure leaves the calendar unchanged. */
    for (int wd = 0; wd < 7; wd++) {
        if (!(weekday_mask & (1u << wd)))
            continue;
        const struct cal_day *day = &cal->week[wd];
        if (day->n == CAL_MAX_INTERVALS)
            return sh_err_set(err, SH_INVALID, "too many intervals on weekday %d", wd);
        for (size_t i = 0; i < day->n; i++)
            if (start < day->iv[i].end && day->iv[i].start < end)
                return sh_err_set(err, SH_INVALID, "interval overlaps on weekday %d", wd);
    }
    for (int wd = 0; wd < 7; wd++) {
        if (!(weekday_mask & (1u << wd)))
            continue;
        struct cal_day *day = &cal->week[wd];
        size_t at = day->n;
        while (at > 0 && day->iv[at - 1].start > start) {
            day->iv[at] = day->iv[at - 1];
            at--;
        }
        day->iv[at] = (struct cal_interval){start, end};
        day->n++;
    }
    return SH_OK;
}

enum sh_code cal_load_year(struct calendar *cal, int year, const struct cal_exception *items,
                           size_t n, struct sh_err *err)
{
    for (size_t i = 0; i < n; i++) {
        const struct cal_exception *e = &items[i];
        if (e->date.y != year || !sh_date_valid(e->date.y, e->date.m, e->date.d))
            return sh_err_set(err, SH_INVALID, "exception %zu is not a date in %d", i, year);
        if (i > 0 && sh_date_cmp(items[i - 1].date, e->date) >= 0)
            return sh_err_set(err, SH_INVALID, "exceptions for %d are not sorted at %zu", year, i);
        if (e->kind == CAL_EXC_WORKDAY && (e->as_weekday < 0 || e->as_weekday > 6))
            return sh_err_set(err, SH_INVALID, "exception %zu has bad weekday %d", i,
                              e->as_weekday);
        if (e->kind != CAL_EXC_WORKDAY && e->kind != CAL_EXC_HOLIDAY)
            return sh_err_set(err, SH_INVALID, "exception %zu has bad kind", i);
    }
    size_t slot = cal->nyears;
    for (size_t i = 0; i < cal->nyears; i++)
        if (cal->years[i].year == year)
            slot = i;
    if (slot == CAL_MAX_YEARS)
        return sh_err_set(err, SH_TOO_BIG, "at most %d exception years", CAL_MAX_YEARS);
    cal->years[slot] = (struct cal_year){year, items, n};
    if (slot == cal->nyears)
        cal->nyears++;
    return SH_OK;
}

enum sh_code cal_load_cn(struct calendar *cal, int year, struct sh_err *err)
{
    size_t n;
    const struct cal_exception *items = cal_cn_exceptions(year, &n);
    if (!items)
        return sh_err_set(err, SH_NOT_FOUND, "no china holiday table for %d", year);
    return cal_load_year(cal, year, items, n, err);
}

struct sh_date cal_local_date(const struct calendar *cal, int64_t t)
{
    int64_t ld;
    int32_t sec;
    split(cal, t, &ld, &sec);
    return sh_civil_from_days(ld);
}

int64_t cal_local_midnight(const struct calendar *cal, struct sh_date d)
{
    return join(cal, sh_days_from_civil(d.y, d.m, d.d), 0);
}

struct cal_day cal_day_hours(const struct calendar *cal, struct sh_date d)
{
    return day_hours(cal, sh_days_from_civil(d.y, d.m, d.d));
}

bool cal_in_service(const struct calendar *cal, int64_t t)
{
    int64_t ld;
    int32_t sec;
    split(cal, t, &ld, &sec);
    struct cal_day day = day_hours(cal, ld);
    for (size_t i = 0; i < day.n; i++)
        if (day.iv[i].start <= sec && sec < day.iv[i].end)
            return true;
    return false;
}

enum sh_code cal_next_open(const struct calendar *cal, int64_t t, int64_t *out, struct sh_err *err)
{
    int64_t ld;
    int32_t sec;
    split(cal, t, &ld, &sec);
    for (int scanned = 0; scanned <= CLOSED_SCAN_LIMIT; scanned++, ld++, sec = 0) {
        struct cal_day day = day_hours(cal, ld);
        for (size_t i = 0; i < day.n; i++) {
            if (day.iv[i].end > sec) {
                *out = join(cal, ld, day.iv[i].start > sec ? day.iv[i].start : sec);
                return SH_OK;
            }
        }
    }
    return sh_err_set(err, SH_UNPROCESSABLE, "calendar has no service time");
}

enum sh_code cal_add_business(const struct calendar *cal, int64_t start, int64_t seconds,
                              int64_t *out, struct sh_err *err)
{
    if (seconds < 0)
        return sh_err_set(err, SH_INVALID, "negative business duration %lld", (long long)seconds);
    if (seconds == 0 || cal->kind == CAL_24X7) {
        *out = start + seconds;
        return SH_OK;
    }
    int64_t ld;
    int32_t sec;
    split(cal, start, &ld, &sec);
    int64_t remaining = seconds;
    int idle = 0;
    for (;; ld++, sec = 0) {
        struct cal_day day = day_hours(cal, ld);
        bool used = false;
        for (size_t i = 0; i < day.n; i++) {
            int32_t s = day.iv[i].start > sec ? day.iv[i].start : sec;
            if (s >= day.iv[i].end)
                continue;
            int64_t avail = day.iv[i].end - s;
            if (avail >= remaining) {
                *out = join(cal, ld, s + remaining);
                return SH_OK;
            }
            remaining -= avail;
            used = true;
        }
        idle = used ? 0 : idle + 1;
        if (idle > CLOSED_SCAN_LIMIT)
            return sh_err_set(err, SH_UNPROCESSABLE, "calendar has no service time");
    }
}

int64_t cal_business_between(const struct calendar *cal, int64_t a, int64_t b)
{
    if (b <= a)
        return 0;
    if (cal->kind == CAL_24X7)
        return b - a;
    int64_t lda, ldb;
    int32_t sa, sb;
    split(cal, a, &lda, &sa);
    split(cal, b, &ldb, &sb);
    int64_t total = 0;
    for (int64_t ld = lda; ld <= ldb; ld++) {
        int32_t lo = ld == lda ? sa : 0;
        int32_t hi = ld == ldb ? sb : CAL_DAY_SECONDS;
        struct cal_day day = day_hours(cal, ld);
        for (size_t i = 0; i < day.n; i++) {
            int32_t s = day.iv[i].start > lo ? day.iv[i].start : lo;
            int32_t e = day.iv[i].end < hi ? day.iv[i].end : hi;
            if (e > s)
                total += e - s;
        }
    }
    return total;
}
