/* SPDX-License-Identifier: MIT */
/* Helpers shared by the benchmark programs (each bench program is its own executable, so
 * these are static). Define BENCH_NAME before including: it prefixes error messages. */
#ifndef SH_BENCH_UTIL_H
#define SH_BENCH_UTIL_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/bigram.h"

#ifndef BENCH_NAME
#error "define BENCH_NAME before including bench_util.h"
#endif

__attribute__((unused)) static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wall-clock and process CPU time in milliseconds, for timing one query. */
__attribute__((unused)) static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

__attribute__((unused)) static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* qsort order of doubles, for percentiles of the timings. */
__attribute__((unused)) static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A fixed-seed xorshift64: the same data and queries on every run. */
__attribute__((unused)) static uint64_t bench_rnd(void)
{
    static uint64_t rng = 88172645463325252ull;
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

__attribute__((noreturn, unused)) static void die(const char *what, const char *msg)
{
    fprintf(stderr, BENCH_NAME ": %s: %s\n", what, msg);
    exit(1);
}

__attribute__((unused)) static void utc_now(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

__attribute__((unused)) static void sq_exec(sqlite3 *h, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK)
        die(sql, err ? err : sqlite3_errmsg(h));
}

__attribute__((unused)) static sqlite3_stmt *sq_prep(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        die(sql, sqlite3_errmsg(h));
    return st;
}

/* Steps st to its end (rows are dropped) and resets it. */
__attribute__((unused)) static void sq_step_done(sqlite3 *h, sqlite3_stmt *st)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    if (rc != SQLITE_DONE)
        die("step", sqlite3_errmsg(h));
    sqlite3_reset(st);
}

/* The character-pair text of s, as the server writes search_bi (one buffer per thread). */
__attribute__((unused)) static const char *pairs_of(const char *s)
{
    static _Thread_local struct sh_buf b = SH_BUF_INIT(1 << 20);
    sh_buf_reset(&b);
    if (sh_bigrams(s, &b) != SH_OK)
        return "";
    return b.buf;
}

/* What the server's writer runs before each COMMIT (store/db_sqlite.c, migration
 * sqlite/0008): the search indexes catch up with the rows this transaction changed. */
#define SQ_SEARCH_FLUSH "INSERT INTO search_flush (n) VALUES (0)"

#endif
