/* SPDX-License-Identifier: MIT */
/* Ticket state machines (WF-03, WF-04, WF-09, WF-16), numbers, repeat repair and the
 * warranty billing decision (R-130… ). The expected transitions are restated
 * here independently of ticket.c, and every type × state × action is tried. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/roles.h"
#include "domain/ticket.h"

struct exp_row {
    enum ticket_state from;
    enum ticket_action action;
    enum ticket_state to;
};

static const struct exp_row G_INTAKE[] = {
    {TS_NEW, TA_ASSIGN, TS_ASSIGNED},
    {TS_ASSIGNED, TA_ASSIGN, TS_ASSIGNED},
    {TS_IN_PROGRESS, TA_ASSIGN, TS_ASSIGNED},
    {TS_ASSIGNED, TA_ACCEPT, TS_IN_PROGRESS},
    {TS_NEW, TA_ESCALATE, TS_NEW},
    {TS_ASSIGNED, TA_ESCALATE, TS_ASSIGNED},
    {TS_IN_PROGRESS, TA_ESCALATE, TS_IN_PROGRESS},
    {TS_IN_PROGRESS, TA_WAIT_CUSTOMER, TS_WAITING_CUSTOMER},
    {TS_WAITING_CUSTOMER, TA_RESUME, TS_IN_PROGRESS},
    {TS_NEW, TA_CANCEL, TS_CANCELLED},
    {TS_ASSIGNED, TA_CANCEL, TS_CANCELLED},
    {TS_IN_PROGRESS, TA_CANCEL, TS_CANCELLED},
    {TS_WAITING_CUSTOMER, TA_CANCEL, TS_CANCELLED},
    {TS_RESOLVED, TA_CLOSE, TS_CLOSED},
    {TS_RESOLVED, TA_REOPEN, TS_IN_PROGRESS},
    {TS_CLOSED, TA_REOPEN, TS_IN_PROGRESS},
};
static const struct exp_row G_REPLY[] = {
    {TS_NEW, TA_REPLY, TS_NEW},
    {TS_ASSIGNED, TA_REPLY, TS_ASSIGNED},
    {TS_IN_PROGRESS, TA_REPLY, TS_IN_PROGRESS},
};
static const struct exp_row G_REMOTE[] = {{TS_IN_PROGRESS, TA_RESOLVE_REMOTE, TS_RESOLVED}};
static const struct exp_row G_FIRST[] = {{TS_NEW, TA_RESOLVE_REMOTE, TS_RESOLVED}};
static const struct exp_row G_VISIT[] = {
    {TS_IN_PROGRESS, TA_SCHEDULE_VISIT, TS_VISIT_SCHEDULED},
    {TS_VISIT_SCHEDULED, TA_SCHEDULE_VISIT, TS_VISIT_SCHEDULED},
    {TS_VISIT_SCHEDULED, TA_ARRIVE, TS_ON_SITE},
    {TS_VISIT_SCHEDULED, TA_ESCALATE, TS_VISIT_SCHEDULED},
    {TS_VISIT_SCHEDULED, TA_WAIT_CUSTOMER, TS_WAITING_CUSTOMER},
    {TS_VISIT_SCHEDULED, TA_CANCEL, TS_CANCELLED},
    {TS_ON_SITE, TA_ESCALATE, TS_ON_SITE},
    {TS_ON_SITE, TA_SCHEDULE_VISIT, TS_VISIT_SCHEDULED},
    {TS_ON_SITE, TA_RESOLVE, TS_RESOLVED},
};
static const struct exp_row G_FACTORY[] = {
    {TS_IN_PROGRESS, TA_SEND_TO_FACTORY, TS_AT_FACTORY},
    {TS_AT_FACTORY, TA_ESCALATE, TS_AT_FACTORY},
    {TS_AT_FACTORY, TA_RESOLVE, TS_RESOLVED},
};
static const struct exp_row G_ONSITE_FACTORY[] = {{TS_ON_SITE, TA_SEND_TO_FACTORY, TS_AT_FACTORY}};
static const struct exp_row G_DIRECT[] = {{TS_IN_PROGRESS, TA_RESOLVE, TS_RESOLVED}};

enum {
    INTAKE = 1,
    REPLY = 2,
    REMOTE = 4,
    FIRST = 8,
    VISIT = 16,
    FACTORY = 32,
    ONF = 64,
    DIRECT = 128
};

static const unsigned GROUPS[TICKET_TYPE_COUNT] = {
    [TICKET_CONSULTATION] = INTAKE | REPLY | REMOTE | FIRST | DIRECT,
    [TICKET_INSTALLATION] = INTAKE | REPLY | VISIT,
    [TICKET_REPAIR] = INTAKE | REPLY | REMOTE | VISIT | FACTORY | ONF,
    [TICKET_REPLACEMENT] = INTAKE | REPLY | VISIT | FACTORY | DIRECT,
    [TICKET_RETURN] = INTAKE | REPLY | FACTORY,
    [TICKET_COMPLAINT] = INTAKE | REPLY | FACTORY | DIRECT,
    [TICKET_DOA] = INTAKE | REPLY | FACTORY | DIRECT,
    [TICKET_VISIT] = INTAKE | VISIT,
    [TICKET_TRAINING] = INTAKE | REPLY | REMOTE | VISIT,
    [TICKET_UPGRADE] = INTAKE | REPLY | REMOTE | VISIT,
};

static int EXPECT[TICKET_TYPE_COUNT][TICKET_STATE_COUNT][TICKET_ACTION_COUNT];

static void put(int type, const struct exp_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        EXPECT[type][rows[i].from][rows[i].action] = (int)rows[i].to;
}

#define PUT(t, g) put(t, g, sizeof(g) / sizeof(g[0]))

static int setup(void **state)
{
    (void)state;
    for (int t = 0; t < TICKET_TYPE_COUNT; t++) {
        for (int s = 0; s < TICKET_STATE_COUNT; s++)
            for (int a = 0; a < TICKET_ACTION_COUNT; a++)
                EXPECT[t][s][a] = -1;
        unsigned g = GROUPS[t];
        if (g & INTAKE)
            PUT(t, G_INTAKE);
        if (g & REPLY)
            PUT(t, G_REPLY);
        if (g & REMOTE)
            PUT(t, G_REMOTE);
        if (g & FIRST)
            PUT(t, G_FIRST);
        if (g & VISIT)
            PUT(t, G_VISIT);
        if (g & FACTORY)
            PUT(t, G_FACTORY);
        if (g & ONF)
            PUT(t, G_ONSITE_FACTORY);
        if (g & DIRECT)
            PUT(t, G_DIRECT);
    }
    return 0;
}

/* The name tables are indexed by the enums: a type or state added to the enum without a
 * name would end the NULL-terminated list early (and the API would refuse it). */
