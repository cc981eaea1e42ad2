/* SPDX-License-Identifier: MIT */
/* Dealers' installation applications: the action table with who may take each action, and the
 * working-day deadlines (answer R-123, agreement R-124, confirmation before departure R-125). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/date.h"
#include "domain/dealer_app.h"

#define STAFF  RB(AGENT)
#define DEALER RB(DEALER)

struct tcase {
    enum dapp_status from;
    enum dapp_action act;
    unsigned roles;
    enum sh_code want;
    enum dapp_status to;
    const char *reason;
};

static const struct tcase cases[] = {
    {DAS_SUBMITTED, DAA_APPROVE, STAFF, SH_OK, DAS_APPROVED, ""},
    {DAS_SUBMITTED, DAA_REFUSE, STAFF, SH_OK, DAS_REFUSED, ""},
    {DAS_SUBMITTED, DAA_APPROVE, DEALER, SH_FORBIDDEN, DAS_SUBMITTED, "not_allowed"},
    {DAS_SUBMITTED, DAA_CANCEL, DEALER, SH_OK, DAS_CANCELLED, ""},
    {DAS_SUBMITTED, DAA_CONFIRM, DEALER, SH_CONFLICT, DAS_SUBMITTED, "illegal_action"},
    {DAS_SUBMITTED, DAA_SEND_AGREEMENT, STAFF, SH_CONFLICT, DAS_SUBMITTED, "illegal_action"},
    {DAS_APPROVED, DAA_SEND_AGREEMENT, STAFF, SH_OK, DAS_AGREEMENT_SENT, ""},
    {DAS_APPROVED, DAA_SEND_AGREEMENT, DEALER, SH_FORBIDDEN, DAS_APPROVED, "not_allowed"},
    {DAS_APPROVED, DAA_NOT_SUPPORTED, STAFF, SH_OK, DAS_NOT_SUPPORTED, ""},
    {DAS_APPROVED, DAA_ASSIGN_TRIP, STAFF, SH_OK, DAS_APPROVED, ""},
    {DAS_APPROVED, DAA_APPROVE, STAFF, SH_CONFLICT, DAS_APPROVED, "illegal_action"},
    {DAS_AGREEMENT_SENT, DAA_CONFIRM, DEALER, SH_OK, DAS_CONFIRMED, ""},
    {DAS_AGREEMENT_SENT, DAA_CONFIRM, STAFF, SH_OK, DAS_CONFIRMED, ""},
    {DAS_AGREEMENT_SENT, DAA_SEND_AGREEMENT, STAFF, SH_OK, DAS_AGREEMENT_SENT, ""},
    {DAS_CONFIRMED, DAA_ASSIGN_TRIP, STAFF, SH_OK, DAS_CONFIRMED, ""},
    {DAS_CONFIRMED, DAA_CONFIRM, DEALER, SH_CONFLICT, DAS_CONFIRMED, "illegal_action"},
    {DAS_REFUSED, DAA_APPROVE, STAFF, SH_CONFLICT, DAS_REFUSED, "illegal_action"},
    {DAS_DISPATCHED, DAA_CANCEL, STAFF, SH_CONFLICT, DAS_DISPATCHED, "illegal_action"},
    {DAS_CANCELLED, DAA_CANCEL, DEALER, SH_CONFLICT, DAS_CANCELLED, "illegal_action"},
    {DAS_SUBMITTED, DAA_APPROVE, RB(CUSTOMER), SH_FORBIDDEN, DAS_SUBMITTED, "not_allowed"},
};

static void transitions(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct tcase *c = &cases[i];
        struct sh_err e;
        sh_err_clear(&e);
        enum dapp_status to = c->from;
        enum sh_code rc = dapp_transition(c->from, c->act, c->roles, &to, &e);
        if (rc != c->want)
            fail_msg("case %zu: got %d want %d", i, rc, c->want);
        assert_int_equal(to, c->to);
        assert_string_equal(e.reason, c->reason);
    }
}

static void names(void **state)
{
    (void)state;
    for (int i = 0; i < DAPP_STATUS_COUNT; i++) {
        enum dapp_status s;
        assert_true(dapp_status_parse(dapp_status_names[i], &s));
        assert_int_equal(s, i);
    }
    for (int i = 0; i < DAPP_ACTION_COUNT; i++) {
        enum dapp_action a;
        assert_true(dapp_action_parse(dapp_action_names[i], &a));
        assert_int_equal(a, i);
    }
    enum dapp_action a;
    assert_false(dapp_action_parse("dispatch", &a));
}

static int64_t at(const char *s)
{
    int64_t t = 0;
    assert_true(sh_ts_parse(s, &t));
    return t;
}

/* Monday to Friday, 08:30-17:30, Asia/Shanghai; 2026-12-04 is a Friday. */
static void deadlines(void **state)
{
    (void)state;
    struct calendar cal;
    struct sh_err e;
    cal_init(&cal, CAL_HOURS, CAL_SHANGHAI);
    assert_int_equal(cal_add_hours(&cal, 0x1f, CAL_HM(8, 30), CAL_HM(17, 30), &e), SH_OK);
    int64_t fri = at("2026-12-04T02:00:00Z"); /* Friday 10:00 local */
    /* answered by the end of the next working day: Monday */
    assert_int_equal(dapp_workdays_end(&cal, fri, 1), at("2026-12-07T16:00:00Z"));
    /* the agreement within two working days: Tuesday */
    assert_int_equal(dapp_workdays_end(&cal, fri, 2), at("2026-12-08T16:00:00Z"));
    /* filed on a Saturday: Monday still */
    assert_int_equal(dapp_workdays_end(&cal, at("2026-12-05T03:00:00Z"), 1),
                     at("2026-12-07T16:00:00Z"));
    /* departure Monday: confirmed by the end of Friday; Tuesday: by the end of Monday */
    assert_int_equal(dapp_confirm_due(&cal, (struct sh_date){2026, 12, 7}),
                     at("2026-12-04T16:00:00Z"));
    assert_int_equal(dapp_confirm_due(&cal, (struct sh_date){2026, 12, 8}),
                     at("2026-12-07T16:00:00Z"));
    /* a make-up working day (调休) counts, a holiday does not */
    static const struct cal_exception exc[] = {
        {{2026, 12, 5}, CAL_EXC_WORKDAY, 0},
        {{2026, 12, 7}, CAL_EXC_HOLIDAY, 0},
    };
    assert_int_equal(cal_load_year(&cal, 2026, exc, 2, &e), SH_OK);
    assert_int_equal(dapp_workdays_end(&cal, fri, 1), at("2026-12-05T16:00:00Z"));
    assert_int_equal(dapp_workdays_end(&cal, fri, 2), at("2026-12-08T16:00:00Z"));
    assert_int_equal(dapp_confirm_due(&cal, (struct sh_date){2026, 12, 8}),
                     at("2026-12-05T16:00:00Z"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transitions),
        cmocka_unit_test(names),
        cmocka_unit_test(deadlines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
