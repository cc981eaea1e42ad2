/* SPDX-License-Identifier: MIT */
/* One full pass of the SLA scanner, in process, as the background job runs it
 * (jobs.c): sla_scan() in batches of --batch (200, the job's SCAN_BATCH) until a
 * batch comes back short. Each batch is one durable write transaction that reads
 * the tickets WHERE next_check_at <= now ORDER BY next_check_at LIMIT batch and
 * re-evaluates each (ticket_sla_refresh).
 *
 * usage: bench_sla_scan DB_URL [--batch N] [--max-batches M] [--empty-passes K]
 *
 * Prints "sla_scan ENGINE refreshed=N batches=B seconds=S ms_per_ticket=X
 * empty_ms=E cpu_seconds=C": the full pass, then the median of K (5) passes that find
 * nothing due — the fixed cost of looking among all the tickets — and the CPU time (user +
 * system, every thread) of the full pass, less noisy than its wall time on a busy machine.
 * --max-batches guards against a scanner that keeps finding the same tickets due. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "api/tickets.h"
#include "base/date.h"
#include "base/log.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the process (every thread: the SQLite writer runs the batches). */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_sla_scan DB_URL [--batch N] [--max-batches M] "
                        "[--empty-passes K]\n");
        return 2;
    }
    const char *url = argv[1];
    int batch = 200, max_batches = 1000, empty_passes = 5;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--batch"))
            batch = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--max-batches"))
            max_batches = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--empty-passes"))
            empty_passes = atoi(argv[i + 1]);
        else {
            fprintf(stderr, "bench_sla_scan: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (batch < 1 || max_batches < 1 || empty_passes < 1 || empty_passes > 99)
        return 2;
    log_set_level(LOG_WARN);
    struct sh_err e;
    sh_err_clear(&e);
    struct db_options o = {.pg_pool_size = 2, .migrate = false};
    struct db *db;
    if (db_open(url, &o, &db, &e)) {
        fprintf(stderr, "bench_sla_scan: %s: %s\n", url, e.msg);
        return 1;
    }
    struct app app = {.db = db};
    int64_t now = sh_now();
    long total = 0;
    int batches = 0, n;
    double t0 = now_s(), c0 = cpu_s();
    do {
        n = 0;
        if (sla_scan(&app, now, batch, &n, &e)) {
            fprintf(stderr, "bench_sla_scan: sla_scan: %s\n", e.msg);
            db_close(db);
            return 1;
        }
        total += n;
        batches++;
    } while (n == batch && batches < max_batches);
    double full = now_s() - t0, cpu = cpu_s() - c0;
    double empty[99];
    for (int k = 0; k < empty_passes; k++) {
        double t1 = now_s();
        n = 0;
        if (sla_scan(&app, now, batch, &n, &e)) {
            fprintf(stderr, "bench_sla_scan: sla_scan: %s\n", e.msg);
            db_close(db);
            return 1;
        }
        empty[k] = (now_s() - t1) * 1e3;
        if (n)
            fprintf(stderr, "bench_sla_scan: an empty pass refreshed %d ticket(s)\n", n);
    }
    qsort(empty, (size_t)empty_passes, sizeof(double), cmp_d);
    printf("sla_scan %s refreshed=%ld batches=%d seconds=%.3f ms_per_ticket=%.3f empty_ms=%.2f "
           "cpu_seconds=%.3f%s\n",
           db_dialect(db) == DB_PG ? "pg" : "sqlite", total, batches, full,
           total ? full * 1e3 / (double)total : 0.0, empty[empty_passes / 2], cpu,
           batches >= max_batches ? " capped=1" : "");
    db_close(db);
    return 0;
}
