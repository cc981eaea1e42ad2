/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* The self-check gate (uc_checklist_gate, issue 11 item 4) on a real SQLite database: the
 * template chosen by model series, category and kind; refused with 409, reason guard and
 * params {"guard":"self_check","items":[...],"photos":[...]} until every required item passed
 * and the photos are there; a work order no template covers passes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/checklists.h"

#include "../unit_db.h"

static struct unit_db udb;
static struct db *db;

static const char *const SEED[] = {
    "INSERT INTO customers (id, code, name, type, created_at, updated_at) VALUES (1, 'K1', '客户', "
    "'company', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    "INSERT INTO product_models (id, code, name, series, category, created_at, updated_at) VALUES "
    "(1, 'KIT-1', '厨柜', '整体厨柜·米兰', 'appliance', '2026-01-01T00:00:00Z', "
    "'2026-01-01T00:00:00Z'), (2, 'LED-1', '屏', 'LED', 'equipment', '2026-01-01T00:00:00Z', "
    "'2026-01-01T00:00:00Z')",
    "INSERT INTO units (id, serial_no, model_id, customer_id, created_at, updated_at) VALUES "
    "(1, 'SN1', 1, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), (2, 'SN2', 2, 1, "
    "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    "INSERT INTO tickets (id, number, channel, type, status, customer_id, unit_id, received_at, "
    "created_at, updated_at) VALUES (1, 'T1', 'phone', 'installation', 'on_site', 1, 1, "
    "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), (2, 'T2', "
    "'phone', 'repair', 'on_site', 1, 2, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', "
    "'2026-01-01T00:00:00Z')",
    "INSERT INTO work_orders (id, number, ticket_id, kind, status, created_at, updated_at) VALUES "
    "(1, 'W1', 1, 'installation', 'on_site', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
    "(2, 'W2', 2, 'onsite_repair', 'on_site', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    /* a general template (any/any) and a specific one for cabinets: the specific one wins */
    "INSERT INTO checklist_templates (id, code, name, created_at, updated_at) VALUES (1, 'ANY', "
    "'通用', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    "INSERT INTO checklist_templates (id, code, name, product_category, model_series, "
    "work_order_kind, photos_after_min, created_at, updated_at) VALUES (2, 'CAB', '厨柜', "
    "'appliance', '整体厨柜', 'installation', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    "INSERT INTO checklist_items (id, template_id, position, kind, label, required, max_centi, "
    "unit, created_at, updated_at) VALUES "
    "(10, 2, 1, 'check', '牢固', 1, NULL, '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
    "(11, 2, 2, 'measure', '基准面误差', 1, 200, 'mm', '2026-01-01T00:00:00Z', "
    "'2026-01-01T00:00:00Z'), "
    "(12, 2, 3, 'check', '可选', 0, NULL, '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
};

static enum sh_code seed(struct db_tx *tx, void *arg, struct sh_err *e)
{
    (void)arg;
    for (size_t i = 0; i < sizeof(SEED) / sizeof(SEED[0]); i++) {
        enum sh_code rc = db_exec(tx, SEED[i], DB_NOP, NULL, e);
        if (rc)
            return rc;
    }
    return SH_OK;
}

static int setup(void **state)
{
    (void)state;
    if (!(db = unit_db_open(&udb, "gate", true)))
        return -1;
    struct sh_err e;
    sh_err_clear(&e);
    if (db_write(db, seed, NULL, &e)) {
        fprintf(stderr, "setup: %s\n", e.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unit_db_close(&udb);
    return 0;
}

struct gate {
    int64_t wo;
    const char *sql; /* run first (may be NULL) */
    struct sh_err e;
    enum sh_code rc;
};

static enum sh_code gate_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct gate *g = arg;
    if (g->sql) {
        enum sh_code rc = db_exec(tx, g->sql, DB_NOP, NULL, e);
        if (rc)
            return rc;
    }
    struct sh_arena a;
    sh_arena_init(&a, 0);
    const struct principal who = {.user_id = 0};
    const struct uc u = {.tx = tx, .a = &a, .who = &who, .now = 1700000000};
    sh_err_clear(&g->e);
    g->rc = uc_checklist_gate(&u, g->wo, &g->e);
    sh_arena_release(&a);
    return SH_OK;
}

static void run_gate(struct gate *g)
{
    struct sh_err e;
    assert_int_equal(db_write(db, gate_run, g, &e), SH_OK);
}

static void refuses_then_passes(void **state)
{
    (void)state;
    struct gate g = {.wo = 1};
    run_gate(&g);
    assert_int_equal(g.rc, SH_CONFLICT);
    assert_int_equal(sh_code_http(g.rc), 409);
    assert_string_equal(g.e.reason, "guard");
    assert_string_equal(g.e.params,
                        "{\"guard\":\"self_check\",\"items\":[10,11],\"photos\":[\"after\"]}");
    /* a failed measurement (2.5 mm against < 2 mm) is kept and still refuses */
    g.sql = "INSERT INTO checklist_results (work_order_id, item_id, passed, value_centi, "
            "max_centi, recorded_at) VALUES (1, 10, 1, NULL, NULL, '2026-01-01T00:00:00Z'), "
            "(1, 11, 0, 250, 200, '2026-01-01T00:00:00Z'), (1, 12, 0, NULL, NULL, "
            "'2026-01-01T00:00:00Z')";
    run_gate(&g);
    assert_int_equal(g.rc, SH_CONFLICT);
    assert_string_equal(g.e.params,
                        "{\"guard\":\"self_check\",\"items\":[11],\"photos\":[\"after\"]}");
    g.sql = "UPDATE checklist_results SET passed = 1, value_centi = 150 WHERE item_id = 11";
    run_gate(&g);
    assert_string_equal(g.e.params,
                        "{\"guard\":\"self_check\",\"items\":[],\"photos\":[\"after\"]}");
    /* the photo after the work: passes (the optional item's failure does not stop it) */
    g.sql = "INSERT INTO work_order_photos (work_order_id, phase, sha256, filename, mime, size, "
            "created_at) VALUES (1, 'after', 'ab', 'a.png', 'image/png', 10, "
            "'2026-01-01T00:00:00Z')";
    run_gate(&g);
    assert_int_equal(g.rc, SH_OK);
}

static void no_template_passes(void **state)
{
    (void)state;
    /* the LED repair: only the general template (no items) applies */
    struct gate g = {.wo = 2};
    run_gate(&g);
    assert_int_equal(g.rc, SH_OK);
    g.sql = "UPDATE checklist_templates SET active = 0 WHERE id = 1";
    run_gate(&g);
    assert_int_equal(g.rc, SH_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refuses_then_passes),
        cmocka_unit_test(no_template_passes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
