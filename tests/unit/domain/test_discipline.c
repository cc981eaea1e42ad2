/* SPDX-License-Identifier: MIT */
/* The corrective action's table (issue 18 item 7, R-004): every state × action × caller
 * (owner, head, another staff member), the legal actions named on a 409, overdue, and the
 * suggestion's reply decisions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/discipline.h"

enum caller { OWNER, HEAD, OTHER };

struct tcase {
    enum ca_state from;
    enum ca_action act;
    enum caller who;
    enum sh_code want;
    enum ca_state to;
};

static const struct tcase cases[] = {
    {CA_OPEN, CA_START, OWNER, SH_OK, CA_IN_PROGRESS},
    {CA_OPEN, CA_START, HEAD, SH_OK, CA_IN_PROGRESS},
    {CA_OPEN, CA_START, OTHER, SH_FORBIDDEN, 0},
    {CA_OPEN, CA_FINISH, OWNER, SH_OK, CA_DONE},
    {CA_OPEN, CA_FINISH, OTHER, SH_FORBIDDEN, 0},
    {CA_OPEN, CA_VERIFY, HEAD, SH_CONFLICT, 0},
    {CA_OPEN, CA_REOPEN, HEAD, SH_CONFLICT, 0},
    {CA_IN_PROGRESS, CA_START, OWNER, SH_CONFLICT, 0},
    {CA_IN_PROGRESS, CA_FINISH, OWNER, SH_OK, CA_DONE},
    {CA_IN_PROGRESS, CA_FINISH, HEAD, SH_OK, CA_DONE},
    {CA_IN_PROGRESS, CA_FINISH, OTHER, SH_FORBIDDEN, 0},
    {CA_IN_PROGRESS, CA_VERIFY, HEAD, SH_CONFLICT, 0},
    {CA_IN_PROGRESS, CA_REOPEN, HEAD, SH_CONFLICT, 0},
    {CA_DONE, CA_START, OWNER, SH_CONFLICT, 0},
    {CA_DONE, CA_FINISH, OWNER, SH_CONFLICT, 0},
    {CA_DONE, CA_VERIFY, HEAD, SH_OK, CA_VERIFIED},
    {CA_DONE, CA_VERIFY, OWNER, SH_FORBIDDEN, 0},
    {CA_DONE, CA_VERIFY, OTHER, SH_FORBIDDEN, 0},
    {CA_DONE, CA_REOPEN, HEAD, SH_OK, CA_IN_PROGRESS},
    {CA_DONE, CA_REOPEN, OWNER, SH_FORBIDDEN, 0},
    {CA_VERIFIED, CA_START, HEAD, SH_CONFLICT, 0},
    {CA_VERIFIED, CA_FINISH, HEAD, SH_CONFLICT, 0},
    {CA_VERIFIED, CA_VERIFY, HEAD, SH_CONFLICT, 0},
    {CA_VERIFIED, CA_REOPEN, HEAD, SH_CONFLICT, 0},
};

static void transition_table(void **st)
{
    (void)st;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct tcase *t = &cases[i];
        unsigned roles = t->who == HEAD ? RB(DEPT_HEAD) : RB(TECHNICIAN);
        struct sh_err e;
        sh_err_clear(&e);
        enum ca_state to = CA_OPEN;
        enum sh_code rc = ca_transition(t->from, t->act, roles, t->who == OWNER, &to, &e);
        if (rc != t->want)
            fail_msg("case %zu: %s/%s got %d want %d", i, ca_state_names[t->from],
                     ca_action_names[t->act], rc, t->want);
        if (rc == SH_OK && to != t->to)
            fail_msg("case %zu: to %s", i, ca_state_names[to]);
    }
    /* the gm and admin verify like the department head */
    struct sh_err e;
    enum ca_state to;
    assert_int_equal(ca_transition(CA_DONE, CA_VERIFY, RB(GM), false, &to, &e), SH_OK);
    assert_int_equal(ca_transition(CA_DONE, CA_VERIFY, RB(ADMIN), false, &to, &e), SH_OK);
    assert_int_equal(ca_transition(CA_DONE, CA_VERIFY, RB(QC) | RB(AGENT), false, &to, &e),
                     SH_FORBIDDEN);
}

static void illegal_lists_the_legal(void **st)
{
    (void)st;
    struct sh_err e;
    sh_err_clear(&e);
    enum ca_state to;
    assert_int_equal(ca_transition(CA_OPEN, CA_VERIFY, RB(DEPT_HEAD), false, &to, &e), SH_CONFLICT);
    assert_string_equal(e.reason, "illegal_action");
    assert_non_null(strstr(e.params, "\"allowed\":[\"start\",\"finish\"]"));
    sh_err_clear(&e);
    assert_int_equal(ca_transition(CA_VERIFIED, CA_REOPEN, RB(DEPT_HEAD), false, &to, &e),
                     SH_CONFLICT);
    assert_non_null(strstr(e.params, "\"allowed\":[]"));
}

static void overdue(void **st)
{
    (void)st;
    assert_true(ca_overdue(CA_OPEN, "2026-12-01", "2026-12-05"));
    assert_true(ca_overdue(CA_IN_PROGRESS, "2026-12-04", "2026-12-05"));
    assert_false(ca_overdue(CA_OPEN, "2026-12-05", "2026-12-05")); /* due today: not yet */
    assert_false(ca_overdue(CA_DONE, "2026-12-01", "2026-12-05"));
    assert_false(ca_overdue(CA_VERIFIED, "2026-12-01", "2026-12-05"));
}

static void names(void **st)
{
    (void)st;
    for (int i = 0; i < CA_STATE_COUNT; i++) {
        enum ca_state s;
        assert_true(ca_state_parse(ca_state_names[i], &s));
        assert_int_equal(s, i);
    }
    for (int i = 0; i < CA_ACTION_COUNT; i++) {
        enum ca_action a;
        assert_true(ca_action_parse(ca_action_names[i], &a));
        assert_int_equal(a, i);
    }
    enum ca_action a;
    assert_false(ca_action_parse("close", &a));
    assert_true(suggestion_decision_ok("accepted"));
    assert_true(suggestion_decision_ok("noted"));
    assert_false(suggestion_decision_ok("submitted"));
    assert_false(suggestion_decision_ok(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transition_table),
        cmocka_unit_test(illegal_lists_the_legal),
        cmocka_unit_test(overdue),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
