/* SPDX-License-Identifier: MIT */
/* The password rules: the embedded common-password list (binary search), the
 * username rule and the length limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/password.h"

extern const unsigned char common_passwords[];
extern const unsigned long common_passwords_len;

static void list_is_sorted_and_large(void **state)
{
    (void)state;
    const char *p = (const char *)common_passwords, *prev = NULL;
    size_t prev_n = 0;
    int n = 0;
    while (*p) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        size_t len = (size_t)(nl - p);
        assert_true(len >= PASSWORD_MIN);
        if (prev) {
            size_t m = len < prev_n ? len : prev_n;
            int c = memcmp(prev, p, m);
            assert_true(c < 0 || (c == 0 && prev_n < len)); /* strictly ascending */
        }
        prev = p;
        prev_n = len;
        n++;
        p = nl + 1;
    }
    assert_true(n >= 10000);
    assert_int_equal((size_t)(p - (const char *)common_passwords), common_passwords_len);
}

/* every entry of the list is found, and a variant of it is not */
static void every_entry_found(void **state)
{
    (void)state;
    const char *p = (const char *)common_passwords;
    char buf[256];
    while (*p) {
        const char *nl = strchr(p, '\n');
        snprintf(buf, sizeof(buf), "%.*s", (int)(nl - p), p);
        assert_true(password_is_common(buf));
        p = nl + 1;
    }
}

static void lookups(void **state)
{
    (void)state;
    assert_true(password_is_common("12345678"));
    assert_true(password_is_common("password"));
    assert_true(password_is_common("PassWord1")); /* case-insensitive */
    assert_true(password_is_common("qwertyuiop"));
    assert_false(password_is_common("Test-Passw0rd-2026"));
    assert_false(password_is_common("Quiet-Harbour-7341"));
    assert_false(password_is_common(""));
    assert_false(password_is_common("1234567")); /* shorter ones are not listed */
    assert_false(password_is_common("123456789012345678901234567890"));
    assert_false(password_is_common("zzzzzzzzzzzzzzzzzzzzzzz~"));
    assert_false(password_is_common("\x01\x01\x01\x01\x01\x01\x01\x01"));
}

static void policy(void **state)
{
    (void)state;
    struct sh_err e;
    sh_err_clear(&e);
    assert_int_equal(password_policy_check("Quiet-Harbour-7341", "alice", "password", &e), SH_OK);
    assert_int_equal(password_policy_check("short", NULL, "password", &e), SH_INVALID);
    assert_string_equal(e.reason, "too_short");
    assert_string_equal(e.field, "password");
    sh_err_clear(&e);
    assert_int_equal(password_policy_check("12345678", NULL, "password", &e), SH_INVALID);
    assert_string_equal(e.reason, "weak_password");
    assert_string_equal(e.params, "{\"why\":\"common\"}");
    sh_err_clear(&e);
    assert_int_equal(password_policy_check("My-ALICE-pass-99", "alice", "pw", &e), SH_INVALID);
    assert_string_equal(e.reason, "weak_password");
    assert_string_equal(e.params, "{\"why\":\"username\"}");
    assert_string_equal(e.field, "pw");
    sh_err_clear(&e);
    assert_int_equal(password_policy_check("alice.w", "alice.w", "pw", &e), SH_INVALID);
    assert_string_equal(e.reason, "too_short");
    sh_err_clear(&e);
    assert_int_equal(password_policy_check("bob.smith", "Bob.Smith", "pw", &e), SH_INVALID);
    assert_string_equal(e.reason, "weak_password");
    /* 8 Chinese characters are 8 characters */
    sh_err_clear(&e);
    assert_int_equal(password_policy_check("售后服务管理系统", NULL, "pw", &e), SH_OK);
    char big[PASSWORD_MAX + 2];
    memset(big, 'k', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(password_policy_check(big, NULL, "pw", &e), SH_INVALID);
    assert_string_equal(e.reason, "too_long");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_is_sorted_and_large),
        cmocka_unit_test(every_entry_found),
        cmocka_unit_test(lookups),
        cmocka_unit_test(policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
