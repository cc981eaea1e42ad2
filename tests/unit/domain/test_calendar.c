/* SPDX-License-Identifier: MIT */
/* Business calendars: 24x7, 6x24, office hours with a lunch break, China
 * holidays and make-up working days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/calendar.h"

#define HOUR 3600

/* Shanghai wall time → epoch seconds. */
static int64_t sh(int y, int m, int d, int hh, int mm)
{
    return sh_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 - CAL_SHANGHAI;
}

static int wd(int y, int m, int d)
{
    return sh_weekday(sh_days_from_civil(y, m, d));
}

/* Mon–Fri 08:30–12:00 and 13:00–17:30: eight hours with a lunch break. */
static void office(struct calendar *c, bool cn)
{
    struct sh_err e;
    cal_init(c, CAL_HOURS, CAL_SHANGHAI);
    assert_int_equal(cal_add_hours(c, 0x1f, CAL_HM(13, 0), CAL_HM(17, 30), &e), SH_OK);
    assert_int_equal(cal_add_hours(c, 0x1f, CAL_HM(8, 30), CAL_HM(12, 0), &e), SH_OK);
    if (cn) {
        assert_int_equal(cal_load_cn(c, 2025, &e), SH_OK);
        assert_int_equal(cal_load_cn(c, 2026, &e), SH_OK);
    }
}

static void six24(struct calendar *c, bool cn)
{
    struct sh_err e;
    cal_init(c, CAL_6X24, CAL_SHANGHAI);
    if (cn) {
        assert_int_equal(cal_load_cn(c, 2025, &e), SH_OK);
        assert_int_equal(cal_load_cn(c, 2026, &e), SH_OK);
    }
}

static int64_t add(const struct calendar *c, int64_t start, int64_t secs)
{
    struct sh_err e;
    int64_t out = 0;
    assert_int_equal(cal_add_business(c, start, secs, &out, &e), SH_OK);
    return out;
}

static void cal_24x7_is_wall_time(void **state)
{
    (void)state;
    struct calendar c;
    struct sh_err e;
    cal_init(&c, CAL_24X7, CAL_SHANGHAI);
    assert_int_equal(cal_load_cn(&c, 2026, &e), SH_OK); /* ignored: always open */
    assert_true(cal_in_service(&c, sh(2026, 10, 1, 3, 0)));
    assert_int_equal(add(&c, sh(2026, 9, 30, 12, 0), 48 * HOUR), sh(2026, 10, 2, 12, 0));
    assert_int_equal(cal_business_between(&c, sh(2026, 9, 30, 0, 0), sh(2026, 10, 8, 0, 0)),
                     8 * 24 * HOUR);
}

static void cal_6x24_skips_sunday(void **state)
{
    (void)state;
    struct calendar c;
    six24(&c, false);
    assert_int_equal(wd(2025, 3, 8), 5); /* Saturday */
    assert_true(cal_in_service(&c, sh(2025, 3, 8, 23, 59)));
    assert_false(cal_in_service(&c, sh(2025, 3, 9, 12, 0)));
    assert_true(cal_in_service(&c, sh(2025, 3, 10, 0, 0)));
    /* Sat 20:00 + 10 h: 4 h on Saturday, Sunday closed, 6 h on Monday */
    assert_int_equal(add(&c, sh(2025, 3, 8, 20, 0), 10 * HOUR), sh(2025, 3, 10, 6, 0));
    assert_int_equal(cal_business_between(&c, sh(2025, 3, 8, 20, 0), sh(2025, 3, 10, 6, 0)),
                     10 * HOUR);
}

static void cal_lunch_break(void **state)
{
    (void)state;
    struct calendar c;
    office(&c, false);
    assert_int_equal(wd(2025, 3, 10), 0); /* Monday */
    assert_true(cal_in_service(&c, sh(2025, 3, 10, 11, 59)));
    assert_false(cal_in_service(&c, sh(2025, 3, 10, 12, 0)));
    assert_false(cal_in_service(&c, sh(2025, 3, 10, 12, 30)));
    assert_true(cal_in_service(&c, sh(2025, 3, 10, 13, 0)));
    assert_false(cal_in_service(&c, sh(2025, 3, 10, 17, 30)));
    assert_int_equal(add(&c, sh(2025, 3, 10, 11, 30), HOUR), sh(2025, 3, 10, 13, 30));
    assert_int_equal(add(&c, sh(2025, 3, 10, 12, 15), HOUR), sh(2025, 3, 10, 14, 0));
    assert_int_equal(cal_business_between(&c, sh(2025, 3, 10, 11, 0), sh(2025, 3, 10, 14, 0)),
                     2 * HOUR);
    assert_int_equal(cal_business_between(&c, sh(2025, 3, 10, 0, 0), sh(2025, 3, 11, 0, 0)),
                     8 * HOUR);
}

