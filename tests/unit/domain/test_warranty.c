/* SPDX-License-Identifier: MIT */
/* Warranty end: start event, term source, override. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/warranty.h"

static struct sh_date d(int y, int m, int dd)
{
    return (struct sh_date){y, m, dd};
}

static void install_date_starts_warranty(void **state)
{
    (void)state;
    struct warranty_in in = {.has_install = true,
                             .install = d(2025, 3, 20),
                             .has_ship = true,
                             .ship = d(2025, 3, 10),
                             .contract_months = -1,
                             .model_months = 12};
    struct warranty_out w = warranty_compute(&in);
    assert_true(w.known);
    assert_int_equal(w.basis, WB_INSTALL);
    assert_int_equal(sh_date_cmp(w.end, d(2026, 3, 19)), 0);
    assert_true(warranty_covers(&w, d(2026, 3, 19)));
    assert_false(warranty_covers(&w, d(2026, 3, 20)));
}

static void ship_date_while_never_installed(void **state)
{
    (void)state;
    struct warranty_in in = {
        .has_ship = true, .ship = d(2024, 1, 31), .contract_months = -1, .model_months = 1};
    struct warranty_out w = warranty_compute(&in);
    assert_int_equal(w.basis, WB_SHIP);
    assert_int_equal(sh_date_cmp(w.end, d(2024, 2, 28)), 0); /* 2024-02-29 minus a day */
    assert_string_equal(warranty_basis_name(w.basis), "ship");
}

static void contract_months_win(void **state)
{
    (void)state;
    struct warranty_in in = {
        .has_ship = true, .ship = d(2025, 1, 1), .contract_months = 36, .model_months = 12};
    struct warranty_out w = warranty_compute(&in);
    assert_true(w.months_from_contract);
    assert_int_equal(w.months, 36);
    assert_int_equal(sh_date_cmp(w.end, d(2027, 12, 31)), 0);
    in.contract_months = 0; /* a contract may also say: no warranty */
    w = warranty_compute(&in);
    assert_int_equal(sh_date_cmp(w.end, d(2024, 12, 31)), 0);
}

static void override_wins_and_no_dates(void **state)
{
    (void)state;
    struct warranty_in in = {.contract_months = -1, .model_months = 12};
    struct warranty_out w = warranty_compute(&in);
    assert_false(w.known);
    assert_false(warranty_covers(&w, d(2000, 1, 1)));
    in.has_override = true;
    in.override_end = d(2030, 6, 30);
    in.has_install = true;
    in.install = d(2025, 1, 1);
    w = warranty_compute(&in);
    assert_int_equal(w.basis, WB_OVERRIDE);
    assert_int_equal(sh_date_cmp(w.end, d(2030, 6, 30)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(install_date_starts_warranty),
        cmocka_unit_test(ship_date_while_never_installed),
        cmocka_unit_test(contract_months_win),
        cmocka_unit_test(override_wins_and_no_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
