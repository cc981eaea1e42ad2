/* SPDX-License-Identifier: MIT */
/* Civil date and timestamp arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/date.h"

static void days_round_trip(void **state)
{
    (void)state;
    assert_int_equal(sh_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(sh_days_from_civil(2000, 3, 1), 11017);
    for (int64_t d = -800000; d < 800000; d += 37) {
        struct sh_date c = sh_civil_from_days(d);
        assert_true(sh_date_valid(c.y, c.m, c.d) || c.y < 1);
        assert_int_equal(sh_days_from_civil(c.y, c.m, c.d), d);
    }
}

static void weekdays(void **state)
{
    (void)state;
    assert_int_equal(sh_weekday(0), 3);                                /* Thursday */
    assert_int_equal(sh_weekday(sh_days_from_civil(2026, 11, 27)), 4); /* Friday */
    assert_int_equal(sh_weekday(sh_days_from_civil(2026, 10, 1)), 3);  /* Thursday */
}

static void parse_dates(void **state)
{
    (void)state;
    struct sh_date d;
    assert_true(sh_date_parse("2024-02-29", &d));
    assert_int_equal(d.d, 29);
    assert_false(sh_date_parse("2023-02-29", &d));
    assert_false(sh_date_parse("2023-13-01", &d));
    assert_false(sh_date_parse("2023-1-01", &d));
    assert_false(sh_date_parse("2023-01-01x", &d));
    assert_false(sh_date_parse("", &d));
    assert_false(sh_date_parse(NULL, &d));
    char out[11];
    sh_date_format((struct sh_date){2026, 3, 9}, out);
    assert_string_equal(out, "2026-03-09");
}

static void add_months_clamps(void **state)
{
    (void)state;
    struct sh_date r = sh_date_add_months((struct sh_date){2024, 1, 31}, 1);
    assert_int_equal(r.m, 2);
    assert_int_equal(r.d, 29);
    r = sh_date_add_months((struct sh_date){2023, 1, 31}, 1);
    assert_int_equal(r.d, 28);
    r = sh_date_add_months((struct sh_date){2025, 11, 15}, 14);
    assert_int_equal(r.y, 2027);
    assert_int_equal(r.m, 1);
    r = sh_date_add_months((struct sh_date){2025, 3, 15}, -3);
    assert_int_equal(r.y, 2024);
    assert_int_equal(r.m, 12);
}

static void timestamps(void **state)
{
    (void)state;
    int64_t t;
    assert_true(sh_ts_parse("2026-11-27T09:30:00+08:00", &t));
    char out[21];
    sh_ts_format(t, out);
    assert_string_equal(out, "2026-11-27T01:30:00Z");
    assert_true(sh_ts_parse("2026-11-27T01:30:00.123Z", &t));
    sh_ts_format(t, out);
    assert_string_equal(out, "2026-11-27T01:30:00Z");
    assert_true(sh_ts_parse("1969-12-31T23:59:59Z", &t));
    assert_int_equal(t, -1);
    sh_ts_format(-1, out);
    assert_string_equal(out, "1969-12-31T23:59:59Z");
    assert_false(sh_ts_parse("2026-11-27T25:00:00Z", &t));
    assert_false(sh_ts_parse("2026-11-27T09:30:00", &t)); /* no zone */
    assert_false(sh_ts_parse("2026-11-27 09:30", &t));
    assert_false(sh_ts_parse("2026-11-27T09:30:00+8:00", &t));
}

/* L6: offsets can carry a 4-digit text outside years 1-9999; formatting never writes it. */
static void ts_range(void **state)
{
    (void)state;
    int64_t t;
    char out[21];
    assert_true(sh_ts_parse("9999-12-31T23:59:59-23:59", &t));
    assert_false(sh_ts_in_range(t));
    sh_ts_format(t, out);
    assert_string_equal(out, "9999-12-31T23:59:59Z");
    assert_true(sh_ts_parse("0001-01-01T00:00:00+23:59", &t));
    assert_false(sh_ts_in_range(t));
    sh_ts_format(t, out);
    assert_string_equal(out, "0001-01-01T00:00:00Z");
    assert_true(sh_ts_parse("9999-12-31T23:59:59Z", &t));
    assert_true(sh_ts_in_range(t));
    assert_true(sh_ts_parse("0001-01-01T00:00:00Z", &t));
    assert_true(sh_ts_in_range(t));
}

/* a timed wait's deadline: normalised, ms from now on the wall clock */
static void deadline(void **state)
{
    (void)state;
    static const int64_t ms[] = {0, 2, 999, 1000, 1500, 10000};
    for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        struct timespec d = sh_deadline_ms(ms[i]);
        assert_true(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L);
        int64_t diff =
            ((int64_t)d.tv_sec - now.tv_sec) * 1000 + (d.tv_nsec - now.tv_nsec) / 1000000;
        assert_true(diff >= ms[i] && diff <= ms[i] + 50);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(days_round_trip), cmocka_unit_test(weekdays),
        cmocka_unit_test(parse_dates),     cmocka_unit_test(add_months_clamps),
        cmocka_unit_test(timestamps),      cmocka_unit_test(ts_range),
        cmocka_unit_test(deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
