/* SPDX-License-Identifier: MIT */
/* Supplier cases (issue 18 item 5): every state and action against the table of legal steps,
 * and met / late against the committed response hours (rounded up, the boundary met). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/supplier.h"

static void steps(void **state)
{
    (void)state;
    for (int s = 0; s < SC_STATE_COUNT; s++)
        for (int a = 0; a < SCA_COUNT; a++) {
            enum supplier_case_state to = SC_STATE_COUNT;
            bool ok =
                supplier_case_next((enum supplier_case_state)s, (enum supplier_case_action)a, &to);
            bool want = (s == SC_TO_PURCHASING && a == SCA_SEND) ||
                        (s == SC_SENT && a == SCA_ANSWER) || (s == SC_ANSWERED && a == SCA_CLOSE);
            assert_int_equal(ok, want);
            if (ok)
                assert_int_equal(to, s + 1);
        }
    enum supplier_case_state st;
    enum supplier_case_action ac;
    for (int i = 0; i < SC_STATE_COUNT; i++)
        assert_true(supplier_case_state_parse(supplier_case_state_names[i], &st) && (int)st == i);
    assert_false(supplier_case_state_parse("lost", &st));
    assert_true(supplier_case_action_parse("answer", &ac) && ac == SCA_ANSWER);
    assert_false(supplier_case_action_parse("escalate", &ac));
}

static void outcome(void **state)
{
    (void)state;
    int64_t h = -1;
    assert_true(supplier_case_met(0, 20 * 3600, 24, &h));
    assert_int_equal(h, 20);
    assert_true(supplier_case_met(0, 24 * 3600, 24, &h)); /* on the hour: met */
    assert_int_equal(h, 24);
    assert_false(supplier_case_met(0, 24 * 3600 + 1, 24, &h));
    assert_int_equal(h, 25);
    assert_false(supplier_case_met(100, 50 * 3600 + 100, 48, &h));
    assert_int_equal(h, 50);
    assert_true(supplier_case_met(100, 50, 1, &h)); /* a clock going back counts as 0 */
    assert_int_equal(h, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(steps),
        cmocka_unit_test(outcome),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
