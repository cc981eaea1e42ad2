/* SPDX-License-Identifier: MIT */
/* The fee engine on a 500-line quote (issue 13: target <= 1 ms): a piece-rate table of 500
 * items, each quoted, a series-rate installation fee, a × 1.2 multiplier over both and a 10 %
 * management fee over every line (503 lines). Times fee_calculate alone and with the formula
 * of every line (what the API renders), in process.
 * usage: bench_fees_quote [--runs N]
 * prints: fees_quote lines=503 p50_ms=… max_ms=… formulas_p50_ms=… runs=N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/fees.h"

#define N 500

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int runs = 200;
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--runs"))
            runs = (int)strtol(argv[i + 1], NULL, 10);
    if (runs < 1 || runs > 100000)
        runs = 200;
    static char keys[N][24];
    static struct fee_row rows[N];
    static struct fee_piece pieces[N];
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "配件-%04d", (i * 7919) % 10000);
        rows[i] = (struct fee_row){keys[i], NULL, 1000 + i * 37, false};
        pieces[i] = (struct fee_piece){keys[i], 1 + i % 5};
    }
    struct fee_row series[] = {{"时尚系列", NULL, 250, false}, {"经典系列", NULL, 220, false}};
    struct fee_input_decl in[] = {{"price_fen", NULL, FIT_MONEY, true},
                                  {"series", NULL, FIT_TEXT, true},
                                  {"sets", NULL, FIT_COUNT, true},
                                  {"pieces", NULL, FIT_PIECES, false}};
    struct fee_comp c[4] = {
        {.kind = FK_SERIES,
         .code = "install",
         .base = "price_fen",
         .key = "series",
         .rows = series,
         .nrows = 2},
        {.kind = FK_PIECE, .code = "pieces", .qty = "pieces", .rows = rows, .nrows = N},
        {.kind = FK_MULTIPLIER,
         .code = "uplift",
         .num = 6,
         .den = 5,
         .targets = {"install", "pieces"},
         .ntargets = 2,
         .has_when = true},
        {.kind = FK_PERCENT_OF,
         .code = "management",
         .rate = 1000,
         .targets = {"install", "pieces"},
         .ntargets = 2},
    };
    c[2].when.any[0] = (struct fee_clause){.input = "sets", .op = FOP_LE, .value = 20};
    c[2].when.nany = 1;
    struct fee_rules r = {in, 4, c, 4};
    struct sh_err e = {0};
    if (fee_rules_check(&r, &e)) {
        fprintf(stderr, "bench_fees_quote: %s %s\n", e.field, e.reason);
        return 1;
    }
    struct fee_value v[4] = {{.present = true, .v = 12345678},
                             {.present = true, .s = "经典系列"},
                             {.present = true, .v = 12},
                             {.present = true, .pieces = pieces, .npieces = N}};
    double *t = calloc((size_t)runs, sizeof *t), *tf = calloc((size_t)runs, sizeof *tf);
    int lines = 0;
    int64_t total = 0;
    char f[256];
    for (int k = -1; k < runs; k++) {
        struct sh_arena a;
        sh_arena_init(&a, 1 << 20);
        struct fee_result res;
        double t0 = now_ms();
        if (fee_calculate(&r, v, &a, &res, &e)) {
            fprintf(stderr, "bench_fees_quote: %s\n", e.msg);
            return 1;
        }
        double t1 = now_ms();
        for (int i = 0; i < res.nlines; i++)
            fee_line_formula(&r, &res.lines[i], f, sizeof f);
        double t2 = now_ms();
        if (k >= 0) {
            t[k] = t1 - t0;
            tf[k] = t2 - t0;
        }
        lines = res.nlines;
        total = res.total;
        sh_arena_release(&a);
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_d);
    qsort(tf, (size_t)runs, sizeof *tf, cmp_d);
    printf("fees_quote lines=%d total_fen=%lld p50_ms=%.3f max_ms=%.3f formulas_p50_ms=%.3f "
           "runs=%d\n",
           lines, (long long)total, t[runs / 2], t[runs - 1], tf[runs / 2], runs);
    free(t);
    free(tf);
    return 0;
}
