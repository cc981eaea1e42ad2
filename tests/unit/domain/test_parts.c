/* SPDX-License-Identifier: MIT */
/* Spare parts (issue 14 item 1): the movement kinds and their locations, the price of a part
 * used on a work order by billing, the ledger's balance and the 旧件 statuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/parts.h"

#define W LK_WAREHOUSE
#define V LK_VAN

struct lcase {
    enum stock_kind k;
    bool has_from;
    enum location_kind fk;
    bool has_to;
    enum location_kind tk;
    int64_t from, to;
    const char *field, *reason; /* NULL: accepted */
};

static const struct lcase lcases[] = {
    {SK_RECEIPT, false, W, true, W, 0, 1, NULL, NULL},
    {SK_RECEIPT, false, W, true, V, 0, 1, "to_location_id", "invalid_location"},
    {SK_RECEIPT, true, W, true, W, 2, 1, "from_location_id", "unknown_field"},
    {SK_RECEIPT, false, W, false, W, 0, 0, "to_location_id", "required"},
    {SK_ISSUE, true, W, true, V, 1, 2, NULL, NULL},
    {SK_ISSUE, true, V, true, V, 1, 2, "from_location_id", "invalid_location"},
    {SK_ISSUE, true, W, true, W, 1, 2, "to_location_id", "invalid_location"},
    {SK_CONSUME, true, V, false, W, 2, 0, NULL, NULL},
    {SK_CONSUME, true, W, false, W, 1, 0, "from_location_id", "invalid_location"},
    {SK_CONSUME, true, V, true, W, 2, 1, "to_location_id", "unknown_field"},
    {SK_CONSUME, false, V, false, W, 0, 0, "from_location_id", "required"},
    {SK_RETURN, true, V, true, W, 2, 1, NULL, NULL},
    {SK_RETURN, true, W, true, W, 3, 1, "from_location_id", "invalid_location"},
    {SK_TRANSFER, true, W, true, W, 1, 3, NULL, NULL},
    {SK_TRANSFER, true, V, true, V, 2, 4, NULL, NULL},
    {SK_TRANSFER, true, W, true, W, 1, 1, "to_location_id", "same_location"},
    {SK_TRANSFER, true, W, false, W, 1, 0, "to_location_id", "required"},
    {SK_SCRAP, true, V, false, W, 2, 0, NULL, NULL},
    {SK_SCRAP, false, V, false, W, 0, 0, "from_location_id", "required"},
    {SK_CORRECTION, true, W, false, W, 1, 0, NULL, NULL},
    {SK_CORRECTION, false, W, true, V, 0, 2, NULL, NULL},
    {SK_CORRECTION, false, W, false, W, 0, 0, "to_location_id", "required"},
    {SK_CORRECTION, true, W, true, W, 1, 3, "to_location_id", "unknown_field"},
};

static void locations(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof lcases / sizeof lcases[0]; i++) {
        const struct lcase *c = &lcases[i];
        struct sh_err e;
        sh_err_clear(&e);
        enum sh_code rc =
            stock_check_locations(c->k, c->has_from, c->fk, c->has_to, c->tk, c->from, c->to, &e);
        if (!c->field) {
            if (rc)
                fail_msg("case %zu (%s): refused: %s %s", i, stock_kind_name(c->k), e.field,
                         e.reason);
            continue;
        }
        if (rc != SH_INVALID || strcmp(e.field, c->field) || strcmp(e.reason, c->reason))
            fail_msg("case %zu (%s): want %s %s, got %d %s %s", i, stock_kind_name(c->k), c->field,
                     c->reason, rc, e.field, e.reason);
    }
    assert_true(stock_kind_rule(SK_CONSUME)->work_order);
    assert_true(stock_kind_rule(SK_SCRAP)->note && stock_kind_rule(SK_CORRECTION)->note);
    assert_false(stock_kind_rule(SK_ISSUE)->work_order);
}

struct pcase {
    const char *billing;
    int64_t price, cost, qty;
    enum part_basis basis;
    int64_t unit, amount;
};

static const struct pcase pcases[] = {
    {"chargeable", 12000, 7000, 3, PB_PRICE, 12000, 36000},
    {"negotiated", 12000, 7000, 1, PB_PRICE, 12000, 12000},
    {"contract", 12000, 7000, 2, PB_COST, 7000, 14000},
    {"warranty", 12000, 7000, 5, PB_FREE, 0, 0},
    {"unknown", 12000, 7000, 5, PB_PENDING, 0, 0},
    {NULL, 12000, 7000, 1, PB_PENDING, 0, 0},
    {"chargeable", 0, 0, 4, PB_PRICE, 0, 0},
};

static void charges(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof pcases / sizeof pcases[0]; i++) {
        const struct pcase *c = &pcases[i];
        struct part_charge out;
        struct sh_err e;
        sh_err_clear(&e);
        assert_int_equal(part_charge_for(c->billing, c->price, c->cost, c->qty, &out, &e), SH_OK);
        assert_int_equal(out.basis, c->basis);
        assert_int_equal(out.unit_fen, c->unit);
        assert_int_equal(out.amount_fen, c->amount);
    }
    struct part_charge out;
    struct sh_err e;
    sh_err_clear(&e);
    assert_int_equal(part_charge_for("chargeable", 100, 50, 0, &out, &e), SH_INVALID);
    assert_string_equal(e.reason, "out_of_range");
    sh_err_clear(&e);
    assert_int_equal(part_charge_for("chargeable", INT64_MAX / 2, 0, 3, &out, &e), SH_INVALID);
    assert_string_equal(part_basis_names[PB_COST], "cost");
}