static void cal_across_midnight_and_weekend(void **state)
{
    (void)state;
    struct calendar c;
    office(&c, false);
    /* Mon 17:00 + 2 h → Tue 10:00 */
    assert_int_equal(add(&c, sh(2025, 3, 10, 17, 0), 2 * HOUR), sh(2025, 3, 11, 10, 0));
    /* Fri 16:00 + 4 h → Mon 11:00 */
    assert_int_equal(wd(2025, 3, 7), 4);
    assert_int_equal(add(&c, sh(2025, 3, 7, 16, 0), 4 * HOUR), sh(2025, 3, 10, 11, 0));
    /* a budget that runs out at closing time ends at closing time */
    assert_int_equal(add(&c, sh(2025, 3, 10, 16, 30), HOUR), sh(2025, 3, 10, 17, 30));
    /* zero seconds: the start itself, even when closed */
    assert_int_equal(add(&c, sh(2025, 3, 8, 3, 0), 0), sh(2025, 3, 8, 3, 0));
    /* starting on Saturday night counts from Monday's opening */
    assert_int_equal(add(&c, sh(2025, 3, 8, 22, 0), 30 * 60), sh(2025, 3, 10, 9, 0));
}

static void cal_national_day_2026(void **state)
{
    (void)state;
    struct calendar c, o;
    six24(&c, true);
    office(&o, true);
    for (int d = 1; d <= 7; d++)
        assert_false(cal_in_service(&c, sh(2026, 10, d, 12, 0)));
    assert_true(cal_in_service(&c, sh(2026, 10, 8, 0, 0)));
    /* 48 h on 6x24 from Wed 30 Sep 12:00: 12 h + holiday week + 24 h (Thu 8) + 12 h (Fri 9) */
    assert_int_equal(add(&c, sh(2026, 9, 30, 12, 0), 48 * HOUR), sh(2026, 10, 9, 12, 0));
    /* from Fri 9 Oct 12:00: 12 h, Sat 10 (make-up day) 24 h, Sun 11 closed, Mon 12 12 h */
    assert_int_equal(add(&c, sh(2026, 10, 9, 12, 0), 48 * HOUR), sh(2026, 10, 12, 12, 0));
    /* office: Wed 30 Sep 16:00 + 8 h = 1.5 h + 6.5 h on Thu 8 Oct → 16:00 */
    assert_int_equal(add(&o, sh(2026, 9, 30, 16, 0), 8 * HOUR), sh(2026, 10, 8, 16, 0));
    assert_int_equal(cal_business_between(&o, sh(2026, 9, 30, 0, 0), sh(2026, 10, 9, 0, 0)),
                     16 * HOUR);
    /* 中秋 2026 is its own block, 25–27 Sep */
    assert_false(cal_in_service(&o, sh(2026, 9, 25, 10, 0)));
}

static void cal_makeup_saturday(void **state)
{
    (void)state;
    struct calendar c, plain;
    office(&c, true);
    office(&plain, false);
    assert_int_equal(wd(2026, 10, 10), 5);
    assert_true(cal_in_service(&c, sh(2026, 10, 10, 10, 0)));
    assert_false(cal_in_service(&plain, sh(2026, 10, 10, 10, 0)));
    /* Fri 17:00 + 1 h: 0.5 h Friday, 0.5 h on the 调休 Saturday */
    assert_int_equal(add(&c, sh(2026, 10, 9, 17, 0), HOUR), sh(2026, 10, 10, 9, 0));
    assert_int_equal(add(&plain, sh(2026, 10, 9, 17, 0), HOUR), sh(2026, 10, 12, 9, 0));
    /* make-up Sundays */
    assert_int_equal(wd(2026, 9, 20), 6);
    assert_true(cal_in_service(&c, sh(2026, 9, 20, 9, 0)));
    assert_true(cal_in_service(&c, sh(2025, 1, 26, 9, 0)));
    struct calendar s;
    six24(&s, true);
    assert_true(cal_in_service(&s, sh(2026, 9, 20, 3, 0))); /* 6x24 works that Sunday too */
}

static void cal_next_open_cases(void **state)
{
    (void)state;
    struct calendar c;
    struct sh_err e;
    int64_t t;
    office(&c, true);
    assert_int_equal(cal_next_open(&c, sh(2025, 3, 8, 10, 0), &t, &e), SH_OK);
    assert_int_equal(t, sh(2025, 3, 10, 8, 30));
    assert_int_equal(cal_next_open(&c, sh(2025, 3, 10, 12, 10), &t, &e), SH_OK);
    assert_int_equal(t, sh(2025, 3, 10, 13, 0));
    assert_int_equal(cal_next_open(&c, sh(2025, 3, 10, 9, 0), &t, &e), SH_OK);
    assert_int_equal(t, sh(2025, 3, 10, 9, 0));
    assert_int_equal(cal_next_open(&c, sh(2026, 9, 30, 18, 0), &t, &e), SH_OK);
    assert_int_equal(t, sh(2026, 10, 8, 8, 30));

    struct calendar empty;
    cal_init(&empty, CAL_HOURS, CAL_SHANGHAI);
    assert_int_equal(cal_next_open(&empty, 0, &t, &e), SH_UNPROCESSABLE);
    assert_int_equal(cal_add_business(&empty, 0, 1, &t, &e), SH_UNPROCESSABLE);
    assert_int_equal(cal_add_business(&c, 0, -1, &t, &e), SH_INVALID);
    assert_int_equal(cal_business_between(&c, 100, 50), 0);
}