static void ticket_every_enum_has_its_name(void **state)
{
    (void)state;
    for (int t = 0; t < TICKET_TYPE_COUNT; t++) {
        assert_non_null(ticket_type_names[t]);
        enum ticket_type back;
        assert_true(ticket_type_parse(ticket_type_names[t], &back));
        assert_int_equal(back, t);
    }
    assert_null(ticket_type_names[TICKET_TYPE_COUNT]);
    for (int s = 0; s < TICKET_STATE_COUNT; s++)
        assert_non_null(ticket_state_names[s]);
    assert_null(ticket_state_names[TICKET_STATE_COUNT]);
    assert_string_equal(ticket_type_name((enum ticket_type)99), "?");
}

static void ticket_every_transition(void **state)
{
    (void)state;
    int legal = 0, illegal = 0;
    for (int t = 0; t < TICKET_TYPE_COUNT; t++)
        for (int s = 0; s < TICKET_STATE_COUNT; s++)
            for (int a = 0; a < TICKET_ACTION_COUNT; a++) {
                struct sh_err e;
                enum ticket_state to = TICKET_STATE_COUNT;
                enum sh_code rc = ticket_transition((enum ticket_type)t, (enum ticket_state)s,
                                                    (enum ticket_action)a, ROLES_ALL, &to, &e);
                if (EXPECT[t][s][a] >= 0) {
                    if (rc != SH_OK)
                        fail_msg("%s %s %s refused: %s", ticket_type_name((enum ticket_type)t),
                                 ticket_state_name((enum ticket_state)s),
                                 ticket_action_name((enum ticket_action)a), e.msg);
                    assert_int_equal(to, EXPECT[t][s][a]);
                    legal++;
                } else {
                    if (rc != SH_CONFLICT)
                        fail_msg("%s %s %s not refused", ticket_type_name((enum ticket_type)t),
                                 ticket_state_name((enum ticket_state)s),
                                 ticket_action_name((enum ticket_action)a));
                    assert_non_null(strstr(e.msg, "allowed: "));
                    assert_string_equal(e.reason, "illegal_action"); /* the UI's words */
                    assert_non_null(strstr(e.params, "\"allowed\":["));
                    assert_int_equal(to, TICKET_STATE_COUNT); /* untouched */
                    illegal++;
                }
            }
    assert_int_equal(legal + illegal, TICKET_TYPE_COUNT * TICKET_STATE_COUNT * TICKET_ACTION_COUNT);
    assert_int_equal(legal, 10 * 16 + 9 * 3 + 4 * 1 + 1 + 6 * 9 + 5 * 3 + 1 + 4);
}

static void ticket_every_row_needs_a_role(void **state)
{
    (void)state;
    for (int t = 0; t < TICKET_TYPE_COUNT; t++)
        for (int s = 0; s < TICKET_STATE_COUNT; s++)
            for (int a = 0; a < TICKET_ACTION_COUNT; a++) {
                if (EXPECT[t][s][a] < 0)
                    continue;
                struct sh_err e;
                enum ticket_state to;
                assert_int_equal(ticket_transition((enum ticket_type)t, (enum ticket_state)s,
                                                   (enum ticket_action)a, 0, &to, &e),
                                 SH_FORBIDDEN);
                assert_int_equal(ticket_transition((enum ticket_type)t, (enum ticket_state)s,
                                                   (enum ticket_action)a, RB(ADMIN), &to, &e),
                                 SH_OK);
                /* finance, logistics, warehouse, purchasing and sales never move tickets */
                assert_int_equal(ticket_transition((enum ticket_type)t, (enum ticket_state)s,
                                                   (enum ticket_action)a,
                                                   RB(FINANCE) | RB(LOGISTICS) | RB(WAREHOUSE) |
                                                       RB(PURCHASING) | RB(SALES),
                                                   &to, &e),
                                 SH_FORBIDDEN);
            }
}

struct role_case {
    enum ticket_type type;
    enum ticket_state from;
    enum ticket_action action;
    unsigned roles;
    enum sh_code want;
};

