/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* The entity engine as an application-layer use case (issue 9 item 1): created, listed,
 * updated from a version and refused with reasons without HTTP, the way the CSV import and
 * the demo loader call it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/resources.h"
#include "base/date.h"

static char path[200];
static struct db *db;
static struct app app;
static const struct principal admin = {.user_id = 0, .username = "test", .roles = RB(ADMIN)};

struct run {
    enum sh_code (*fn)(const struct uc *u, void *arg, struct sh_err *e);
    void *arg;
};

static enum sh_code in_tx(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct run *r = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    const struct uc u = {.tx = tx, .a = &a, .who = &admin, .now = sh_now(), .app = &app};
    enum sh_code rc = r->fn(&u, r->arg, e);
    sh_arena_release(&a);
    return rc;
}

/* Runs fn in a write transaction; e gets its error. */
static enum sh_code run(enum sh_code (*fn)(const struct uc *, void *, struct sh_err *), void *arg,
                        struct sh_err *e)
{
    struct run r = {fn, arg};
    sh_err_clear(e);
    return db_write(db, in_tx, &r, e);
}

/* A department from JSON values, through ent_parse_value and uc_ent_insert. */
static enum sh_code add_dept(const struct uc *u, void *arg, struct sh_err *e)
{
    const char *code = arg;
    struct fval v[16];
    memset(v, 0, sizeof(v));
    const struct {
        const char *col;
        json_t *val;
    } set[] = {{"code", json_string(code)}, {"name", json_string("售后服务部")}};
    enum sh_code rc = SH_OK;
    for (size_t i = 0; i < 2; i++) {
        int k = ent_colidx(&ent_departments, set[i].col);
        if (!rc)
            rc = ent_parse_value(u->a, &ent_departments.cols[k], set[i].val, &v[k], e);
        json_decref(set[i].val);
    }
    int64_t id;
    return rc ? rc : uc_ent_insert(u, &ent_departments, v, &id, NULL, e);
}

struct listing {
    struct ent_list_in in;
    int64_t total;
    int shown;
    bool more;
};

static enum sh_code list_depts(const struct uc *u, void *arg, struct sh_err *e)
{
    struct listing *l = arg;
    struct ent_list plan;
    struct ent_page page;
    enum sh_code rc = ent_list_plan(u, &ent_departments, &l->in, &plan, e);
    if (!rc)
        rc = uc_ent_list(u, &plan, &page, e);
    if (!rc) {
        l->total = page.total;
        l->shown = page.shown;
        l->more = page.next_cursor != NULL;
    }
    ent_list_release(&plan);
    return rc;
}

/* Renames department 1 from version *arg (-1: any). */
static enum sh_code rename_dept(const struct uc *u, void *arg, struct sh_err *e)
{
    struct fval v[16];
    memset(v, 0, sizeof(v));
    int k = ent_colidx(&ent_departments, "name");
    v[k] = (struct fval){.present = true, .text = "技术部"};
    struct ent_written out;
    return uc_ent_update(u, &ent_departments, 1, *(int64_t *)arg, v, &out, e);
}

static void create_list_update(void **state)
{
    (void)state;
    struct sh_err e;
    struct listing l = {.in = {.limit = 2, .sort = "code"}};
    assert_int_equal(run(list_depts, &l, &e), SH_OK);
    int64_t seeded = l.total; /* the migrations' departments */
    static char codes[][4] = {"D01", "D02", "D03"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(run(add_dept, codes[i], &e), SH_OK);
    assert_int_equal(run(add_dept, codes[2], &e), SH_CONFLICT); /* the code is unique */

    assert_int_equal(run(list_depts, &l, &e), SH_OK);
    assert_int_equal(l.total, seeded + 3);
    assert_int_equal(l.shown, 2);
    assert_true(l.more);

    int64_t v1 = 1, v9 = 9;
    assert_int_equal(run(rename_dept, &v9, &e), SH_PRECONDITION);
    assert_string_equal(sh_err_reason_of(&e), "stale");
    assert_int_equal(run(rename_dept, &v1, &e), SH_OK);
    assert_int_equal(run(rename_dept, &v1, &e), SH_PRECONDITION); /* now at version 2 */
}

static void refusals_name_field_and_reason(void **state)
{
    (void)state;
    struct sh_err e;
    /* an over-long code, refused by its column before any write */
    char code[64];
    memset(code, 'x', 50);
    code[50] = '\0';
    assert_int_equal(run(add_dept, code, &e), SH_INVALID);
    assert_string_equal(e.field, "code");
    assert_string_equal(sh_err_reason_of(&e), "too_long");

    const struct ent_param unknown[] = {{"colour", "red"}};
    struct listing l = {.in = {.limit = 10, .params = unknown, .nparams = 1}};
    assert_int_equal(run(list_depts, &l, &e), SH_INVALID);
    assert_string_equal(e.field, "colour");
    assert_string_equal(sh_err_reason_of(&e), "unknown_field");

    struct listing s = {.in = {.limit = 10, .sort = "name_en"}};
    assert_int_equal(run(list_depts, &s, &e), SH_INVALID);
    assert_string_equal(e.field, "sort");
    assert_string_equal(sh_err_reason_of(&e), "unknown_field");
}

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof(path), "/tmp/shouhou-test-entity-%d.db", (int)getpid());
    unlink(path);
    char url[300];
    snprintf(url, sizeof(url), "sqlite:%s", path);
    struct sh_err e;
    if (db_open(url, NULL, &db, &e))
        return -1;
    app.db = db;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    char p2[300];
    unlink(path);
    snprintf(p2, sizeof(p2), "%s-wal", path);
    unlink(p2);
    snprintf(p2, sizeof(p2), "%s-shm", path);
    unlink(p2);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_list_update),
        cmocka_unit_test(refusals_name_field_and_reason),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
