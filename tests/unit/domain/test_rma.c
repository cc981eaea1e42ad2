/* SPDX-License-Identifier: MIT */
/* Return to factory: the action table with its roles (WF-05, R-063), the legal actions listed
 * on a 409, the photo phases, the unit at the factory, the charge flag and the replacement's
 * eligibility (WF-06, R-065). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/rma.h"

struct tcase {
    enum rma_state from;
    enum rma_action act;
    unsigned roles;
    enum sh_code want;
    enum rma_state to;
};

static const struct tcase cases[] = {
    {RMS_AWAITING_RETURN, RMA_RECEIVE, RB(AGENT), SH_OK, RMS_RECEIVED},
    {RMS_AWAITING_RETURN, RMA_RECEIVE, RB(WAREHOUSE), SH_OK, RMS_RECEIVED},
    {RMS_AWAITING_RETURN, RMA_RECEIVE, RB(TECHNICIAN), SH_FORBIDDEN, 0},
    {RMS_AWAITING_RETURN, RMA_INSPECT_IN, RB(QC), SH_CONFLICT, 0},
    {RMS_AWAITING_RETURN, RMA_CANCEL, RB(AGENT), SH_OK, RMS_CANCELLED},
    {RMS_RECEIVED, RMA_INSPECT_IN, RB(QC), SH_OK, RMS_INSPECTED},
    {RMS_RECEIVED, RMA_INSPECT_IN, RB(AGENT), SH_FORBIDDEN, 0},
    {RMS_RECEIVED, RMA_ANALYSE, RB(DEPT_HEAD), SH_CONFLICT, 0},
    {RMS_RECEIVED, RMA_CANCEL, RB(DEPT_HEAD), SH_OK, RMS_CANCELLED},
    {RMS_INSPECTED, RMA_ANALYSE, RB(DEPT_HEAD), SH_OK, RMS_ANALYSED},
    {RMS_INSPECTED, RMA_ANALYSE, RB(QC), SH_FORBIDDEN, 0},
    {RMS_INSPECTED, RMA_CANCEL, RB(AGENT), SH_CONFLICT, 0},
    {RMS_ANALYSED, RMA_REPAIR, RB(TECHNICIAN), SH_OK, RMS_REPAIRED},
    {RMS_ANALYSED, RMA_REPLACE, RB(TECHNICIAN), SH_OK, RMS_REPLACED},
    {RMS_ANALYSED, RMA_REPAIR, RB(QC), SH_FORBIDDEN, 0},
    {RMS_ANALYSED, RMA_INSPECT_OUT, RB(QC), SH_CONFLICT, 0},
    /* WF-20 S4-S5: the customer's decision, recorded by after-sales or the customer itself;
     * a declined repair ships back from analysed (rma_consent_guard says when) */
    {RMS_ANALYSED, RMA_CONSENT, RB(AGENT), SH_OK, RMS_ANALYSED},
    {RMS_ANALYSED, RMA_CONSENT, RB(SALES), SH_OK, RMS_ANALYSED},
    {RMS_ANALYSED, RMA_CONSENT, RB(CUSTOMER), SH_OK, RMS_ANALYSED},
    {RMS_ANALYSED, RMA_CONSENT, RB(TECHNICIAN), SH_FORBIDDEN, 0},
    {RMS_ANALYSED, RMA_CONSENT, RB(DEALER), SH_FORBIDDEN, 0},
    {RMS_ANALYSED, RMA_REPAIR, RB(CUSTOMER), SH_FORBIDDEN, 0},
    {RMS_INSPECTED, RMA_CONSENT, RB(AGENT), SH_CONFLICT, 0},
    {RMS_REPAIRED, RMA_CONSENT, RB(CUSTOMER), SH_CONFLICT, 0},
    {RMS_ANALYSED, RMA_SHIP_BACK, RB(AGENT), SH_OK, RMS_SHIPPED_BACK},
    {RMS_ANALYSED, RMA_SHIP_BACK, RB(CUSTOMER), SH_FORBIDDEN, 0},
    {RMS_REPAIRED, RMA_INSPECT_OUT, RB(QC), SH_OK, RMS_QC_PASSED},
    {RMS_REPLACED, RMA_INSPECT_OUT, RB(QC), SH_OK, RMS_QC_PASSED},
    {RMS_REPAIRED, RMA_INSPECT_OUT, RB(TECHNICIAN), SH_FORBIDDEN, 0},
    {RMS_REPAIRED, RMA_REWORK, RB(QC), SH_OK, RMS_ANALYSED},
    {RMS_REPLACED, RMA_REWORK, RB(QC), SH_OK, RMS_ANALYSED},
    {RMS_REPAIRED, RMA_SHIP_BACK, RB(AGENT), SH_CONFLICT, 0},
    {RMS_QC_PASSED, RMA_SHIP_BACK, RB(AGENT), SH_OK, RMS_SHIPPED_BACK},
    {RMS_QC_PASSED, RMA_SHIP_BACK, RB(SALES), SH_OK, RMS_SHIPPED_BACK},
    {RMS_QC_PASSED, RMA_SHIP_BACK, RB(QC), SH_FORBIDDEN, 0},
    {RMS_QC_PASSED, RMA_CLOSE, RB(AGENT), SH_CONFLICT, 0},
    {RMS_SHIPPED_BACK, RMA_CLOSE, RB(AGENT), SH_OK, RMS_CLOSED},
    {RMS_SHIPPED_BACK, RMA_CLOSE, RB(WAREHOUSE), SH_FORBIDDEN, 0},
    {RMS_CLOSED, RMA_CANCEL, RB(ADMIN), SH_CONFLICT, 0},
    {RMS_CLOSED, RMA_RECEIVE, RB(ADMIN), SH_CONFLICT, 0},
    {RMS_CANCELLED, RMA_RECEIVE, RB(ADMIN), SH_CONFLICT, 0},
};

