/* SPDX-License-Identifier: MIT */
/* The QR report's phone number (review 69 M2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
