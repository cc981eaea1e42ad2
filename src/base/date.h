/* SPDX-License-Identifier: MIT */
/* Civil dates and UTC timestamps: pure arithmetic, no time zone database.
 * Dates are proleptic Gregorian; timestamps are seconds since the Unix epoch. */
#ifndef SH_DATE_H
#define SH_DATE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct sh_date {
    int y, m, d;
};

/* Days since 1970-01-01 (negative before). */
int64_t sh_days_from_civil(int y, int m, int d);
struct sh_date sh_civil_from_days(int64_t days);
bool sh_date_valid(int y, int m, int d);
int sh_days_in_month(int y, int m);
/* Parses exactly "YYYY-MM-DD"; false on any other text or an impossible date. */
bool sh_date_parse(const char *s, struct sh_date *out);
/* Writes "YYYY-MM-DD" into out (at least 11 bytes). */
void sh_date_format(struct sh_date d, char out[11]);
/* Adds months, clamping the day to the end of the target month (2024-01-31 + 1 = 2024-02-29). */
struct sh_date sh_date_add_months(struct sh_date d, int months);
/* Day of week, 0 = Monday … 6 = Sunday. */
int sh_weekday(int64_t days);
/* -1, 0, 1 */
int sh_date_cmp(struct sh_date a, struct sh_date b);

/* Parses RFC 3339 "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" into epoch seconds. */
bool sh_ts_parse(const char *s, int64_t *out);
/* The instants whose text has a 4-digit year: 0001-01-01T00:00:00Z … 9999-12-31T23:59:59Z. A
 * parsed offset can move a valid-looking text outside (9999-12-31T23:59:59-23:59). */
#define SH_TS_MIN (-62135596800LL)
#define SH_TS_MAX 253402300799LL
bool sh_ts_in_range(int64_t t);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" (at least 21 bytes); t outside the range is clamped to it. */
void sh_ts_format(int64_t t, char out[21]);

/* Wall clock, seconds and milliseconds. Tests pass their own `now` to domain code. */
int64_t sh_now(void);
int64_t sh_now_ms(void);
/* Monotonic clock in nanoseconds, for durations. */
int64_t sh_mono_ns(void);
/* The wall-clock time ms milliseconds from now, normalised: a pthread_cond_timedwait deadline. */
struct timespec sh_deadline_ms(int64_t ms);

#endif
