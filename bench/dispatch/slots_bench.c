/* SPDX-License-Identifier: MIT */
/* Micro-benchmark of the appointment slot search (src/domain/dispatch/slots.c): one new
 * job against 50 technicians with 20 planned jobs each, haversine travel around
 * Shanghai. The target (issue 5) is 5 ms per search for the agent on the phone.
 *
 * usage: bench_slots_bench [TECHS [JOBS_PER_TECH [REPEATS]]]   (50 20 2000)
 * Prints "slots techs=T jobs=J slots=N median_ms=M p99_ms=P target_ms=5 OK|OVER". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/dispatch/slots.h"

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

static uint64_t rs = 0x9e3779b97f4a7c15ull;
static double rnd(double lo, double hi)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return lo + (hi - lo) * (double)(rs % 1000000u) / 1e6;
}

int main(int argc, char **argv)
{
    size_t ntech = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 50;
    size_t per = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 20;
    int reps = argc > 3 ? atoi(argv[3]) : 2000;
    if (ntech == 0 || per > 200 || reps <= 0) {
        fprintf(stderr, "usage: bench_slots_bench [TECHS [JOBS_PER_TECH [REPEATS]]]\n");
        return 2;
    }
    size_t nloc = ntech * (per + 1) + 1;
    struct dispatch_loc *locs = calloc(nloc, sizeof *locs);
    struct dispatch_slot_tech *techs = calloc(ntech, sizeof *techs);
    struct dispatch_slot_stop *stops = calloc(ntech * per + 1, sizeof *stops);
    double *ms = calloc((size_t)reps, sizeof *ms);
    if (!locs || !techs || !stops || !ms)
        return 1;
    size_t l = 0, s = 0;
    for (size_t v = 0; v < ntech; v++) {
        double cx = 121.2 + rnd(0, 0.6), cy = 31.0 + rnd(0, 0.5);
        locs[l] = (struct dispatch_loc){cx, cy};
        techs[v] = (struct dispatch_slot_tech){.start_loc = l,
                                               .end_loc = l,
                                               .shift_start = 480,
                                               .shift_end = 1080 + 240,
                                               .skills = ~0ull,
                                               .first = s,
                                               .n = per};
        l++;
        /* a full day in the technician's district: 15-minute jobs every half hour, each
         * in a two-hour window around its slot */
        for (size_t k = 0; k < per; k++) {
            locs[l] = (struct dispatch_loc){cx + rnd(-0.03, 0.03), cy + rnd(-0.03, 0.03)};
            double at = 500 + (double)k * 30.0;
            stops[s++] = (struct dispatch_slot_stop){
                .loc = l++, .duration = 15, .ready = at - 60, .due = at + 60};
        }
    }
    locs[l] = (struct dispatch_loc){121.47, 31.23};
    struct dispatch_slot_query q = {
        .nloc = nloc,
        .locs = locs,
        .travel = {.metric = DISPATCH_METRIC_HAVERSINE, .road_factor = 1.3, .speed_kmh = 40},
        .ntech = ntech,
        .techs = techs,
        .stops = stops,
        .job = {.loc = l, .duration = 60, .ready = 480, .due = 1020},
        .job_sla_due = 900,
        .fixed_tech = -1,
    };
    struct dispatch_slot out[10];
    size_t found = 0;
    for (int i = 0; i < reps; i++) {
        double t0 = now_ms();
        found = dispatch_slots_find(&q, out, 10);
        ms[i] = now_ms() - t0;
    }
    qsort(ms, (size_t)reps, sizeof *ms, cmp_d);
    double med = ms[reps / 2], p99 = ms[(size_t)((double)reps * 0.99)];
    printf("slots techs=%zu jobs=%zu slots=%zu median_ms=%.3f p99_ms=%.3f target_ms=5 %s\n", ntech,
           per, found, med, p99, p99 <= 5.0 ? "OK" : "OVER");
    free(locs);
    free(techs);
    free(stops);
    free(ms);
    return 0;
}
