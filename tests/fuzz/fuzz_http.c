/* SPDX-License-Identifier: MIT */
/* libFuzzer: raw bytes on a TCP connection to the real server (libmicrohttpd, the guard, the
 * handler pool, app_handle with every route, the static files of web/) on an embedded database.
 * This is where the Cookie header is parsed (libmicrohttpd) and the session cookie resolved
 * (api/auth.c), the request line's query string decoded and collected, headers checked
 * (Content-Type, Authorization, X-CSRF-Token, Idempotency-Key), upload bodies taken raw and
 * request bodies read. A signed-in admin's session exists (cookie sh_session=FUZZ_COOKIE, CSRF
 * token FUZZ_CSRF) so that the seeds reach authenticated handlers. Must never crash, leak,
 * hang, or answer 500: bad input is a 4xx. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "app/passwords.h"
#include "http/http.h"
#include "store/db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_COOKIE "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define FUZZ_CSRF   "fuzzcsrf0123456789abcdef"

/* The admin and the session, (re)made: an input may sign out, disable or rename the user. */
static enum sh_code seed_run(struct db_tx *tx, void *ctx, struct sh_err *e)
{
    (void)ctx;
    char hash[65];
    pw_token_hash(FUZZ_COOKIE, hash);
    enum sh_code rc = db_exec(tx,
                              "INSERT INTO users (username, display_name, roles, password_hash, "
                              "created_at, updated_at) VALUES ('fuzz', 'Fuzz', 'admin', 'x', "
                              "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z') "
                              "ON CONFLICT (username) DO NOTHING",
                              DB_NOP, NULL, e);
    if (!rc)
        rc = db_exec(tx, "UPDATE users SET active = 1, roles = 'admin' WHERE username = 'fuzz'",
                     DB_NOP, NULL, e);
    if (!rc)
        rc = db_exec(tx, "DELETE FROM sessions WHERE id_hash = $1", DB_P(DB_TEXT(hash)), NULL, e);
    if (rc)
        return rc;
    return db_exec(tx,
                   "INSERT INTO sessions (id_hash, user_id, csrf, ip, created_at, last_seen_at, "
                   "expires_at) SELECT $1, id, $2, '127.0.0.1', '2026-01-01T00:00:00Z', "
                   "'2026-01-01T00:00:00Z', '2099-01-01T00:00:00Z' FROM users WHERE username = "
                   "'fuzz'",
                   DB_P(DB_TEXT(hash), DB_TEXT(FUZZ_CSRF)), NULL, e);
}

static char dir[] = "/dev/shm/shouhou-fuzz-http-XXXXXX";

/* The database lives in memory (/dev/shm) for the run only. */
static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz_http: cannot remove %s\n", dir);
}

/* The server, started once on an ephemeral port. */
static uint16_t server_once(void)
{
    static uint16_t port;
    static struct app app;
    static unsigned runs;
    if (port) {
        struct sh_err e;
        if (++runs % 1000 == 0 && db_write(app.db, seed_run, NULL, &e))
            abort();
        return port;
    }
    signal(SIGPIPE, SIG_IGN);
    if (!mkdtemp(dir))
        abort();
    atexit(remove_dir);
    char url[128];
    snprintf(url, sizeof(url), "sqlite:%s/fuzz.db", dir);
    struct sh_err e;
    sh_err_clear(&e);
    struct db_options o = {.migrate = true};
    if (db_open(url, &o, &app.db, &e) || db_write(app.db, seed_run, NULL, &e)) {
        fprintf(stderr, "fuzz_http: %s\n", e.msg);
        abort();
    }
    app.web_root = SH_SOURCE_DIR "/web";
    app.data_dir = dir;
    app.session_idle_s = 30 * 86400;
    app.public_lookups_per_minute = 1000000;
    app.public_reports_per_hour = 1000000;
    app.public_reports_per_unit_day = 1000000;
    app.public_url = "http://127.0.0.1";
    app.trusted_proxies = "";
    app.metrics_token = "fuzzmetrics";
    app.login_delay_after = 0;
    app.login_delay_s = 0;
    app.request_memory_cap = 64u << 20;
    pw_pool_configure(1, 1, 100);
    struct http_config hc = {
        .host = "127.0.0.1",
        .port = 0,
        .timeout_s = 5,
        .head_timeout_s = 5,
        .header_limit = 64 * 1024,
        .max_connections = 64,
        .workers = 2,
        .handle = app_handle,
        .max_body = app_max_body,
        .default_max_body = 1u << 20,
        .app = &app,
    };
    char err[256];
    api_metrics_init();
    struct http_server *s = http_start(&hc, err, sizeof(err));
    if (!s) {
        fprintf(stderr, "fuzz_http: %s\n", err);
        abort();
    }
    port = http_port(s);
    return port;
}

