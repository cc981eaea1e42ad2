/* SPDX-License-Identifier: MIT */
/* Checklists (R-149…R-153): decimal text held exactly in hundredths, limits, the item
 * declaration check and the self-check gate, table-tested. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/checklist.h"

static void decimal_parse_table(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        bool ok;
        int64_t centi;
    } t[] = {
        {"2", true, 200},
        {"1.5", true, 150},
        {"1.50", true, 150},
        {"0.05", true, 5},
        {"-0.05", true, -5},
        {"+3.", true, 300},
        {".5", true, 50},
        {"740", true, 74000},
        {"0", true, 0},
        {"-0", true, 0},
        {"1.999", false, 0},
        {"1.005", false, 0},
        {"", false, 0},
        {".", false, 0},
        {"-", false, 0},
        {"1e3", false, 0},
        {"1,5", false, 0},
        {" 1", false, 0},
        {"1 ", false, 0},
        {"abc", false, 0},
        {"0x10", false, 0},
        {"10000000000", true, CL_CENTI_MAX},
        {"10000000000.01", false, 0},
        {"99999999999999999999", false, 0},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        int64_t v = -12345;
        bool ok = cl_decimal_parse(t[i].in, &v);
        if (ok != t[i].ok)
            fail_msg("'%s': expected %s", t[i].in, t[i].ok ? "ok" : "refused");
        if (ok)
            assert_int_equal(v, t[i].centi);
    }
    int64_t v;
    assert_false(cl_decimal_parse(NULL, &v));
}

static void decimal_format_table(void **state)
{
    (void)state;
    static const struct {
        int64_t centi;
        const char *out;
    } t[] = {{200, "2"},     {150, "1.5"},   {105, "1.05"},
             {5, "0.05"},    {-5, "-0.05"},  {0, "0"},
             {-250, "-2.5"}, {74000, "740"}, {CL_CENTI_MAX, "10000000000"}};
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        char out[32];
        cl_decimal_format(t[i].centi, out);
        assert_string_equal(out, t[i].out);
        int64_t back;
        assert_true(cl_decimal_parse(out, &back));
        assert_int_equal(back, t[i].centi);
    }
}

/* cabinet front plane error < 2 mm (INSTF 二.1), door gaps < 2 / < 3 mm (四.4), rack rails
 * > 740 mm, temperature 5–35 °C (SRV1) */
static void limit_pass_table(void **state)
{
    (void)state;
    const struct cl_limit lt2 = {.has_max = true, .max = 200};
    const struct cl_limit le3 = {.has_max = true, .max = 300, .max_incl = true};
    const struct cl_limit gt740 = {.has_min = true, .min = 74000};
    const struct cl_limit r5_35 = {.has_min = true,
                                   .min = 500,
                                   .min_incl = true,
                                   .has_max = true,
                                   .max = 3500,
                                   .max_incl = true};
    const struct cl_limit none = {0};
    static const struct {
        int which;
        int64_t v;
        bool pass;
    } t[] = {
        {0, 199, true},   {0, 200, false},  {0, 150, true},  {0, -100, true},
        {0, 201, false},  {1, 300, true},   {1, 301, false}, {2, 74000, false},
        {2, 74001, true}, {2, 0, false},    {3, 500, true},  {3, 499, false},
        {3, 3500, true},  {3, 3501, false}, {4, 0, true},    {4, -CL_CENTI_MAX, true},
    };
    const struct cl_limit *ls[] = {&lt2, &le3, &gt740, &r5_35, &none};
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (cl_limit_pass(ls[t[i].which], t[i].v) != t[i].pass)
            fail_msg("row %zu: limit %d value %lld", i, t[i].which, (long long)t[i].v);
}

static void limit_format_table(void **state)
{
    (void)state;
    char out[64];
    cl_limit_format(&(struct cl_limit){.has_max = true, .max = 200}, "mm", out, sizeof(out));
    assert_string_equal(out, "< 2 mm");
    cl_limit_format(&(struct cl_limit){.has_max = true, .max = 250, .max_incl = true}, "mm", out,
                    sizeof(out));
    assert_string_equal(out, "≤ 2.5 mm");
    cl_limit_format(&(struct cl_limit){.has_min = true, .min = 74000}, "mm", out, sizeof(out));
    assert_string_equal(out, "> 740 mm");
    cl_limit_format(&(struct cl_limit){.has_min = true,
                                       .min = 500,
                                       .min_incl = true,
                                       .has_max = true,
                                       .max = 3500,
                                       .max_incl = true},
                    "°C", out, sizeof(out));
    assert_string_equal(out, "5–35 °C");
    cl_limit_format(&(struct cl_limit){.has_min = true, .min = 500, .has_max = true, .max = 3500},
                    "", out, sizeof(out));
    assert_string_equal(out, "> 5, < 35");
    cl_limit_format(&(struct cl_limit){0}, "mm", out, sizeof(out));
    assert_string_equal(out, "");
}