static void balance(void **state)
{
    (void)state;
    const struct stock_leg m[] = {
        {0, 1, 10}, /* receipt into the warehouse */
        {1, 2, 4},  /* issue to the van */
        {2, 0, 1},  /* consumed */
        {2, 1, 1},  /* returned */
        {1, 0, 2},  /* scrapped */
        {0, 2, 1},  /* count correction: one more found in the van */
    };
    assert_int_equal(stock_balance_of(m, 6, 1), 10 - 4 + 1 - 2);
    assert_int_equal(stock_balance_of(m, 6, 2), 4 - 1 - 1 + 1);
    assert_int_equal(stock_balance_of(m, 6, 3), 0);
    assert_int_equal(stock_balance_of(m, 0, 1), 0);
}

static void faulty(void **state)
{
    (void)state;
    assert_true(faulty_status_next(FS_WITH_TECH, FS_RETURNED));
    assert_true(faulty_status_next(FS_WITH_TECH, FS_SCRAPPED));
    assert_true(faulty_status_next(FS_RETURNED, FS_RECEIVED));
    assert_true(faulty_status_next(FS_RETURNED, FS_SCRAPPED));
    assert_true(faulty_status_next(FS_RECEIVED, FS_RECEIVED));
    assert_false(faulty_status_next(FS_WITH_TECH, FS_RECEIVED));
    assert_false(faulty_status_next(FS_RECEIVED, FS_WITH_TECH));
    assert_false(faulty_status_next(FS_SCRAPPED, FS_RETURNED));
    assert_false(faulty_status_next(FS_RETURNED, FS_WITH_TECH));
    enum faulty_status s;
    assert_true(faulty_status_parse("returned_to_factory", &s) && s == FS_RETURNED);
    assert_false(faulty_status_parse("lost", &s));
    enum stock_kind k;
    for (int i = 0; i < STOCK_KIND_COUNT; i++)
        assert_true(stock_kind_parse(stock_kind_names[i], &k) && (int)k == i);
    assert_false(stock_kind_parse("steal", &k));
}

/* RULE R-016, review 72 #3: what a part code may hold, and the key it is looked up by. */
static void codes(void **state)
{
    (void)state;
    static const struct {
        const char *code, *problem, *key;
    } cases[] = {
        {"MB-300", NULL, "mb-300"},
        {"mb-300", NULL, "mb-300"},
        {"MB 300", NULL, "mb 300"},
        {"\xef\xbc\xad\xef\xbc\xa2-300", NULL, "mb-300"}, /* ＭＢ-300 */
        {"\xef\xbc\xad\xef\xbc\xa2\xef\xbc\x8d\xef\xbc\x93\xef\xbc\x90\xef\xbc\x90", NULL,
         "mb-300"},                                                         /* ＭＢ－３００ */
        {"MB\342\200\220300", NULL, "mb-300"},                              /* U+2010 */
        {"MB\342\200\225300", NULL, "mb-300"},                              /* U+2015 */
        {"MB\342\210\222300", NULL, "mb-300"},                              /* U+2212 */
        {"MB\343\200\200300", NULL, "mb 300"},                              /* U+3000 inside */
        {"\xe4\xb8\xbb\xe6\x9d\xbf-A", NULL, "\xe4\xb8\xbb\xe6\x9d\xbf-a"}, /* 主板-A */
        {"MB-300 ", "invalid_format", "mb-300 "},
        {" MB-300", "invalid_format", " mb-300"},
        {"MB-300\xe3\x80\x80", "invalid_format", "mb-300 "},            /* U+3000 */
        {"\xc2\xa0MB-300", "invalid_format", " mb-300"},                /* U+00A0 */
        {"MB-300\xe2\x80\x8b", "invalid_format", "mb-300\xe2\x80\x8b"}, /* U+200B */
        {"MB-300\xe2\x80\xae", "invalid_format", "mb-300\xe2\x80\xae"}, /* U+202E */
        {"MB\302\255300", "invalid_format", "mb\302\255300"},           /* U+00AD */
        {"\xef\xbb\xbfMB", "invalid_format", "\xef\xbb\xbfmb"},         /* U+FEFF */
        {"MB\001300", "control_char", "mb\001300"},
        {"MB\x7f", "control_char", "mb\x7f"},
        {"MB\xc2\x85", "control_char", "mb\xc2\x85"}, /* U+0085 */
        {"MB\t300", "control_char", "mb\t300"},
        {"MB\xff", "invalid_format", "mb\xff"},
    };
    struct sh_arena a;
    sh_arena_init(&a, 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *p = part_code_problem(cases[i].code);
        if (cases[i].problem)
            assert_non_null(p), assert_string_equal(p, cases[i].problem);
        else
            assert_null(p);
        assert_string_equal(part_code_key(&a, cases[i].code), cases[i].key);
    }
    sh_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(locations), cmocka_unit_test(charges), cmocka_unit_test(balance),
        cmocka_unit_test(faulty),    cmocka_unit_test(codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
