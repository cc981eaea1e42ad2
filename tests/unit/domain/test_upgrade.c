/* SPDX-License-Identifier: MIT */
/* Software versions and upgrades (WF-17, R-094): the entitlement table (display and playback
 * upgrades free in warranty, functional upgrades at cost, priced by the fee rules when a rule
 * set prices upgrades) and the compliance of a version with the model's rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/upgrade.h"

struct ent_case {
    enum upgrade_kind kind;
    enum upgrade_warranty warranty;
    bool rule, cost;
    int64_t rule_fen;
    enum upgrade_billing billing;
    const char *reason;
    enum upgrade_price price;
    bool has_amount;
    int64_t amount;
};

static const struct ent_case ENT[] = {
    /* free in warranty: display management and playback */
    {UK_DISPLAY, UW_IN, true, true, 50000, UB_FREE, "free_in_warranty", UP_NONE, false, 0},
    {UK_PLAYBACK, UW_IN, false, false, 0, UB_FREE, "free_in_warranty", UP_NONE, false, 0},
    /* functional: at cost in warranty and out of it */
    {UK_FUNCTIONAL, UW_IN, true, true, 120000, UB_CHARGEABLE, "functional_at_cost", UP_PRICED, true,
     120000},
    {UK_FUNCTIONAL, UW_OUT, true, true, 80000, UB_CHARGEABLE, "functional_at_cost", UP_PRICED, true,
     80000},
    {UK_FUNCTIONAL, UW_UNKNOWN, true, true, 1, UB_CHARGEABLE, "functional_at_cost", UP_PRICED, true,
     1},
    /* chargeable without an amount: no rule, or no cost given */
    {UK_FUNCTIONAL, UW_OUT, false, true, 0, UB_CHARGEABLE, "functional_at_cost", UP_NO_RULE, false,
     0},
    {UK_FUNCTIONAL, UW_OUT, true, false, 0, UB_CHARGEABLE, "functional_at_cost", UP_NO_COST, false,
     0},
    /* display / playback out of warranty: chargeable */
    {UK_DISPLAY, UW_OUT, true, true, 30000, UB_CHARGEABLE, "out_of_warranty", UP_PRICED, true,
     30000},
    {UK_PLAYBACK, UW_OUT, false, false, 0, UB_CHARGEABLE, "out_of_warranty", UP_NO_RULE, false, 0},
    /* a free upgrade with a zero cost priced is still free */
    {UK_DISPLAY, UW_IN, true, true, 0, UB_FREE, "free_in_warranty", UP_NONE, false, 0},
    /* warranty not known: not decided */
    {UK_DISPLAY, UW_UNKNOWN, true, true, 100, UB_UNDECIDED, "warranty_unknown", UP_NONE, false, 0},
    {UK_PLAYBACK, UW_UNKNOWN, false, false, 0, UB_UNDECIDED, "warranty_unknown", UP_NONE, false, 0},
};

static void entitlement_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(ENT) / sizeof(ENT[0]); i++) {
        const struct ent_case *c = &ENT[i];
        struct upgrade_in in = {.kind = c->kind,
                                .warranty = c->warranty,
                                .rule_found = c->rule,
                                .cost_given = c->cost,
                                .rule_fen = c->rule_fen};
        struct upgrade_out o = upgrade_entitlement(&in);
        print_message("case %zu\n", i);
        assert_int_equal(o.billing, c->billing);
        assert_string_equal(o.reason, c->reason);
        assert_int_equal(o.price, c->price);
        assert_int_equal(o.has_amount, c->has_amount);
        if (c->has_amount)
            assert_int_equal(o.amount_fen, c->amount);
    }
}

static void compliance_table(void **state)
{
    (void)state;
    const struct version_rule rules[] = {
        {"3.2.0", VS_CURRENT}, {"3.1.5", VS_ALLOWED}, {"3.0.1", VS_WITHDRAWN}};
    struct {
        const char *v;
        enum version_compliance want;
    } cases[] = {{"3.2.0", VC_OK},      {"3.1.5", VC_OUTDATED}, {"3.0.1", VC_WITHDRAWN},
                 {"9.9", VC_UNKNOWN},   {"", VC_UNKNOWN},       {NULL, VC_UNKNOWN},
                 {"3.2.0 ", VC_UNKNOWN}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_int_equal(version_comply(cases[i].v, rules, 3), cases[i].want);
    assert_int_equal(version_comply("3.2.0", NULL, 0), VC_UNKNOWN);
}

static void worst_of_components(void **state)
{
    (void)state;
    enum version_compliance a[] = {VC_OK, VC_OUTDATED, VC_OK};
    assert_int_equal(version_worst(a, 3), VC_OUTDATED);
    enum version_compliance b[] = {VC_UNKNOWN, VC_WITHDRAWN, VC_OUTDATED};
    assert_int_equal(version_worst(b, 3), VC_WITHDRAWN);
    enum version_compliance c[] = {VC_OK, VC_UNKNOWN};
    assert_int_equal(version_worst(c, 2), VC_UNKNOWN);
    assert_int_equal(version_worst(NULL, 0), VC_UNKNOWN);
    enum version_compliance d[] = {VC_OK};
    assert_int_equal(version_worst(d, 1), VC_OK);
}

static void names(void **state)
{
    (void)state;
    assert_int_equal(upgrade_name_index(upgrade_kind_names, "functional"), UK_FUNCTIONAL);
    assert_int_equal(upgrade_name_index(upgrade_kind_names, "x"), -1);
    assert_int_equal(upgrade_name_index(upgrade_kind_names, NULL), -1);
    assert_string_equal(version_compliance_names[VC_WITHDRAWN], "withdrawn");
    assert_string_equal(upgrade_price_names[UP_NO_RULE], "no_rule");
    assert_null(upgrade_billing_names[UB_COUNT_]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entitlement_table),
        cmocka_unit_test(compliance_table),
        cmocka_unit_test(worst_of_components),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
