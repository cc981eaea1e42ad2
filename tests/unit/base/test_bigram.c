/* SPDX-License-Identifier: MIT */
/* Character-pair search text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/bigram.h"

static void expect(const char *in, const char *want)
{
    struct sh_buf b = SH_BUF_INIT(1 << 16);
    assert_int_equal(sh_bigrams(in, &b), SH_OK);
    assert_string_equal(b.buf, want);
    sh_buf_release(&b);
}

static void pairs(void **state)
{
    (void)state;
    expect("设备漏水", "设备 备漏 漏水 水 ");
    expect("KIT-HD", "ki it t hd d ");
    expect("漏水，严重。", "漏水 水 严重 重 ");
    expect("a", "a ");
    expect("", "");
    expect("  ", "");
    expect("张先生 13900", "张先 先生 生 13 39 90 00 0 ");
    expect("“花屏”", "花屏 屏 ");
    expect("ＡＢ！Ｃ", "ＡＢ Ｂ Ｃ "); /* full-width letters are words, ！ is not */
}

static void terms(void **state)
{
    (void)state;
    assert_true(sh_bigram_term_ok("漏水"));
    assert_true(sh_bigram_term_ok("K1"));
    assert_true(sh_bigram_term_ok("协"));
    assert_false(sh_bigram_term_ok("T-"));
    assert_false(sh_bigram_term_ok("漏 水"));
    assert_false(sh_bigram_term_ok(""));
    assert_false(sh_bigram_term_ok("，"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pairs),
        cmocka_unit_test(terms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