static void ticket_role_matrix(void **state)
{
    (void)state;
    static const struct role_case cases[] = {
        {TICKET_REPAIR, TS_NEW, TA_ASSIGN, RB(AGENT), SH_OK},
        {TICKET_REPAIR, TS_NEW, TA_ASSIGN, RB(DISPATCHER), SH_OK},
        {TICKET_REPAIR, TS_NEW, TA_ASSIGN, RB(CUSTOMER), SH_FORBIDDEN},
        {TICKET_REPAIR, TS_NEW, TA_ASSIGN, RB(TECHNICIAN), SH_FORBIDDEN},
        {TICKET_REPAIR, TS_ASSIGNED, TA_ACCEPT, RB(TECHNICIAN), SH_OK},
        {TICKET_REPAIR, TS_NEW, TA_REPLY, RB(AGENT), SH_OK},
        {TICKET_REPAIR, TS_NEW, TA_REPLY, RB(DEALER), SH_FORBIDDEN},
        {TICKET_REPAIR, TS_NEW, TA_CANCEL, RB(CUSTOMER), SH_OK},
        {TICKET_REPAIR, TS_ASSIGNED, TA_CANCEL, RB(CUSTOMER), SH_FORBIDDEN},
        {TICKET_REPAIR, TS_WAITING_CUSTOMER, TA_RESUME, RB(CUSTOMER), SH_OK},
        {TICKET_REPAIR, TS_WAITING_CUSTOMER, TA_RESUME, RB(DEALER), SH_OK},
        {TICKET_REPAIR, TS_IN_PROGRESS, TA_WAIT_CUSTOMER, RB(CUSTOMER), SH_FORBIDDEN},
        {TICKET_REPAIR, TS_IN_PROGRESS, TA_SCHEDULE_VISIT, RB(DISPATCHER), SH_OK},
        {TICKET_REPAIR, TS_IN_PROGRESS, TA_SCHEDULE_VISIT, RB(TECHNICIAN), SH_FORBIDDEN},
        {TICKET_REPAIR, TS_VISIT_SCHEDULED, TA_ARRIVE, RB(TECHNICIAN), SH_OK},
        {TICKET_REPAIR, TS_VISIT_SCHEDULED, TA_ARRIVE, RB(DISPATCHER), SH_FORBIDDEN},
        {TICKET_REPAIR, TS_VISIT_SCHEDULED, TA_ARRIVE, RB(AGENT), SH_FORBIDDEN},
        {TICKET_REPAIR, TS_ON_SITE, TA_RESOLVE, RB(TECHNICIAN), SH_OK},
        {TICKET_REPAIR, TS_ON_SITE, TA_SEND_TO_FACTORY, RB(TECHNICIAN), SH_OK},
        {TICKET_REPAIR, TS_AT_FACTORY, TA_RESOLVE, RB(QC), SH_OK},
        {TICKET_REPAIR, TS_AT_FACTORY, TA_RESOLVE, RB(AGENT), SH_FORBIDDEN},
        {TICKET_REPAIR, TS_IN_PROGRESS, TA_ESCALATE, RB(GM), SH_OK},
        {TICKET_REPAIR, TS_IN_PROGRESS, TA_ESCALATE, RB(CUSTOMER), SH_FORBIDDEN},
        {TICKET_REPAIR, TS_RESOLVED, TA_CLOSE, RB(AGENT), SH_OK},
        {TICKET_REPAIR, TS_RESOLVED, TA_CLOSE, RB(TECHNICIAN), SH_FORBIDDEN},
        {TICKET_REPAIR, TS_RESOLVED, TA_REOPEN, RB(CUSTOMER), SH_OK},
        {TICKET_REPAIR, TS_CLOSED, TA_REOPEN, RB(CUSTOMER), SH_FORBIDDEN},
        {TICKET_REPAIR, TS_CLOSED, TA_REOPEN, RB(AGENT), SH_FORBIDDEN},
        {TICKET_REPAIR, TS_CLOSED, TA_REOPEN, RB(GM), SH_OK},
        {TICKET_COMPLAINT, TS_ASSIGNED, TA_ACCEPT, RB(QC), SH_OK},
        {TICKET_COMPLAINT, TS_ASSIGNED, TA_ACCEPT, RB(TECHNICIAN), SH_FORBIDDEN},
        {TICKET_COMPLAINT, TS_IN_PROGRESS, TA_RESOLVE, RB(QC), SH_OK},
        {TICKET_CONSULTATION, TS_NEW, TA_RESOLVE_REMOTE, RB(AGENT), SH_OK},
        {TICKET_CONSULTATION, TS_NEW, TA_RESOLVE_REMOTE, RB(CUSTOMER), SH_FORBIDDEN},
        {TICKET_CONSULTATION, TS_IN_PROGRESS, TA_SCHEDULE_VISIT, ROLES_ALL, SH_CONFLICT},
        {TICKET_VISIT, TS_NEW, TA_REPLY, ROLES_ALL, SH_CONFLICT},
        {TICKET_INSTALLATION, TS_IN_PROGRESS, TA_RESOLVE_REMOTE, ROLES_ALL, SH_CONFLICT},
        {TICKET_RETURN, TS_IN_PROGRESS, TA_RESOLVE, ROLES_ALL, SH_CONFLICT},
        {TICKET_REPAIR, TS_CANCELLED, TA_REOPEN, ROLES_ALL, SH_CONFLICT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sh_err e;
        enum ticket_state to;
        enum sh_code rc = ticket_transition(cases[i].type, cases[i].from, cases[i].action,
                                            cases[i].roles, &to, &e);
        if (rc != cases[i].want)
            fail_msg("case %zu: %s %s %s gave %d", i, ticket_type_name(cases[i].type),
                     ticket_state_name(cases[i].from), ticket_action_name(cases[i].action),
                     (int)rc);
    }
}

static void ticket_conflict_names_allowed(void **state)
{
    (void)state;
    struct sh_err e;
    enum ticket_state to;
    assert_int_equal(ticket_transition(TICKET_REPAIR, TS_NEW, TA_CLOSE, ROLES_ALL, &to, &e),
                     SH_CONFLICT);
    assert_string_equal(e.msg, "a repair ticket in state 'new' cannot 'close'; allowed: assign, "
                               "escalate, cancel, reply");
    assert_int_equal(ticket_transition(TICKET_REPAIR, TS_CANCELLED, TA_REOPEN, ROLES_ALL, &to, &e),
                     SH_CONFLICT);
    assert_non_null(strstr(e.msg, "allowed: none"));
    assert_int_equal(ticket_transition(TICKET_REPAIR, TS_NEW, TA_ASSIGN, RB(CUSTOMER), &to, &e),
                     SH_FORBIDDEN);
    assert_non_null(strstr(e.msg, "'assign'"));
    assert_int_equal(ticket_transition((enum ticket_type)99, TS_NEW, TA_ASSIGN, ROLES_ALL, &to, &e),
                     SH_INVALID);
    assert_int_equal(
        ticket_transition(TICKET_REPAIR, TS_NEW, (enum ticket_action)99, ROLES_ALL, &to, &e),
        SH_INVALID);
}

static void ticket_allowed_lists(void **state)
{
    (void)state;
    enum ticket_action out[TICKET_ACTION_COUNT];
    size_t n = ticket_allowed_actions(TICKET_REPAIR, TS_IN_PROGRESS, RB(TECHNICIAN), out);
    static const enum ticket_action tech[] = {TA_REPLY, TA_RESOLVE_REMOTE, TA_SEND_TO_FACTORY,
                                              TA_ESCALATE, TA_WAIT_CUSTOMER};
    assert_int_equal(n, sizeof(tech) / sizeof(tech[0]));
    for (size_t i = 0; i < n; i++)
        assert_int_equal(out[i], tech[i]);
    n = ticket_allowed_actions(TICKET_REPAIR, TS_WAITING_CUSTOMER, RB(CUSTOMER), out);
    assert_int_equal(n, 1);
    assert_int_equal(out[0], TA_RESUME);
    assert_int_equal(ticket_allowed_actions(TICKET_REPAIR, TS_CANCELLED, ROLES_ALL, out), 0);
    n = ticket_allowed_actions(TICKET_REPAIR, TS_CLOSED, ROLES_ALL, out);
    assert_int_equal(n, 1);
    assert_int_equal(out[0], TA_REOPEN);
    /* allowed_actions agrees with ticket_transition for every role on its own */
    for (int t = 0; t < TICKET_TYPE_COUNT; t++)
        for (int s = 0; s < TICKET_STATE_COUNT; s++)
            for (int r = 0; r < ROLE_COUNT; r++) {
                n = ticket_allowed_actions((enum ticket_type)t, (enum ticket_state)s, 1u << r, out);
                size_t k = 0;
                for (int a = 0; a < TICKET_ACTION_COUNT; a++) {
                    struct sh_err e;
                    enum ticket_state to;
                    if (ticket_transition((enum ticket_type)t, (enum ticket_state)s,
                                          (enum ticket_action)a, 1u << r, &to, &e) == SH_OK) {
                        assert_true(k < n);
                        assert_int_equal(out[k++], a);
                    }
                }
                assert_int_equal(k, n);
            }
}

static void ticket_guards_and_terminal(void **state)
{
    (void)state;
    assert_int_equal(ticket_guards(TICKET_REPAIR, TS_IN_PROGRESS, TA_SCHEDULE_VISIT),
                     TG_APPROVAL | TG_WARRANTY | TG_QUOTE);
    assert_int_equal(ticket_guards(TICKET_REPAIR, TS_RESOLVED, TA_CLOSE),
                     TG_CHARGE_TOLD | TG_SURVEY);
    assert_int_equal(ticket_guards(TICKET_CONSULTATION, TS_RESOLVED, TA_CLOSE),
                     TG_CHARGE_TOLD | TG_SURVEY);
    assert_int_equal(ticket_guards(TICKET_REPAIR, TS_ON_SITE, TA_RESOLVE),
                     TG_WORK_ORDER | TG_REPORT);
    assert_int_equal(ticket_guards(TICKET_REPAIR, TS_VISIT_SCHEDULED, TA_ARRIVE), TG_ARRIVAL);
    assert_int_equal(ticket_guards(TICKET_REPAIR, TS_NEW, TA_CLOSE), 0); /* illegal */
    /* WF-10: a periodic visit is booked without a warranty decision (issue 11 item 7) */
    /* an installation is priced by its project (WF-02, WF-11), a periodic visit bills
     * nothing (WF-10): no quote or charge_told guard on either */
    /* ... nor a market-support approval: the company planned it */
    assert_int_equal(ticket_guards(TICKET_VISIT, TS_IN_PROGRESS, TA_SCHEDULE_VISIT), 0);
    assert_int_equal(ticket_guards(TICKET_INSTALLATION, TS_IN_PROGRESS, TA_SCHEDULE_VISIT),
                     TG_APPROVAL | TG_WARRANTY);
    assert_int_equal(ticket_guards(TICKET_INSTALLATION, TS_RESOLVED, TA_CLOSE), TG_SURVEY);
    /* WF-08: a DOA ticket's resolve, directly or at the factory, waits for the replacement */
    assert_int_equal(ticket_guards(TICKET_DOA, TS_IN_PROGRESS, TA_RESOLVE),
                     TG_NOTE | TG_REPLACEMENT);
    assert_int_equal(ticket_guards(TICKET_DOA, TS_AT_FACTORY, TA_RESOLVE),
                     TG_NOTE | TG_REPLACEMENT);
    assert_int_equal(ticket_guards(TICKET_REPAIR, TS_AT_FACTORY, TA_RESOLVE), TG_NOTE);
    assert_true(ticket_state_terminal(TS_CLOSED));
    assert_true(ticket_state_terminal(TS_CANCELLED));
    assert_false(ticket_state_terminal(TS_RESOLVED));
    assert_true(ticket_state_used(TICKET_REPAIR, TS_AT_FACTORY));
    assert_false(ticket_state_used(TICKET_CONSULTATION, TS_ON_SITE));
    assert_false(ticket_state_used(TICKET_VISIT, TS_AT_FACTORY));
}

/* Every state a type uses is reachable from NEW, and every reachable state can still end. */
static void ticket_tables_are_sound(void **state)
{
    (void)state;
    for (int t = 0; t < TICKET_TYPE_COUNT; t++) {
        bool seen[TICKET_STATE_COUNT] = {false};
        seen[TS_NEW] = true;
        for (bool grew = true; grew;) {
            grew = false;
            for (int s = 0; s < TICKET_STATE_COUNT; s++)
                for (int a = 0; s < TICKET_STATE_COUNT && seen[s] && a < TICKET_ACTION_COUNT; a++)
                    if (EXPECT[t][s][a] >= 0 && !seen[EXPECT[t][s][a]])
                        seen[EXPECT[t][s][a]] = grew = true;
        }
        for (int s = 0; s < TICKET_STATE_COUNT; s++) {
            assert_int_equal(seen[s], ticket_state_used((enum ticket_type)t, (enum ticket_state)s));
            if (!seen[s] || ticket_state_terminal((enum ticket_state)s))
                continue;
            bool ends[TICKET_STATE_COUNT] = {false};
            ends[s] = true;
            bool done = false;
            for (bool grew = true; grew && !done;) {
                grew = false;
                for (int x = 0; x < TICKET_STATE_COUNT; x++)
                    for (int a = 0; ends[x] && a < TICKET_ACTION_COUNT; a++) {
                        int to = EXPECT[t][x][a];
                        if (to >= 0 && !ends[to])
                            ends[to] = grew = true;
                    }
                done = ends[TS_CLOSED] && ends[TS_CANCELLED];
            }
            assert_true(ends[TS_CLOSED]);
        }
        assert_true(seen[TS_CLOSED] && seen[TS_CANCELLED] && seen[TS_RESOLVED]);
    }
}

static void ticket_names_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < TICKET_TYPE_COUNT; i++) {
        enum ticket_type x;
        assert_true(ticket_type_parse(ticket_type_name((enum ticket_type)i), &x));
        assert_int_equal(x, i);
    }
    for (int i = 0; i < TICKET_STATE_COUNT; i++) {
        enum ticket_state x;
        assert_true(ticket_state_parse(ticket_state_name((enum ticket_state)i), &x));
        assert_int_equal(x, i);
    }
    for (int i = 0; i < TICKET_ACTION_COUNT; i++) {
        enum ticket_action x;
        assert_true(ticket_action_parse(ticket_action_name((enum ticket_action)i), &x));
        assert_int_equal(x, i);
    }
    enum ticket_action a;
    assert_false(ticket_action_parse("teleport", &a));
    assert_string_equal(ticket_type_name(TICKET_DOA), "doa");
}

