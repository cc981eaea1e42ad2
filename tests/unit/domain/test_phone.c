/* SPDX-License-Identifier: MIT */
/* The QR report's phone number (review 69 M2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/phone.h"

static void numbers(void **state)
{
    (void)state;
    static const char *const ok[] = {"13900008888",    "+8613900008888",  "+86 139 0000 8888",
                                     "139-0000-8888",  "010-69156114",    "028-42426514",
                                     "0571 8888 1234", "+86-10-69156114", "8613900008888"};
    static const char *const bad[] = {"abc",
                                      "+88213000000",
                                      "1",
                                      "",
                                      "12900008888",
                                      "1390000888",
                                      "139000088881",
                                      "00861390000888",
                                      "+1 2025550123",
                                      "13900008888-",
                                      "139--00008888",
                                      "0123456",
                                      "400-000-0000",
                                      "+86",
                                      "0012345678"};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        assert_true(phone_cn_valid(ok[i]));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (phone_cn_valid(bad[i]))
            fail_msg("accepted '%s'", bad[i]);
    assert_false(phone_cn_valid(NULL));
}

/* review 69: one number however it is typed, and the spellings SQL compares with */
static void keys(void **state)
{
    (void)state;
    static const char *const t[][2] = {{"13900001234", "13900001234"},
                                       {"139 0000 1234", "13900001234"},
                                       {"139-0000-1234", "13900001234"},
                                       {"+86 13900001234", "13900001234"},
                                       {"+8613900001234", "13900001234"},
                                       {"0086 139 0000 1234", "13900001234"},
                                       {"8613900001234", "13900001234"},
                                       {"028-42426514", "02842426514"},
                                       {"028 4242 6514", "02842426514"},
                                       {"+86 28 42426514", "02842426514"},
                                       {"0086-28-42426514", "02842426514"},
                                       {"861069156114", "01069156114"},
                                       {"010-69156114", "01069156114"},
                                       {"0571 8888 1234", "057188881234"},
                                       {"+1 202 555 0123", "+12025550123"},
                                       {"(028)42426514", "(028)42426514"},
                                       {"", ""},
                                       {"abc", "abc"}};
    char k[PHONE_KEY_MAX];
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (strcmp(phone_cn_key(t[i][0], k), t[i][1]))
            fail_msg("'%s' → '%s', not '%s'", t[i][0], k, t[i][1]);
    assert_string_equal(phone_cn_key(NULL, k), "");
    assert_true(phone_cn_same("139 0000 1234", "+86 13900001234"));
    assert_true(phone_cn_same("028-42426514", "+86 28 4242 6514"));
    assert_false(phone_cn_same("13900001234", "13900001235"));
    assert_false(phone_cn_same("", ""));
    assert_false(phone_cn_same(NULL, "13900001234"));
    char sp[PHONE_SPELLINGS][PHONE_KEY_MAX + 4];
    phone_cn_spellings("02842426514", sp);
    assert_string_equal(sp[0], "02842426514");
    assert_string_equal(sp[1], "+862842426514");
    assert_string_equal(sp[2], "00862842426514");
    assert_string_equal(sp[3], "862842426514");
    phone_cn_spellings("13900001234", sp);
    assert_string_equal(sp[1], "+8613900001234");
    /* every spelling has the key it came from */
    for (int i = 0; i < PHONE_SPELLINGS; i++)
        assert_string_equal(phone_cn_key(sp[i], k), "13900001234");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers),
        cmocka_unit_test(keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
