/* SPDX-License-Identifier: MIT */
/* The knowledge base's ranking (issue 18 item 4): the description's pairs and the score. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/knowledge.h"

static void pairs(void **state)
{
    (void)state;
    struct kb_pairs q;
    kb_pairs_of("外机漏水，外机漏水 KT", &q);
    /* 外机 机漏 漏水 (once each, the repeat adds nothing), kt; no single characters */
    assert_int_equal(q.n, 4);
    assert_string_equal(q.p[0], "外机");
    assert_string_equal(q.p[1], "机漏");
    assert_string_equal(q.p[2], "漏水");
    assert_string_equal(q.p[3], "kt");
    assert_int_equal(kb_min_overlap(&q), 2);
    kb_pairs_of("水", &q);
    assert_int_equal(q.n, 0);
    kb_pairs_of(NULL, &q);
    assert_int_equal(q.n, 0);
    kb_pairs_of("漏水", &q);
    assert_int_equal(q.n, 1);
    assert_int_equal(kb_min_overlap(&q), 1);
}

static void capped(void **state)
{
    (void)state;
    char text[4000] = "";
    for (int i = 0; i < 200; i++) /* 200 distinct ASCII pairs: a0 0b ... */
        snprintf(text + strlen(text), sizeof text - strlen(text), "%c%d ", 'a' + i % 26, i);
    struct kb_pairs q;
    kb_pairs_of(text, &q);
    assert_int_equal(q.n, KB_MAX_PAIRS);
}

static void score(void **state)
{
    (void)state;
    assert_int_equal(kb_score(10, false, 0), 100);
    assert_int_equal(kb_score(5, true, 0), 80);
    assert_int_equal(kb_score(3, false, 2), 32);
    assert_int_equal(kb_score(1, false, 500), 30); /* the helped count adds at most 20 */
    assert_int_equal(kb_score(2, true, -3), 50);
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(kb_status_names[1], "published");
    assert_null(kb_status_names[3]);
    assert_null(improve_status_names[4]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pairs),
        cmocka_unit_test(capped),
        cmocka_unit_test(score),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
