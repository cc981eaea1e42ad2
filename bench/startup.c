/* SPDX-License-Identifier: MIT */
/* Start-up time: wall time from spawning `shouhou serve` to its first answered
 * GET /healthz (200), polling every 0.2 ms. Each run uses a fresh free port; the
 * server is stopped with SIGTERM after the answer. Also reads VmRSS right after
 * the first answer (idle memory after start).
 *
 * usage: bench_startup SHOUHOU_BIN DB_URL [RUNS]
 * Prints "startup runs=N median_ms=… min_ms=… max_ms=… rss_kb=…" (rss: median). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(sa);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
        getsockname(fd, (struct sockaddr *)&sa, &len))
        return -1;
    close(fd);
    return ntohs(sa.sin_port);
}

/* 1: got 200; 0: not yet */
static int healthz(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = 0;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
        static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        if (write(fd, req, sizeof(req) - 1) == (ssize_t)(sizeof(req) - 1)) {
            char buf[512];
            ssize_t n = read(fd, buf, sizeof(buf) - 1);
            if (n > 12) {
                buf[n] = '\0';
                ok = !strncmp(buf + 8, " 200", 4);
            }
        }
    }
    close(fd);
    return ok;
}

static long rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_startup SHOUHOU_BIN DB_URL [RUNS]\n");
        return 2;
    }
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    if (runs < 1 || runs > 100)
        runs = 5;
    double ms[100], rss[100];
    for (int i = 0; i < runs; i++) {
        int port = free_port();
        char listen[32];
        snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
        double t0 = now_ms();
        pid_t pid = fork();
        if (pid == 0) {
            int dn = open("/dev/null", O_WRONLY);
            dup2(dn, 1);
            dup2(dn, 2);
            execl(argv[1], argv[1], "serve", "--db", argv[2], "--listen", listen, (char *)NULL);
            _exit(127);
        }
        double t = 0;
        for (;;) {
            if (healthz(port)) {
                t = now_ms() - t0;
                break;
            }
            int st;
            if (waitpid(pid, &st, WNOHANG) == pid) {
                fprintf(stderr, "bench_startup: the server exited before answering\n");
                return 1;
            }
            if (now_ms() - t0 > 10000) {
                kill(pid, SIGKILL);
                fprintf(stderr, "bench_startup: no answer within 10 s\n");
                return 1;
            }
            struct timespec ts = {0, 200000};
            nanosleep(&ts, NULL);
        }
        ms[i] = t;
        rss[i] = (double)rss_kb(pid);
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
    qsort(ms, (size_t)runs, sizeof(double), cmp_d);
    qsort(rss, (size_t)runs, sizeof(double), cmp_d);
    printf("startup runs=%d median_ms=%.1f min_ms=%.1f max_ms=%.1f rss_kb=%.0f\n", runs,
           ms[runs / 2], ms[0], ms[runs - 1], rss[runs / 2]);
    return 0;
}
