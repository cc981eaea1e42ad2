/* SPDX-License-Identifier: MIT */
/* Quotes' pure rules (issue 13 item 5): line amounts with explicit rounding, totals, the
 * state table, expiry and the approval threshold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/quote.h"

static int64_t amount(enum quote_line_kind k, int64_t qty, int64_t rate, int64_t extra)
{
    struct quote_line_calc l = {.kind = k, .qty = qty, .rate = rate, .extra = extra};
    assert_true(quote_line_amount(&l));
    return l.amount;
}

static void quote_line_amounts(void **state)
{
    (void)state;
    /* 2 parts at 350.00 yuan */
    assert_int_equal(amount(QL_PART, 200, 35000, 0), 70000);
    /* 1.5 hours at 120.00 = 180.00 */
    assert_int_equal(amount(QL_LABOUR, 150, 12000, 0), 18000);
    /* half a fen rounds up: 0.5 hour × 0.01 yuan = 0.005 → 0.01 */
    assert_int_equal(amount(QL_LABOUR, 50, 1, 0), 1);
    /* under half a fen rounds down: 0.25 × 0.01 → 0 */
    assert_int_equal(amount(QL_LABOUR, 25, 1, 0), 0);
    /* 0.33 h × 33.33 = 10.9989 → 11.00 */
    assert_int_equal(amount(QL_LABOUR, 33, 3333, 0), 1100);
    /* travel: 2 days × 200.00 + transport 456.70 */
    assert_int_equal(amount(QL_TRAVEL, 200, 20000, 45670), 85670);
    /* transport counts on travel lines only */
    assert_int_equal(amount(QL_PART, 100, 100, 999), 100);
    /* a fee line keeps the engine's amount */
    struct quote_line_calc f = {.kind = QL_FEE, .amount = 12345};
    assert_true(quote_line_amount(&f));
    assert_int_equal(f.amount, 12345);
    /* refused: negative, over the limits */
    struct quote_line_calc bad = {.kind = QL_PART, .qty = -1, .rate = 1};
    assert_false(quote_line_amount(&bad));
    bad = (struct quote_line_calc){.kind = QL_PART, .qty = QUOTE_QTY_MAX + 1, .rate = 1};
    assert_false(quote_line_amount(&bad));
    bad = (struct quote_line_calc){.kind = QL_PART, .qty = QUOTE_QTY_MAX, .rate = QUOTE_MONEY_MAX};
    assert_false(quote_line_amount(&bad));
}

static void quote_totals(void **state)
{
    (void)state;
    struct quote_line_calc l[3] = {{.amount = 70000}, {.amount = 18000}, {.amount = 1}};
    int64_t t = 0;
    assert_true(quote_total(l, 3, &t));
    assert_int_equal(t, 88001);
    struct quote_line_calc big[2] = {{.amount = QUOTE_MONEY_MAX}, {.amount = 1}};
    assert_false(quote_total(big, 2, &t));
    assert_true(quote_total(l, 0, &t));
    assert_int_equal(t, 0);
}

