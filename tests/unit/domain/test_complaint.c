/* SPDX-License-Identifier: MIT */
/* The complaint/return notice (F-11, WF-07, WF-09): the action table with its roles, the
 * legal actions listed on a 409, the serious-defect rule and the decision's money. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/complaint.h"

struct tcase {
    enum complaint_state from;
    enum complaint_action act;
    unsigned roles;
    enum sh_code want;
    enum complaint_state to;
};

static const struct tcase cases[] = {
    {CPS_RECEIVED, CPA_ROUTE, RB(AGENT), SH_OK, CPS_ROUTED},
    {CPS_RECEIVED, CPA_ROUTE, RB(TECHNICIAN), SH_FORBIDDEN, 0},
    {CPS_RECEIVED, CPA_ANALYSE, RB(DEPT_HEAD), SH_CONFLICT, 0},
    {CPS_RECEIVED, CPA_REFUSE, RB(GM), SH_OK, CPS_REFUSED},
    {CPS_RECEIVED, CPA_REFUSE, RB(AGENT), SH_FORBIDDEN, 0},
    {CPS_RECEIVED, CPA_CLOSE, RB(AGENT), SH_CONFLICT, 0},
    {CPS_ROUTED, CPA_ROUTE, RB(DEPT_HEAD), SH_OK, CPS_ROUTED},
    {CPS_ROUTED, CPA_ANALYSE, RB(DEPT_HEAD), SH_OK, CPS_ANALYSED},
    {CPS_ROUTED, CPA_ANALYSE, RB(QC), SH_OK, CPS_ANALYSED},
    {CPS_ROUTED, CPA_ANALYSE, RB(AGENT), SH_FORBIDDEN, 0},
    {CPS_ROUTED, CPA_ACT, RB(DEPT_HEAD), SH_CONFLICT, 0},
    {CPS_ROUTED, CPA_REFUSE, RB(DEPT_HEAD), SH_OK, CPS_REFUSED},
    {CPS_ANALYSED, CPA_ACT, RB(DEPT_HEAD), SH_OK, CPS_ACTION_TAKEN},
    {CPS_ANALYSED, CPA_ACT, RB(GM), SH_OK, CPS_ACTION_TAKEN},
    {CPS_ANALYSED, CPA_ACT, RB(QC), SH_FORBIDDEN, 0},
    {CPS_ANALYSED, CPA_VERIFY, RB(QC), SH_CONFLICT, 0},
    {CPS_ANALYSED, CPA_REFUSE, RB(GM), SH_OK, CPS_REFUSED},
    {CPS_ACTION_TAKEN, CPA_VERIFY, RB(QC), SH_OK, CPS_VERIFIED},
    {CPS_ACTION_TAKEN, CPA_VERIFY, RB(DEPT_HEAD), SH_FORBIDDEN, 0},
    {CPS_ACTION_TAKEN, CPA_REOPEN, RB(QC), SH_OK, CPS_ANALYSED},
    {CPS_ACTION_TAKEN, CPA_REFUSE, RB(GM), SH_CONFLICT, 0},
    {CPS_ACTION_TAKEN, CPA_CLOSE, RB(AGENT), SH_CONFLICT, 0},
    {CPS_VERIFIED, CPA_CLOSE, RB(AGENT), SH_OK, CPS_CLOSED},
    {CPS_VERIFIED, CPA_CLOSE, RB(QC), SH_FORBIDDEN, 0},
    {CPS_CLOSED, CPA_ROUTE, RB(ADMIN), SH_CONFLICT, 0},
    {CPS_CLOSED, CPA_REFUSE, RB(ADMIN), SH_CONFLICT, 0},
    {CPS_REFUSED, CPA_CLOSE, RB(ADMIN), SH_CONFLICT, 0},
    {CPS_REFUSED, CPA_ROUTE, RB(ADMIN), SH_CONFLICT, 0},
};

static void transition_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct tcase *c = &cases[i];
        struct sh_err e;
        sh_err_clear(&e);
        enum complaint_state to = COMPLAINT_STATE_COUNT;
        enum sh_code rc = complaint_transition(c->from, c->act, c->roles, &to, &e);
        if (rc != c->want)
            fail_msg("case %zu: %s %s: got %d want %d (%s)", i, complaint_state_name(c->from),
                     complaint_action_name(c->act), rc, c->want, e.msg);
        if (rc == SH_OK)
            assert_int_equal(to, c->to);
        if (rc == SH_CONFLICT)
            assert_string_equal(e.reason, "illegal_action");
    }
}

static void every_open_state_leads_somewhere(void **state)
{
    (void)state;
    for (int s = 0; s < COMPLAINT_STATE_COUNT; s++) {
        enum complaint_action out[COMPLAINT_ACTION_COUNT];
        int n = complaint_allowed_actions((enum complaint_state)s, ROLES_ALL, out);
        assert_int_equal(n == 0, complaint_state_terminal((enum complaint_state)s));
    }
}

static void illegal_lists_the_legal(void **state)
{
    (void)state;
    struct sh_err e;
    sh_err_clear(&e);
    enum complaint_state to;
    assert_int_equal(complaint_transition(CPS_RECEIVED, CPA_CLOSE, ROLES_ALL, &to, &e),
                     SH_CONFLICT);
    assert_non_null(strstr(e.params, "\"allowed\":[\"route\",\"refuse\"]"));
}

static void names(void **state)
{
    (void)state;
    for (int i = 0; i < COMPLAINT_STATE_COUNT; i++) {
        enum complaint_state s;
        assert_true(complaint_state_parse(complaint_state_names[i], &s) && (int)s == i);
    }
    for (int i = 0; i < COMPLAINT_ACTION_COUNT; i++) {
        enum complaint_action a;
        assert_true(complaint_action_parse(complaint_action_names[i], &a) && (int)a == i);
    }
    assert_null(complaint_state_names[COMPLAINT_STATE_COUNT]);
    assert_false(complaint_action_parse("delete", &(enum complaint_action){0}));
}

static void serious(void **state)
{
    (void)state;
    static const char *const yes[] = {"cracking", "deformation", "paint_loss", "colour_difference",
                                      "cannot_install"};
    for (size_t i = 0; i < 5; i++)
        assert_true(complaint_serious(false, yes[i]));
    assert_false(complaint_serious(false, "function"));
    assert_false(complaint_serious(false, "packaging"));
    assert_false(complaint_serious(false, NULL));
    assert_true(complaint_serious(true, NULL));
    assert_true(complaint_serious(true, "other"));
}

struct money {
    const char *decision;
    bool charge, credit, ok;
    const char *field, *reason;
};

static void decision_money(void **state)
{
    (void)state;
    static const struct money t[] = {
        {"repair", false, false, true, NULL, NULL},
        {"repair", true, false, true, NULL, NULL},
        {"replace", true, false, true, NULL, NULL},
        {"replace", false, true, false, "credit_fen", "not_allowed"},
        {"credit", false, true, true, NULL, NULL},
        {"credit", false, false, false, "credit_fen", "required"},
        {"credit", true, true, false, "charge_fen", "not_allowed"},
        {"refuse", false, false, true, NULL, NULL},
        {"refuse", true, false, false, "charge_fen", "not_allowed"},
        {"refuse", false, true, false, "credit_fen", "not_allowed"},
        {NULL, false, false, false, "decision", "required"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        const char *f = "x", *r = "x";
        bool ok = complaint_decision_money(t[i].decision, t[i].charge, t[i].credit, &f, &r);
        if (ok != t[i].ok)
            fail_msg("case %zu", i);
        if (t[i].field) {
            assert_string_equal(f, t[i].field);
            assert_string_equal(r, t[i].reason);
        } else {
            assert_null(f);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transition_table),
        cmocka_unit_test(every_open_state_leads_somewhere),
        cmocka_unit_test(illegal_lists_the_legal),
        cmocka_unit_test(names),
        cmocka_unit_test(serious),
        cmocka_unit_test(decision_money),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
