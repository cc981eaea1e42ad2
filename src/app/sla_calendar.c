/* SPDX-License-Identifier: MIT */
/* SLA calendars (app/sla.h): a calendar's working hours and exception days read from the
 * database into the domain's struct calendar, one calendar at a time or every calendar of the
 * active policies in one statement sent ahead (intake, issue 16 item 1). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/sla.h"
#include "base/date.h"
#include "domain/calendar.h"

/* "1-5 08:30-12:00,13:00-17:30;6 09:00-12:00" */
static enum sh_code parse_hours(struct calendar *cal, const char *spec, struct sh_err *e)
{
    const char *p = spec;
    while (*p) {
        int d1, d2, n = 0;
        if (sscanf(p, "%d-%d %n", &d1, &d2, &n) == 2 && n) {
            p += n;
        } else if (sscanf(p, "%d %n", &d1, &n) == 1 && n) {
            d2 = d1;
            p += n;
        } else {
            return sh_err_field(e, SH_INVALID, "hours", "bad weekday range in '%s'", spec);
        }
        if (d1 < 1 || d2 > 7 || d1 > d2)
            return sh_err_field(e, SH_INVALID, "hours", "weekdays are 1 (Monday) to 7");
        unsigned mask = 0;
        for (int d = d1; d <= d2; d++)
            mask |= 1u << (d - 1);
        for (;;) {
            int h1, m1, h2, m2;
            if (sscanf(p, "%d:%d-%d:%d%n", &h1, &m1, &h2, &m2, &n) != 4)
                return sh_err_field(e, SH_INVALID, "hours", "bad interval in '%s'", spec);
            p += n;
            enum sh_code rc = cal_add_hours(cal, mask, h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60, e);
            if (rc)
                return rc;
            if (*p != ',')
                break;
            p++;
        }
        while (*p == ' ')
            p++;
        if (*p == ';')
            p++;
        while (*p == ' ')
            p++;
    }
    return SH_OK;
}

enum sh_code calendar_hours_check(const char *kind, const char *hours, struct sh_err *e)
{
    if (strcmp(kind, "hours"))
        return SH_OK;
    struct calendar cal;
    cal_init(&cal, CAL_HOURS, 8 * 3600);
    if (!hours || !*hours)
        return sh_err_field(e, SH_INVALID, "hours", "a working-hours calendar needs 'hours'");
    return parse_hours(&cal, hours, e);
}

/* The years around now whose exception days a calendar holds: [year - 2, year + 1]. */
static int years_of(int64_t now, char lo[32], char hi[32])
{
    int year = sh_civil_from_days(now / 86400).y;
    snprintf(lo, 32, "%04d-01-01", year - 2);
    snprintf(hi, 32, "%04d-12-31", year + 1);
    return year;
}

/* The calendar of rows d (its row, or its rows joined to its days) at `year`. */
static enum sh_code calendar_of_rows(struct sh_arena *a, const struct db_rows *d, int year,
                                     struct calendar *cal, struct sh_err *e)
{
    enum sh_code rc;
    const char *kind = db_get(d, 0, "kind");
    enum cal_kind k = !strcmp(kind, "24x7")   ? CAL_24X7
                      : !strcmp(kind, "6x24") ? CAL_6X24
                                              : CAL_HOURS;
    cal_init(cal, k, (int32_t)db_get_int(d, 0, "utc_offset_minutes", 480) * 60);
    if (k == CAL_HOURS && (rc = parse_hours(cal, db_get(d, 0, "hours"), e)))
        return rc;
    if (k == CAL_24X7)
        return SH_OK; /* always open: exceptions do not apply */
    bool cn = db_get_int(d, 0, "use_cn_holidays", 1) != 0;
    for (int y = year - 2; y <= year + 1; y++) {
        /* the built-in table of the year, then the company's own days over it */
        size_t nbase = 0;
        const struct cal_exception *base = cn ? cal_cn_exceptions(y, &nbase) : NULL;
        size_t n = 0;
        struct cal_exception *items =
            sh_arena_alloc(a, sizeof(*items) * (nbase + (size_t)d->nrows + 1));
        for (size_t i = 0; base && i < nbase; i++)
            items[n++] = base[i];
        for (int i = 0; i < d->nrows; i++) {
            if (!db_get(d, i, "day"))
                continue; /* the calendar's row without days */
            struct cal_exception x = {.kind = strcmp(db_get(d, i, "day_kind"), "holiday")
                                                  ? CAL_EXC_WORKDAY
                                                  : CAL_EXC_HOLIDAY,
                                      .as_weekday = 0};
            if (!sh_date_parse(db_get(d, i, "day"), &x.date) || x.date.y != y)
                continue;
            size_t j = 0;
            while (j < n && sh_date_cmp(items[j].date, x.date) < 0)
                j++;
            if (j < n && sh_date_cmp(items[j].date, x.date) == 0) {
                items[j] = x; /* the company's day wins */
            } else {
                memmove(&items[j + 1], &items[j], sizeof(*items) * (n - j));
                items[j] = x;
                n++;
            }
        }
        if (n && (rc = cal_load_year(cal, y, items, n, e)))
            return rc;
    }
    return SH_OK;
}

