/* SPDX-License-Identifier: MIT */
/* Shipments: the action table with its roles (WF-01), the legal actions listed on a 409, the
 * release guard, carrier days and the dead-on-arrival window (WF-08). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/shipment.h"

struct tcase {
    enum shp_state from;
    enum shp_action act;
    unsigned roles;
    enum sh_code want;
    enum shp_state to;
};

static const struct tcase cases[] = {
    {SHS_REQUESTED, SHA_ISSUE_ORDER, RB(FINANCE), SH_OK, SHS_ORDERED},
    {SHS_REQUESTED, SHA_ISSUE_ORDER, RB(SALES), SH_FORBIDDEN, 0},
    {SHS_REQUESTED, SHA_RELEASE, RB(WAREHOUSE), SH_CONFLICT, 0},
    {SHS_REQUESTED, SHA_CANCEL, RB(SALES), SH_OK, SHS_CANCELLED},
    {SHS_ORDERED, SHA_HAND_OVER, RB(AGENT), SH_OK, SHS_HANDED_OVER},
    {SHS_ORDERED, SHA_HAND_OVER, RB(FINANCE), SH_FORBIDDEN, 0},
    {SHS_ORDERED, SHA_ISSUE_ORDER, RB(FINANCE), SH_CONFLICT, 0},
    {SHS_HANDED_OVER, SHA_HOLD, RB(WAREHOUSE), SH_OK, SHS_ON_HOLD},
    {SHS_HANDED_OVER, SHA_HOLD, RB(SALES), SH_FORBIDDEN, 0},
    {SHS_HANDED_OVER, SHA_RELEASE, RB(WAREHOUSE), SH_OK, SHS_RELEASED},
    {SHS_HANDED_OVER, SHA_RELEASE, RB(LOGISTICS), SH_FORBIDDEN, 0},
    {SHS_ON_HOLD, SHA_RELEASE, RB(WAREHOUSE), SH_CONFLICT, 0},
    {SHS_ON_HOLD, SHA_INSTRUCT, RB(SALES), SH_OK, SHS_HANDED_OVER},
    {SHS_ON_HOLD, SHA_INSTRUCT, RB(AGENT), SH_OK, SHS_HANDED_OVER},
    {SHS_ON_HOLD, SHA_INSTRUCT, RB(WAREHOUSE), SH_FORBIDDEN, 0},
    {SHS_RELEASED, SHA_DISPATCH, RB(LOGISTICS), SH_OK, SHS_IN_TRANSIT},
    {SHS_RELEASED, SHA_DISPATCH, RB(WAREHOUSE), SH_FORBIDDEN, 0},
    {SHS_RELEASED, SHA_CANCEL, RB(SALES), SH_CONFLICT, 0},
    {SHS_IN_TRANSIT, SHA_ARRIVE, RB(AGENT), SH_OK, SHS_ARRIVED},
    {SHS_IN_TRANSIT, SHA_ARRIVE, RB(LOGISTICS), SH_FORBIDDEN, 0},
    {SHS_IN_TRANSIT, SHA_RECEIVE, RB(DEPT_HEAD), SH_OK, SHS_RECEIVED},
    {SHS_ARRIVED, SHA_RECEIVE, RB(AGENT), SH_OK, SHS_RECEIVED},
    {SHS_RECEIVED, SHA_CANCEL, RB(ADMIN), SH_CONFLICT, 0},
    {SHS_CANCELLED, SHA_ISSUE_ORDER, RB(ADMIN), SH_CONFLICT, 0},
};

static void transition_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct tcase *c = &cases[i];
        enum shp_state to = SHP_STATE_COUNT;
        struct sh_err e;
        sh_err_clear(&e);
        enum sh_code rc = shp_transition(c->from, c->act, c->roles, &to, &e);
        if (rc != c->want)
            fail_msg("case %zu: %s --%s--> got %d want %d", i, shp_state_name(c->from),
                     shp_action_name(c->act), rc, c->want);
        if (rc == SH_OK)
            assert_int_equal(to, c->to);
        if (rc == SH_CONFLICT)
            assert_string_equal(e.reason, "illegal_action");
    }
}

static void illegal_lists_the_legal(void **state)
{
    (void)state;
    enum shp_state to;
    struct sh_err e;
    sh_err_clear(&e);
    assert_int_equal(shp_transition(SHS_HANDED_OVER, SHA_ARRIVE, RB(ADMIN), &to, &e), SH_CONFLICT);
    assert_non_null(strstr(e.params, "\"allowed\":[\"hold\",\"release\",\"cancel\"]"));
    assert_non_null(strstr(e.msg, "allowed: hold, release, cancel"));
}

static void allowed_actions(void **state)
{
    (void)state;
    enum shp_action out[SHP_ACTION_COUNT];
    assert_int_equal(shp_allowed_actions(SHS_REQUESTED, RB(FINANCE), out), 1);
    assert_int_equal(out[0], SHA_ISSUE_ORDER);
    assert_int_equal(shp_allowed_actions(SHS_REQUESTED, RB(SALES), out), 1);
    assert_int_equal(out[0], SHA_CANCEL);
    assert_int_equal(shp_allowed_actions(SHS_RECEIVED, ROLES_ALL, out), 0);
    assert_int_equal(shp_allowed_actions(SHS_IN_TRANSIT, RB(AGENT), out), 2);
    /* every state but the terminal ones has an action for someone */
    for (int s = 0; s < SHP_STATE_COUNT; s++)
        if (s != SHS_RECEIVED && s != SHS_CANCELLED)
            assert_true(shp_allowed_actions((enum shp_state)s, ROLES_ALL, out) > 0);
}