static void ticket_numbers(void **state)
{
    (void)state;
    char buf[TICKET_NUMBER_SIZE];
    struct sh_err e;
    struct sh_date d;
    unsigned seq;
    assert_int_equal(ticket_number_format((struct sh_date){2026, 10, 8}, 7, buf, &e), SH_OK);
    assert_string_equal(buf, "SH-20261008-0007");
    assert_true(ticket_number_parse(buf, &d, &seq));
    assert_int_equal(d.y, 2026);
    assert_int_equal(d.m, 10);
    assert_int_equal(d.d, 8);
    assert_int_equal(seq, 7);
    assert_int_equal(ticket_number_format((struct sh_date){2025, 1, 1}, 9999, buf, &e), SH_OK);
    assert_string_equal(buf, "SH-20250101-9999");
    /* a busy day widens the number instead of refusing the call */
    assert_int_equal(ticket_number_format((struct sh_date){2025, 1, 1}, 10000, buf, &e), SH_OK);
    assert_string_equal(buf, "SH-20250101-10000");
    assert_true(ticket_number_parse(buf, &d, &seq));
    assert_int_equal(seq, 10000);
    assert_int_equal(ticket_number_format((struct sh_date){2025, 1, 1}, 10000000, buf, &e),
                     SH_TOO_BIG);
    assert_false(ticket_number_parse("SH-20261008-00007", &d, &seq)); /* not canonical */
    assert_int_equal(ticket_number_format((struct sh_date){2025, 1, 1}, 0, buf, &e), SH_INVALID);
    assert_int_equal(ticket_number_format((struct sh_date){2025, 2, 29}, 1, buf, &e), SH_INVALID);
    assert_false(ticket_number_parse("SH-20261008-0000", &d, &seq));
    assert_false(ticket_number_parse("SH-20261308-0001", &d, &seq));
    assert_false(ticket_number_parse("SH-20261008-001", &d, &seq));
    assert_false(ticket_number_parse("SX-20261008-0001", &d, &seq));
    assert_false(ticket_number_parse("SH-2026100800001", &d, &seq));
    assert_false(ticket_number_parse("SH-2026a008-0001", &d, &seq));
}

