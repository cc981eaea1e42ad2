/* SPDX-License-Identifier: MIT */
/* The fee engine (issue 13 item 1; R-137… ): worked examples from the source
 * documents (CAB 3.1.4, 3.1.7, 3.1.8, 3.2.1; LED 1.3; SLA 免费培训, 3), roundings, rule-set
 * checks, and the property that a split adds up to the whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/fees.h"

static struct sh_arena arena;

static int setup(void **state)
{
    (void)state;
    sh_arena_init(&arena, 1 << 20);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sh_arena_release(&arena);
    return 0;
}

/* ---- the cabinet installation rule set (CAB 3.1.4, 3.1.7, 3.2.1) ---- */

static struct fee_input_decl cab_inputs[] = {
    {"price_fen", NULL, FIT_MONEY, true}, {"series", NULL, FIT_TEXT, true},
    {"sets", NULL, FIT_COUNT, true},      {"sample_order", NULL, FIT_BOOL, false},
    {"pieces", NULL, FIT_PIECES, false},
};
static struct fee_row cab_series[] = {{"时尚系列", NULL, 250, false},
                                      {"经典系列", NULL, 220, false},
                                      {"经典系列以上", NULL, 220, false}};
static struct fee_row cab_pieces[] = {{"电器", NULL, 0, true}, {"百货配件", NULL, 0, true}};
static struct fee_comp cab_comps[4];
static struct fee_rules cab = {cab_inputs, 5, cab_comps, 4};

static void cab_build(enum fee_round rd)
{
    memset(cab_comps, 0, sizeof cab_comps);
    cab_comps[0] = (struct fee_comp){.kind = FK_SERIES,
                                     .code = "install",
                                     .base = "price_fen",
                                     .key = "series",
                                     .rows = cab_series,
                                     .nrows = 3,
                                     .round = rd};
    cab_comps[1] = (struct fee_comp){
        .kind = FK_PIECE, .code = "pieces", .qty = "pieces", .rows = cab_pieces, .nrows = 2};
    struct fee_comp *m = &cab_comps[2];
    *m = (struct fee_comp){.kind = FK_MULTIPLIER,
                           .code = "uplift",
                           .num = 6,
                           .den = 5,
                           .targets = {"install"},
                           .ntargets = 1,
                           .has_when = true};
    m->when.any[0] = (struct fee_clause){.input = "sample_order", .op = FOP_TRUE};
    m->when.any[1] = (struct fee_clause){.input = "sets", .op = FOP_LE, .value = 20};
    m->when.nany = 2;
    cab_comps[3] = (struct fee_comp){.kind = FK_PERCENT_OF,
                                     .code = "management",
                                     .rate = 1000,
                                     .targets = {"install"},
                                     .ntargets = 1,
                                     .round = rd};
    struct sh_err e = {0};
    assert_int_equal(fee_rules_check(&cab, &e), SH_OK);
}

struct cab_case {
    const char *what;
    int64_t price;
    const char *series;
    int64_t sets;
    bool sample;
    enum fee_round rd;
    int64_t install, management, total;
    bool uplift;
};