static void names(void **state)
{
    (void)state;
    for (int s = 0; s < SHP_STATE_COUNT; s++) {
        enum shp_state back;
        assert_non_null(shp_state_names[s]);
        assert_true(shp_state_parse(shp_state_names[s], &back));
        assert_int_equal(back, s);
    }
    for (int a = 0; a < SHP_ACTION_COUNT; a++) {
        enum shp_action back;
        assert_true(shp_action_parse(shp_action_names[a], &back));
        assert_int_equal(back, a);
    }
    enum shp_kind k;
    assert_true(shp_kind_parse("replacement", &k));
    assert_int_equal(k, SHK_REPLACEMENT);
    assert_false(shp_kind_parse("gift", &k));
    assert_true(shp_lines_editable(SHS_HANDED_OVER));
    assert_true(shp_lines_editable(SHS_ON_HOLD));
    assert_false(shp_lines_editable(SHS_RELEASED));
}

static void release_guard(void **state)
{
    (void)state;
    const struct shp_line_facts lines[] = {
        {true, true, true}, {false, true, true}, {true, false, true}, {true, true, false}};
    assert_int_equal(shp_lines_missing(lines, 1), 0);
    assert_int_equal(shp_lines_missing(lines, 4), 3);
    assert_int_equal(shp_lines_missing(lines, 0), 0);
}

static void carrier_days(void **state)
{
    (void)state;
    const char *t = "顺丰=3, 德邦物流 = 5,bad,x=abc,,=4,慢运=400, 空运=0";
    assert_int_equal(shp_carrier_days(t, "顺丰", 7), 3);
    assert_int_equal(shp_carrier_days(t, "德邦物流", 7), 5);
    assert_int_equal(shp_carrier_days(t, "空运", 7), 0);
    assert_int_equal(shp_carrier_days(t, "bad", 7), 7);
    assert_int_equal(shp_carrier_days(t, "x", 7), 7);
    assert_int_equal(shp_carrier_days(t, "慢运", 7), 7); /* over 365: skipped */
    assert_int_equal(shp_carrier_days(t, "中通", 7), 7);
    assert_int_equal(shp_carrier_days("", "顺丰", 9), 9);
    assert_int_equal(shp_carrier_days(NULL, "顺丰", 9), 9);
    struct sh_err e;
    sh_err_clear(&e);
    assert_int_equal(shp_carrier_table_check("顺丰=3, 德邦=5", "k", &e), SH_OK);
    assert_int_equal(shp_carrier_table_check("", "k", &e), SH_OK);
    assert_int_equal(shp_carrier_table_check("顺丰=3,bad", "k", &e), SH_INVALID);
    assert_string_equal(e.reason, "invalid_format");
    assert_int_equal(shp_carrier_table_check("=3", "k", &e), SH_INVALID);
    assert_int_equal(shp_carrier_table_check("a=366", "k", &e), SH_INVALID);
}

static void doa_window(void **state)
{
    (void)state;
    struct sh_date rec = {2026, 12, 1};
    assert_true(shp_is_doa(rec, (struct sh_date){2026, 12, 1}, 15));
    assert_true(shp_is_doa(rec, (struct sh_date){2026, 12, 16}, 15));
    assert_false(shp_is_doa(rec, (struct sh_date){2026, 12, 17}, 15));
    assert_false(shp_is_doa(rec, (struct sh_date){2026, 11, 30}, 15));
    assert_true(shp_is_doa((struct sh_date){2026, 12, 25}, (struct sh_date){2027, 1, 5}, 15));
    assert_false(shp_is_doa(rec, (struct sh_date){2026, 12, 2}, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transition_table), cmocka_unit_test(illegal_lists_the_legal),
        cmocka_unit_test(allowed_actions),  cmocka_unit_test(names),
        cmocka_unit_test(release_guard),    cmocka_unit_test(carrier_days),
        cmocka_unit_test(doa_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
