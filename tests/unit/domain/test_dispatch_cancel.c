/* SPDX-License-Identifier: MIT */
/* The optimizer's cancel callback (issue 10 #13): asked during every phase, the set-up's
 * travel matrices included, it stops the search early with a feasible solution and
 * out->stopped set; a callback that never fires changes nothing (same routes as without
 * one). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/dispatch/dispatch.h"

#define NJ 100
#define NV 8

struct inst {
    struct dispatch_loc locs[NJ + NV];
    struct dispatch_job jobs[NJ];
    struct dispatch_vehicle veh[NV];
    struct dispatch_problem p;
};

static uint64_t rng = 88172645463325252ull;

static double unit(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static void make_inst(struct inst *I)
{
    memset(I, 0, sizeof(*I));
    for (int i = 0; i < NJ + NV; i++)
        I->locs[i] = (struct dispatch_loc){unit() * 100, unit() * 100};
    for (int i = 0; i < NJ; i++)
        I->jobs[i] = (struct dispatch_job){.id = i + 1,
                                           .loc = (size_t)(NV + i),
                                           .duration = 10,
                                           .ready = 0,
                                           .due = 900,
                                           .priority = 1,
                                           .sla_due = -1,
                                           .fixed_vehicle = -1};
    for (int v = 0; v < NV; v++)
        I->veh[v] = (struct dispatch_vehicle){.start_loc = (size_t)v,
                                              .end_loc = (size_t)v,
                                              .shift_start = 0,
                                              .shift_end = 1000,
                                              .capacity = -1};
    I->p = (struct dispatch_problem){.nloc = NJ + NV,
                                     .locs = I->locs,
                                     .njobs = NJ,
                                     .jobs = I->jobs,
                                     .nveh = NV,
                                     .vehicles = I->veh,
                                     .travel = {.metric = DISPATCH_METRIC_EUCLID}};
}

struct counter {
    long calls, fire_at;
};

static int cancel_after(void *ctx)
{
    struct counter *c = ctx;
    return ++c->calls >= c->fire_at;
}

static void solve(struct inst *I, struct counter *c, long iters, struct dispatch_solution *out)
{
    struct dispatch_params pa;
    dispatch_params_init(&pa);
    pa.objective = DISPATCH_OBJ_SERVICE;
    pa.max_iters = iters;
    if (c) {
        pa.cancel = cancel_after;
        pa.cancel_ctx = c;
    }
    struct sh_err e;
    dispatch_solution_init(out);
    assert_int_equal(dispatch_solve(&I->p, &pa, out, &e), SH_OK);
    struct dispatch_check_report r;
    assert_int_equal(dispatch_check(&I->p, out, 0, 1, &r, &e), SH_OK);
    assert_int_equal(r.served + out->nunassigned, NJ);
}

/* a huge max_iters is cut short as soon as the callback says so */
static void cancel_stops_the_search(void **state)
{
    (void)state;
    struct inst *I = malloc(sizeof *I);
    make_inst(I);
    struct counter c = {0, 50};
    struct dispatch_solution s;
    solve(I, &c, 100000000L, &s);
    assert_int_equal(s.stopped, 1);
    assert_true(s.iterations < 100000L);
    assert_int_equal(c.calls, 50); /* not asked again once it said stop */
    dispatch_solution_release(&s);
    free(I);
}

/* cancelled during the construction: the jobs not yet placed stay unassigned (asked once
 * per matrix row, once per vehicle class, then once per job placed) */
static void cancel_in_construction(void **state)
{
    (void)state;
    struct inst *I = malloc(sizeof *I);
    make_inst(I);
    struct counter c = {0, (NJ + NV) + NV + 10};
    struct dispatch_solution s;
    solve(I, &c, 1000, &s);
    assert_int_equal(s.stopped, 1);
    assert_int_equal(s.iterations, 0);
    assert_true(s.nunassigned > 0);
    assert_true(s.nunassigned < NJ);
    dispatch_solution_release(&s);
    free(I);
}

struct counted_travel {
    const struct dispatch_loc *locs;
    long evals;
};

static void counted_euclid(void *ctx, size_t a, size_t b, double *dist, double *time)
{
    struct counted_travel *t = ctx;
    t->evals++;
    double dx = t->locs[a].x - t->locs[b].x, dy = t->locs[a].y - t->locs[b].y;
    *dist = *time = sqrt(dx * dx + dy * dy);
}

/* cancelled during the set-up: the travel matrices stop at the row the callback said stop
 * (the set-up is nl² travel times, seconds at the API's largest problem under a sanitizer),
 * and every job stays unassigned */
static void cancel_in_setup(void **state)
{
    (void)state;
    struct inst *I = malloc(sizeof *I);
    make_inst(I);
    struct counted_travel t = {I->locs, 0};
    I->p.travel = (struct dispatch_travel){
        .metric = DISPATCH_METRIC_CALLBACK, .fn = counted_euclid, .ctx = &t};
    struct dispatch_params pa;
    dispatch_params_init(&pa);
    struct counter c = {0, 3};
    pa.cancel = cancel_after;
    pa.cancel_ctx = &c;
    struct dispatch_solution s;
    struct sh_err e;
    dispatch_solution_init(&s);
    assert_int_equal(dispatch_solve(&I->p, &pa, &s, &e), SH_OK);
    assert_int_equal(t.evals, 2 * (NJ + NV - 1)); /* rows 0 and 1; asked before row 2 */
    assert_int_equal(c.calls, 3);                 /* not asked again once it said stop */
    assert_int_equal(s.stopped, 1);
    assert_int_equal(s.iterations, 0);
    assert_int_equal(s.nunassigned, NJ);
    assert_int_equal(s.vehicles_used, 0);
    dispatch_solution_release(&s);
    free(I);
}

/* a callback that never fires leaves the search deterministic and unchanged */
static void quiet_cancel_changes_nothing(void **state)
{
    (void)state;
    struct inst *I = malloc(sizeof *I);
    make_inst(I);
    struct counter c = {0, 1L << 60};
    struct dispatch_solution a, b;
    solve(I, NULL, 300, &a);
    solve(I, &c, 300, &b);
    assert_int_equal(b.stopped, 0);
    assert_true(c.calls > 0);
    assert_int_equal(a.iterations, b.iterations);
    assert_int_equal(a.off[NV], b.off[NV]);
    assert_memory_equal(a.seq, b.seq, a.off[NV] * sizeof(size_t));
    dispatch_solution_release(&a);
    dispatch_solution_release(&b);
    free(I);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cancel_stops_the_search),
        cmocka_unit_test(cancel_in_construction),
        cmocka_unit_test(cancel_in_setup),
        cmocka_unit_test(quiet_cancel_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
