/* SPDX-License-Identifier: MIT */
/* The diagnosis's routing rule (WF-03 S5–S7, R-058): decision → what it opens per ticket
 * type, the states that take a diagnosis, and that every path the table opens is one the
 * ticket's own lifecycle has. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/diagnosis.h"

struct rcase {
    enum ticket_type type;
    enum diag_decision d;
    enum diag_effect want;
    enum ticket_type linked;
};

static const struct rcase cases[] = {
    {TICKET_REPAIR, DD_SOLVED_REMOTELY, DE_RESOLVE_REMOTE, 0},
    {TICKET_REPAIR, DD_ANSWERED, DE_RESOLVE_REMOTE, 0},
    {TICKET_REPAIR, DD_ONSITE_REPAIR, DE_WORK_ORDER, 0},
    {TICKET_REPAIR, DD_RETURN_TO_FACTORY, DE_RMA, 0},
    {TICKET_REPAIR, DD_REPLACEMENT, DE_REPLACEMENT, 0},
    {TICKET_CONSULTATION, DD_ANSWERED, DE_RESOLVE_REMOTE, 0},
    {TICKET_CONSULTATION, DD_SOLVED_REMOTELY, DE_RESOLVE_REMOTE, 0},
    {TICKET_CONSULTATION, DD_ONSITE_REPAIR, DE_LINKED_TICKET, TICKET_REPAIR},
    {TICKET_CONSULTATION, DD_RETURN_TO_FACTORY, DE_LINKED_TICKET, TICKET_REPAIR},
    {TICKET_CONSULTATION, DD_REPLACEMENT, DE_LINKED_TICKET, TICKET_REPLACEMENT},
    {TICKET_INSTALLATION, DD_ONSITE_REPAIR, DE_WORK_ORDER, 0},
    {TICKET_INSTALLATION, DD_SOLVED_REMOTELY, DE_NONE, 0},
    {TICKET_REPLACEMENT, DD_SOLVED_REMOTELY, DE_NONE, 0},
    {TICKET_REPLACEMENT, DD_REPLACEMENT, DE_REPLACEMENT, 0},
    {TICKET_RETURN, DD_RETURN_TO_FACTORY, DE_RMA, 0},
    {TICKET_RETURN, DD_ONSITE_REPAIR, DE_NONE, 0},
    {TICKET_COMPLAINT, DD_ANSWERED, DE_NONE, 0},
    {TICKET_DOA, DD_REPLACEMENT, DE_REPLACEMENT, 0},
    {TICKET_VISIT, DD_ONSITE_REPAIR, DE_NONE, 0},
    {TICKET_TRAINING, DD_ANSWERED, DE_RESOLVE_REMOTE, 0},
    {TICKET_UPGRADE, DD_ONSITE_REPAIR, DE_WORK_ORDER, 0},
    {TICKET_UPGRADE, DD_RETURN_TO_FACTORY, DE_NONE, 0},
};

static void route_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct diag_route r = diag_route_of(cases[i].type, cases[i].d);
        if (r.effect != cases[i].want)
            fail_msg("%s/%s: effect %s, want %s", ticket_type_name(cases[i].type),
                     diag_decision_name(cases[i].d), diag_effect_name(r.effect),
                     diag_effect_name(cases[i].want));
        if (r.effect == DE_LINKED_TICKET)
            assert_int_equal(r.linked_type, cases[i].linked);
    }
    assert_int_equal(diag_route_of(TICKET_TYPE_COUNT, DD_ANSWERED).effect, DE_NONE);
    assert_int_equal(diag_route_of(TICKET_REPAIR, DD_COUNT).effect, DE_NONE);
}

static bool has(enum ticket_type t, enum ticket_state s, enum ticket_action a)
{
    enum ticket_state to;
    struct sh_err e;
    sh_err_clear(&e);
    return ticket_transition(t, s, a, ROLES_ALL, &to, &e) == SH_OK;
}

/* Every path the table opens is one the type's lifecycle has from in_progress. */
static void routes_follow_the_lifecycle(void **state)
{
    (void)state;
    for (int t = 0; t < TICKET_TYPE_COUNT; t++)
        for (int d = 0; d < DD_COUNT; d++) {
            struct diag_route r = diag_route_of((enum ticket_type)t, (enum diag_decision)d);
            enum ticket_type tt = (enum ticket_type)t;
            switch (r.effect) {
            case DE_RESOLVE_REMOTE:
                assert_true(has(tt, TS_IN_PROGRESS, TA_RESOLVE_REMOTE));
                break;
            case DE_WORK_ORDER:
                assert_true(has(tt, TS_IN_PROGRESS, TA_SCHEDULE_VISIT));
                break;
            case DE_RMA:
            case DE_REPLACEMENT:
                assert_true(has(tt, TS_IN_PROGRESS, TA_SEND_TO_FACTORY));
                break;
            case DE_LINKED_TICKET:
                /* the consultation is resolved, the new ticket can do the work */
                assert_true(has(tt, TS_NEW, TA_RESOLVE_REMOTE));
                assert_true(has(tt, TS_IN_PROGRESS, TA_RESOLVE_REMOTE));
                assert_true(has(r.linked_type, TS_IN_PROGRESS,
                                d == DD_ONSITE_REPAIR ? TA_SCHEDULE_VISIT : TA_SEND_TO_FACTORY));
                break;
            case DE_NONE:
                break;
            }
        }
}

static void states(void **state)
{
    (void)state;
    assert_true(diag_state_allows(TICKET_REPAIR, TS_IN_PROGRESS));
    assert_false(diag_state_allows(TICKET_REPAIR, TS_NEW));
    assert_false(diag_state_allows(TICKET_REPAIR, TS_ASSIGNED));
    assert_true(diag_state_allows(TICKET_CONSULTATION, TS_NEW));
    assert_true(diag_state_allows(TICKET_CONSULTATION, TS_IN_PROGRESS));
    assert_false(diag_state_allows(TICKET_VISIT, TS_IN_PROGRESS));
    for (int t = 0; t < TICKET_TYPE_COUNT; t++)
        for (int s = TS_VISIT_SCHEDULED; s < TICKET_STATE_COUNT; s++)
            assert_false(diag_state_allows((enum ticket_type)t, (enum ticket_state)s));
}

static void names_and_roles(void **state)
{
    (void)state;
    for (int d = 0; d < DD_COUNT; d++) {
        enum diag_decision back;
        assert_non_null(diag_decision_names[d]);
        assert_true(diag_decision_parse(diag_decision_names[d], &back));
        assert_int_equal(back, d);
    }
    assert_null(diag_decision_names[DD_COUNT]);
    enum diag_decision x;
    assert_false(diag_decision_parse("teleport", &x));
    assert_false(diag_decision_parse(NULL, &x));
    assert_string_equal(diag_effect_name(DE_LINKED_TICKET), "linked_ticket");
    assert_true(DIAG_ROLES & RB(TECHNICIAN));
    assert_true(DIAG_ROLES & RB(QC));
    assert_false(DIAG_ROLES & RB(AGENT));
    assert_false(DIAG_ROLES & ROLES_EXTERNAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(route_table),
        cmocka_unit_test(routes_follow_the_lifecycle),
        cmocka_unit_test(states),
        cmocka_unit_test(names_and_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
