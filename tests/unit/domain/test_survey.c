/* SPDX-License-Identifier: MIT */
/* The satisfaction survey's pure rules (issue 11 item 6): scores, the low score that opens a
 * follow-up task, the link's state and lifetime. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/survey.h"

static void survey_scores(void **state)
{
    (void)state;
    assert_false(survey_score_valid(0));
    assert_true(survey_score_valid(1));
    assert_true(survey_score_valid(5));
    assert_false(survey_score_valid(6));
    assert_false(survey_score_valid(-1));
    const int64_t good[] = {3, 4, 5, 3}, low[] = {5, 5, 2, 5}, lowest[] = {1, 5, 5, 5},
                  unset[] = {0, 0, 0, 0};
    assert_false(survey_has_low_score(good, 4));
    assert_true(survey_has_low_score(low, 4));
    assert_true(survey_has_low_score(lowest, 4));
    assert_false(survey_has_low_score(unset, 4)); /* a refusal has no scores */
}

static void survey_link_states(void **state)
{
    (void)state;
    const int64_t exp = 1000;
    assert_int_equal(survey_link_state(SV_PENDING, exp, 999), SL_OPEN);
    assert_int_equal(survey_link_state(SV_PENDING, exp, 1000), SL_EXPIRED);
    assert_int_equal(survey_link_state(SV_SUBMITTED, exp, 10), SL_USED);
    assert_int_equal(survey_link_state(SV_REFUSED, exp, 10), SL_USED);
    /* used stays used after it expires */
    assert_int_equal(survey_link_state(SV_SUBMITTED, exp, 5000), SL_USED);
}

static void survey_lifetimes(void **state)
{
    (void)state;
    assert_int_equal(survey_link_lifetime(SURVEY_LINK_DAYS_DEFAULT), 14 * 86400);
    assert_int_equal(survey_link_lifetime(0), 0);
    assert_int_equal(survey_link_lifetime(-3), 0);
    assert_int_equal(survey_link_lifetime(100000), SURVEY_LINK_DAYS_MAX * 86400);
}

static void survey_names(void **state)
{
    (void)state;
    enum survey_status s;
    for (int i = 0; i < SURVEY_STATUS_COUNT; i++) {
        assert_true(survey_status_parse(survey_status_names[i], &s));
        assert_int_equal(s, i);
    }
    assert_false(survey_status_parse("none", &s));
    assert_false(survey_status_parse(NULL, &s));
    assert_null(survey_score_names[SURVEY_SCORE_COUNT]);
    assert_string_equal(survey_score_names[SS_OVERALL], "score_overall");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(survey_scores),
        cmocka_unit_test(survey_link_states),
        cmocka_unit_test(survey_lifetimes),
        cmocka_unit_test(survey_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