/* price × series rate (× 6/5 for a sample order or ≤ 20 sets), management 10 % on top */
static const struct cab_case cab_cases[] = {
    /* 100,000.00 yuan 时尚系列, 30 sets: 2,500.00 + 250.00 */
    {"fashion 30 sets", 10000000, "时尚系列", 30, false, FR_HALF_UP, 250000, 25000, 275000, false},
    /* the same with 20 sets (含): × 1.2 → 3,000.00, management 300.00 */
    {"fashion 20 sets", 10000000, "时尚系列", 20, false, FR_HALF_UP, 300000, 30000, 330000, true},
    /* 21 sets: no uplift */
    {"fashion 21 sets", 10000000, "时尚系列", 21, false, FR_HALF_UP, 250000, 25000, 275000, false},
    /* a sample order of 50 sets: × 1.2 */
    {"sample order", 10000000, "时尚系列", 50, true, FR_HALF_UP, 300000, 30000, 330000, true},
    /* 123,456.78 × 2.2 % × 1.2 = 3,259.258992 → 3,259.26; 10 % → 325.926 → 325.93 */
    {"classic uplift", 12345678, "经典系列", 8, false, FR_HALF_UP, 325926, 32593, 358519, true},
    /* 123,456.78 × 2.2 % = 2,716.04916 → 2,716.05; 10 % = 271.605 → 271.61 (half up) */
    {"classic", 12345678, "经典系列", 40, false, FR_HALF_UP, 271605, 27161, 298766, false},
    {"classic down", 12345678, "经典系列", 40, false, FR_DOWN, 271604, 27160, 298764, false},
    /* the half fen: 1,000.20 × 2.5 % = 25.005 */
    {"half fen up", 100020, "时尚系列", 40, false, FR_HALF_UP, 2501, 250, 2751, false},
    {"half fen even", 100020, "时尚系列", 40, false, FR_HALF_EVEN, 2500, 250, 2750, false},
    {"half fen down", 100020, "时尚系列", 40, false, FR_DOWN, 2500, 250, 2750, false},
    {"half fen ceiling", 100020, "时尚系列", 40, false, FR_UP, 2501, 251, 2752, false},
    /* 经典系列以上 at 2.2 % */
    {"above classic", 5000000, "经典系列以上", 100, false, FR_HALF_UP, 110000, 11000, 121000,
     false},
};

static void cabinet_installation_examples(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cab_cases / sizeof cab_cases[0]; i++) {
        const struct cab_case *c = &cab_cases[i];
        cab_build(c->rd);
        struct fee_value v[5] = {{.present = true, .v = c->price},
                                 {.present = true, .s = c->series},
                                 {.present = true, .v = c->sets},
                                 {.present = true, .v = c->sample},
                                 {0}};
        struct fee_result r;
        struct sh_err e = {0};
        assert_int_equal(fee_calculate(&cab, v, &arena, &r, &e), SH_OK);
        /* install, uplift rule, management (no pieces: no piece line) */
        assert_int_equal(r.nlines, 3);
        if (r.lines[0].amount != c->install || r.lines[2].amount != c->management ||
            r.total != c->total)
            fail_msg("%s: install %ld management %ld total %ld", c->what, (long)r.lines[0].amount,
                     (long)r.lines[2].amount, (long)r.total);
        assert_int_equal(r.lines[1].applied, c->uplift);
        assert_true(r.lines[1].info);
        assert_int_equal(r.lines[0].mul_num, c->uplift ? 6 : 1);
        assert_int_equal(r.lines[2].base, c->install); /* the management fee's base */
        assert_int_equal(r.nflags, 0);
    }
}

static void cabinet_formula_shows_the_numbers(void **state)
{
    (void)state;
    cab_build(FR_HALF_UP);
    struct fee_value v[5] = {{.present = true, .v = 12345678},
                             {.present = true, .s = "经典系列"},
                             {.present = true, .v = 8},
                             {0},
                             {0}};
    struct fee_result r;
    struct sh_err e = {0};
    assert_int_equal(fee_calculate(&cab, v, &arena, &r, &e), SH_OK);
    char f[200];
    fee_line_formula(&cab, &r.lines[0], f, sizeof f);
    assert_string_equal(f, "123456.78 × 2.20% × 6/5 = 3259.258992 → 3259.26 (half_up)");
    fee_line_formula(&cab, &r.lines[2], f, sizeof f);
    assert_string_equal(f, "3259.26 × 10.00% = 325.926 → 325.93 (half_up)");
    fee_line_formula(&cab, &r.lines[1], f, sizeof f);
    assert_string_equal(f, "× 6/5");
}