/* RULE R-159: day 90 repeats, day 91 does not. */
static void ticket_repeat_repair_window(void **state)
{
    (void)state;
    struct ticket_repair prev[] = {
        {.ticket_id = 1, .unit_id = 5, .fault_code = "E12", .resolved = {2025, 1, 1}},
        {.ticket_id = 2, .unit_id = 5, .fault_code = "E12", .resolved = {2025, 2, 1}},
        {.ticket_id = 3, .unit_id = 5, .fault_code = "E40", .resolved = {2025, 4, 1}},
        {.ticket_id = 4, .unit_id = 6, .fault_code = "E12", .resolved = {2025, 4, 1}},
    };
    size_t idx = 99;
    /* 2025-02-01 + 90 days = 2025-05-02 */
    struct ticket_repair now = {
        .ticket_id = 10, .unit_id = 5, .fault_code = "E12", .reported = {2025, 5, 2}};
    assert_true(ticket_find_repeat(&now, prev, 4, TICKET_REPEAT_WINDOW_DAYS, &idx));
    assert_int_equal(idx, 1);
    now.reported = (struct sh_date){2025, 5, 3}; /* day 91 */
    assert_false(ticket_find_repeat(&now, prev, 4, TICKET_REPEAT_WINDOW_DAYS, &idx));
    /* the most recent match wins while both are inside the window */
    now.reported = (struct sh_date){2025, 3, 1};
    assert_true(ticket_find_repeat(&now, prev, 4, TICKET_REPEAT_WINDOW_DAYS, &idx));
    assert_int_equal(idx, 1);
    now.reported = (struct sh_date){2025, 2, 1}; /* same day as the earlier fix */
    assert_true(ticket_find_repeat(&now, prev, 4, TICKET_REPEAT_WINDOW_DAYS, &idx));
    assert_int_equal(idx, 1);
    now.reported = (struct sh_date){2025, 1, 15}; /* before ticket 2 was resolved */
    assert_true(ticket_find_repeat(&now, prev, 4, TICKET_REPEAT_WINDOW_DAYS, &idx));
    assert_int_equal(idx, 0);
    now.reported = (struct sh_date){2025, 4, 10};
    now.fault_code = "E99"; /* other fault */
    assert_false(ticket_find_repeat(&now, prev, 4, TICKET_REPEAT_WINDOW_DAYS, &idx));
    now.fault_code = "E40";
    assert_true(ticket_find_repeat(&now, prev, 4, 30, &idx));
    assert_int_equal(idx, 2);
    now.unit_id = 7; /* other unit */
    assert_false(ticket_find_repeat(&now, prev, 4, TICKET_REPEAT_WINDOW_DAYS, &idx));
    now.unit_id = 5;
    now.fault_code = "";
    assert_false(ticket_find_repeat(&now, prev, 4, TICKET_REPEAT_WINDOW_DAYS, &idx));
    assert_false(ticket_find_repeat(&now, NULL, 0, TICKET_REPEAT_WINDOW_DAYS, &idx));
}

static struct ticket_billing_in billing_base(void)
{
    struct ticket_billing_in in;
    memset(&in, 0, sizeof(in));
    in.unit.contract_months = -1;
    in.unit.model_months = 12;
    in.unit.has_install = true;
    in.unit.install = (struct sh_date){2025, 3, 20};
    in.unit.has_ship = true;
    in.unit.ship = (struct sh_date){2025, 3, 1};
    in.reported = (struct sh_date){2026, 3, 19}; /* last day of warranty */
    in.cause = TC_QUALITY;
    return in;
}

static enum ticket_billing bill(const struct ticket_billing_in *in)
{
    struct ticket_billing_out out;
    struct sh_err e;
    if (ticket_billing_decide(in, &out, &e) != SH_OK)
        fail_msg("billing: %s", e.msg);
    return out.billing;
}

static void ticket_billing_warranty_edges(void **state)
{
    (void)state;
    struct ticket_billing_in in = billing_base();
    assert_int_equal(bill(&in), TB_WARRANTY);
    in.cause = TC_UNKNOWN;
    assert_int_equal(bill(&in), TB_WARRANTY);
    in.reported = (struct sh_date){2026, 3, 20}; /* the day after */
    assert_int_equal(bill(&in), TB_CHARGEABLE);
    in.service_contract = true;
    assert_int_equal(bill(&in), TB_CONTRACT);
    assert_string_equal(ticket_billing_name(TB_CONTRACT), "contract");
}

static void ticket_billing_no_install_date(void **state)
{
    (void)state;
    struct ticket_billing_in in = billing_base();
    struct ticket_billing_out out;
    struct sh_err e;
    in.unit.has_install = false; /* never installed: the ship date starts the warranty */
    in.reported = (struct sh_date){2026, 2, 28};
    assert_int_equal(ticket_billing_decide(&in, &out, &e), SH_OK);
    assert_int_equal(out.warranty.basis, WB_SHIP);
    assert_int_equal(out.billing, TB_WARRANTY);
    in.reported = (struct sh_date){2026, 3, 1};
    assert_int_equal(bill(&in), TB_CHARGEABLE);
    in.unit.has_ship = false; /* nothing known: staff must supply a date first */
    assert_int_equal(ticket_billing_decide(&in, &out, &e), SH_UNPROCESSABLE);
    in.unit.has_override = true;
    in.unit.override_end = (struct sh_date){2027, 1, 1};
    assert_int_equal(bill(&in), TB_WARRANTY);
}

