/* SPDX-License-Identifier: MIT */
/* Bounded buffers, the arena and the JSON writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/jw.h"
#include "base/sh_arena.h"
#include "base/sh_buf.h"

static void buf_limits(void **state)
{
    (void)state;
    struct sh_buf b = SH_BUF_INIT(8);
    assert_string_equal(b.buf, "");
    assert_int_equal(sh_buf_adds(&b, "abcd"), SH_OK);
    assert_int_equal(sh_buf_addf(&b, "%d", 123), SH_OK);
    assert_string_equal(b.buf, "abcd123");
    assert_int_equal(sh_buf_adds(&b, "xy"), SH_TOO_BIG); /* 9 > 8 */
    assert_string_equal(b.buf, "abcd123");               /* unchanged */
    assert_int_equal(sh_buf_addc(&b, 'z'), SH_OK);
    assert_int_equal(b.len, 8);
    size_t n;
    char *p = sh_buf_detach(&b, &n);
    assert_int_equal(n, 8);
    assert_string_equal(p, "abcd123z");
    free(p);
    assert_int_equal(b.len, 0);
    sh_buf_release(&b);
}

static void buf_truncate(void **state)
{
    (void)state;
    struct sh_buf b = SH_BUF_INIT(64);
    sh_buf_truncate(&b, 0); /* empty, nothing allocated: nothing to do */
    assert_string_equal(b.buf, "");
    assert_int_equal(sh_buf_adds(&b, "SELECT 1"), SH_OK);
    size_t mark = b.len;
    assert_int_equal(sh_buf_adds(&b, " LIMIT 5"), SH_OK);
    sh_buf_truncate(&b, mark);
    assert_string_equal(b.buf, "SELECT 1");
    assert_int_equal(b.len, 8);
    sh_buf_truncate(&b, 20); /* longer than it holds: unchanged */
    assert_string_equal(b.buf, "SELECT 1");
    assert_int_equal(sh_buf_adds(&b, " LIMIT 6"), SH_OK);
    assert_string_equal(b.buf, "SELECT 1 LIMIT 6");
    sh_buf_release(&b);
}

static void arena_allocs(void **state)
{
    (void)state;
    struct sh_arena a;
    sh_arena_init(&a, 1 << 20);
    char *s = sh_arena_printf(&a, "%s-%d", "客户", 42);
    assert_string_equal(s, "客户-42");
    void *big = sh_arena_alloc(&a, 100000);
    memset(big, 1, 100000);
    for (int i = 0; i < 1000; i++) {
        int *x = sh_arena_alloc(&a, sizeof(int) * 3);
        assert_int_equal(((uintptr_t)x) % _Alignof(max_align_t), 0);
        assert_int_equal(x[0] | x[1] | x[2], 0);
    }
    assert_false(a.over);
    sh_arena_alloc(&a, 2 << 20);
    assert_true(a.over);
    sh_arena_release(&a);
}

static void json_writer(void **state)
{
    (void)state;
    struct sh_buf b = SH_BUF_INIT(1 << 16);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kstr(&w, "name", "协和 \"医院\"\n<script>");
    jw_kint(&w, "n", -9007199254740993LL);
    jw_kbool(&w, "ok", true);
    jw_knull(&w, "none");
    jw_key(&w, "list");
    jw_arr_begin(&w);
    jw_int(&w, 1);
    jw_str(&w, "a\x01");
    jw_obj_begin(&w);
    jw_obj_end(&w);
    jw_arr_end(&w);
    jw_kreal(&w, "r", 0.1);
    jw_kid(&w, "id", 42);
    jw_kid(&w, "no_id", 0);
    jw_obj_end(&w);
    assert_int_equal(jw_finish(&w), SH_OK);
    assert_string_equal(b.buf, "{\"name\":\"协和 \\\"医院\\\"\\n\\u003cscript\\u003e\","
                               "\"n\":-9007199254740993,\"ok\":true,\"none\":null,"
                               "\"list\":[1,\"a\\u0001\",{}],\"r\":0.1,\"id\":42,\"no_id\":null}");
    sh_buf_release(&b);
}

static void json_writer_limits(void **state)
{
    (void)state;
    struct sh_buf b = SH_BUF_INIT(10);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kstr(&w, "long", "this does not fit");
    jw_obj_end(&w);
    assert_int_equal(jw_finish(&w), SH_TOO_BIG);
    sh_buf_release(&b);
    struct sh_buf b2 = SH_BUF_INIT(100);
    jw_init(&w, &b2);
    jw_obj_begin(&w); /* unbalanced */
    assert_int_equal(jw_finish(&w), SH_INTERNAL);
    sh_buf_release(&b2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_limits),         cmocka_unit_test(buf_truncate),
        cmocka_unit_test(arena_allocs),       cmocka_unit_test(json_writer),
        cmocka_unit_test(json_writer_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