static void cabinet_unknown_series_and_unset_piece_rates(void **state)
{
    (void)state;
    cab_build(FR_HALF_UP);
    struct fee_value v[5] = {
        {.present = true, .v = 100}, {.present = true, .s = "豪华系列"}, {.present = true, .v = 8}};
    struct fee_result r;
    struct sh_err e = {0};
    assert_int_equal(fee_calculate(&cab, v, &arena, &r, &e), SH_INVALID);
    assert_string_equal(e.reason, "unknown_reference");
    assert_string_equal(e.field, "inputs.series");
    /* appliances per piece: the rates are not in the source, so they are flagged, not billed */
    struct fee_piece p[] = {{"电器", 3}, {"百货配件", 0}};
    v[1].s = "时尚系列";
    v[4] = (struct fee_value){.present = true, .pieces = p, .npieces = 2};
    memset(&e, 0, sizeof e);
    assert_int_equal(fee_calculate(&cab, v, &arena, &r, &e), SH_OK);
    assert_int_equal(r.nflags, 1);
    assert_false(r.lines[1].applied);
    assert_string_equal(r.lines[1].note, "rate_not_set");
    assert_true(r.lines[2].applied);  /* a zero quantity is nothing to flag */
    assert_int_equal(r.total, 3 + 0); /* 100 fen × 2.5 % = 2.5 → 3; 10 % of 3 → 0 */
    /* a required input missing */
    v[0].present = false;
    memset(&e, 0, sizeof e);
    assert_int_equal(fee_calculate(&cab, v, &arena, &r, &e), SH_INVALID);
    assert_string_equal(e.field, "inputs.price_fen");
    assert_string_equal(e.reason, "required");
}

/* ---- a piece-rate table with rates ---- */

static void piece_rates_one_line_per_item(void **state)
{
    (void)state;
    struct fee_input_decl in[] = {{"pieces", NULL, FIT_PIECES, false}};
    struct fee_row rows[] = {{"抽油烟机", NULL, 5000, false}, {"灶具", NULL, 3000, false}};
    struct fee_comp c[] = {
        {.kind = FK_PIECE, .code = "pieces", .qty = "pieces", .rows = rows, .nrows = 2}};
    struct fee_rules rs = {in, 1, c, 1};
    struct sh_err e = {0};
    assert_int_equal(fee_rules_check(&rs, &e), SH_OK);
    struct fee_piece p[] = {{"灶具", 2}, {"抽油烟机", 3}};
    struct fee_value v[] = {{.present = true, .pieces = p, .npieces = 2}};
    struct fee_result r;
    assert_int_equal(fee_calculate(&rs, v, &arena, &r, &e), SH_OK);
    assert_int_equal(r.nlines, 2);
    assert_string_equal(r.lines[0].key, "灶具");
    assert_int_equal(r.lines[0].amount, 6000);
    assert_int_equal(r.lines[1].amount, 15000);
    assert_int_equal(r.total, 21000);
}

/* ---- secondment (CAB 3.1.8): 20 yuan × persons × (work + travel days, part day whole) ---- */

static struct fee_input_decl sec_inputs[] = {{"persons", NULL, FIT_COUNT, true},
                                             {"work_days", NULL, FIT_DAYS, true},
                                             {"travel_days", NULL, FIT_DAYS, false}};
static struct fee_comp sec_comps[2];
static struct fee_rules sec = {sec_inputs, 3, sec_comps, 2};

static void sec_build(enum fee_min_action act)
{
    memset(sec_comps, 0, sizeof sec_comps);
    sec_comps[0] = (struct fee_comp){
        .kind = FK_MINIMUM, .code = "minimum", .qty = "work_days", .min = 500, .action = act};
    sec_comps[1] = (struct fee_comp){.kind = FK_PER_DAY,
                                     .code = "dispatch",
                                     .qty = "persons",
                                     .days = {"work_days", "travel_days"},
                                     .ndays = 2,
                                     .rate = 2000,
                                     .day_round = FDR_UP};
    struct sh_err e = {0};
    assert_int_equal(fee_rules_check(&sec, &e), SH_OK);
}

