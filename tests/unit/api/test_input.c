/* SPDX-License-Identifier: MIT */
/* JSON input parsing and validation against column specs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "api/api.h"

static const char *const kinds[] = {"company", "dealer", NULL};

static const struct col cols[] = {
    {"name", F_STR, COL_REQUIRED, 5, NULL, 0, 0, NULL},
    {"type", F_ENUM, 0, 0, kinds, 0, 0, NULL},
    {"n", F_INT, 0, 0, NULL, 0, 100, NULL},
    {"ok", F_BOOL, 0, 0, NULL, 0, 0, NULL},
    {"day", F_DATE, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"at", F_TS, 0, 0, NULL, 0, 0, NULL},
    {"lat", F_REAL, 0, 0, NULL, -90, 90, NULL},
    {"ref", F_ID, 0, 0, NULL, 0, 0, NULL},
    {"id", F_ID, COL_READONLY, 0, NULL, 0, 0, NULL},
};
#define N ((int)(sizeof(cols) / sizeof(cols[0])))

static enum sh_code parse(const char *json, bool partial, struct fval *v, struct sh_err *e)
{
    struct sh_arena a;
    sh_arena_init(&a, 0);
    sh_err_clear(e);
    enum sh_code rc = api_parse_object(&a, json, strlen(json), cols, N, partial, v, NULL, e);
    /* values point into the arena: copy what the tests look at */
    static char name[64];
    if (!rc && v[0].present && v[0].text) {
        strncpy(name, v[0].text, sizeof(name) - 1);
        v[0].text = name;
    }
    static char at[32];
    if (!rc && v[5].present && v[5].text) {
        strncpy(at, v[5].text, sizeof(at) - 1);
        v[5].text = at;
    }
    sh_arena_release(&a);
    return rc;
}

static void valid_object(void **state)
{
    (void)state;
    struct fval v[N];
    struct sh_err e;
    assert_int_equal(parse("{\"name\":\"协和医院\",\"type\":\"dealer\",\"n\":7,\"ok\":true,"
                           "\"day\":null,\"at\":\"2026-11-27T08:00:00+08:00\",\"lat\":39.9,"
                           "\"ref\":3}",
                           false, v, &e),
                     SH_OK);
    assert_string_equal(v[0].text, "协和医院"); /* 4 characters, 12 bytes: fits in 5 */
    assert_int_equal(v[2].i, 7);
    assert_int_equal(v[3].i, 1);
    assert_true(v[4].is_null);
    assert_string_equal(v[5].text, "2026-11-27T00:00:00Z");
    assert_int_equal(v[7].i, 3);
}

static void expect(const char *json, bool partial, const char *field)
{
    struct fval v[N];
    struct sh_err e;
    enum sh_code rc = parse(json, partial, v, &e);
    assert_int_equal(rc, SH_INVALID);
    if (field)
        assert_string_equal(e.field, field);
}

static void refusals(void **state)
{
    (void)state;
    expect("", false, NULL);
    expect("{", false, NULL);
    expect("[1]", false, NULL);
    expect("{\"name\":\"a\",\"name\":\"b\"}", false, NULL); /* duplicate key */
    expect("{\"type\":\"company\"}", false, "name");        /* missing required */
    expect("{\"name\":\"   \"}", false, "name");            /* blank */
    expect("{\"name\":\"abcdef\"}", false, "name");         /* too long */
    expect("{\"name\":1}", false, "name");
    expect("{\"name\":\"a\",\"type\":\"x\"}", false, "type");
    expect("{\"name\":\"a\",\"n\":\"7\"}", false, "n");
    expect("{\"name\":\"a\",\"n\":101}", false, "n");
    expect("{\"name\":\"a\",\"n\":1.5}", false, "n");
    expect("{\"name\":\"a\",\"ok\":1}", false, "ok");
    expect("{\"name\":\"a\",\"day\":\"2023-02-29\"}", false, "day");
    expect("{\"name\":\"a\",\"at\":\"yesterday\"}", false, "at");
    expect("{\"name\":\"a\",\"lat\":91}", false, "lat");
    expect("{\"name\":\"a\",\"ref\":0}", false, "ref");
    expect("{\"name\":\"a\",\"id\":5}", false, "id");       /* read-only */
    expect("{\"name\":\"a\",\"bogus\":5}", false, "bogus"); /* unknown */
    expect("{\"name\":null}", false, "name");               /* not nullable */
    expect("{\"name\":\"a\\u0000b\"}", false, NULL);        /* NUL refused by the parser */
    expect("{\"name\":\"\xff\xfe\"}", false, NULL);         /* invalid UTF-8 */
}

static void partial_update(void **state)
{
    (void)state;
    struct fval v[N];
    struct sh_err e;
    assert_int_equal(parse("{\"n\":5}", true, v, &e), SH_OK);
    assert_false(v[0].present);
    assert_true(v[2].present);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_object),
        cmocka_unit_test(refusals),
        cmocka_unit_test(partial_update),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