static void transition_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct tcase *c = &cases[i];
        struct sh_err e;
        sh_err_clear(&e);
        enum rma_state to = RMA_STATE_COUNT;
        enum sh_code rc = rma_transition(c->from, c->act, c->roles, false, &to, &e);
        if (rc != c->want)
            fail_msg("case %zu: %s %s: got %d want %d (%s)", i, rma_state_name(c->from),
                     rma_action_name(c->act), rc, c->want, e.msg);
        if (rc == SH_OK)
            assert_int_equal(to, c->to);
        if (rc == SH_CONFLICT)
            assert_string_equal(e.reason, "illegal_action");
    }
}

static void every_state_but_the_last_leads_somewhere(void **state)
{
    (void)state;
    for (int s = 0; s < RMA_STATE_COUNT; s++) {
        enum rma_action out[RMA_ACTION_COUNT];
        int n = rma_allowed_actions((enum rma_state)s, ROLES_ALL, false, out);
        assert_int_equal(n == 0, rma_state_terminal((enum rma_state)s));
    }
}

static void illegal_lists_the_legal(void **state)
{
    (void)state;
    struct sh_err e;
    sh_err_clear(&e);
    enum rma_state to;
    assert_int_equal(rma_transition(RMS_AWAITING_RETURN, RMA_CLOSE, ROLES_ALL, false, &to, &e),
                     SH_CONFLICT);
    assert_non_null(strstr(e.params, "\"allowed\":[\"receive\",\"cancel\",\"advance_exchange\"]"));
}

static void allowed_actions(void **state)
{
    (void)state;
    enum rma_action out[RMA_ACTION_COUNT];
    assert_int_equal(rma_allowed_actions(RMS_REPAIRED, RB(QC), false, out), 2);
    assert_int_equal(out[0], RMA_INSPECT_OUT);
    assert_int_equal(out[1], RMA_REWORK);
    assert_int_equal(rma_allowed_actions(RMS_REPAIRED, RB(CUSTOMER), false, out), 0);
}

static void names(void **state)
{
    (void)state;
    for (int i = 0; i < RMA_STATE_COUNT; i++) {
        enum rma_state s;
        assert_non_null(rma_state_names[i]);
        assert_true(rma_state_parse(rma_state_names[i], &s) && (int)s == i);
    }
    for (int i = 0; i < RMA_ACTION_COUNT; i++) {
        enum rma_action a;
        assert_non_null(rma_action_names[i]);
        assert_true(rma_action_parse(rma_action_names[i], &a) && (int)a == i);
    }
    for (int i = 0; i < RMA_CAUSE_COUNT; i++) {
        enum rma_cause c;
        assert_true(rma_cause_parse(rma_cause_names[i], &c) && (int)c == i);
    }
    assert_null(rma_state_names[RMA_STATE_COUNT]);
    assert_false(rma_cause_parse("weather", &(enum rma_cause){0}));
}

