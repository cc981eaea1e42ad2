/* SPDX-License-Identifier: MIT */
/* Work orders: the action table with its roles and crew, the names, the appointment window,
 * lateness and the late-notice flags (R-118…R-120). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/work_order.h"

#define PLAN RB(DISPATCHER)
#define TECH RB(TECHNICIAN)

struct tcase {
    enum wo_status from;
    enum wo_action act;
    enum wo_status result;
    unsigned roles;
    bool crew;
    enum sh_code want;
    enum wo_status to;
};

static const struct tcase cases[] = {
    {WOS_PLANNED, WOA_CONFIRM, 0, PLAN, false, SH_OK, WOS_CONFIRMED},
    {WOS_PLANNED, WOA_CONFIRM, 0, TECH, true, SH_FORBIDDEN, 0},
    {WOS_CONFIRMED, WOA_CONFIRM, 0, PLAN, false, SH_CONFLICT, 0},
    {WOS_PLANNED, WOA_DEPART, 0, TECH, true, SH_OK, WOS_DEPARTED},
    {WOS_CONFIRMED, WOA_DEPART, 0, TECH, true, SH_OK, WOS_DEPARTED},
    {WOS_CONFIRMED, WOA_DEPART, 0, PLAN, false, SH_FORBIDDEN, 0},
    {WOS_CONFIRMED, WOA_DEPART, 0, TECH, false, SH_FORBIDDEN, 0}, /* not their work order */
    {WOS_CONFIRMED, WOA_DEPART, 0, RB(ADMIN), true, SH_OK, WOS_DEPARTED},
    {WOS_DEPARTED, WOA_ARRIVE, 0, TECH, true, SH_OK, WOS_ON_SITE},
    {WOS_PLANNED, WOA_ARRIVE, 0, TECH, true, SH_OK, WOS_ON_SITE},
    {WOS_ON_SITE, WOA_ARRIVE, 0, TECH, true, SH_CONFLICT, 0},
    {WOS_DEPARTED, WOA_RUNNING_LATE, 0, TECH, true, SH_OK, WOS_DEPARTED},
    {WOS_CONFIRMED, WOA_RUNNING_LATE, 0, PLAN, false, SH_OK, WOS_CONFIRMED},
    {WOS_ON_SITE, WOA_RUNNING_LATE, 0, TECH, true, SH_CONFLICT, 0},
    {WOS_ON_SITE, WOA_FINISH, WOS_DONE, TECH, true, SH_OK, WOS_DONE},
    {WOS_ON_SITE, WOA_FINISH, WOS_NOT_FIXED, TECH, true, SH_OK, WOS_NOT_FIXED},
    {WOS_ON_SITE, WOA_FINISH, WOS_NEEDS_FACTORY, TECH, true, SH_OK, WOS_NEEDS_FACTORY},
    {WOS_ON_SITE, WOA_FINISH, WOS_CANCELLED, TECH, true, SH_INVALID, 0},
    {WOS_ON_SITE, WOA_FINISH, WOS_DONE, PLAN, false, SH_FORBIDDEN, 0},
    {WOS_DEPARTED, WOA_FINISH, WOS_DONE, TECH, true, SH_CONFLICT, 0},
    {WOS_PLANNED, WOA_CANCEL, 0, PLAN, false, SH_OK, WOS_CANCELLED},
    {WOS_DEPARTED, WOA_CANCEL, 0, RB(AGENT), false, SH_OK, WOS_CANCELLED},
    {WOS_DEPARTED, WOA_CANCEL, 0, TECH, true, SH_FORBIDDEN, 0},
    {WOS_ON_SITE, WOA_CANCEL, 0, PLAN, false, SH_CONFLICT, 0},
    {WOS_DONE, WOA_CANCEL, 0, PLAN, false, SH_CONFLICT, 0},
    {WOS_CANCELLED, WOA_CONFIRM, 0, PLAN, false, SH_CONFLICT, 0},
    {WOS_NOT_FIXED, WOA_DEPART, 0, TECH, true, SH_CONFLICT, 0},
};

static void transition_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct tcase *c = &cases[i];
        struct sh_err e;
        sh_err_clear(&e);
        enum wo_status to = WO_STATUS_COUNT;
        enum sh_code rc = wo_transition(c->from, c->act, c->result, c->roles, c->crew, &to, &e);
        if (rc != c->want)
            fail_msg("case %zu: %s %s → %d (want %d): %s", i, wo_status_name(c->from),
                     wo_action_name(c->act), rc, c->want, e.msg);
        if (rc == SH_OK)
            assert_int_equal(to, c->to);
        if (rc == SH_CONFLICT)
            assert_string_equal(e.reason, "illegal_action");
    }
}

static void allowed_actions(void **state)
{
    (void)state;
    enum wo_action out[WO_ACTION_COUNT];
    int n = wo_allowed_actions(WOS_PLANNED, PLAN, false, out);
    assert_int_equal(n, 3); /* confirm, running_late, cancel */
    assert_int_equal(out[0], WOA_CONFIRM);
    n = wo_allowed_actions(WOS_PLANNED, TECH, true, out);
    assert_int_equal(n, 3); /* depart, arrive, running_late */
    assert_int_equal(wo_allowed_actions(WOS_DONE, ROLES_ALL, true, out), 0);
    for (int s = 0; s < WO_STATUS_COUNT; s++)
        assert_int_equal(wo_allowed_actions((enum wo_status)s, ROLES_ALL, true, out) == 0,
                         wo_status_final((enum wo_status)s));
}

