/* SPDX-License-Identifier: MIT */
/* The public settings of the QR report: public_url (printed on labels instead of the
 * request's Host header, review I4) and public_report_merge_hours (issue 10, item 20). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/config.h"

static void public_url(void **state)
{
    (void)state;
    struct sh_config c;
    struct sh_err e;
    config_defaults(&c);
    assert_string_equal(c.public_url, "");
    assert_int_equal(c.public_report_merge_hours, 24);
    sh_err_clear(&e);
    assert_int_equal(config_set(&c, "public_url", "https://fw.example.com", &e), SH_OK);
    assert_string_equal(c.public_url, "https://fw.example.com");
    assert_int_equal(config_set(&c, "public_url", "http://10.0.0.5:8080/shouhou", &e), SH_OK);
    assert_int_equal(config_set(&c, "public_url", "", &e), SH_OK);
    assert_string_equal(c.public_url, "");
    static const char *const bad[] = {"fw.example.com",      "https://",
                                      "https:///x",          "https://fw.example.com/",
                                      "https://a b.com",     "https://a.com/\"><script>",
                                      "javascript:alert(1)", "ftp://a.com"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        sh_err_clear(&e);
        assert_int_equal(config_set(&c, "public_url", bad[i], &e), SH_INVALID);
        assert_string_equal(c.public_url, "");
    }
}

static void merge_hours(void **state)
{
    (void)state;
    struct sh_config c;
    struct sh_err e;
    config_defaults(&c);
    sh_err_clear(&e);
    assert_int_equal(config_set(&c, "public_report_merge_hours", "0", &e), SH_OK);
    assert_int_equal(c.public_report_merge_hours, 0);
    assert_int_equal(config_set(&c, "public_report_merge_hours", "48", &e), SH_OK);
    assert_int_equal(c.public_report_merge_hours, 48);
    assert_int_equal(config_set(&c, "public_report_merge_hours", "-1", &e), SH_INVALID);
    assert_int_equal(config_set(&c, "public_report_merge_hours", "x", &e), SH_INVALID);
    assert_int_equal(c.public_report_merge_hours, 48);
}

/* a dispatch solve's wall-time cap: 10 s unless set, 1 to 60 s (docs/operations.md) */
static void dispatch_cap(void **state)
{
    (void)state;
    struct sh_config c;
    struct sh_err e;
    config_defaults(&c);
    sh_err_clear(&e);
    assert_int_equal(c.dispatch_max_seconds, 10);
    assert_int_equal(config_set(&c, "dispatch_max_seconds", "2", &e), SH_OK);
    assert_int_equal(c.dispatch_max_seconds, 2);
    assert_int_equal(config_set(&c, "dispatch_max_seconds", "0", &e), SH_INVALID);
    assert_int_equal(config_set(&c, "dispatch_max_seconds", "61", &e), SH_INVALID);
    assert_int_equal(c.dispatch_max_seconds, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(public_url), cmocka_unit_test(merge_hours),
                                       cmocka_unit_test(dispatch_cap)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