struct sec_case {
    const char *what;
    int64_t persons, work, travel; /* days in hundredths */
    int64_t billed, amount;
};

static const struct sec_case sec_cases[] = {
    {"whole days", 1, 500, 200, 700, 14000},       /* 20 × 1 × 7 */
    {"part travel day", 1, 500, 50, 600, 12000},   /* 5.5 → 6 */
    {"part days summed", 2, 550, 150, 700, 28000}, /* 5.5 + 1.5 = 7 */
    {"a quarter day", 2, 525, 100, 700, 28000},    /* 6.25 → 7 */
    {"exactly the minimum", 3, 500, 0, 500, 30000},
    {"a long secondment", 4, 3000, 200, 3200, 256000},
};

static void secondment_examples(void **state)
{
    (void)state;
    sec_build(FMA_REFUSE);
    for (size_t i = 0; i < sizeof sec_cases / sizeof sec_cases[0]; i++) {
        const struct sec_case *c = &sec_cases[i];
        struct fee_value v[3] = {{.present = true, .v = c->persons},
                                 {.present = true, .v = c->work},
                                 {.present = true, .v = c->travel}};
        struct fee_result r;
        struct sh_err e = {0};
        assert_int_equal(fee_calculate(&sec, v, &arena, &r, &e), SH_OK);
        assert_int_equal(r.nlines, 2);
        if (r.lines[1].days_billed != c->billed || r.total != c->amount)
            fail_msg("%s: billed %ld amount %ld", c->what, (long)r.lines[1].days_billed,
                     (long)r.total);
        assert_true(r.lines[0].applied);
    }
}

static void secondment_minimum_five_days(void **state)
{
    (void)state;
    sec_build(FMA_REFUSE);
    /* 4.5 working days + 2 travel days: the period is under 5 days, refused */
    struct fee_value v[3] = {
        {.present = true, .v = 1}, {.present = true, .v = 450}, {.present = true, .v = 200}};
    struct fee_result r;
    struct sh_err e = {0};
    assert_int_equal(fee_calculate(&sec, v, &arena, &r, &e), SH_UNPROCESSABLE);
    assert_string_equal(e.reason, "below_minimum");
    assert_string_equal(e.field, "inputs.work_days");
    assert_string_equal(e.params, "{\"min\":\"5.00\"}");
    /* flagged instead: the line is shown, not applied, and the fee still computed */
    sec_build(FMA_FLAG);
    memset(&e, 0, sizeof e);
    assert_int_equal(fee_calculate(&sec, v, &arena, &r, &e), SH_OK);
    assert_int_equal(r.nflags, 1);
    assert_false(r.lines[0].applied);
    assert_string_equal(r.lines[0].note, "below_minimum");
    assert_int_equal(r.total, 14000); /* 6.5 → 7 days */
    char f[100];
    fee_line_formula(&sec, &r.lines[0], f, sizeof f);
    assert_string_equal(f, "4.50 ≥ 5.00");
    fee_line_formula(&sec, &r.lines[1], f, sizeof f);
    assert_string_equal(f, "20.00 × 1 × (6.50 → 7.00 up) = 140.00 → 140.00 (half_up)");
}

/* ---- LED waiting fee (LED 1.3): 300 yuan per day when the customer is at fault ---- */

static struct fee_input_decl led_inputs[] = {{"waiting_days", NULL, FIT_DAYS, true},
                                             {"customer_at_fault", NULL, FIT_BOOL, true}};
static struct fee_comp led_comps[1];
static struct fee_rules led = {led_inputs, 2, led_comps, 1};