static void ticket_billing_contract_override(void **state)
{
    (void)state;
    struct ticket_billing_in in = billing_base();
    struct ticket_billing_out out;
    struct sh_err e;
    in.reported = (struct sh_date){2027, 3, 1};
    assert_int_equal(bill(&in), TB_CHARGEABLE);
    in.unit.contract_months = 36; /* the contract's three years beat the model's one */
    assert_int_equal(ticket_billing_decide(&in, &out, &e), SH_OK);
    assert_true(out.in_warranty);
    assert_true(out.warranty.months_from_contract);
    assert_int_equal(out.billing, TB_WARRANTY);
    in.unit.contract_months = 0; /* a contract may also grant none */
    in.service_contract = true;
    in.reported = (struct sh_date){2025, 4, 1};
    assert_int_equal(bill(&in), TB_CONTRACT);
}

/* RULE. */
static void ticket_billing_exclusions(void **state)
{
    (void)state;
    struct ticket_billing_in in = billing_base();
    struct ticket_billing_out out;
    struct sh_err e;
    in.cause = TC_HUMAN;
    assert_int_equal(ticket_billing_decide(&in, &out, &e), SH_OK);
    assert_int_equal(out.billing, TB_NEGOTIATED);
    assert_true(out.in_warranty);
    assert_non_null(strstr(out.reason, "human"));
    in.cause = TC_FORCE_MAJEURE;
    assert_int_equal(bill(&in), TB_NEGOTIATED);
    in.exclusions_chargeable = true; /* GEN/DEN policy: no negotiation */
    assert_int_equal(bill(&in), TB_CHARGEABLE);
    in.cause = TC_THIRD_PARTY;
    assert_int_equal(bill(&in), TB_NEGOTIATED);
    in.third_party_chargeable = true;
    assert_int_equal(bill(&in), TB_CHARGEABLE);
    in.exclusions_chargeable = false;
    in.cause = TC_HUMAN;
    in.reported = (struct sh_date){2026, 6, 1}; /* out of warranty: plainly chargeable */
    assert_int_equal(bill(&in), TB_CHARGEABLE);
    in.service_contract = true;
    assert_int_equal(bill(&in), TB_CONTRACT);
    assert_string_equal(ticket_cause_name(TC_FORCE_MAJEURE), "force_majeure");
}

/* ---- guards: one exhaustive check (issue 9 item 5), table-tested ---- */

struct guard_case {
    const char *what;
    enum ticket_type type;
    enum ticket_state from;
    enum ticket_action action;
    struct ticket_guard_facts f;
    enum sh_code want;
    const char *guard; /* the guard named in params, NULL when allowed */
};