static void quote_states(void **state)
{
    (void)state;
    enum quote_status to;
    assert_true(quote_transition(QS_DRAFT, QA_SEND, &to));
    assert_int_equal(to, QS_SENT);
    assert_true(quote_transition(QS_DRAFT, QA_SUBMIT, &to));
    assert_int_equal(to, QS_PENDING_APPROVAL);
    assert_true(quote_transition(QS_PENDING_APPROVAL, QA_SEND, &to));
    assert_true(quote_transition(QS_PENDING_APPROVAL, QA_RETURN, &to));
    assert_int_equal(to, QS_DRAFT);
    assert_true(quote_transition(QS_SENT, QA_ACCEPT, &to));
    assert_int_equal(to, QS_ACCEPTED);
    assert_true(quote_transition(QS_SENT, QA_REJECT, &to));
    assert_int_equal(to, QS_REJECTED);
    assert_true(quote_transition(QS_REJECTED, QA_REVISE, &to));
    assert_int_equal(to, QS_SUPERSEDED);
    /* decided once; an accepted quote is not revised; a draft is edited, not revised */
    assert_false(quote_transition(QS_ACCEPTED, QA_REJECT, &to));
    assert_false(quote_transition(QS_REJECTED, QA_ACCEPT, &to));
    assert_false(quote_transition(QS_ACCEPTED, QA_REVISE, &to));
    assert_false(quote_transition(QS_SENT, QA_EDIT, &to));
    assert_false(quote_transition(QS_DRAFT, QA_ACCEPT, &to));
    assert_false(quote_transition(QS_EXPIRED, QA_ACCEPT, &to));
    assert_false(quote_transition(QS_SUPERSEDED, QA_SEND, &to));
    /* RULE WF-20: accepting one quote withdraws the ticket's other open ones; a decided,
     * superseded or withdrawn quote stays as it is */
    assert_true(quote_transition(QS_SENT, QA_WITHDRAW, &to));
    assert_int_equal(to, QS_WITHDRAWN);
    assert_true(quote_withdrawn_by_acceptance(QS_DRAFT));
    assert_true(quote_withdrawn_by_acceptance(QS_PENDING_APPROVAL));
    assert_true(quote_withdrawn_by_acceptance(QS_SENT));
    assert_true(quote_withdrawn_by_acceptance(QS_EXPIRED));
    assert_false(quote_withdrawn_by_acceptance(QS_ACCEPTED));
    assert_false(quote_withdrawn_by_acceptance(QS_REJECTED));
    assert_false(quote_withdrawn_by_acceptance(QS_SUPERSEDED));
    assert_false(quote_withdrawn_by_acceptance(QS_WITHDRAWN));
    /* RULE WF-20, R-131: the ticket no longer chargeable withdraws the accepted quote too */
    assert_true(quote_transition(QS_ACCEPTED, QA_WITHDRAW, &to));
    assert_int_equal(to, QS_WITHDRAWN);
    assert_true(quote_withdrawn_by_billing(QS_ACCEPTED));
    assert_true(quote_withdrawn_by_billing(QS_SENT));
    assert_true(quote_withdrawn_by_billing(QS_DRAFT));
    assert_true(quote_withdrawn_by_billing(QS_PENDING_APPROVAL));
    assert_true(quote_withdrawn_by_billing(QS_EXPIRED));
    assert_false(quote_withdrawn_by_billing(QS_REJECTED));
    assert_false(quote_withdrawn_by_billing(QS_SUPERSEDED));
    assert_false(quote_withdrawn_by_billing(QS_WITHDRAWN));
    assert_true(quote_billing_paid("chargeable"));
    assert_true(quote_billing_paid("negotiated"));
    assert_false(quote_billing_paid("warranty"));
    assert_false(quote_billing_paid("contract"));
    assert_false(quote_billing_paid("unknown"));
    assert_false(quote_billing_paid(NULL));
    for (int a = 0; a < QUOTE_ACTION_COUNT; a++)
        assert_false(quote_transition(QS_WITHDRAWN, (enum quote_action)a, &to));
    for (int s = 0; s < QUOTE_STATUS_COUNT; s++) {
        enum quote_status p;
        assert_true(quote_status_parse(quote_status_names[s], &p));
        assert_int_equal(p, s);
    }
}

static void quote_expiry_and_approval(void **state)
{
    (void)state;
    assert_int_equal(quote_effective(QS_SENT, 1000, 999), QS_SENT);
    assert_int_equal(quote_effective(QS_SENT, 1000, 1000), QS_EXPIRED);
    assert_int_equal(quote_effective(QS_ACCEPTED, 1000, 5000), QS_ACCEPTED);
    assert_int_equal(quote_effective(QS_DRAFT, 1000, 5000), QS_DRAFT);
    assert_false(quote_needs_approval(1000000, 1000000));
    assert_true(quote_needs_approval(1000001, 1000000));
    assert_false(quote_needs_approval(99999999, -1));
    assert_true(quote_needs_approval(1, 0));
    assert_true(quote_channel_recordable("wechat"));
    assert_true(quote_channel_recordable("phone"));
    assert_false(quote_channel_recordable("link"));
    assert_false(quote_channel_recordable("portal"));
    assert_false(quote_channel_recordable("fax"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quote_line_amounts),
        cmocka_unit_test(quote_totals),
        cmocka_unit_test(quote_states),
        cmocka_unit_test(quote_expiry_and_approval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
