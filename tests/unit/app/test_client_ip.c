/* SPDX-License-Identifier: MIT */
/* The client's address behind trusted proxies (X-Forwarded-For, right to left). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "app/auth.h"

static const char *ip(const char *trusted, const char *peer, const char *xff)
{
    static char out[64];
    auth_client_ip(trusted, peer, xff, out);
    return out;
}

static void client_ip(void **state)
{
    (void)state;
    const char *tp = "10.0.0.1, 10.0.0.2 ::1";
    /* no proxies configured, or an untrusted peer: the header is ignored */
    assert_string_equal(ip(NULL, "10.0.0.1", "1.2.3.4"), "10.0.0.1");
    assert_string_equal(ip("", "10.0.0.1", "1.2.3.4"), "10.0.0.1");
    assert_string_equal(ip(tp, "192.0.2.9", "1.2.3.4"), "192.0.2.9");
    /* a trusted peer without the header */
    assert_string_equal(ip(tp, "10.0.0.1", NULL), "10.0.0.1");
    /* the right-most untrusted entry, whatever the client put in front */
    assert_string_equal(ip(tp, "10.0.0.1", "1.2.3.4"), "1.2.3.4");
    assert_string_equal(ip(tp, "10.0.0.1", "6.6.6.6, 1.2.3.4"), "1.2.3.4");
    assert_string_equal(ip(tp, "10.0.0.1", "6.6.6.6,1.2.3.4 , 10.0.0.2"), "1.2.3.4");
    assert_string_equal(ip(tp, "::1", "2001:db8::7"), "2001:db8::7");
    /* every hop trusted: the left-most one */
    assert_string_equal(ip(tp, "10.0.0.1", "10.0.0.2"), "10.0.0.2");
    /* garbage where the client should be: the last good hop */
    assert_string_equal(ip(tp, "10.0.0.1", "evil<script>"), "10.0.0.1");
    assert_string_equal(ip(tp, "10.0.0.1", "x, 10.0.0.2"), "10.0.0.2");
    assert_string_equal(ip(tp, "10.0.0.1", ""), "10.0.0.1");
    assert_string_equal(ip(tp, "10.0.0.1", " , "), "10.0.0.1");
    /* a prefix of a trusted address is not trusted */
    assert_string_equal(ip("10.0.0.1", "10.0.0.10", "1.2.3.4"), "10.0.0.10");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(client_ip)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
