/* SPDX-License-Identifier: MIT */
/* Business trips: the action table with its roles and members, the feedback guard,
 * the time a trip keeps its technicians away, the overlap, the report flag and the
 * actual days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/trip.h"

#define PLAN RB(DISPATCHER)
#define TECH RB(TECHNICIAN)
#define DAY  86400

struct tcase {
    enum trip_status from;
    enum trip_action act;
    unsigned roles;
    bool member, feedback;
    enum sh_code want;
    enum trip_status to;
    const char *reason;
};

static const struct tcase cases[] = {
    {TRS_PLANNED, TRA_DEPART, TECH, true, false, SH_OK, TRS_DEPARTED, ""},
    {TRS_PLANNED, TRA_DEPART, PLAN, false, false, SH_OK, TRS_DEPARTED, ""},
    {TRS_PLANNED, TRA_DEPART, TECH, false, false, SH_FORBIDDEN, 0, ""},
    {TRS_PLANNED, TRA_RETURN, TECH, true, false, SH_CONFLICT, 0, "illegal_action"},
    {TRS_PLANNED, TRA_CLOSE, PLAN, false, true, SH_CONFLICT, 0, "illegal_action"},
    {TRS_PLANNED, TRA_CANCEL, PLAN, false, false, SH_OK, TRS_CANCELLED, ""},
    {TRS_PLANNED, TRA_CANCEL, TECH, true, false, SH_FORBIDDEN, 0, ""},
    {TRS_DEPARTED, TRA_RETURN, TECH, true, false, SH_OK, TRS_RETURNED, ""},
    {TRS_DEPARTED, TRA_CANCEL, PLAN, false, false, SH_CONFLICT, 0, "illegal_action"},
    {TRS_DEPARTED, TRA_CLOSE, PLAN, false, true, SH_CONFLICT, 0, "illegal_action"},
    {TRS_RETURNED, TRA_CLOSE, PLAN, false, false, SH_CONFLICT, 0, "guard"},
    {TRS_RETURNED, TRA_CLOSE, PLAN, false, true, SH_OK, TRS_CLOSED, ""},
    {TRS_RETURNED, TRA_CLOSE, TECH, true, true, SH_FORBIDDEN, 0, ""},
    {TRS_RETURNED, TRA_CLOSE, RB(ADMIN), false, true, SH_OK, TRS_CLOSED, ""},
    {TRS_CLOSED, TRA_CLOSE, PLAN, false, true, SH_CONFLICT, 0, "illegal_action"},
    {TRS_CANCELLED, TRA_DEPART, TECH, true, false, SH_CONFLICT, 0, "illegal_action"},
};

static void transition_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct tcase *c = &cases[i];
        struct sh_err e;
        sh_err_clear(&e);
        struct trip_facts f = {.roles = c->roles, .member = c->member, .feedback = c->feedback};
        enum trip_status to = TRIP_STATUS_COUNT;
        enum sh_code rc = trip_transition(c->from, c->act, &f, &to, &e);
        if (rc != c->want)
            fail_msg("case %zu: %s/%s got %d want %d", i, trip_status_name(c->from),
                     trip_action_name(c->act), rc, c->want);
        if (rc == SH_OK)
            assert_int_equal(to, c->to);
        if (*c->reason)
            assert_string_equal(e.reason, c->reason);
    }
    struct sh_err e;
    sh_err_clear(&e);
    struct trip_facts f = {.roles = PLAN};
    enum trip_status to;
    assert_int_equal(trip_transition(TRS_DEPARTED, TRA_CANCEL, &f, &to, &e), SH_CONFLICT);
    assert_non_null(strstr(e.msg, "allowed: return"));
}

static void allowed_actions(void **state)
{
    (void)state;
    enum trip_action out[TRIP_ACTION_COUNT];
    assert_int_equal(trip_allowed_actions(TRS_PLANNED, PLAN, false, out), 2);
    assert_int_equal(out[0], TRA_DEPART);
    assert_int_equal(out[1], TRA_CANCEL);
    assert_int_equal(trip_allowed_actions(TRS_PLANNED, TECH, true, out), 1);
    assert_int_equal(trip_allowed_actions(TRS_PLANNED, TECH, false, out), 0);
    assert_int_equal(trip_allowed_actions(TRS_RETURNED, TECH, true, out), 0);
    assert_int_equal(trip_allowed_actions(TRS_CLOSED, PLAN, false, out), 0);
}

static void names(void **state)
{
    (void)state;
    for (int s = 0; s < TRIP_STATUS_COUNT; s++) {
        enum trip_status v;
        assert_true(trip_status_parse(trip_status_names[s], &v));
        assert_int_equal(v, s);
    }
    for (int a = 0; a < TRIP_ACTION_COUNT; a++) {
        enum trip_action v;
        assert_true(trip_action_parse(trip_action_names[a], &v));
        assert_int_equal(v, a);
    }
    enum trip_status v;
    assert_false(trip_status_parse("gone", &v));
    assert_false(trip_status_parse(NULL, &v));
    assert_null(trip_expense_names[TRIP_EXPENSE_COUNT]);
}

struct away_case {
    enum trip_status st;
    int64_t start, end, now;
    bool away;
    int64_t from, to;
};

static void away_and_overlap(void **state)
{
    (void)state;
    const struct away_case ac[] = {
        {TRS_PLANNED, 10 * DAY, 13 * DAY, 0, true, 10 * DAY, 13 * DAY},
        {TRS_CANCELLED, 10 * DAY, 13 * DAY, 0, false, 0, 0},
        /* a departed trip past its estimate keeps its technicians until now */
        {TRS_DEPARTED, 10 * DAY, 13 * DAY, 15 * DAY, true, 10 * DAY, 15 * DAY},
        {TRS_DEPARTED, 10 * DAY, 13 * DAY, 11 * DAY, true, 10 * DAY, 13 * DAY},
        {TRS_RETURNED, 10 * DAY, 12 * DAY, 15 * DAY, true, 10 * DAY, 12 * DAY},
        {TRS_CLOSED, 10 * DAY, 10 * DAY, 15 * DAY, true, 10 * DAY, 10 * DAY + 1},
    };
    for (size_t i = 0; i < sizeof(ac) / sizeof(ac[0]); i++) {
        int64_t f = 0, t = 0;
        bool got = trip_away(ac[i].st, ac[i].start, ac[i].end, ac[i].now, &f, &t);
        assert_int_equal(got, ac[i].away);
        if (got) {
            assert_int_equal(f, ac[i].from);
            assert_int_equal(t, ac[i].to);
        }
    }
    assert_true(trip_overlap(0, 10, 9, 20));
    assert_false(trip_overlap(0, 10, 10, 20)); /* back the day the next leaves */
    assert_true(trip_overlap(5, 6, 0, 20));
    assert_false(trip_overlap(20, 30, 0, 20));
}

