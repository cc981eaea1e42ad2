/* SPDX-License-Identifier: MIT */
/* dispatch_solve: a tiny instance reaches the optimum found by brute force; the same
 * seed and iteration count give identical results; the SERVICE objective serves by
 * priority and skills; every answer passes the independent checker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/dispatch/dispatch.h"
#include "domain/dispatch/dispatch_int.h"

#define TN 7

struct tiny {
    struct dispatch_loc locs[TN + 1];
    struct dispatch_job jobs[TN];
    struct dispatch_vehicle veh[2];
    struct dispatch_problem p;
};

static void make_tiny(struct tiny *t, uint64_t seed)
{
    struct dispatch_rng g;
    dispatch_rng_seed(&g, seed);
    memset(t, 0, sizeof(*t));
    t->locs[0].x = 50;
    t->locs[0].y = 50;
    for (int i = 0; i < TN; i++) {
        t->locs[i + 1].x = dispatch_rng_unit(&g) * 100;
        t->locs[i + 1].y = dispatch_rng_unit(&g) * 100;
        struct dispatch_job *j = &t->jobs[i];
        j->id = i + 1;
        j->loc = (size_t)i + 1;
        j->duration = 10;
        j->ready = dispatch_rng_unit(&g) * 200;
        j->due = j->ready + 60 + dispatch_rng_unit(&g) * 200;
        j->demand = 10 + dispatch_rng_below(&g, 10);
        j->priority = 1;
        j->sla_due = -1;
        j->fixed_vehicle = -1;
    }
    for (int v = 0; v < 2; v++) {
        t->veh[v].shift_end = 1000;
        t->veh[v].capacity = 80;
    }
    t->p.nloc = TN + 1;
    t->p.locs = t->locs;
    t->p.njobs = TN;
    t->p.jobs = t->jobs;
    t->p.nveh = 2;
    t->p.vehicles = t->veh;
    t->p.travel.metric = DISPATCH_METRIC_EUCLID;
}

/* exhaustive: every permutation split into route 1 and route 2 */
static void brute(const struct tiny *t, int hier, size_t *best_nv, double *best_d)
{
    size_t perm[TN], off[3], c[TN];
    for (size_t i = 0; i < TN; i++) {
        perm[i] = i;
        c[i] = 0;
    }
    *best_nv = 99;
    *best_d = 1e300;
    struct dispatch_solution s;
    dispatch_solution_init(&s);
    s.nveh = 2;
    s.off = off;
    s.seq = perm;
    size_t i = 0;
    for (;;) {
        for (size_t cut = 0; cut <= TN; cut++) {
            off[0] = 0;
            off[1] = cut;
            off[2] = TN;
            struct dispatch_check_report r;
            struct sh_err e;
            if (dispatch_check(&t->p, &s, 1, 0, &r, &e) != SH_OK)
                continue;
            int better =
                hier ? (r.vehicles < *best_nv || (r.vehicles == *best_nv && r.distance < *best_d))
                     : r.distance < *best_d;
            if (better) {
                *best_nv = r.vehicles;
                *best_d = r.distance;
            }
        }
        /* Heap's algorithm, iterative */
        while (i < TN && c[i] >= i) {
            c[i] = 0;
            i++;
        }
        if (i >= TN)
            break;
        size_t a = i % 2 ? c[i] : 0, tmp = perm[a];
        perm[a] = perm[i];
        perm[i] = tmp;
        c[i]++;
        i = 0;
    }
}

static void solve_checked(const struct dispatch_problem *p, const struct dispatch_params *pa,
                          struct dispatch_solution *s)
{
    struct sh_err e;
    struct dispatch_check_report r;
    dispatch_solution_init(s);
    assert_int_equal(dispatch_solve(p, pa, s, &e), SH_OK);
    assert_int_equal(dispatch_check(p, s, pa->objective != DISPATCH_OBJ_SERVICE,
                                    pa->objective == DISPATCH_OBJ_SERVICE, &r, &e),
                     SH_OK);
    assert_true(fabs(r.distance - s->distance) < 1e-6);
    assert_int_equal(r.vehicles, s->vehicles_used);
}

