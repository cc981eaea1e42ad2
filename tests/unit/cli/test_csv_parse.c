/* SPDX-License-Identifier: MIT */
/* The RFC 4180 reader of the CSV import (src/base/csv.c): quoted fields with
 * commas, doubled quotes and line breaks, CRLF and LF, the UTF-8 BOM, blank
 * lines, line numbers, malformed input; and the encoding helpers (UTF-8 check,
 * GB18030 → UTF-8 through iconv, auto-detection). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/csv.h"

struct fixture {
    struct sh_arena a;
    struct csv r;
    struct sh_err e;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    sh_arena_init(&f->a, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    sh_arena_release(&f->a);
    free(f);
    return 0;
}

/* Reads the next record and checks it has n fields. */
static struct csv_row next(struct fixture *f, int n)
{
    struct csv_row row;
    bool done = true;
    assert_int_equal(csv_next(&f->r, &f->a, &row, &done, &f->e), SH_OK);
    assert_false(done);
    assert_int_equal(row.nfields, n);
    return row;
}

static void at_end(struct fixture *f)
{
    struct csv_row row;
    bool done = false;
    assert_int_equal(csv_next(&f->r, &f->a, &row, &done, &f->e), SH_OK);
    assert_true(done);
}

static void test_csv_plain_lf(void **state)
{
    struct fixture *f = *state;
    const char *t = "a,b,c\n1,,3\n";
    csv_init(&f->r, t, strlen(t));
    struct csv_row r = next(f, 3);
    assert_string_equal(r.fields[0], "a");
    assert_string_equal(r.fields[2], "c");
    assert_int_equal(r.line, 1);
    r = next(f, 3);
    assert_string_equal(r.fields[1], "");
    assert_string_equal(r.fields[2], "3");
    assert_int_equal(r.line, 2);
    at_end(f);
}

static void test_csv_crlf_no_final_newline(void **state)
{
    struct fixture *f = *state;
    const char *t = "x,y\r\n1,2\r\n3,4";
    csv_init(&f->r, t, strlen(t));
    next(f, 2);
    struct csv_row r = next(f, 2);
    assert_string_equal(r.fields[1], "2");
    r = next(f, 2);
    assert_string_equal(r.fields[0], "3");
    assert_string_equal(r.fields[1], "4");
    assert_int_equal(r.line, 3);
    at_end(f);
}

static void test_csv_quotes(void **state)
{
    struct fixture *f = *state;
    const char *t = "\"a,b\",\"say \"\"hi\"\"\",\"\",plain\"quote\n";
    csv_init(&f->r, t, strlen(t));
    struct csv_row r = next(f, 4);
    assert_string_equal(r.fields[0], "a,b");
    assert_string_equal(r.fields[1], "say \"hi\"");
    assert_string_equal(r.fields[2], "");
    assert_string_equal(r.fields[3], "plain\"quote");
    at_end(f);
}

static void test_csv_embedded_newlines_count_lines(void **state)
{
    struct fixture *f = *state;
    const char *t = "h1,h2\r\n\"line one\r\nline two\",x\r\n\"a\nb\nc\",y\r\nlast,z\r\n";
    csv_init(&f->r, t, strlen(t));
    next(f, 2);
    struct csv_row r = next(f, 2);
    assert_string_equal(r.fields[0], "line one\r\nline two");
    assert_int_equal(r.line, 2);
    r = next(f, 2);
    assert_string_equal(r.fields[0], "a\nb\nc");
    assert_int_equal(r.line, 4);
    r = next(f, 2);
    assert_string_equal(r.fields[0], "last");
    assert_int_equal(r.line, 7);
    at_end(f);
}

static void test_csv_bom_and_blank_lines(void **state)
{
    struct fixture *f = *state;
    const char *t = "\xEF\xBB\xBF序列号,型号\n\nSN1,LED-P25\n\r\n";
    csv_init(&f->r, t, strlen(t));
    struct csv_row r = next(f, 2);
    assert_string_equal(r.fields[0], "序列号");
    r = next(f, 2);
    assert_string_equal(r.fields[0], "SN1");
    assert_int_equal(r.line, 3);
    at_end(f);
}

static void test_csv_empty_input(void **state)
{
    struct fixture *f = *state;
    csv_init(&f->r, "", 0);
    at_end(f);
    csv_init(&f->r, "\xEF\xBB\xBF", 3);
    at_end(f);
}

