/* SPDX-License-Identifier: MIT */
/* iCalendar content lines (RFC 5545 3.1, 3.3.11, 3.3.5): folding at 75 octets without
 * splitting a UTF-8 character, text escaping, UTC times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/ical.h"

static char *text(struct sh_buf *b)
{
    assert_int_equal(sh_buf_addc(b, '\0'), SH_OK);
    return b->buf;
}

static void short_line(void **state)
{
    (void)state;
    struct sh_buf b = SH_BUF_INIT(1 << 16);
    assert_int_equal(ical_line(&b, "VERSION", "2.0"), SH_OK);
    assert_string_equal(text(&b), "VERSION:2.0\r\n");
    sh_buf_release(&b);
}

static void escaped(void **state)
{
    (void)state;
    struct sh_buf b = SH_BUF_INIT(1 << 16);
    assert_int_equal(ical_text(&b, "SUMMARY", "a;b,c\\d\r\ne"), SH_OK);
    assert_string_equal(text(&b), "SUMMARY:a\\;b\\,c\\\\d\\ne\r\n");
    sh_buf_release(&b);
}

static void utc(void **state)
{
    (void)state;
    struct sh_buf b = SH_BUF_INIT(1 << 16);
    assert_int_equal(ical_time(&b, "DTSTART", 1796548200), SH_OK); /* 2026-12-06T09:10:00Z */
    assert_string_equal(text(&b), "DTSTART:20261206T091000Z\r\n");
    sh_buf_release(&b);
}

/* Every physical line <= 75 octets, continuation lines start with a space, no line ends
 * inside a UTF-8 sequence, and unfolding gives the original back. */
static void folded(void **state)
{
    (void)state;
    char value[1200];
    size_t len = 0;
    for (int i = 0; i < 100; i++) {
        const char *piece = i % 3 ? "设备" : "ab";
        memcpy(value + len, piece, strlen(piece));
        len += strlen(piece);
    }
    value[len] = '\0';
    struct sh_buf b = SH_BUF_INIT(1 << 16);
    assert_int_equal(ical_line(&b, "DESCRIPTION", value), SH_OK);
    char *s = text(&b), unfolded[1400] = "";
    size_t k = 0;
    int lines = 0;
    for (char *p = s; *p;) {
        char *end = strstr(p, "\r\n");
        assert_non_null(end);
        size_t n = (size_t)(end - p);
        assert_true(n <= 75);
        if (lines)
            assert_int_equal(p[0], ' ');
        /* the next line does not start with a continuation byte */
        if (end[2])
            assert_true(((unsigned char)end[3] & 0xC0) != 0x80);
        memcpy(unfolded + k, p + (lines ? 1 : 0), n - (lines ? 1 : 0));
        k += n - (lines ? 1 : 0);
        lines++;
        p = end + 2;
    }
    unfolded[k] = '\0';
    assert_true(lines > 5);
    assert_int_equal(strncmp(unfolded, "DESCRIPTION:", 12), 0);
    assert_string_equal(unfolded + 12, value);
    sh_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_line),
        cmocka_unit_test(escaped),
        cmocka_unit_test(utc),
        cmocka_unit_test(folded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