static void test_dispatch_solve_tiny_optimum(void **state)
{
    (void)state;
    int checked = 0;
    for (uint64_t seed = 1; seed <= 6; seed++) {
        struct tiny t;
        make_tiny(&t, seed);
        for (int hier = 0; hier <= 1; hier++) {
            size_t nv;
            double d;
            brute(&t, hier, &nv, &d);
            if (nv == 99)
                continue; /* infeasible draw */
            struct dispatch_params pa;
            dispatch_params_init(&pa);
            pa.objective = hier ? DISPATCH_OBJ_HIERARCHICAL : DISPATCH_OBJ_DISTANCE;
            pa.max_iters = 3000;
            pa.seed = seed;
            struct dispatch_solution s;
            solve_checked(&t.p, &pa, &s);
            assert_int_equal(s.nunassigned, 0);
            if (hier)
                assert_int_equal(s.vehicles_used, nv);
            if (fabs(s.distance - d) > 1e-6)
                fail_msg("seed %u hier %d: solver %.6f, optimum %.6f", (unsigned)seed, hier,
                         s.distance, d);
            dispatch_solution_release(&s);
            checked++;
        }
    }
    assert_true(checked >= 4);
}

/* 80 random jobs, 12 vehicles */
struct mid {
    struct dispatch_loc locs[81];
    struct dispatch_job jobs[80];
    struct dispatch_vehicle veh[12];
    struct dispatch_problem p;
};

static void make_mid(struct mid *t)
{
    struct dispatch_rng g;
    dispatch_rng_seed(&g, 99);
    memset(t, 0, sizeof(*t));
    t->locs[0].x = t->locs[0].y = 50;
    for (int i = 0; i < 80; i++) {
        t->locs[i + 1].x = dispatch_rng_unit(&g) * 100;
        t->locs[i + 1].y = dispatch_rng_unit(&g) * 100;
        struct dispatch_job *j = &t->jobs[i];
        j->id = i + 1;
        j->loc = (size_t)i + 1;
        j->duration = 10;
        j->ready = dispatch_rng_unit(&g) * 400;
        j->due = j->ready + 100;
        j->demand = 5 + dispatch_rng_below(&g, 20);
        j->priority = 1;
        j->sla_due = -1;
        j->fixed_vehicle = -1;
    }
    for (int v = 0; v < 12; v++) {
        t->veh[v].shift_end = 700;
        t->veh[v].capacity = 200;
    }
    t->p.nloc = 81;
    t->p.locs = t->locs;
    t->p.njobs = 80;
    t->p.jobs = t->jobs;
    t->p.nveh = 12;
    t->p.vehicles = t->veh;
    t->p.travel.metric = DISPATCH_METRIC_EUCLID;
}

static void test_dispatch_solve_deterministic(void **state)
{
    (void)state;
    struct mid t;
    make_mid(&t);
    for (int obj = 0; obj < 2; obj++) {
        struct dispatch_params pa;
        dispatch_params_init(&pa);
        pa.objective = obj ? DISPATCH_OBJ_DISTANCE : DISPATCH_OBJ_HIERARCHICAL;
        pa.max_iters = 400;
        pa.seed = 7;
        struct dispatch_solution a, b, c;
        solve_checked(&t.p, &pa, &a);
        solve_checked(&t.p, &pa, &b);
        assert_int_equal(a.iterations, 400);
        assert_int_equal(a.vehicles_used, b.vehicles_used);
        assert_true(a.distance == b.distance);
        assert_memory_equal(a.off, b.off, (a.nveh + 1) * sizeof(size_t));
        assert_memory_equal(a.seq, b.seq, a.off[a.nveh] * sizeof(size_t));
        /* another seed explores differently (not asserted to differ in value) */
        pa.seed = 8;
        solve_checked(&t.p, &pa, &c);
        dispatch_solution_release(&a);
        dispatch_solution_release(&b);
        dispatch_solution_release(&c);
    }
}

