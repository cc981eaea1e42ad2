/* SPDX-License-Identifier: MIT */
/* Move evaluation (relocate, swap, 2-opt*, or-opt, insertion) by slack tables against a
 * full recomputation of the resulting routes, on thousands of random feasible routes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "base/xalloc.h"
#include "domain/dispatch/dispatch_int.h"

#define NJ 40
#define NV 4

struct inst {
    struct dispatch_loc locs[NJ + 2 * NV];
    struct dispatch_job jobs[NJ];
    struct dispatch_vehicle veh[NV];
    struct dispatch_problem p;
};

/* random instance; hetero: vehicles with different depots, shifts, skills */
static void make_inst(struct inst *I, struct dispatch_rng *g, int hetero, int trunc)
{
    memset(I, 0, sizeof(*I));
    for (int i = 0; i < NJ + 2 * NV; i++) {
        I->locs[i].x = dispatch_rng_unit(g) * 100;
        I->locs[i].y = dispatch_rng_unit(g) * 100;
    }
    for (int i = 0; i < NJ; i++) {
        struct dispatch_job *j = &I->jobs[i];
        j->id = i + 1;
        j->loc = (size_t)i;
        j->duration = 5 + dispatch_rng_unit(g) * 10;
        double c = dispatch_rng_unit(g) * 600, w = 30 + dispatch_rng_unit(g) * 300;
        j->ready = c;
        j->due = c + w;
        j->demand = 1 + dispatch_rng_below(g, 10);
        j->skills = hetero && dispatch_rng_unit(g) < 0.2 ? 1u : 0u;
        j->priority = 1 + dispatch_rng_below(g, 3);
        j->sla_due = dispatch_rng_unit(g) < 0.5 ? c + w / 2 : -1;
        j->fixed_vehicle = -1;
    }
    for (int v = 0; v < NV; v++) {
        struct dispatch_vehicle *w = &I->veh[v];
        w->start_loc = hetero ? (size_t)(NJ + 2 * v) : NJ;
        w->end_loc = hetero ? (size_t)(NJ + 2 * v + (v & 1)) : NJ;
        w->shift_start = 0;
        w->shift_end = hetero ? 800 + 100 * v : 1000;
        w->max_overtime = 60;
        w->skills = hetero && (v & 1) ? 1u : 0u;
        w->capacity = 60 + (hetero ? 10 * v : 0);
        w->max_travel = hetero && v == 2 ? 400 : 0;
    }
    I->p.nloc = NJ + 2 * NV;
    I->p.locs = I->locs;
    I->p.njobs = NJ;
    I->p.jobs = I->jobs;
    I->p.nveh = NV;
    I->p.vehicles = I->veh;
    I->p.travel.metric = trunc ? DISPATCH_METRIC_EUCLID_TRUNC1 : DISPATCH_METRIC_EUCLID;
}

/* random feasible routes: insert jobs in random order at random feasible positions */
static void make_routes(struct dispatch_ctx *c, struct dispatch_route *r, struct dispatch_rng *g)
{
    int order[NJ];
    for (int i = 0; i < NJ; i++)
        order[i] = i;
    for (int i = NJ - 1; i > 0; i--) {
        int k = dispatch_rng_below(g, i + 1), t = order[i];
        order[i] = order[k];
        order[k] = t;
    }
    for (int x = 0; x < NJ; x++) {
        int u = order[x];
        for (int tries = 0; tries < 8; tries++) {
            struct dispatch_route *rt = &r[dispatch_rng_below(g, NV)];
            int k = dispatch_rng_below(g, rt->len + 1);
            double d;
            int seq[NJ + 2], n = 0;
            for (int y = 1; y <= k; y++)
                seq[n++] = rt->nd[y];
            seq[n++] = u;
            for (int y = k + 1; y <= rt->len; y++)
                seq[n++] = rt->nd[y];
            if (dispatch_eval_seq(c, rt->veh, seq, n, &d)) {
                dispatch_route_set(c, rt, seq, n);
                break;
            }
        }
    }
}

struct counts {
    long evals, feasible;
};

