/* SPDX-License-Identifier: MIT */
/* Construction latency of the dispatch optimizer (regret-2 insertion, no search).
 * usage: bench_latency [INSTANCE_FILE...]
 * Without files it uses generated Solomon-like instances (uniform points, 100x100 or
 * 500x500 square, windows of width 30..230 spread over the horizon). With files it
 * parses each (Solomon/Homberger/TRSP format) and times the construction on it.
 * Prints the median of 7 runs; targets: 100 jobs <= 20 ms, 1000 jobs <= 500 ms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/xalloc.h"
#include "domain/dispatch/dispatch.h"
#include "domain/dispatch/dispatch_int.h"

static double now_ms(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* median construction time over 7 runs; returns vehicles of the last run */
static double time_construct(const struct dispatch_problem *p, size_t *veh)
{
    double t[7];
    for (int r = 0; r < 7; r++) {
        struct dispatch_params pa;
        dispatch_params_init(&pa);
        pa.construct_only = 1;
        pa.seed = (uint64_t)r + 1;
        struct dispatch_solution s;
        struct sh_err e;
        dispatch_solution_init(&s);
        double t0 = now_ms(NULL);
        if (dispatch_solve(p, &pa, &s, &e) != SH_OK) {
            fprintf(stderr, "bench_latency: %s\n", e.msg);
            exit(1);
        }
        t[r] = now_ms(NULL) - t0;
        *veh = s.vehicles_used;
        dispatch_solution_release(&s);
    }
    qsort(t, 7, sizeof(double), cmp_d);
    return t[3];
}

static void generated(size_t n, double side, size_t fleet, double target)
{
    struct dispatch_rng g;
    dispatch_rng_seed(&g, n);
    struct dispatch_loc *locs = xcalloc(n + 1, sizeof(*locs));
    struct dispatch_job *jobs = xcalloc(n, sizeof(*jobs));
    struct dispatch_vehicle *veh = xcalloc(fleet, sizeof(*veh));
    double horizon = side * 4;
    locs[0].x = locs[0].y = side / 2;
    for (size_t i = 0; i < n; i++) {
        locs[i + 1].x = dispatch_rng_unit(&g) * side;
        locs[i + 1].y = dispatch_rng_unit(&g) * side;
        jobs[i].id = (long)i + 1;
        jobs[i].loc = i + 1;
        jobs[i].duration = 10;
        jobs[i].ready = dispatch_rng_unit(&g) * (horizon - side * 1.6) + side * 0.7;
        jobs[i].due = jobs[i].ready + 30 + dispatch_rng_unit(&g) * 200;
        jobs[i].demand = 1 + dispatch_rng_below(&g, 40);
        jobs[i].priority = 1;
        jobs[i].sla_due = -1;
        jobs[i].fixed_vehicle = -1;
    }
    for (size_t v = 0; v < fleet; v++) {
        veh[v].shift_end = horizon;
        veh[v].capacity = 200;
    }
    struct dispatch_problem p = {n + 1, locs, n, jobs, fleet, veh, {0}};
    p.travel.metric = DISPATCH_METRIC_EUCLID;
    size_t used;
    double ms = time_construct(&p, &used);
    printf("generated n=%zu: construction %.2f ms median of 7 (target <= %.0f ms) %s, "
           "%zu vehicles\n",
           n, ms, target, ms <= target ? "OK" : "OVER", used);
    free(locs);
    free(jobs);
    free(veh);
}

int main(int argc, char **argv)
{
    if (argc == 1) {
        generated(100, 100, 25, 20);
        generated(1000, 500, 250, 500);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        char *buf = xmalloc(64u << 20);
        size_t len = fread(buf, 1, (64u << 20) - 1, f);
        fclose(f);
        struct dispatch_instance in;
        struct sh_err e;
        if (dispatch_parse_instance(buf, len, &in, &e) != SH_OK) {
            fprintf(stderr, "%s: %s\n", argv[i], e.msg);
            free(buf);
            return 1;
        }
        free(buf);
        size_t used;
        double ms = time_construct(&in.p, &used);
        double target = in.p.njobs <= 100 ? 20 : 500;
        printf("%s n=%zu: construction %.2f ms median of 7 (target <= %.0f ms) %s, %zu "
               "vehicles\n",
               in.name, in.p.njobs, ms, target, ms <= target ? "OK" : "OVER", used);
        dispatch_instance_release(&in);
    }
    return 0;
}