static void test_dispatch_solve_construct_only(void **state)
{
    (void)state;
    struct mid t;
    make_mid(&t);
    struct dispatch_params pa;
    dispatch_params_init(&pa);
    pa.construct_only = 1;
    struct dispatch_solution s;
    solve_checked(&t.p, &pa, &s);
    assert_int_equal(s.iterations, 0);
    assert_int_equal(s.nunassigned, 0);
    dispatch_solution_release(&s);
}

static void test_dispatch_solve_service_priority_skills(void **state)
{
    (void)state;
    struct mid t;
    make_mid(&t);
    /* one technician with capacity for only one of two far jobs; one job needs a skill
     * nobody has; one job is fixed to the technician */
    t.p.njobs = 4;
    t.p.nveh = 1;
    t.veh[0].capacity = 30;
    t.veh[0].skills = 1;
    t.veh[0].max_overtime = 50;
    for (int i = 0; i < 4; i++) {
        t.jobs[i].ready = 0;
        t.jobs[i].due = 600;
        t.jobs[i].demand = 10;
    }
    t.jobs[0].demand = 20;
    t.jobs[1].demand = 20;
    t.jobs[1].priority = 5; /* jobs 0 and 1 cannot both fit: serve job 1 */
    t.jobs[2].skills = 2;   /* nobody can */
    t.jobs[3].fixed_vehicle = 0;
    t.jobs[3].sla_due = 0; /* any start is late: still served */
    struct dispatch_params pa;
    dispatch_params_init(&pa);
    pa.objective = DISPATCH_OBJ_SERVICE;
    pa.max_iters = 300;
    struct dispatch_solution s;
    solve_checked(&t.p, &pa, &s);
    assert_int_equal(s.nunassigned, 2);
    int served1 = 0, served3 = 0;
    for (size_t k = 0; k < s.off[1]; k++) {
        served1 |= s.seq[k] == 1;
        served3 |= s.seq[k] == 3;
    }
    assert_true(served1 && served3);
    dispatch_solution_release(&s);
}

static void test_dispatch_solve_rejects_bad_problem(void **state)
{
    (void)state;
    struct tiny t;
    make_tiny(&t, 1);
    t.jobs[2].due = t.jobs[2].ready - 1;
    struct dispatch_params pa;
    dispatch_params_init(&pa);
    struct dispatch_solution s;
    struct sh_err e;
    dispatch_solution_init(&s);
    assert_int_equal(dispatch_solve(&t.p, &pa, &s, &e), SH_INVALID);
    make_tiny(&t, 1);
    t.jobs[0].loc = 99;
    assert_int_equal(dispatch_solve(&t.p, &pa, &s, &e), SH_INVALID);
    dispatch_solution_release(&s);
}

/* the haversine metric: 1 degree of latitude is about 111.2 km */
static void test_dispatch_travel_haversine(void **state)
{
    (void)state;
    struct dispatch_loc l[2] = {{139.0, 35.0}, {139.0, 36.0}};
    struct dispatch_problem p;
    memset(&p, 0, sizeof(p));
    p.nloc = 2;
    p.locs = l;
    p.travel.metric = DISPATCH_METRIC_HAVERSINE;
    p.travel.road_factor = 1.5;
    p.travel.speed_kmh = 60;
    double d, tm;
    dispatch_travel_eval(&p, 0, 1, &d, &tm);
    assert_true(fabs(d - 111.195 * 1.5) < 0.1);
    assert_true(fabs(tm - d) < 1e-9); /* 60 km/h: minutes equal km */
    p.travel.metric = DISPATCH_METRIC_EUCLID_TRUNC1;
    struct dispatch_loc m[2] = {{0, 0}, {1, 1}};
    p.locs = m;
    dispatch_travel_eval(&p, 0, 1, &d, &tm);
    assert_true(d == 1.4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dispatch_solve_tiny_optimum),
        cmocka_unit_test(test_dispatch_solve_deterministic),
        cmocka_unit_test(test_dispatch_solve_construct_only),
        cmocka_unit_test(test_dispatch_solve_service_priority_skills),
        cmocka_unit_test(test_dispatch_solve_rejects_bad_problem),
        cmocka_unit_test(test_dispatch_travel_haversine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