/* full recomputation of the pair of sequences held in sa/sb */
static int reference(struct dispatch_ctx *c, const struct dispatch_route *a,
                     const struct dispatch_route *b, const int *sa, int la, const int *sb, int lb,
                     double *delta)
{
    double ca, cb = 0;
    if (!dispatch_eval_seq(c, a->veh, sa, la, &ca))
        return 0;
    if (a != b && !dispatch_eval_seq(c, b->veh, sb, lb, &cb))
        return 0;
    *delta = ca - a->cost + (a != b ? cb - b->cost : 0);
    return 1;
}

static void compare(int fast_ok, double fast_d, int ref_ok, double ref_d, struct counts *n,
                    const char *what)
{
    n->evals++;
    if (fast_ok != ref_ok)
        fail_msg("%s: fast feasibility %d, recomputed %d", what, fast_ok, ref_ok);
    if (fast_ok) {
        n->feasible++;
        if (fabs(fast_d - ref_d) > 1e-6)
            fail_msg("%s: fast delta %.9f, recomputed %.9f", what, fast_d, ref_d);
    }
}

static void run_family(int hetero, int trunc, enum dispatch_objective obj, struct counts *n)
{
    struct dispatch_rng g;
    dispatch_rng_seed(&g, 12345u + (uint64_t)(hetero * 2 + trunc) + 7u * (uint64_t)obj);
    int sa[NJ + 2], sb[NJ + 2], la, lb;
    for (int inst = 0; inst < 60; inst++) {
        struct inst I;
        make_inst(&I, &g, hetero, trunc);
        struct dispatch_params pa;
        dispatch_params_init(&pa);
        pa.objective = obj;
        struct dispatch_ctx c;
        struct sh_err e;
        assert_int_equal(dispatch_ctx_init(&c, &I.p, &pa, &e), SH_OK);
        struct dispatch_route r[NV];
        for (int v = 0; v < NV; v++)
            dispatch_route_init(&c, &r[v], v);
        make_routes(&c, r, &g);
        for (int v = 0; v < NV; v++)
            assert_true(dispatch_route_update(&c, &r[v]));
        for (int t = 0; t < 400; t++) {
            struct dispatch_route *a = &r[dispatch_rng_below(&g, NV)];
            struct dispatch_route *b = &r[dispatch_rng_below(&g, NV)];
            double fd = 0, rd = 0;
            int fo, ro;
            /* insertion of an unrouted copy: use any job not on b */
            int u = dispatch_rng_below(&g, NJ), onb = 0;
            for (int y = 1; y <= b->len; y++)
                onb |= b->nd[y] == u;
            if (!onb) {
                int k = dispatch_rng_below(&g, b->len + 1), ns = 0;
                for (int y = 1; y <= k; y++)
                    sb[ns++] = b->nd[y];
                sb[ns++] = u;
                for (int y = k + 1; y <= b->len; y++)
                    sb[ns++] = b->nd[y];
                fo = dispatch_eval_insert(&c, b, k, u, &fd);
                ro = reference(&c, b, b, sb, ns, NULL, 0, &rd);
                compare(fo, fd, ro, rd, n, "insert");
            }
            if (!a->len)
                continue;
            int i = 1 + dispatch_rng_below(&g, a->len);
            int j = dispatch_rng_below(&g, b->len + 1);
            /* relocate */
            if (a != b || (j != i && j != i - 1)) {
                fo = dispatch_eval_relocate(&c, a, i, b, j, &fd);
                dispatch_seq_relocate(a, i, b, j, sa, &la, sb, &lb);
                ro = reference(&c, a, b, sa, la, sb, lb, &rd);
                compare(fo, fd, ro, rd, n, "relocate");
            }
            /* or-opt with k = 1..3 */
            int k = 1 + dispatch_rng_below(&g, 3);
            if (i + k - 1 <= a->len && (a != b || j < i - 1 || j >= i + k)) {
                fo = dispatch_eval_oropt(&c, a, i, k, b, j, &fd);
                dispatch_seq_oropt(a, i, k, b, j, sa, &la, sb, &lb);
                ro = reference(&c, a, b, sa, la, sb, lb, &rd);
                compare(fo, fd, ro, rd, n, "or-opt");
            }
            /* swap */
            if (b->len) {
                int jj = 1 + dispatch_rng_below(&g, b->len);
                if (a != b || jj != i) {
                    fo = dispatch_eval_swap(&c, a, i, b, jj, &fd);
                    dispatch_seq_swap(a, i, b, jj, sa, &la, sb, &lb);
                    ro = reference(&c, a, b, sa, la, sb, lb, &rd);
                    compare(fo, fd, ro, rd, n, "swap");
                }
            }
            /* 2-opt* */
            if (a != b) {
                int ii = dispatch_rng_below(&g, a->len + 1);
                fo = dispatch_eval_2opt_star(&c, a, ii, b, j, &fd);
                dispatch_seq_2opt_star(a, ii, b, j, sa, &la, sb, &lb);
                ro = reference(&c, a, b, sa, la, sb, lb, &rd);
                compare(fo, fd, ro, rd, n, "2-opt*");
                /* apply a feasible one sometimes, so routes keep changing */
                if (fo && dispatch_rng_unit(&g) < 0.3) {
                    double before = a->cost + b->cost;
                    dispatch_apply_2opt_star(&c, a, ii, b, j);
                    assert_true(dispatch_route_update(&c, a));
                    assert_true(dispatch_route_update(&c, b));
                    assert_true(fabs(a->cost + b->cost - before - fd) < 1e-6);
                }
            }
            if (dispatch_rng_unit(&g) < 0.2 && i <= a->len && j <= b->len) {
                fo = dispatch_eval_relocate(&c, a, i, b, j, &fd);
                if (fo && (a != b || (j != i && j != i - 1))) {
                    double before = a->cost + (a != b ? b->cost : 0);
                    dispatch_apply_relocate(&c, a, i, b, j);
                    assert_true(dispatch_route_update(&c, a));
                    assert_true(dispatch_route_update(&c, b));
                    double after = a->cost + (a != b ? b->cost : 0);
                    assert_true(fabs(after - before - fd) < 1e-6);
                }
            }
        }
        for (int v = 0; v < NV; v++)
            dispatch_route_release(&r[v]);
        dispatch_ctx_release(&c);
    }
}