static void photos_and_unit(void **state)
{
    (void)state;
    assert_true(rma_photo_phase_open(RMS_RECEIVED, "incoming"));
    assert_false(rma_photo_phase_open(RMS_INSPECTED, "incoming"));
    assert_false(rma_photo_phase_open(RMS_RECEIVED, "outgoing"));
    assert_true(rma_photo_phase_open(RMS_REPAIRED, "outgoing"));
    assert_true(rma_photo_phase_open(RMS_REPLACED, "outgoing"));
    assert_false(rma_photo_phase_open(RMS_QC_PASSED, "outgoing"));
    assert_false(rma_photo_phase_open(RMS_RECEIVED, NULL));
    assert_false(rma_unit_at_factory(RMS_AWAITING_RETURN));
    assert_true(rma_unit_at_factory(RMS_RECEIVED));
    assert_true(rma_unit_at_factory(RMS_QC_PASSED));
    assert_false(rma_unit_at_factory(RMS_SHIPPED_BACK));
}

struct elig {
    const char *warranty, *cause;
    int64_t accepted_fen;
    bool ok;
    const char *reason;
};

static void eligibility(void **state)
{
    (void)state;
    static const struct elig t[] = {
        {"in", "manufacturing", 0, true, NULL},
        {"in", "assembly", 0, true, NULL},
        {"in", "material", 0, true, NULL},
        {"in", "design", 0, true, NULL},
        {"in", "installation", 0, false, "cause"},
        {"in", "use", 0, false, "cause"},
        {"in", "use", 5000, false, "cause"}, /* in warranty nothing is charged (in_warranty) */
        {"in", "", 0, false, "no_cause"},
        {"in", NULL, 0, false, "no_cause"},
        {"in", "weather", 0, false, "no_cause"},
        /* out of warranty: paid, once the customer accepted the charge, whatever the cause */
        {"out", "material", 0, false, "charge"},
        {"out", "use", 0, false, "charge"},
        {"out", "use", 128000, true, NULL},
        {"out", "material", 1, true, NULL},
        {"unknown", "material", 0, false, "warranty"},
        {"unknown", "material", 5000, false, "warranty"},
        {NULL, "design", 0, false, "warranty"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        const char *why = "x";
        bool ok = rma_replacement_eligible(t[i].warranty, t[i].cause, t[i].accepted_fen, &why);
        if (ok != t[i].ok)
            fail_msg("case %zu: %s/%s", i, t[i].warranty, t[i].cause);
        if (t[i].reason)
            assert_string_equal(why, t[i].reason);
        else
            assert_null(why);
    }
    assert_int_equal(rma_accepted_fen(128000, "accept"), 128000);
    assert_int_equal(rma_accepted_fen(128000, "decline"), 0);
    assert_int_equal(rma_accepted_fen(128000, NULL), 0);
    assert_int_equal(rma_accepted_fen(0, "accept"), 0);
    assert_string_equal(rma_old_unit_status("returned"), "returned");
    assert_string_equal(rma_old_unit_status("scrapped"), "scrapped");
    assert_string_equal(rma_old_unit_status("kept"), "scrapped");
    assert_null(rma_old_unit_status("lost"));
    assert_null(rma_old_unit_status(NULL));
    assert_true(rma_chargeable("out"));
    assert_false(rma_chargeable("in"));
    assert_false(rma_chargeable("unknown"));
}

struct consent_case {
    enum rma_state st;
    enum rma_action act;
    int64_t proposed;
    const char *decision;
    bool refused;
};

/* RULE WF-20 S4-S5: the proposed charge is decided once, the repair waits for the accept, a
 * declined repair ships back unrepaired; an RMA with no charge proposed is untouched. */
static void consent_rule(void **state)
{
    (void)state;
    static const struct consent_case t[] = {
        {RMS_ANALYSED, RMA_CONSENT, 180000, NULL, false},
        {RMS_ANALYSED, RMA_CONSENT, 180000, "accept", true},
        {RMS_ANALYSED, RMA_CONSENT, 180000, "decline", true},
        {RMS_ANALYSED, RMA_CONSENT, 0, NULL, true},
        {RMS_ANALYSED, RMA_CONSENT, -1, NULL, true},
        {RMS_ANALYSED, RMA_REPAIR, 180000, NULL, true},
        {RMS_ANALYSED, RMA_REPAIR, 180000, "decline", true},
        {RMS_ANALYSED, RMA_REPAIR, 180000, "accept", false},
        {RMS_ANALYSED, RMA_REPAIR, 0, NULL, false},
        {RMS_ANALYSED, RMA_REPLACE, 180000, NULL, true},
        {RMS_ANALYSED, RMA_REPLACE, 0, NULL, false},
        {RMS_ANALYSED, RMA_SHIP_BACK, 180000, "decline", false},
        {RMS_ANALYSED, RMA_SHIP_BACK, 180000, "accept", true},
        {RMS_ANALYSED, RMA_SHIP_BACK, 180000, NULL, true},
        {RMS_ANALYSED, RMA_SHIP_BACK, 0, NULL, true},
        {RMS_QC_PASSED, RMA_SHIP_BACK, 180000, "accept", false},
        {RMS_QC_PASSED, RMA_SHIP_BACK, 0, NULL, false},
        {RMS_REPAIRED, RMA_INSPECT_OUT, 180000, "accept", false},
        {RMS_INSPECTED, RMA_ANALYSE, 0, NULL, false},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        const char *g = rma_consent_guard(t[i].st, t[i].act, t[i].proposed, t[i].decision);
        if ((g != NULL) != t[i].refused)
            fail_msg("case %zu: %s %s %lld %s", i, rma_state_name(t[i].st),
                     rma_action_name(t[i].act), (long long)t[i].proposed,
                     t[i].decision ? t[i].decision : "-");
        if (g)
            assert_string_equal(g, "consent");
    }
    /* what the page offers: the consent while undecided, the ship-back once declined */
    enum rma_action out[RMA_ACTION_COUNT];
    assert_int_equal(
        rma_offered_actions(RMS_ANALYSED, RB(CUSTOMER), false, "repair", 180000, NULL, out), 1);
    assert_int_equal(out[0], RMA_CONSENT);
    assert_int_equal(
        rma_offered_actions(RMS_ANALYSED, RB(CUSTOMER), false, "repair", 180000, "accept", out), 0);
    assert_int_equal(rma_offered_actions(RMS_ANALYSED, RB(CUSTOMER), false, "repair", 0, NULL, out),
                     0);
    assert_int_equal(rma_offered_actions(RMS_ANALYSED, RB(AGENT), false, "repair", 0, NULL, out),
                     0);
    assert_int_equal(
        rma_offered_actions(RMS_ANALYSED, RB(AGENT), false, "repair", 180000, "decline", out), 1);
    assert_int_equal(out[0], RMA_SHIP_BACK);
    assert_int_equal(
        rma_offered_actions(RMS_ANALYSED, RB(TECHNICIAN), false, "repair", 180000, NULL, out), 2);
    assert_int_equal(out[0], RMA_REPAIR); /* offered: its refusal says why */
    assert_int_equal(
        rma_offered_actions(RMS_QC_PASSED, RB(AGENT), false, "repair", 180000, "accept", out), 1);
    assert_int_equal(out[0], RMA_SHIP_BACK);
    assert_string_equal(rma_consent_names[0], "accept");
    assert_string_equal(rma_consent_names[1], "decline");
    assert_null(rma_consent_names[2]);
}

/* RULE WF-08 S3-S5 (review 68 M9): the advance exchange of a DOA unit */
static void advance_exchange(void **state)
{
    (void)state;
    static const struct tcase adv[] = {
        /* the return table offers it while the unit is awaited, to after-sales and sales */
        {RMS_AWAITING_RETURN, RMA_ADVANCE, RB(AGENT), SH_OK, RMS_AWAITING_RETURN},
        {RMS_AWAITING_RETURN, RMA_ADVANCE, RB(SALES), SH_OK, RMS_AWAITING_RETURN},
        {RMS_AWAITING_RETURN, RMA_ADVANCE, RB(TECHNICIAN), SH_FORBIDDEN, 0},
        {RMS_AWAITING_RETURN, RMA_ADVANCE, RB(CUSTOMER), SH_FORBIDDEN, 0},
        {RMS_RECEIVED, RMA_ADVANCE, RB(AGENT), SH_CONFLICT, 0},
        {RMS_ANALYSED, RMA_ADVANCE, RB(AGENT), SH_CONFLICT, 0},
    };
    for (size_t i = 0; i < sizeof(adv) / sizeof(adv[0]); i++) {
        struct sh_err e;
        sh_err_clear(&e);
        enum rma_state to = RMA_STATE_COUNT;
        enum sh_code rc = rma_transition(adv[i].from, adv[i].act, adv[i].roles, false, &to, &e);
        if (rc != adv[i].want)
            fail_msg("return case %zu: got %d want %d", i, rc, adv[i].want);
        if (rc == SH_OK)
            assert_int_equal(to, adv[i].to);
    }
    /* once taken: received, inspected, analysed, closed; no second exchange, no repair,
     * replacement or ship-back */
    static const struct tcase after[] = {
        {RMS_AWAITING_RETURN, RMA_ADVANCE, RB(AGENT), SH_CONFLICT, 0},
        {RMS_AWAITING_RETURN, RMA_RECEIVE, RB(WAREHOUSE), SH_OK, RMS_RECEIVED},
        {RMS_AWAITING_RETURN, RMA_CANCEL, RB(AGENT), SH_OK, RMS_CANCELLED},
        {RMS_RECEIVED, RMA_INSPECT_IN, RB(QC), SH_OK, RMS_INSPECTED},
        {RMS_INSPECTED, RMA_ANALYSE, RB(DEPT_HEAD), SH_OK, RMS_ANALYSED},
        {RMS_ANALYSED, RMA_CLOSE, RB(AGENT), SH_OK, RMS_CLOSED},
        {RMS_ANALYSED, RMA_CLOSE, RB(QC), SH_FORBIDDEN, 0},
        {RMS_ANALYSED, RMA_REPAIR, RB(TECHNICIAN), SH_CONFLICT, 0},
        {RMS_ANALYSED, RMA_REPLACE, RB(TECHNICIAN), SH_CONFLICT, 0},
        {RMS_ANALYSED, RMA_SHIP_BACK, RB(AGENT), SH_CONFLICT, 0},
        {RMS_ANALYSED, RMA_CONSENT, RB(AGENT), SH_CONFLICT, 0},
    };
    for (size_t i = 0; i < sizeof(after) / sizeof(after[0]); i++) {
        struct sh_err e;
        sh_err_clear(&e);
        enum rma_state to = RMA_STATE_COUNT;
        enum sh_code rc =
            rma_transition(after[i].from, after[i].act, after[i].roles, true, &to, &e);
        if (rc != after[i].want)
            fail_msg("advance case %zu: got %d want %d", i, rc, after[i].want);
        if (rc == SH_OK)
            assert_int_equal(to, after[i].to);
    }
    /* the return table keeps its own close: only from shipped_back */
    struct sh_err e;
    sh_err_clear(&e);
    enum rma_state to;
    assert_int_equal(rma_transition(RMS_ANALYSED, RMA_CLOSE, RB(AGENT), false, &to, &e),
                     SH_CONFLICT);
    /* offered only for a DOA ticket */
    enum rma_action out[RMA_ACTION_COUNT];
    assert_int_equal(
        rma_offered_actions(RMS_AWAITING_RETURN, RB(AGENT), false, "doa", 0, NULL, out), 3);
    assert_int_equal(out[2], RMA_ADVANCE);
    assert_int_equal(
        rma_offered_actions(RMS_AWAITING_RETURN, RB(AGENT), false, "repair", 0, NULL, out), 2);
    assert_int_equal(rma_offered_actions(RMS_AWAITING_RETURN, RB(AGENT), true, "doa", 0, NULL, out),
                     2);
    assert_null(rma_advance_guard("doa"));
    assert_string_equal(rma_advance_guard("repair"), "doa");
    assert_string_equal(rma_advance_guard(NULL), "doa");
    assert_string_equal(rma_action_name(RMA_ADVANCE), "advance_exchange");
    /* the return due date and when it is overdue */
    char due[11];
    rma_return_due((struct sh_date){2026, 12, 25}, due);
    assert_string_equal(due, "2027-01-08");
    struct sh_date d8 = {2027, 1, 8}, d9 = {2027, 1, 9};
    assert_false(rma_return_overdue(RMS_AWAITING_RETURN, true, due, d8));
    assert_true(rma_return_overdue(RMS_AWAITING_RETURN, true, due, d9));
    assert_false(rma_return_overdue(RMS_RECEIVED, true, due, d9));
    assert_false(rma_return_overdue(RMS_AWAITING_RETURN, false, due, d9));
    assert_false(rma_return_overdue(RMS_AWAITING_RETURN, true, NULL, d9));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transition_table),
        cmocka_unit_test(every_state_but_the_last_leads_somewhere),
        cmocka_unit_test(illegal_lists_the_legal),
        cmocka_unit_test(allowed_actions),
        cmocka_unit_test(names),
        cmocka_unit_test(photos_and_unit),
        cmocka_unit_test(eligibility),
        cmocka_unit_test(consent_rule),
        cmocka_unit_test(advance_exchange),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
