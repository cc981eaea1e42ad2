/* SPDX-License-Identifier: MIT */
/* Periodic visit plans (WF-10, R-185): due dates every N weeks or months, month-end
 * clamping anchored on the start date, the end date, the planned count of a period. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/visit_plan.h"

static struct sh_date D(const char *s) {
    struct sh_date d = {0, 0, 0};
    assert_true(sh_date_parse(s, &d));
    return d;
}

static struct visit_rule
rule(const char *start, const char *period, int every, const char *end)
{
    struct visit_rule r = {.start = D(start), .every = every};
    assert_true(visit_period_parse(period, &r.period));
    if (end) {
        r.has_end = true;
        r.end = D(end);
    }
    return r;
}

/* The due dates of a rule in [from, to], as "d1 d2 …". */
static void dues(const struct visit_rule *r, const char *from, const char *to, char *out)
{
    struct sh_date d[64];
    int n = visit_due_dates(r, D(from), D(to), d, 64);
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        char t[11];
        sh_date_format(d[i], t);
        if (i)
            strncat(out, " ", 2);
        strncat(out, t, 11);
    }
}

struct due_case {
    const char *start, *period;
    int every;
    const char *end, *from, *to, *want;
};

static const struct due_case due_cases[] = {
    /* weeks: every 2 weeks from a Monday */
    {"2026-01-05", "week", 2, NULL, "2026-01-01", "2026-02-15", "2026-01-05 2026-01-19 2026-02-02"},
    /* a window that starts between two occurrences */
    {"2026-01-05", "week", 2, NULL, "2026-01-06", "2026-01-31", "2026-01-19"},
    /* month-end clamping, anchored on the start: 31st → 28th/29th → 31st, never drifting */
    {"2026-01-31", "month", 1, NULL, "2026-01-01", "2026-05-31",
     "2026-01-31 2026-02-28 2026-03-31 2026-04-30 2026-05-31"},
    /* a leap year: 2028-02-29 */
    {"2027-11-30", "month", 3, NULL, "2027-11-01", "2028-12-31",
     "2027-11-30 2028-02-29 2028-05-30 2028-08-30 2028-11-30"},
    /* the 31st every two months, asked from the middle of the series */
    {"2025-08-31", "month", 2, NULL, "2026-02-01", "2026-06-30",
     "2026-02-28 2026-04-30 2026-06-30"},
    /* the end date is inclusive and stops the series */
    {"2026-01-15", "month", 1, "2026-03-15", "2026-01-01", "2026-12-31",
     "2026-01-15 2026-02-15 2026-03-15"},
    {"2026-01-15", "month", 1, "2026-03-14", "2026-01-01", "2026-12-31", "2026-01-15 2026-02-15"},
    /* nothing before the start */
    {"2026-06-01", "month", 1, NULL, "2026-01-01", "2026-05-31", ""},
    /* a window of one day that is a due date, and one that is not */
    {"2026-01-10", "week", 1, NULL, "2026-01-24", "2026-01-24", "2026-01-24"},
    {"2026-01-10", "week", 1, NULL, "2026-01-25", "2026-01-25", ""},
    /* across a year end */
    {"2026-12-28", "week", 1, NULL, "2026-12-27", "2027-01-12", "2026-12-28 2027-01-04 2027-01-11"},
    /* yearly as every 12 months from 29 February */
    {"2024-02-29", "month", 12, NULL, "2024-01-01", "2028-12-31",
     "2024-02-29 2025-02-28 2026-02-28 2027-02-28 2028-02-29"},
};

static void due_dates_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(due_cases) / sizeof(due_cases[0]); i++) {
        const struct due_case *c = &due_cases[i];
        struct visit_rule r = rule(c->start, c->period, c->every, c->end);
        char got[1024];
        dues(&r, c->from, c->to, got);
        if (strcmp(got, c->want))
            fail_msg("case %zu (%s every %d %s from %s to %s): got '%s', want '%s'", i, c->start,
                     c->every, c->period, c->from, c->to, got, c->want);
        /* the planned count of the window is the number of those dates */
        int n = visit_count_due(&r, D(c->from), D(c->to));
        int words = *c->want ? 1 : 0;
        for (const char *p = c->want; *p; p++)
            words += *p == ' ';
        assert_int_equal(n, words);
    }
}

static void next_due_and_occurrence(void **state)
{
    (void)state;
    struct visit_rule r = rule("2026-01-31", "month", 1, "2026-04-30");
    struct sh_date d;
    assert_true(visit_next_due(&r, D("2026-02-01"), &d));
    assert_int_equal(sh_date_cmp(d, D("2026-02-28")), 0);
    assert_true(visit_next_due(&r, D("2026-01-31"), &d));
    assert_int_equal(sh_date_cmp(d, D("2026-01-31")), 0);
    assert_false(visit_next_due(&r, D("2026-05-01"), &d)); /* past the end */
    assert_true(visit_occurrence(&r, 3, &d));
    assert_int_equal(sh_date_cmp(d, D("2026-04-30")), 0);
    assert_false(visit_occurrence(&r, 4, &d));
    assert_false(visit_occurrence(&r, -1, &d));
    r.every = 0; /* invalid rules give nothing rather than loop */
    assert_false(visit_next_due(&r, D("2026-02-01"), &d));
    assert_int_equal(visit_count_due(&r, D("2026-01-01"), D("2026-12-31")), 0);
}

static void max_bounds_the_output(void **state)
{
    (void)state;
    struct visit_rule r = rule("2026-01-01", "week", 1, NULL);
    struct sh_date d[3];
    assert_int_equal(visit_due_dates(&r, D("2026-01-01"), D("2026-12-31"), d, 3), 3);
    assert_int_equal(sh_date_cmp(d[2], D("2026-01-15")), 0);
    assert_int_equal(visit_due_dates(&r, D("2026-12-31"), D("2026-01-01"), d, 3), 0);
}

static void names_and_times(void **state)
{
    (void)state;
    enum visit_period p;
    assert_true(visit_period_parse("week", &p) && p == VISIT_WEEK);
    assert_true(visit_period_parse("month", &p) && p == VISIT_MONTH);
    assert_false(visit_period_parse("year", &p));
    assert_false(visit_period_parse(NULL, &p));
    assert_string_equal(visit_period_name(VISIT_MONTH), "month");
    int m;
    assert_true(visit_time_parse("09:30", &m) && m == 570);
    assert_true(visit_time_parse("00:00", &m) && m == 0);
    assert_true(visit_time_parse("23:59", &m) && m == 1439);
    static const char *const bad[] = {"24:00", "9:30", "09:60", "09-30", "0930", "", "ab:cd"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(visit_time_parse(bad[i], &m));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(due_dates_table),
        cmocka_unit_test(next_due_and_occurrence),
        cmocka_unit_test(max_bounds_the_output),
        cmocka_unit_test(names_and_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
