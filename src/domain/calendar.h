/* SPDX-License-Identifier: MIT */
/* Business calendars: when is the company "in service", and how much
 * service time lies between two instants. Pure arithmetic over epoch seconds in a time zone
 * given as a fixed UTC offset (Asia/Shanghai = +8 h, no DST). No clock is read here. */
#ifndef SH_CALENDAR_H
#define SH_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/sh_err.h"

#define CAL_DAY_SECONDS   86400
#define CAL_MAX_INTERVALS 4 /* per weekday, e.g. morning + afternoon */
#define CAL_MAX_YEARS     8 /* exception years loaded at once */
#define CAL_SHANGHAI      (8 * 3600)
/* Seconds since local midnight, for interval bounds. */
#define CAL_HM(h, m) ((int32_t)((h)*3600 + (m)*60))

enum cal_kind {
    CAL_24X7, /* always open; per-date exceptions are ignored */
    CAL_6X24, /* Monday-Saturday around the clock (SLA 2 "6*24小时紧急支持") */
    CAL_HOURS /* working hours per weekday, e.g. an 8-hour office day (TY 4) */
};

/* [start, end) in seconds since local midnight, 0 <= start < end <= 86400. */
struct cal_interval {
    int32_t start, end;
};

struct cal_day {
    size_t n;
    struct cal_interval iv[CAL_MAX_INTERVALS]; /* sorted, disjoint */
};

enum cal_exc_kind {
    CAL_EXC_HOLIDAY, /* closed all day (public holiday, 放假) */
    CAL_EXC_WORKDAY  /* a make-up working day (调休上班) with the hours of `as_weekday` */
};

struct cal_exception {
    struct sh_date date;
    enum cal_exc_kind kind;
    int as_weekday; /* CAL_EXC_WORKDAY: 0 = Monday … 6 = Sunday; ignored for holidays */
};

struct cal_year {
    int year;
    const struct cal_exception *items; /* sorted by date, not owned */
    size_t n;
};

/* A calendar is a plain value: copy it freely. Exception tables are borrowed and must outlive
 * it (the built-in tables are static). Build with cal_init and cal_add_hours. */
struct calendar {
    enum cal_kind kind;
    int32_t utc_offset;     /* seconds east of UTC */
    struct cal_day week[7]; /* CAL_HOURS only; 0 = Monday */
    size_t nyears;
    struct cal_year years[CAL_MAX_YEARS];
};

/* Starts an empty calendar of `kind` (a CAL_HOURS calendar has no hours yet). */
void cal_init(struct calendar *cal, enum cal_kind kind, int32_t utc_offset);

/* Adds [start, end) to each weekday in `weekday_mask` (bit 0 = Monday … bit 6 = Sunday).
 * SH_INVALID on a bad bound, an overlap, a non-CAL_HOURS calendar or too many intervals. */
SH_WUR enum sh_code cal_add_hours(struct calendar *cal, unsigned weekday_mask, int32_t start,
                                  int32_t end, struct sh_err *err);

/* Attaches one year's exceptions. The table must be sorted, within `year`, one entry per date;
 * a year already loaded is replaced. SH_INVALID on a bad table, SH_TOO_BIG past
 * CAL_MAX_YEARS. Years with no table follow the weekly pattern only. */
SH_WUR enum sh_code cal_load_year(struct calendar *cal, int year, const struct cal_exception *items,
                                  size_t n, struct sh_err *err);

/* Attaches the built-in China State Council table for `year` (holidays_cn.c).
 * SH_NOT_FOUND when the year is not in the built-in data. */
SH_WUR enum sh_code cal_load_cn(struct calendar *cal, int year, struct sh_err *err);

/* The built-in China table for `year` (static storage), or NULL with *n = 0. */
const struct cal_exception *cal_cn_exceptions(int year, size_t *n);

/* The local civil date of instant t. */
struct sh_date cal_local_date(const struct calendar *cal, int64_t t);
/* The instant of local midnight starting date d. */
int64_t cal_local_midnight(const struct calendar *cal, struct sh_date d);

/* The opening intervals of local date d after exceptions (n = 0 when closed). */
struct cal_day cal_day_hours(const struct calendar *cal, struct sh_date d);

/* True when t lies inside service time. */
bool cal_in_service(const struct calendar *cal, int64_t t);

/* The first in-service instant >= t (t itself when open). SH_UNPROCESSABLE when the calendar
 * has no service time within ten years after t (an empty CAL_HOURS calendar). */
SH_WUR enum sh_code cal_next_open(const struct calendar *cal, int64_t t, int64_t *out,
                                  struct sh_err *err);

/* The instant at which `seconds` (>= 0) of service time have elapsed after `start`. The
 * result is the end of the last consumed second: a budget that runs out at 17:30 closing
 * time gives 17:30, not the next opening. seconds == 0 gives start. Cost is O(days crossed);
 * closed days cost O(1) each. SH_INVALID on negative seconds, SH_UNPROCESSABLE as for
 * cal_next_open. */
SH_WUR enum sh_code cal_add_business(const struct calendar *cal, int64_t start, int64_t seconds,
                                     int64_t *out, struct sh_err *err);

/* Service seconds in [a, b); 0 when b <= a. O(days between). */
int64_t cal_business_between(const struct calendar *cal, int64_t a, int64_t b);

#endif