static void cal_hours_validation(void **state)
{
    (void)state;
    struct calendar c;
    struct sh_err e;
    cal_init(&c, CAL_HOURS, CAL_SHANGHAI);
    assert_int_equal(cal_add_hours(&c, 1, CAL_HM(9, 0), CAL_HM(9, 0), &e), SH_INVALID);
    assert_int_equal(cal_add_hours(&c, 1, -1, CAL_HM(9, 0), &e), SH_INVALID);
    assert_int_equal(cal_add_hours(&c, 1, 0, CAL_DAY_SECONDS + 1, &e), SH_INVALID);
    assert_int_equal(cal_add_hours(&c, 0, 0, 60, &e), SH_INVALID);
    assert_int_equal(cal_add_hours(&c, 0x80, 0, 60, &e), SH_INVALID);
    assert_int_equal(cal_add_hours(&c, 3, CAL_HM(9, 0), CAL_HM(12, 0), &e), SH_OK);
    /* overlap on Tuesday only: nothing changes on Monday either */
    assert_int_equal(cal_add_hours(&c, 3, CAL_HM(11, 0), CAL_HM(13, 0), &e), SH_INVALID);
    assert_int_equal(c.week[0].n, 1);
    assert_int_equal(cal_add_hours(&c, 1, CAL_HM(12, 0), CAL_HM(13, 0), &e), SH_OK); /* touches */
    assert_int_equal(cal_add_hours(&c, 1, CAL_HM(0, 0), CAL_HM(1, 0), &e), SH_OK);
    assert_int_equal(c.week[0].iv[0].start, 0); /* kept sorted */
    assert_int_equal(cal_add_hours(&c, 1, CAL_HM(20, 0), CAL_HM(21, 0), &e), SH_OK);
    assert_int_equal(cal_add_hours(&c, 1, CAL_HM(22, 0), CAL_HM(23, 0), &e), SH_INVALID);
    struct calendar s;
    cal_init(&s, CAL_6X24, 0);
    assert_int_equal(cal_add_hours(&s, 1, 0, 60, &e), SH_INVALID);
}

static void cal_year_tables(void **state)
{
    (void)state;
    struct calendar c;
    struct sh_err e;
    size_t n;
    cal_init(&c, CAL_HOURS, CAL_SHANGHAI);
    assert_int_equal(cal_load_cn(&c, 2027, &e), SH_NOT_FOUND);
    int counts[2][2] = {{28, 5}, {33, 6}}; /* holidays, make-up days */
    for (int y = 2025; y <= 2026; y++) {
        const struct cal_exception *x = cal_cn_exceptions(y, &n);
        assert_non_null(x);
        int h = 0, w = 0;
        for (size_t i = 0; i < n; i++) {
            if (x[i].kind == CAL_EXC_WORKDAY) {
                w++;
                assert_true(wd(x[i].date.y, x[i].date.m, x[i].date.d) >= 5); /* weekends only */
            } else {
                h++;
            }
        }
        assert_int_equal(h, counts[y - 2025][0]);
        assert_int_equal(w, counts[y - 2025][1]);
        assert_int_equal(cal_load_cn(&c, y, &e), SH_OK); /* sorted and within the year */
    }
    assert_int_equal(c.nyears, 2);
    assert_int_equal(cal_load_cn(&c, 2026, &e), SH_OK); /* replaced, not added */
    assert_int_equal(c.nyears, 2);

    static const struct cal_exception unsorted[] = {{{2030, 5, 2}, CAL_EXC_HOLIDAY, 0},
                                                    {{2030, 5, 1}, CAL_EXC_HOLIDAY, 0}};
    assert_int_equal(cal_load_year(&c, 2030, unsorted, 2, &e), SH_INVALID);
    static const struct cal_exception dup[] = {{{2030, 5, 1}, CAL_EXC_HOLIDAY, 0},
                                               {{2030, 5, 1}, CAL_EXC_WORKDAY, 0}};
    assert_int_equal(cal_load_year(&c, 2030, dup, 2, &e), SH_INVALID);
    static const struct cal_exception wrong_year[] = {{{2031, 5, 1}, CAL_EXC_HOLIDAY, 0}};
    assert_int_equal(cal_load_year(&c, 2030, wrong_year, 1, &e), SH_INVALID);
    static const struct cal_exception bad_wd[] = {{{2030, 5, 4}, CAL_EXC_WORKDAY, 7}};
    assert_int_equal(cal_load_year(&c, 2030, bad_wd, 1, &e), SH_INVALID);
    static const struct cal_exception bad_date[] = {{{2030, 2, 30}, CAL_EXC_HOLIDAY, 0}};
    assert_int_equal(cal_load_year(&c, 2030, bad_date, 1, &e), SH_INVALID);
    for (int y = 2040; y < 2046; y++)
        assert_int_equal(cal_load_year(&c, y, NULL, 0, &e), SH_OK);
    assert_int_equal(cal_load_year(&c, 2050, NULL, 0, &e), SH_TOO_BIG);

    /* a company table: the company works on a public holiday's Saturday with Friday's hours */
    struct calendar f;
    cal_init(&f, CAL_HOURS, CAL_SHANGHAI);
    assert_int_equal(cal_add_hours(&f, 1u << 4, CAL_HM(9, 0), CAL_HM(11, 0), &e), SH_OK);
    static const struct cal_exception sat[] = {{{2025, 3, 8}, CAL_EXC_WORKDAY, 4}};
    assert_int_equal(cal_load_year(&f, 2025, sat, 1, &e), SH_OK);
    struct cal_day d = cal_day_hours(&f, (struct sh_date){2025, 3, 8});
    assert_int_equal(d.n, 1);
    assert_int_equal(d.iv[0].end, CAL_HM(11, 0));
}

