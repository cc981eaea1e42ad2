/* SPDX-License-Identifier: MIT */
/* The pure rules of the charge reports (issue 13 item 6, docs/reports.md): the ageing buckets
 * at their edges and the cost categories of a cost line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/report_costs.h"
#include "app/report_receivables.h"

static void ageing_edges(void **state)
{
    (void)state;
    static const struct {
        int64_t days;
        int bucket;
    } rows[] = {{0, 0}, {30, 0}, {31, 1}, {60, 1}, {61, 2}, {90, 2}, {91, 3}, {400, 3}};
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        assert_int_equal(recv_bucket(rows[i].days), rows[i].bucket);
}

static void cost_categories(void **state)
{
    (void)state;
    assert_int_equal(cost_cat_of("travel"), COST_TRAVEL);
    assert_int_equal(cost_cat_of("lodging"), COST_LODGING);
    assert_int_equal(cost_cat_of("allowance"), COST_ALLOWANCE);
    assert_int_equal(cost_cat_of("parts"), COST_PARTS);
    assert_int_equal(cost_cat_of("other"), COST_OTHER);
    assert_int_equal(cost_cat_of("unknown"), COST_OTHER);
    assert_int_equal(cost_cat_of(NULL), COST_OTHER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ageing_edges),
        cmocka_unit_test(cost_categories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
