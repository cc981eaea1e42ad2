/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* http_client_gone: on a bare TCP pair, and inside a handler of the real server whose
 * client closes while the handler works (the connection is suspended meanwhile). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/date.h"
#include "http/http.h"

/* a connected TCP pair over loopback: *srv is the accepted end */
static void tcp_pair(int *cli, int *srv)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t n = sizeof(sa);
    assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(l, 1), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&sa, &n), 0);
    *cli = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(connect(*cli, (struct sockaddr *)&sa, sizeof(sa)), 0);
    *srv = accept(l, NULL, NULL);
    assert_true(*srv >= 0);
    close(l);
}

static void bare_socket(void **state)
{
    (void)state;
    struct http_req r;
    memset(&r, 0, sizeof(r));
    r.fd = -1;
    assert_false(http_client_gone(&r));
    int cli, srv;
    tcp_pair(&cli, &srv);
    r.fd = srv;
    assert_false(http_client_gone(&r));
    /* a pipelined request is not a goodbye, and it stays unread */
    assert_int_equal(send(cli, "GET / HTTP/1.1\r\n", 16, 0), 16);
    usleep(20000);
    assert_false(http_client_gone(&r));
    char buf[32];
    assert_int_equal(recv(srv, buf, sizeof(buf), MSG_DONTWAIT), 16);
    close(cli);
    usleep(20000);
    assert_true(http_client_gone(&r));
    close(srv);
}

static atomic_int seen_gone; /* 0 running, 1 gone seen, 2 gave up */

static void slow_handler(struct http_req *r, void *app)
{
    (void)app;
    int64_t t0 = sh_mono_ns();
    while (sh_mono_ns() - t0 < 5000000000LL) {
        if (http_client_gone(r)) {
            atomic_store(&seen_gone, 1);
            http_reply(r, 200, "text/plain", "late", 4);
            return;
        }
        usleep(10000);
    }
    atomic_store(&seen_gone, 2);
    http_reply(r, 200, "text/plain", "done", 4);
}

static void in_handler(void **state)
{
    (void)state;
    struct http_config cfg = {
        .host = "127.0.0.1",
        .port = 0,
        .timeout_s = 30,
        .head_timeout_s = 10,
        .workers = 2,
        .handle = slow_handler,
        .default_max_body = 1024,
    };
    char err[256];
    struct http_server *s = http_start(&cfg, err, sizeof(err));
    assert_non_null(s);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(http_port(s))};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
    const char req[] = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_int_equal(send(c, req, sizeof(req) - 1, 0), (ssize_t)sizeof(req) - 1);
    usleep(200000);
    assert_int_equal(atomic_load(&seen_gone), 0); /* still working for a live client */
    close(c);
    int64_t t0 = sh_mono_ns();
    while (!atomic_load(&seen_gone) && sh_mono_ns() - t0 < 3000000000LL)
        usleep(10000);
    assert_int_equal(atomic_load(&seen_gone), 1);
    http_stop(s, 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bare_socket),
        cmocka_unit_test(in_handler),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