static void cal_local_dates(void **state)
{
    (void)state;
    struct calendar c;
    cal_init(&c, CAL_24X7, CAL_SHANGHAI);
    /* 2025-12-31 20:00 UTC is already 2026-01-01 in Shanghai */
    int64_t t = sh_days_from_civil(2025, 12, 31) * 86400 + 20 * 3600;
    struct sh_date d = cal_local_date(&c, t);
    assert_int_equal(d.y, 2026);
    assert_int_equal(d.d, 1);
    assert_int_equal(cal_local_midnight(&c, d), sh(2026, 1, 1, 0, 0));
    struct calendar w;
    cal_init(&w, CAL_24X7, -5 * 3600);
    d = cal_local_date(&w, 0); /* before the epoch in local time */
    assert_int_equal(d.y, 1969);
    assert_int_equal(d.m, 12);
    assert_int_equal(d.d, 31);
}

/* Oracle: minute sampling over a few days, against the day walker. */
static void cal_between_matches_sampling(void **state)
{
    (void)state;
    struct calendar cs[2];
    office(&cs[0], true);
    six24(&cs[1], true);
    uint32_t seed = 12345;
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < 40; i++) {
            seed = seed * 1103515245u + 12345u;
            int64_t a = sh(2026, 9, 26, 0, 0) + (int64_t)(seed % (16u * 86400u)) / 60 * 60;
            seed = seed * 1103515245u + 12345u;
            int64_t b = a + (int64_t)(seed % (4u * 86400u)) / 60 * 60;
            int64_t want = 0;
            for (int64_t t = a; t < b; t += 60)
                want += cal_in_service(&cs[k], t) ? 60 : 0;
            assert_int_equal(cal_business_between(&cs[k], a, b), want);
            int64_t secs = want;
            int64_t end = add(&cs[k], a, secs);
            assert_int_equal(cal_business_between(&cs[k], a, end), secs);
            assert_true(end <= b);
        }
    }
}

static void cal_long_budget_is_fast(void **state)
{
    (void)state;
    struct calendar c;
    office(&c, true);
    /* 2000 office hours from 2025-01-02: 250 working days, a day-walk of about a year */
    int64_t end = add(&c, sh(2025, 1, 2, 8, 30), 2000 * (int64_t)HOUR);
    assert_int_equal(cal_business_between(&c, sh(2025, 1, 2, 8, 30), end), 2000 * (int64_t)HOUR);
    assert_true(end > sh(2025, 12, 1, 0, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cal_24x7_is_wall_time),
        cmocka_unit_test(cal_6x24_skips_sunday),
        cmocka_unit_test(cal_lunch_break),
        cmocka_unit_test(cal_across_midnight_and_weekend),
        cmocka_unit_test(cal_national_day_2026),
        cmocka_unit_test(cal_makeup_saturday),
        cmocka_unit_test(cal_next_open_cases),
        cmocka_unit_test(cal_hours_validation),
        cmocka_unit_test(cal_year_tables),
        cmocka_unit_test(cal_local_dates),
        cmocka_unit_test(cal_between_matches_sampling),
        cmocka_unit_test(cal_long_budget_is_fast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