static int64_t ms_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The value of header `name` in head[0..n) (case-insensitive), or NULL. */
static const char *header_in(const char *head, size_t n, const char *name, size_t *vlen)
{
    size_t k = strlen(name);
    for (const char *p = head; p < head + n;) {
        const char *eol = memchr(p, '\n', (size_t)(head + n - p));
        if (!eol)
            break;
        if ((size_t)(eol - p) > k && !strncasecmp(p, name, k) && p[k] == ':') {
            const char *v = p + k + 1;
            while (v < eol && *v == ' ')
                v++;
            *vlen = (size_t)(eol - v);
            return v;
        }
        p = eol + 1;
    }
    return NULL;
}

/* True when buf[0..n) is one or more complete answers (Content-Length or chunked bodies;
 * none for 1xx, 204 and 304). An answer without a length ends at the close. */
static bool answers_complete(const char *buf, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const char *end = memmem(buf + i, n - i, "\r\n\r\n", 4);
        if (!end || n - i < 12 || memcmp(buf + i, "HTTP/1.", 7))
            return false;
        size_t hlen = (size_t)(end + 4 - (buf + i));
        int status = (int)strtol(buf + i + 9, NULL, 10);
        size_t vlen;
        const char *cl = header_in(buf + i, hlen, "Content-Length", &vlen);
        const char *te = header_in(buf + i, hlen, "Transfer-Encoding", &vlen);
        i += hlen;
        if (status < 200 || status == 204 || status == 304)
            continue;
        if (te) {
            for (;;) { /* chunks: size CRLF data CRLF ... 0 CRLF CRLF */
                const char *eol = memmem(buf + i, n - i, "\r\n", 2);
                if (!eol)
                    return false;
                size_t csz = (size_t)strtoul(buf + i, NULL, 16);
                i = (size_t)(eol + 2 - buf);
                if (n - i < csz + 2)
                    return false;
                i += csz + 2;
                if (csz == 0)
                    break;
            }
        } else if (cl) {
            size_t len = (size_t)strtoull(cl, NULL, 10);
            if (n - i < len)
                return false;
            i += len;
        } else {
            return false;
        }
    }
    return n > 0;
}

/* No answer may be a 500: every status line of the (possibly pipelined) answers. */
static void check_answers(const char *buf, size_t n)
{
    static const char st[] = "HTTP/1.1 500";
    for (size_t i = 0; i + sizeof(st) - 1 <= n; i++) {
        if ((i == 0 || (i >= 2 && buf[i - 1] == '\n')) && !memcmp(buf + i, st, sizeof(st) - 1)) {
            fwrite(buf, 1, n, stderr);
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(server_once())};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
        abort();
    size_t off = 0;
    while (off < size) {
        ssize_t w = send(fd, data + off, size - off, MSG_NOSIGNAL);
        if (w <= 0)
            break; /* the server answered and closed early: fine */
        off += (size_t)w;
    }
    /* Read until the answers are complete and nothing more comes for 20 ms, or the server
     * closes. An incomplete request gets no answer: after 100 ms without a byte the client
     * half-closes (libmicrohttpd then closes the connection, dropping any answer not sent). */
    static char buf[1 << 20];
    size_t n = 0;
    bool shut = false;
    int64_t deadline = ms_now() + 25000;
    for (;;) {
        int64_t left = deadline - ms_now();
        if (left <= 0) {
            fprintf(stderr, "fuzz_http: no end of answer within 25 s\n");
            abort(); /* a hang: the server must answer or close */
        }
        bool done = n < sizeof(buf) && answers_complete(buf, n);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int pr = poll(&p, 1, done ? 20 : (shut || n) ? (int)left : 100);
        if (pr == 0 && done)
            break;
        if (pr == 0 && !shut) {
            shutdown(fd, SHUT_WR);
            shut = true;
        }
        if (pr <= 0)
            continue;
        char *dst = n < sizeof(buf) ? buf + n : buf + sizeof(buf) - 4096;
        size_t room = n < sizeof(buf) ? sizeof(buf) - n : 4096;
        ssize_t r = recv(fd, dst, room, 0);
        if (r <= 0)
            break;
        if (n < sizeof(buf))
            n += (size_t)r;
    }
    close(fd);
    check_answers(buf, n);
    return 0;
}