#define DECIDED .warranty_decided = true
static const struct guard_case guard_cases[] = {
    {"note missing", TICKET_REPAIR, TS_IN_PROGRESS, TA_REPLY, {0}, SH_INVALID, "note"},
    {"note empty", TICKET_REPAIR, TS_IN_PROGRESS, TA_REPLY, {.note = ""}, SH_INVALID, "note"},
    {"note given", TICKET_REPAIR, TS_IN_PROGRESS, TA_REPLY, {.note = "x"}, SH_OK, NULL},
    {"no guard", TICKET_REPAIR, TS_ASSIGNED, TA_ACCEPT, {0}, SH_OK, NULL},
    {"warranty unknown",
     TICKET_REPAIR,
     TS_IN_PROGRESS,
     TA_SCHEDULE_VISIT,
     {0},
     SH_CONFLICT,
     "warranty"},
    {"warranty decided", TICKET_REPAIR, TS_IN_PROGRESS, TA_SCHEDULE_VISIT, {DECIDED}, SH_OK, NULL},
    {"installation, warranty unknown",
     TICKET_INSTALLATION,
     TS_IN_PROGRESS,
     TA_SCHEDULE_VISIT,
     {0},
     SH_CONFLICT,
     "warranty"},
    {"approval switched on, none",
     TICKET_REPAIR,
     TS_IN_PROGRESS,
     TA_SCHEDULE_VISIT,
     {DECIDED, .approval_required = true},
     SH_CONFLICT,
     "approval"},
    {"installation, approval switched on, none",
     TICKET_INSTALLATION,
     TS_IN_PROGRESS,
     TA_SCHEDULE_VISIT,
     {DECIDED, .approval_required = true},
     SH_CONFLICT,
     "approval"},
    {"approval switched on, given",
     TICKET_REPAIR,
     TS_IN_PROGRESS,
     TA_SCHEDULE_VISIT,
     {DECIDED, .approval_required = true, .approved = true},
     SH_OK,
     NULL},
    {"approval first, then warranty",
     TICKET_REPAIR,
     TS_IN_PROGRESS,
     TA_SCHEDULE_VISIT,
     {.approval_required = true},
     SH_CONFLICT,
     "approval"},
    {"re-booking needs a note only",
     TICKET_REPAIR,
     TS_VISIT_SCHEDULED,
     TA_SCHEDULE_VISIT,
     {.note = "客户改期"},
     SH_OK,
     NULL},
    {"arrival: the action's instant",
     TICKET_REPAIR,
     TS_VISIT_SCHEDULED,
     TA_ARRIVE,
     {0},
     SH_OK,
     NULL},
    {"work order not fixed",
     TICKET_REPAIR,
     TS_ON_SITE,
     TA_RESOLVE,
     {.wo_number = "WO-1", .wo_status = "not_fixed", .wo_id = 7},
     SH_CONFLICT,
     "work_order"},
    {"work order first, then the report",
     TICKET_REPAIR,
     TS_ON_SITE,
     TA_RESOLVE,
     {.report_required = true, .wo_number = "WO-1", .wo_status = "on_site", .wo_id = 7},
     SH_CONFLICT,
     "work_order"},
    {"report switched off", TICKET_REPAIR, TS_ON_SITE, TA_RESOLVE, {0}, SH_OK, NULL},
    {"report required, not signed",
     TICKET_REPAIR,
     TS_ON_SITE,
     TA_RESOLVE,
     {.report_required = true},
     SH_CONFLICT,
     "report"},
    {"report required and signed",
     TICKET_REPAIR,
     TS_ON_SITE,
     TA_RESOLVE,
     {.report_required = true, .report_signed = true},
     SH_OK,
     NULL},
    {"installation: the report too",
     TICKET_INSTALLATION,
     TS_ON_SITE,
     TA_RESOLVE,
     {.report_required = true},
     SH_CONFLICT,
     "report"},
    {"charge_told switched off or not chargeable; survey switched off",
     TICKET_REPAIR,
     TS_RESOLVED,
     TA_CLOSE,
     {0},
     SH_OK,
     NULL},
    {"charge_told: chargeable, not told",
     TICKET_REPAIR,
     TS_RESOLVED,
     TA_CLOSE,
     {.charge_required = true},
     SH_CONFLICT,
     "charge_told"},
    {"charge_told: chargeable and told",
     TICKET_REPAIR,
     TS_RESOLVED,
     TA_CLOSE,
     {.charge_required = true, .charge_told = true},
     SH_OK,
     NULL},
    {"quote: chargeable visit without an accepted quote",
     TICKET_REPAIR,
     TS_IN_PROGRESS,
     TA_SCHEDULE_VISIT,
     {.warranty_decided = true, .quote_required = true},
     SH_CONFLICT,
     "quote"},
    {"installation: priced by its project, never quoted per ticket",
     TICKET_INSTALLATION,
     TS_IN_PROGRESS,
     TA_SCHEDULE_VISIT,
     {.warranty_decided = true, .quote_required = true},
     SH_OK,
     NULL},
    {"installation: closes without the charge told per ticket",
     TICKET_INSTALLATION,
     TS_RESOLVED,
     TA_CLOSE,
     {.charge_required = true},
     SH_OK,
     NULL},
    {"quote: accepted",
     TICKET_REPAIR,
     TS_IN_PROGRESS,
     TA_SCHEDULE_VISIT,
     {.warranty_decided = true, .quote_required = true, .quote_accepted = true},
     SH_OK,
     NULL},
    {"survey switched on, none done",
     TICKET_REPAIR,
     TS_RESOLVED,
     TA_CLOSE,
     {.survey_required = true},
     SH_CONFLICT,
     "survey"},
    {"survey switched on, answered or refused",
     TICKET_CONSULTATION,
     TS_RESOLVED,
     TA_CLOSE,
     {.survey_required = true, .survey_done = true},
     SH_OK,
     NULL},
    /* WF-08: a DOA ticket resolves once its replacement is received or its unit is back */
    {"doa: neither a replacement nor the unit back",
     TICKET_DOA,
     TS_IN_PROGRESS,
     TA_RESOLVE,
     {.note = "x"},
     SH_CONFLICT,
     "replacement"},
    {"doa: the replacement only requested",
     TICKET_DOA,
     TS_IN_PROGRESS,
     TA_RESOLVE,
     {.note = "x",
      .replacement_number = "S-1",
      .replacement_state = "requested",
      .replacement_id = 3},
     SH_CONFLICT,
     "replacement"},
    {"doa: one received, a second one on its way",
     TICKET_DOA,
     TS_IN_PROGRESS,
     TA_RESOLVE,
     {.note = "x",
      .replacement_received = true,
      .replacement_number = "S-2",
      .replacement_state = "in_transit",
      .replacement_id = 4},
     SH_CONFLICT,
     "replacement"},
    {"doa: the replacement received",
     TICKET_DOA,
     TS_IN_PROGRESS,
     TA_RESOLVE,
     {.note = "x", .replacement_received = true},
     SH_OK,
     NULL},
    {"doa at the factory: the unit came back",
     TICKET_DOA,
     TS_AT_FACTORY,
     TA_RESOLVE,
     {.note = "x", .doa_unit_returned = true},
     SH_OK,
     NULL},
    {"doa at the factory: the unit never came back",
     TICKET_DOA,
     TS_AT_FACTORY,
     TA_RESOLVE,
     {.note = "x"},
     SH_CONFLICT,
     "replacement"},
    {"doa: the note first", TICKET_DOA, TS_IN_PROGRESS, TA_RESOLVE, {0}, SH_INVALID, "note"},
    {"replacement type: no DOA guard",
     TICKET_REPLACEMENT,
     TS_IN_PROGRESS,
     TA_RESOLVE,
     {.note = "x"},
     SH_OK,
     NULL},
    {"illegal transition: no guards", TICKET_REPAIR, TS_NEW, TA_CLOSE, {0}, SH_OK, NULL},
};

static void ticket_guards_check_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(guard_cases) / sizeof(guard_cases[0]); i++) {
        const struct guard_case *c = &guard_cases[i];
        struct sh_err e;
        sh_err_clear(&e);
        enum sh_code rc = ticket_guards_check(c->type, c->from, c->action, &c->f, &e);
        if (rc != c->want)
            fail_msg("%s: code %d, want %d (%s)", c->what, rc, c->want, e.msg);
        if (c->guard) {
            char want[80];
            snprintf(want, sizeof(want), "\"guard\":\"%s\"", c->guard);
            assert_string_equal(e.reason, "guard");
            if (!strstr(e.params, want))
                fail_msg("%s: params %s", c->what, e.params);
        }
    }
}

/* Every TG_* flag has a row, and every guard a transition can carry has a check. */
static void ticket_guard_table_exhaustive(void **state)
{
    (void)state;
    size_t n;
    const struct ticket_guard_info *t = ticket_guard_table(&n);
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(t[i].flag, 1u << i);
        seen |= t[i].flag;
    }
    assert_int_equal(seen, TG_ALL);
    static const struct ticket_guard_facts all_ok = {.note = "x",
                                                     .warranty_decided = true,
                                                     .approval_required = true,
                                                     .approved = true,
                                                     .survey_required = true,
                                                     .report_required = true,
                                                     .report_signed = true,
                                                     .survey_done = true,
                                                     .replacement_received = true};
    for (int ty = 0; ty < TICKET_TYPE_COUNT; ty++)
        for (int st = 0; st < TICKET_STATE_COUNT; st++)
            for (int a = 0; a < TICKET_ACTION_COUNT; a++) {
                unsigned g = ticket_guards(ty, st, a);
                assert_int_equal(g & ~TG_ALL, 0);
                struct sh_err e;
                sh_err_clear(&e);
                assert_int_equal(ticket_guards_check(ty, st, a, &all_ok, &e), SH_OK);
            }
}

/* ---- search texts: staff and customer (issue 10 items 5 and 12) ---- */

