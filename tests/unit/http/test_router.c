/* SPDX-License-Identifier: MIT */
/* Route pattern matching and the route table's shape. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "api/api.h"
#include "http/router.h"

static void matches(void **state)
{
    (void)state;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    const char *p[HTTP_MAX_PARAMS];
    int n = -1;
    assert_true(router_match("/api/v1/customers", "/api/v1/customers", &a, p, &n));
    assert_int_equal(n, 0);
    assert_true(router_match("/api/v1/customers", "/api/v1/customers/", &a, p, &n));
    assert_true(router_match("/api/v1/customers/{id}", "/api/v1/customers/42", &a, p, &n));
    assert_int_equal(n, 1);
    assert_string_equal(p[0], "42");
    assert_true(
        router_match("/api/v1/customers/{id}/units", "/api/v1/customers/7/units", &a, p, &n));
    assert_string_equal(p[0], "7");
    assert_false(router_match("/api/v1/customers/{id}", "/api/v1/customers", &a, p, &n));
    assert_false(router_match("/api/v1/customers/{id}", "/api/v1/customers//", &a, p, &n));
    assert_false(router_match("/api/v1/customers/{id}", "/api/v1/customers/1/x", &a, p, &n));
    assert_false(router_match("/api/v1/customers", "/api/v1/customersx", &a, p, &n));
    assert_false(router_match("/api/v1/customers", "/api/v1/custom", &a, p, &n));
    assert_true(router_match("/a/{x}/b/{y}", "/a/中文/b/%2e", &a, p, &n));
    assert_int_equal(n, 2);
    assert_string_equal(p[0], "中文");
    sh_arena_release(&a);
}

static void table_is_sane(void **state)
{
    (void)state;
    assert_true(api_nroutes > 20);
    for (int i = 0; i < api_nroutes; i++) {
        const struct route *r = &api_routes[i];
        assert_non_null(r->fn);
        /* the versioned API, or the public reference of it (api_docs.c) */
        bool doc = !strcmp(r->pattern, "/api/docs") || !strcmp(r->pattern, "/api/openapi.yaml");
        assert_true(!strncmp(r->pattern, "/api/v1/", 8) || (doc && (r->flags & ROUTE_PUBLIC)));
        assert_true(!strcmp(r->method, "GET") || !strcmp(r->method, "POST") ||
                    !strcmp(r->method, "PATCH") || !strcmp(r->method, "DELETE") ||
                    !strcmp(r->method, "PUT"));
        /* every route names who may call it; only public routes may be open */
        assert_true(r->roles != 0);
        if (!(r->flags & ROUTE_PUBLIC))
            assert_true((r->roles & ~ROLES_ALL) == 0);
        /* no two routes with the same method and pattern */
        for (int j = i + 1; j < api_nroutes; j++)
            assert_false(!strcmp(r->method, api_routes[j].method) &&
                         !strcmp(r->pattern, api_routes[j].pattern));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches),
        cmocka_unit_test(table_is_sane),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