static void test_dispatch_moves_homogeneous(void **state)
{
    (void)state;
    struct counts n = {0, 0};
    run_family(0, 0, DISPATCH_OBJ_DISTANCE, &n);
    assert_true(n.evals > 50000);
    assert_true(n.feasible > 5000); /* the comparison saw both outcomes */
    assert_true(n.feasible < n.evals);
}

static void test_dispatch_moves_truncated(void **state)
{
    (void)state;
    struct counts n = {0, 0};
    run_family(0, 1, DISPATCH_OBJ_HIERARCHICAL, &n);
    assert_true(n.feasible > 5000);
}

static void test_dispatch_moves_heterogeneous(void **state)
{
    (void)state;
    struct counts n = {0, 0};
    run_family(1, 0, DISPATCH_OBJ_DISTANCE, &n);
    assert_true(n.feasible > 2000);
}

static void test_dispatch_moves_service_objective(void **state)
{
    (void)state;
    struct counts n = {0, 0};
    run_family(1, 0, DISPATCH_OBJ_SERVICE, &n);
    assert_true(n.feasible > 2000);
}

static void test_dispatch_rng_range(void **state)
{
    (void)state;
    struct dispatch_rng g, h;
    dispatch_rng_seed(&g, 42);
    dispatch_rng_seed(&h, 42);
    for (int i = 0; i < 100000; i++) {
        double u = dispatch_rng_unit(&g);
        assert_true(u >= 0 && u < 1);
        int k = dispatch_rng_below(&h, 7);
        assert_true(k >= 0 && k < 7);
    }
    dispatch_rng_seed(&g, 1);
    dispatch_rng_seed(&h, 2);
    assert_int_not_equal(dispatch_rng_u32(&g), dispatch_rng_u32(&h));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dispatch_moves_homogeneous),
        cmocka_unit_test(test_dispatch_moves_truncated),
        cmocka_unit_test(test_dispatch_moves_heterogeneous),
        cmocka_unit_test(test_dispatch_moves_service_objective),
        cmocka_unit_test(test_dispatch_rng_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