static void test_csv_malformed(void **state)
{
    struct fixture *f = *state;
    struct csv_row row;
    bool done;
    const char *t1 = "a,b\n\"open,c\n";
    csv_init(&f->r, t1, strlen(t1));
    next(f, 2);
    assert_int_equal(csv_next(&f->r, &f->a, &row, &done, &f->e), SH_INVALID);
    assert_non_null(strstr(f->e.msg, "line 2"));
    assert_non_null(strstr(f->e.msg, "unterminated"));
    const char *t2 = "\"ab\"x,c\n";
    csv_init(&f->r, t2, strlen(t2));
    assert_int_equal(csv_next(&f->r, &f->a, &row, &done, &f->e), SH_INVALID);
    assert_non_null(strstr(f->e.msg, "line 1"));
}

static void test_csv_utf8_check(void **state)
{
    (void)state;
    assert_true(csv_is_utf8("abc 客户名称", strlen("abc 客户名称")));
    assert_true(csv_is_utf8("\xF0\x9F\x98\x80", 4));  /* U+1F600 */
    assert_false(csv_is_utf8("\xC0\xAF", 2));         /* overlong */
    assert_false(csv_is_utf8("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(csv_is_utf8("\xE5\xAE", 2));         /* truncated */
    assert_false(csv_is_utf8("\xBF\xCD\xBB\xA7", 4)); /* 客户 in GB18030 */
}

static void test_csv_gb18030_conversion(void **state)
{
    (void)state;
    struct sh_err e;
    char *out;
    size_t n;
    const char *used;
    /* "客户名称,型号\n" in GB18030 */
    const char gb[] = "\xBF\xCD\xBB\xA7\xC3\xFB\xB3\xC6,\xD0\xCD\xBA\xC5\n";
    assert_int_equal(csv_to_utf8(gb, sizeof(gb) - 1, "auto", &out, &n, &used, &e), SH_OK);
    assert_string_equal(used, "gb18030");
    assert_string_equal(out, "客户名称,型号\n");
    assert_int_equal(n, strlen("客户名称,型号\n"));
    free(out);
    assert_int_equal(csv_to_utf8(gb, sizeof(gb) - 1, "gb18030", &out, &n, &used, &e), SH_OK);
    assert_string_equal(out, "客户名称,型号\n");
    free(out);
    /* a four-byte GB18030 sequence: U+1F600 is 0x94 0x39 0xFC 0x36 */
    assert_int_equal(csv_to_utf8("\x94\x39\xFC\x36", 4, "gb18030", &out, &n, &used, &e), SH_OK);
    assert_string_equal(out, "\xF0\x9F\x98\x80");
    free(out);
    /* valid UTF-8 stays as it is under auto */
    assert_int_equal(csv_to_utf8("序列号", strlen("序列号"), "auto", &out, &n, &used, &e), SH_OK);
    assert_string_equal(used, "utf-8");
    assert_string_equal(out, "序列号");
    free(out);
    /* declared UTF-8 that is not */
    assert_int_equal(csv_to_utf8(gb, sizeof(gb) - 1, "utf-8", &out, &n, &used, &e), SH_INVALID);
    assert_null(out);
    /* a truncated GB18030 sequence */
    assert_int_equal(csv_to_utf8("\xBF\xCD\xBB", 3, "gb18030", &out, &n, &used, &e), SH_INVALID);
    assert_null(out);
    assert_int_equal(csv_to_utf8("x", 1, "latin1", &out, &n, &used, &e), SH_INVALID);
}

static void test_csv_after_gb18030_parse(void **state)
{
    struct fixture *f = *state;
    const char gb[] = "\xD0\xF2\xC1\xD0\xBA\xC5\r\n\"SN-1,\xB2\xE2\xCA\xD4\"\r\n";
    char *out;
    size_t n;
    const char *used;
    assert_int_equal(csv_to_utf8(gb, sizeof(gb) - 1, "auto", &out, &n, &used, &f->e), SH_OK);
    csv_init(&f->r, out, n);
    struct csv_row r = next(f, 1);
    assert_string_equal(r.fields[0], "序列号");
    r = next(f, 1);
    assert_string_equal(r.fields[0], "SN-1,测试");
    at_end(f);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_csv_plain_lf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_crlf_no_final_newline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_quotes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_embedded_newlines_count_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_bom_and_blank_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_empty_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_malformed, setup, teardown),
        cmocka_unit_test(test_csv_utf8_check),
        cmocka_unit_test(test_csv_gb18030_conversion),
        cmocka_unit_test_setup_teardown(test_csv_after_gb18030_parse, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