static void item_check_table(void **state)
{
    (void)state;
    static const struct {
        enum cl_kind k;
        struct cl_limit l;
        enum sh_code code;
        const char *field, *reason;
    } t[] = {
        {CLK_MEASURE, {.has_max = true, .max = 200}, SH_OK, "", ""},
        {CLK_MEASURE, {.has_min = true, .min = -500}, SH_OK, "", ""},
        {CLK_MEASURE, {0}, SH_INVALID, "max_centi", "required"},
        {CLK_MEASURE,
         {.has_min = true, .min = 300, .has_max = true, .max = 200},
         SH_INVALID,
         "max_centi",
         "out_of_range"},
        {CLK_MEASURE,
         {.has_min = true, .min = 200, .has_max = true, .max = 200},
         SH_INVALID,
         "max_centi",
         "out_of_range"},
        {CLK_MEASURE,
         {.has_min = true,
          .min = 200,
          .min_incl = true,
          .has_max = true,
          .max = 200,
          .max_incl = true},
         SH_OK,
         "",
         ""},
        {CLK_MEASURE,
         {.has_max = true, .max = CL_CENTI_MAX + 1},
         SH_INVALID,
         "max_centi",
         "out_of_range"},
        {CLK_MEASURE,
         {.has_min = true, .min = -CL_CENTI_MAX - 1},
         SH_INVALID,
         "min_centi",
         "out_of_range"},
        {CLK_CHECK, {0}, SH_OK, "", ""},
        {CLK_CONDUCT, {0}, SH_OK, "", ""},
        {CLK_PHOTO, {0}, SH_OK, "", ""},
        {CLK_CHECK, {.has_max = true, .max = 1}, SH_INVALID, "max_centi", "not_allowed"},
        {CLK_PHOTO, {.has_min = true, .min = 1}, SH_INVALID, "min_centi", "not_allowed"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct sh_err e;
        sh_err_clear(&e);
        enum sh_code rc = cl_item_check(t[i].k, &t[i].l, &e);
        if (rc != t[i].code)
            fail_msg("row %zu: code %d, expected %d", i, rc, t[i].code);
        assert_string_equal(e.field, t[i].field);
        assert_string_equal(e.reason, t[i].reason);
    }
}

static void names_parse(void **state)
{
    (void)state;
    for (int k = 0; k < CL_KIND_COUNT; k++) {
        enum cl_kind out;
        assert_non_null(cl_kind_names[k]);
        assert_true(cl_kind_parse(cl_kind_names[k], &out));
        assert_int_equal(out, k);
    }
    assert_null(cl_kind_names[CL_KIND_COUNT]);
    for (int p = 0; p < CL_PHASE_COUNT; p++) {
        enum cl_phase out;
        assert_true(cl_phase_parse(cl_phase_names[p], &out));
        assert_int_equal(out, p);
    }
    enum cl_kind k;
    enum cl_phase ph;
    assert_false(cl_kind_parse("Check", &k));
    assert_false(cl_kind_parse(NULL, &k));
    assert_false(cl_phase_parse("during", &ph));
}

static void gate_table(void **state)
{
    (void)state;
    /* 1 required check, 2 required measure, 3 optional conduct, 4 required photo */
    struct cl_answer a[] = {
        {1, CLK_CHECK, true, false, false, 0},
        {2, CLK_MEASURE, true, false, false, 0},
        {3, CLK_CONDUCT, false, false, false, 0},
        {4, CLK_PHOTO, true, false, false, 0},
    };
    int64_t failing[4];
    struct cl_gate g = {.failing = failing};
    assert_false(cl_gate_eval(a, 4, 0, 0, 0, 0, &g));
    assert_int_equal(g.nfailing, 3);
    assert_int_equal(failing[0], 1);
    assert_int_equal(failing[1], 2);
    assert_int_equal(failing[2], 4);
    /* answered; the measurement failed (kept, and it stops the gate) */
    a[0].answered = a[0].passed = true;
    a[1].answered = true;
    a[3].photos = 1;
    assert_false(cl_gate_eval(a, 4, 0, 0, 0, 0, &g));
    assert_int_equal(g.nfailing, 1);
    assert_int_equal(failing[0], 2);
    /* measured again within the limit; an optional item failed does not stop it */
    a[1].passed = true;
    a[2].answered = true;
    assert_true(cl_gate_eval(a, 4, 0, 0, 0, 0, &g));
    assert_int_equal(g.nfailing, 0);
    /* photos before/after short of the template's minimum */
    assert_false(cl_gate_eval(a, 4, 0, 1, 2, 2, &g));
    assert_true(g.before_short);
    assert_false(g.after_short);
    assert_false(cl_gate_eval(a, 4, 1, 1, 1, 2, &g));
    assert_true(g.after_short);
    assert_true(cl_gate_eval(a, 4, 1, 1, 2, 2, &g));
    /* a photo item answered as failed (photo taken, but shows a fault) stops it */
    a[3].answered = true;
    a[3].passed = false;
    assert_false(cl_gate_eval(a, 4, 1, 1, 2, 2, &g));
    assert_int_equal(failing[0], 4);
    /* a photo item without a photo stops it even when marked passed */
    a[3].passed = true;
    a[3].photos = 0;
    assert_false(cl_gate_eval(a, 4, 1, 1, 2, 2, &g));
    /* no items: passes */
    assert_true(cl_gate_eval(a, 0, 0, 0, 0, 0, &g));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decimal_parse_table), cmocka_unit_test(decimal_format_table),
        cmocka_unit_test(limit_pass_table),    cmocka_unit_test(limit_format_table),
        cmocka_unit_test(item_check_table),    cmocka_unit_test(names_parse),
        cmocka_unit_test(gate_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