static void waiting_fee_only_when_the_customer_is_at_fault(void **state)
{
    (void)state;
    memset(led_comps, 0, sizeof led_comps);
    led_comps[0] = (struct fee_comp){.kind = FK_PER_DAY,
                                     .code = "waiting",
                                     .days = {"waiting_days"},
                                     .ndays = 1,
                                     .rate = 30000,
                                     .day_round = FDR_NONE,
                                     .has_when = true};
    led_comps[0].when.all[0] = (struct fee_clause){.input = "customer_at_fault", .op = FOP_TRUE};
    led_comps[0].when.nall = 1;
    struct sh_err e = {0};
    assert_int_equal(fee_rules_check(&led, &e), SH_OK);
    static const struct {
        int64_t days;
        bool customer;
        int64_t total;
    } cases[] = {{300, true, 90000}, {150, true, 45000}, {300, false, 0}, {0, true, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fee_value v[2] = {{.present = true, .v = cases[i].days},
                                 {.present = true, .v = cases[i].customer}};
        struct fee_result r;
        assert_int_equal(fee_calculate(&led, v, &arena, &r, &e), SH_OK);
        assert_int_equal(r.total, cases[i].total);
        assert_int_equal(r.nlines, 1);
        assert_int_equal(r.lines[0].applied, cases[i].customer);
        if (!cases[i].customer)
            assert_string_equal(r.lines[0].note, "condition_false");
    }
}

/* ---- free training seats (SLA: 3 人/次) and at-cost upgrades (SLA 3) ---- */

static void training_seats_and_at_cost(void **state)
{
    (void)state;
    struct fee_input_decl in[] = {{"trainees", NULL, FIT_COUNT, true},
                                  {"sessions", NULL, FIT_COUNT, false},
                                  {"upgrade_cost_fen", NULL, FIT_MONEY, false}};
    struct fee_comp c[] = {{.kind = FK_FREE_QUOTA,
                            .code = "training",
                            .qty = "trainees",
                            .per = "sessions",
                            .min = 3,
                            .rate_unset = true},
                           {.kind = FK_AT_COST, .code = "upgrade", .base = "upgrade_cost_fen"}};
    struct fee_rules rs = {in, 3, c, 2};
    struct sh_err e = {0};
    assert_int_equal(fee_rules_check(&rs, &e), SH_OK);
    struct fee_value v[3] = {
        {.present = true, .v = 3}, {.present = true, .v = 1}, {.present = true, .v = 123456}};
    struct fee_result r;
    assert_int_equal(fee_calculate(&rs, v, &arena, &r, &e), SH_OK);
    assert_true(r.lines[0].applied);
    assert_int_equal(r.lines[0].free_units, 3);
    assert_int_equal(r.lines[0].amount, 0);
    assert_int_equal(r.total, 123456);
    /* 6 trainees over 2 sessions: all free; 5 in one session: 2 extra, no rate: flagged */
    v[0].v = 6;
    v[1].v = 2;
    assert_int_equal(fee_calculate(&rs, v, &arena, &r, &e), SH_OK);
    assert_int_equal(r.nflags, 0);
    v[0].v = 5;
    v[1].v = 1;
    assert_int_equal(fee_calculate(&rs, v, &arena, &r, &e), SH_OK);
    assert_int_equal(r.nflags, 1);
    assert_false(r.lines[0].applied);
    assert_int_equal(r.lines[0].qty, 2);
    /* with a rate of 200 yuan per extra seat */
    c[0].rate_unset = false;
    c[0].rate = 20000;
    assert_int_equal(fee_calculate(&rs, v, &arena, &r, &e), SH_OK);
    assert_int_equal(r.total, 40000 + 123456);
}

/* ---- checking rule sets ---- */

static void rule_set_checks_name_the_field(void **state)
{
    (void)state;
    struct fee_input_decl in[] = {{"base_fen", NULL, FIT_MONEY, true}, {"n", NULL, FIT_COUNT, 0}};
    struct fee_comp c[3];
    struct fee_rules rs = {in, 2, c, 3};
    struct sh_err e;
    /* duplicate code */
    memset(c, 0, sizeof c);
    c[0] = (struct fee_comp){.kind = FK_PERCENT, .code = "a", .base = "base_fen", .rate = 100};
    c[1] = (struct fee_comp){.kind = FK_PERCENT, .code = "a", .base = "base_fen", .rate = 100};
    c[2] = (struct fee_comp){.kind = FK_AT_COST, .code = "c", .base = "base_fen"};
    memset(&e, 0, sizeof e);
    assert_int_equal(fee_rules_check(&rs, &e), SH_INVALID);
    assert_string_equal(e.field, "components[1].code");
    assert_string_equal(e.reason, "duplicate");
    /* a target that comes later */
    c[1] = (struct fee_comp){
        .kind = FK_PERCENT_OF, .code = "b", .rate = 1000, .targets = {"c"}, .ntargets = 1};
    memset(&e, 0, sizeof e);
    assert_int_equal(fee_rules_check(&rs, &e), SH_INVALID);
    assert_string_equal(e.field, "components[1].targets[0]");
    assert_string_equal(e.reason, "unknown_reference");
    /* a multiplier after a percentage that already took its target */
    c[1].targets[0] = "a";
    c[2] = (struct fee_comp){
        .kind = FK_MULTIPLIER, .code = "m", .num = 6, .den = 5, .targets = {"a"}, .ntargets = 1};
    memset(&e, 0, sizeof e);
    assert_int_equal(fee_rules_check(&rs, &e), SH_INVALID);
    assert_string_equal(e.field, "components[2].targets[0]");
    assert_string_equal(e.reason, "illegal_action");
    /* a base of the wrong type */
    c[2] = (struct fee_comp){.kind = FK_AT_COST, .code = "c", .base = "n"};
    memset(&e, 0, sizeof e);
    assert_int_equal(fee_rules_check(&rs, &e), SH_INVALID);
    assert_string_equal(e.field, "components[2].base");
    assert_string_equal(e.reason, "invalid_format");
    /* an undeclared input */
    c[2].base = "nope";
    memset(&e, 0, sizeof e);
    assert_int_equal(fee_rules_check(&rs, &e), SH_INVALID);
    assert_string_equal(e.reason, "unknown_reference");
    /* a rate out of range */
    c[2].base = "base_fen";
    c[0].rate = FEE_BP_MAX + 1;
    memset(&e, 0, sizeof e);
    assert_int_equal(fee_rules_check(&rs, &e), SH_INVALID);
    assert_string_equal(e.field, "components[0].rate");
    assert_string_equal(e.reason, "out_of_range");
    /* a multiplier of zero */
    c[0].rate = 100;
    c[1] = (struct fee_comp){
        .kind = FK_MULTIPLIER, .code = "m", .num = 0, .den = 5, .targets = {"a"}, .ntargets = 1};
    memset(&e, 0, sizeof e);
    assert_int_equal(fee_rules_check(&rs, &e), SH_INVALID);
    assert_string_equal(e.field, "components[1].multiplier");
}

/* ---- roundings ---- */

static void roundings(void **state)
{
    (void)state;
    static const struct {
        int64_t num, den;
        enum fee_round m;
        int64_t want;
    } c[] = {
        {25005, 10, FR_HALF_UP, 2501},
        {25005, 10, FR_HALF_EVEN, 2500},
        {25015, 10, FR_HALF_EVEN, 2502},
        {25005, 10, FR_DOWN, 2500},
        {25005, 10, FR_UP, 2501},
        {25004, 10, FR_HALF_UP, 2500},
        {25006, 10, FR_HALF_UP, 2501},
        {25000, 10, FR_UP, 2500},
        {1, 3, FR_HALF_UP, 0},
        {2, 3, FR_HALF_UP, 1},
        {0, 7, FR_UP, 0},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        assert_int_equal(fee_round_div(c[i].num, c[i].den, c[i].m), c[i].want);
    assert_int_equal(fee_round_days(501, FDR_UP), 600);
    assert_int_equal(fee_round_days(500, FDR_UP), 500);
    assert_int_equal(fee_round_days(550, FDR_HALF_UP), 600);
    assert_int_equal(fee_round_days(549, FDR_HALF_UP), 500);
    assert_int_equal(fee_round_days(599, FDR_DOWN), 500);
    assert_int_equal(fee_round_days(525, FDR_NONE), 525);
    int64_t x;
    assert_true(fee_centi_parse("5.5", &x) && x == 550);
    assert_true(fee_centi_parse("0.25", &x) && x == 25);
    assert_true(fee_centi_parse("12", &x) && x == 1200);
    assert_false(fee_centi_parse("1.255", &x));
    assert_false(fee_centi_parse("-1", &x));
    assert_false(fee_centi_parse("1e3", &x));
    char b[32];
    fee_fen_format(-1230, b);
    assert_string_equal(b, "-12.30");
    /* review 68 L12: amounts people read have thousands separators */
    char g[40];
    const struct {
        int64_t fen;
        const char *want;
    } grouped[] = {{0, "0.00"},
                   {5, "0.05"},
                   {99999, "999.99"},
                   {100000, "1,000.00"},
                   {1468000, "14,680.00"},
                   {-123456789, "-1,234,567.89"},
                   {INT64_MIN, "-92,233,720,368,547,758.08"}};
    for (size_t i = 0; i < sizeof(grouped) / sizeof(grouped[0]); i++) {
        fee_fen_format_grouped(grouped[i].fen, g);
        assert_string_equal(g, grouped[i].want);
    }
}

/* ---- the split among payers always adds up (property test) ---- */

static void split_adds_up_to_the_whole(void **state)
{
    (void)state;
    srand(13);
    int64_t shares[8], parts[8];
    for (int it = 0; it < 100000; it++) {
        int n = 1 + rand() % 8;
        int64_t amount = (int64_t)rand() * rand() % FEE_MONEY_MAX;
        if (it % 3 == 0)
            amount = rand() % 1000; /* small amounts: remainders matter */
        int64_t total = 0;
        for (int i = 0; i < n; i++) {
            shares[i] = rand() % (it % 2 ? 100 : FEE_SHARE_MAX + 1);
            total += shares[i];
        }
        if (total == 0)
            shares[0] = total = 1;
        assert_true(fee_split(amount, shares, n, parts));
        int64_t sum = 0;
        for (int i = 0; i < n; i++) {
            sum += parts[i];
            /* each part is its exact share rounded down or up */
            int64_t lo = amount * shares[i] / total;
            assert_true(parts[i] == lo || parts[i] == lo + 1);
        }
        assert_int_equal(sum, amount);
    }
    /* ties go to the earlier payer: 1 fen among three equal shares */
    int64_t eq[3] = {1, 1, 1};
    assert_true(fee_split(1, eq, 3, parts));
    assert_int_equal(parts[0], 1);
    assert_int_equal(parts[1] + parts[2], 0);
    /* 100.00 yuan 70/30 */
    int64_t s73[2] = {70, 30};
    assert_true(fee_split(10000, s73, 2, parts));
    assert_int_equal(parts[0], 7000);
    assert_int_equal(parts[1], 3000);
    /* bad arguments */
    int64_t z[2] = {0, 0}, neg[2] = {1, -1};
    assert_false(fee_split(100, z, 2, parts));
    assert_false(fee_split(100, neg, 2, parts));
    assert_false(fee_split(-1, s73, 2, parts));
    assert_false(fee_split(100, s73, 0, parts));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cabinet_installation_examples),
        cmocka_unit_test(cabinet_formula_shows_the_numbers),
        cmocka_unit_test(cabinet_unknown_series_and_unset_piece_rates),
        cmocka_unit_test(piece_rates_one_line_per_item),
        cmocka_unit_test(secondment_examples),
        cmocka_unit_test(secondment_minimum_five_days),
        cmocka_unit_test(waiting_fee_only_when_the_customer_is_at_fault),
        cmocka_unit_test(training_seats_and_at_cost),
        cmocka_unit_test(rule_set_checks_name_the_field),
        cmocka_unit_test(roundings),
        cmocka_unit_test(split_adds_up_to_the_whole),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