/* The calendar and the company's own days of the four years around now (one row with no day
 * when it has none, or is always open); calendars_of_active adds cal_id. */
#define CALENDAR_SELECT                                                                            \
    "SELECT c.id AS cal_id, c.kind, c.utc_offset_minutes, c.hours, c.use_cn_holidays, x.day, "     \
    "x.kind AS day_kind FROM calendars c LEFT JOIN calendar_days x ON c.kind <> '24x7' AND x.day " \
    ">= $1 AND x.day <= $2 AND (x.calendar_id IS NULL OR x.calendar_id = c.id) "

enum sh_code calendar_load(struct db_tx *tx, struct sh_arena *a, int64_t id, int64_t now,
                           struct calendar *cal, struct sh_err *e)
{
    char lo[32], hi[32];
    int year = years_of(now, lo, hi);
    struct db_rows d;
    enum sh_code rc = db_query(tx, a, CALENDAR_SELECT "WHERE c.id = $3 ORDER BY x.day",
                               DB_P(DB_TEXT(lo), DB_TEXT(hi), DB_INT(id)), &d, e);
    if (rc)
        return rc;
    if (d.nrows == 0)
        return sh_err_set(e, SH_UNPROCESSABLE, "calendar %" PRId64 " not found", id);
    return calendar_of_rows(a, &d, year, cal, e);
}

enum sh_code calendars_of_active_ahead(struct db_tx *tx, struct sh_arena *a, int64_t now,
                                       struct db_rows *out, struct sh_err *e)
{
    char lo[32], hi[32];
    years_of(now, lo, hi);
    return db_query_ahead(tx, a,
                          CALENDAR_SELECT "WHERE c.id IN (SELECT calendar_id FROM sla_policies "
                                          "WHERE active = 1) ORDER BY c.id, x.day",
                          DB_P(DB_TEXT(lo), DB_TEXT(hi)), out, e);
}

enum sh_code calendar_from(struct db_tx *tx, struct sh_arena *a, const struct db_rows *cals,
                           int64_t id, int64_t now, struct calendar *cal, struct sh_err *e)
{
    if (!cals)
        return calendar_load(tx, a, id, now, cal, e);
    /* the rows of calendar id among those read (a view: the cells are shared) */
    struct db_rows d = {.ncols = cals->ncols, .names = cals->names};
    d.cells = sh_arena_alloc(a, sizeof(char *) * (size_t)(cals->nrows + 1) *
                                    (size_t)(cals->ncols ? cals->ncols : 1));
    for (int i = 0; i < cals->nrows; i++) {
        if (db_get_int(cals, i, "cal_id", 0) != id)
            continue;
        memcpy(&d.cells[(size_t)d.nrows * (size_t)d.ncols],
               &cals->cells[(size_t)i * (size_t)cals->ncols], sizeof(char *) * (size_t)d.ncols);
        d.nrows++;
    }
    if (d.nrows == 0)
        return calendar_load(tx, a, id, now, cal, e); /* not among them: read it */
    char lo[32], hi[32];
    return calendar_of_rows(a, &d, years_of(now, lo, hi), cal, e);
}