static void ticket_search_texts(void **state)
{
    (void)state;
    const struct ticket_search_base base[] = {
        {"SH-20261205-0001", "张工", "139", "协和医院", "SN-1", "无法开机"},
        {"SH-20261205-0002", NULL, NULL, NULL, NULL, "合并来的"}};
    const struct ticket_search_note notes[] = {
        {"created", "customer", "SH-20261205-0001"}, /* not a note */
        {"call", "internal", "无法开机"},            /* the intake call: in the description */
        {"comment", "internal", "内部备注"},
        {"comment", "customer", "公开回复"},
        {"call", "internal", "通话摘要"},
        {"state", "internal", "处理说明"},
        {"state", "customer", ""},
        {"attachment", "customer", "a.png"},
    };
    struct ticket_search_in in = {base, 2, notes, sizeof(notes) / sizeof(notes[0])};
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    assert_int_equal(ticket_search_text(&in, false, &b), SH_OK);
    assert_string_equal(b.buf, "SH-20261205-0001 张工 139 协和医院 SN-1 无法开机 "
                               "SH-20261205-0002     合并来的 内部备注 公开回复 通话摘要 处理说明");
    sh_buf_reset(&b);
    assert_int_equal(ticket_search_text(&in, true, &b), SH_OK);
    assert_string_equal(b.buf, "SH-20261205-0001 张工 139 协和医院 SN-1 无法开机 "
                               "SH-20261205-0002     合并来的 公开回复");
    /* intake: one base, no notes, the same text as before the split */
    sh_buf_reset(&b);
    struct ticket_search_in one = {base, 1, NULL, 0};
    assert_int_equal(ticket_search_text(&one, true, &b), SH_OK);
    assert_string_equal(b.buf, "SH-20261205-0001 张工 139 协和医院 SN-1 无法开机");
    /* the cap never splits a character */
    char *big = malloc(30000);
    for (int i = 0; i < 9999; i++)
        memcpy(big + 3 * i, "噪", 3);
    big[3 * 9999] = '\0';
    const struct ticket_search_note bn[] = {{"comment", "customer", big}};
    struct ticket_search_in bi = {base, 1, bn, 1};
    sh_buf_reset(&b);
    assert_int_equal(ticket_search_text(&bi, false, &b), SH_OK);
    assert_true(b.len <= TICKET_SEARCH_MAX && b.len > TICKET_SEARCH_MAX - 4);
    assert_int_equal(((unsigned char)b.buf[b.len - 3] & 0xC0), 0xC0); /* a lead byte */
    free(big);
    sh_buf_release(&b);
}

/* WF-08: a merge cancels the ticket, so one whose replacement is on its way is refused with
 * the resolve's params (action merge); nothing on its way (none, received, cancelled) merges. */
static void merge_waits_for_replacement(void **state)
{
    (void)state;
    struct sh_err e = {0};
    struct ticket_guard_facts none = {0}, received = {.replacement_received = true};
    assert_int_equal(ticket_merge_check(&none, &e), SH_OK);
    assert_int_equal(ticket_merge_check(&received, &e), SH_OK);
    struct ticket_guard_facts on_way = {
        .replacement_number = "S-7", .replacement_state = "in_transit", .replacement_id = 7};
    assert_int_equal(ticket_merge_check(&on_way, &e), SH_CONFLICT);
    assert_string_equal(e.reason, "guard");
    assert_string_equal(e.params,
                        "{\"guard\":\"replacement\",\"action\":\"merge\",\"shipment_id\":7,"
                        "\"state\":\"in_transit\"}");
    assert_non_null(strstr(e.msg, "'merge': replacement shipment S-7 is in_transit"));
}

/* WF-08: a cancel of any type waits for a replacement on its way (action cancel); with none on
 * its way (none, received, cancelled) it needs nothing else: no DOA unit back, no receipt. */
static void cancel_waits_for_replacement(void **state)
{
    (void)state;
    struct ticket_guard_facts none = {.note = "x"};
    struct ticket_guard_facts on_way = {.note = "x",
                                        .replacement_number = "S-7",
                                        .replacement_state = "requested",
                                        .replacement_id = 7};
    for (int ty = 0; ty < TICKET_TYPE_COUNT; ty++) {
        assert_true(ticket_guards(ty, TS_IN_PROGRESS, TA_CANCEL) & TG_REPLACEMENT);
        struct sh_err e = {0};
        assert_int_equal(ticket_guards_check(ty, TS_IN_PROGRESS, TA_CANCEL, &none, &e), SH_OK);
        assert_int_equal(ticket_guards_check(ty, TS_IN_PROGRESS, TA_CANCEL, &on_way, &e),
                         SH_CONFLICT);
        assert_string_equal(e.params, "{\"guard\":\"replacement\",\"action\":\"cancel\","
                                      "\"shipment_id\":7,\"state\":\"requested\"}");
    }
}

/* Only assign and schedule_visit carry an owner; only schedule_visit the times. */
static void action_carries(void **state)
{
    (void)state;
    assert_int_equal(ticket_action_carries(TA_ASSIGN), CARRY_ASSIGNEE | CARRY_DEPARTMENT);
    assert_int_equal(ticket_action_carries(TA_SCHEDULE_VISIT),
                     CARRY_ASSIGNEE | CARRY_VISIT_AT | CARRY_PROMISED);
    for (int a = 0; a < TICKET_ACTION_COUNT; a++) {
        if (a == TA_ASSIGN || a == TA_SCHEDULE_VISIT)
            continue;
        assert_int_equal(ticket_action_carries((enum ticket_action)a), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ticket_every_enum_has_its_name),
        cmocka_unit_test(ticket_every_transition),
        cmocka_unit_test(ticket_every_row_needs_a_role),
        cmocka_unit_test(ticket_role_matrix),
        cmocka_unit_test(ticket_conflict_names_allowed),
        cmocka_unit_test(ticket_allowed_lists),
        cmocka_unit_test(ticket_guards_and_terminal),
        cmocka_unit_test(ticket_guards_check_table),
        cmocka_unit_test(ticket_guard_table_exhaustive),
        cmocka_unit_test(ticket_search_texts),
        cmocka_unit_test(ticket_tables_are_sound),
        cmocka_unit_test(ticket_names_round_trip),
        cmocka_unit_test(ticket_numbers),
        cmocka_unit_test(ticket_repeat_repair_window),
        cmocka_unit_test(ticket_billing_warranty_edges),
        cmocka_unit_test(ticket_billing_no_install_date),
        cmocka_unit_test(ticket_billing_contract_override),
        cmocka_unit_test(ticket_billing_exclusions),
        cmocka_unit_test(action_carries),
        cmocka_unit_test(merge_waits_for_replacement),
        cmocka_unit_test(cancel_waits_for_replacement),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