static void report_overdue(void **state)
{
    (void)state;
    const int64_t h = 3600, dep = 100 * DAY;
    assert_false(trip_report_overdue(TRS_DEPARTED, dep, 0, dep + 23 * h, 24 * h));
    assert_true(trip_report_overdue(TRS_DEPARTED, dep, 0, dep + 25 * h, 24 * h));
    assert_false(trip_report_overdue(TRS_DEPARTED, dep, dep + 20 * h, dep + 25 * h, 24 * h));
    assert_true(trip_report_overdue(TRS_DEPARTED, dep, dep + 20 * h, dep + 45 * h, 24 * h));
    assert_false(trip_report_overdue(TRS_PLANNED, dep, 0, dep + 99 * h, 24 * h));
    assert_false(trip_report_overdue(TRS_RETURNED, dep, 0, dep + 99 * h, 24 * h));
    assert_false(trip_report_overdue(TRS_DEPARTED, dep, 0, dep + 99 * h, 0));
}

static void actual_days(void **state)
{
    (void)state;
    assert_int_equal(trip_actual_days(DAY, 0), -1);
    assert_int_equal(trip_actual_days(DAY, DAY + 3600), 1);
    assert_int_equal(trip_actual_days(DAY, 2 * DAY), 1);
    assert_int_equal(trip_actual_days(DAY, 2 * DAY + 1), 2);
    assert_int_equal(trip_actual_days(DAY, 4 * DAY), 3);
    assert_int_equal(trip_actual_days(2 * DAY, DAY), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transition_table),
        cmocka_unit_test(allowed_actions),
        cmocka_unit_test(names),
        cmocka_unit_test(away_and_overlap),
        cmocka_unit_test(report_overdue),
        cmocka_unit_test(actual_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
