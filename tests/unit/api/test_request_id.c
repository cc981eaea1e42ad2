/* SPDX-License-Identifier: MIT */
/* A 5xx answer carries the request id (the key to the server log's line) and never the
 * internal message; a 4xx answer carries no request id (docs/operations.md section 5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "api/api.h"
#include "base/log.h"

static void answer(enum sh_code code, const char *msg, char *out, size_t n, int *status)
{
    struct http_req r;
    memset(&r, 0, sizeof(r));
    sh_arena_init(&r.arena, 0);
    sh_buf_init(&r.out, 1 << 20);
    r.method = "GET";
    r.path = "/api/v1/x";
    snprintf(r.rid, sizeof(r.rid), "%s", "rid-test-42");
    struct api_ctx c = {.req = &r, .a = &r.arena};
    struct sh_err e;
    sh_err_clear(&e);
    sh_err_set(&e, code, "%s", msg);
    api_reply_err(&c, &e);
    *status = r.status;
    snprintf(out, n, "%.*s", (int)r.out.len, r.out.buf ? r.out.buf : "");
    sh_buf_release(&r.out);
    sh_arena_release(&r.arena);
}

static void t_5xx_has_request_id(void **state)
{
    (void)state;
    char body[1024];
    int status;
    answer(SH_STORE, "disk I/O error in table secrets", body, sizeof(body), &status);
    assert_int_equal(status, 500);
    assert_non_null(strstr(body, "\"request_id\":\"rid-test-42\""));
    assert_null(strstr(body, "secrets"));
}

static void t_4xx_has_none(void **state)
{
    (void)state;
    char body[1024];
    int status;
    answer(SH_INVALID, "bad name", body, sizeof(body), &status);
    assert_int_equal(status, 400);
    assert_null(strstr(body, "request_id"));
}

int main(void)
{
    log_set_level((enum log_level)(LOG_ERROR + 1)); /* quiet: the 500 logs its details on purpose */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_5xx_has_request_id),
        cmocka_unit_test(t_4xx_has_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