static void names(void **state)
{
    (void)state;
    for (int i = 0; i < WO_KIND_COUNT; i++) {
        enum wo_kind k;
        assert_non_null(wo_kind_names[i]);
        assert_true(wo_kind_parse(wo_kind_names[i], &k) && k == (enum wo_kind)i);
    }
    assert_null(wo_kind_names[WO_KIND_COUNT]);
    for (int i = 0; i < WO_STATUS_COUNT; i++) {
        enum wo_status s;
        assert_true(wo_status_parse(wo_status_names[i], &s) && s == (enum wo_status)i);
    }
    for (int i = 0; i < WO_ACTION_COUNT; i++) {
        enum wo_action a;
        assert_true(wo_action_parse(wo_action_names[i], &a) && a == (enum wo_action)i);
    }
    enum wo_status r;
    assert_true(wo_result_parse("not_fixed", &r) && r == WOS_NOT_FIXED);
    assert_false(wo_result_parse("cancelled", &r));
    assert_false(wo_kind_parse("x", &(enum wo_kind){0}));
    assert_int_equal(wo_kind_for_ticket(TICKET_INSTALLATION), WOK_INSTALLATION);
    assert_int_equal(wo_kind_for_ticket(TICKET_REPAIR), WOK_ONSITE_REPAIR);
    assert_int_equal(wo_kind_for_ticket(TICKET_VISIT), WOK_PERIODIC_VISIT);
}

static void window_and_lateness(void **state)
{
    (void)state;
    int64_t at = 1800000000; /* an appointment */
    struct wo_window w = wo_window(at, 30, 5, 30);
    assert_int_equal(w.start, at - 1800);
    assert_int_equal(w.end, at + 1800);
    assert_int_equal(w.target, at - 300);
    assert_int_equal(w.latest_notice, at - 1800);
    assert_int_equal(wo_lateness_min(at, at - 240), 0);
    assert_int_equal(wo_lateness_min(at, at + 59), 0);
    assert_int_equal(wo_lateness_min(at, at + 60), 1);
    assert_int_equal(wo_lateness_min(at, at + 3600 + 30), 60);
    assert_false(wo_arrived_late(at, 30, at + 1800));
    assert_true(wo_arrived_late(at, 30, at + 1801));
    assert_true(wo_arrived_late(at, 0, at + 1));
    /* the window told to the customer: early before it, on time within it, late after it */
    assert_int_equal(wo_arrival_class(at, 30, at - 1801), WOA_EARLY);
    assert_int_equal(wo_arrival_class(at, 30, at - 1800), WOA_ON_TIME);
    assert_int_equal(wo_arrival_class(at, 30, at), WOA_ON_TIME);
    assert_int_equal(wo_arrival_class(at, 30, at + 1800), WOA_ON_TIME);
    assert_int_equal(wo_arrival_class(at, 30, at + 1801), WOA_LATE);
    assert_int_equal(wo_arrival_class(at, 0, at - 1), WOA_EARLY);
    assert_true(wo_overlaps(at, 90, at + 89 * 60, 60));
    assert_false(wo_overlaps(at, 90, at + 90 * 60, 60)); /* back to back */
    assert_true(wo_overlaps(at + 30 * 60, 30, at, 120)); /* inside */
    assert_false(wo_overlaps(at + 120 * 60, 30, at, 120));
}

static void late_notice_flags(void **state)
{
    (void)state;
    int64_t at = 1800000000, latest = at - 1800;
    assert_int_equal(wo_notice_flag(latest, latest), WLN_IN_TIME);
    assert_int_equal(wo_notice_flag(latest, latest + 1), WLN_LATE);
    /* no notice: flagged only when the arrival is after the window */
    assert_int_equal(wo_arrival_flag(WLN_NONE, at, 30, at + 1700), WLN_NONE);
    assert_int_equal(wo_arrival_flag(WLN_NONE, at, 30, at + 1900), WLN_MISSING);
    assert_int_equal(wo_arrival_flag(WLN_LATE, at, 30, at + 1900), WLN_LATE);
    assert_int_equal(wo_arrival_flag(WLN_IN_TIME, at, 30, at + 9000), WLN_IN_TIME);
    assert_string_equal(wo_late_notice_name(WLN_MISSING), "missing");
    assert_string_equal(wo_late_notice_name(WLN_NONE), "");
}

static void policy_check(void **state)
{
    (void)state;
    struct sh_err e;
    struct wo_policy p = WO_POLICY_DEFAULT;
    sh_err_clear(&e);
    assert_int_equal(wo_policy_check(&p, &e), SH_OK);
    p.tolerance_min = -1;
    assert_int_equal(wo_policy_check(&p, &e), SH_INVALID);
    assert_string_equal(e.field, "tolerance_min");
    p = (struct wo_policy)WO_POLICY_DEFAULT;
    p.early_target_min = 61;
    assert_int_equal(wo_policy_check(&p, &e), SH_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transition_table),
        cmocka_unit_test(allowed_actions),
        cmocka_unit_test(names),
        cmocka_unit_test(window_and_lateness),
        cmocka_unit_test(late_notice_flags),
        cmocka_unit_test(policy_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
