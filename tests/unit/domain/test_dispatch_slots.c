/* SPDX-License-Identifier: MIT */
/* Appointment slot search (slots.c): positions, windows, skills, travel limit, SLA
 * risk, ordering, and a randomised cross-check against a plain re-simulation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "domain/dispatch/slots.h"

/* plane metric: time = distance. home at 0; stops on the x axis */
static struct dispatch_loc locs[64];
static struct dispatch_slot_stop stops[64];
static struct dispatch_slot_tech techs[8];
static struct dispatch_slot_query q;

static void base(void)
{
    memset(&q, 0, sizeof q);
    memset(techs, 0, sizeof techs);
    memset(stops, 0, sizeof stops);
    memset(locs, 0, sizeof locs);
    q.nloc = 64;
    q.locs = locs;
    q.travel.metric = DISPATCH_METRIC_EUCLID;
    q.techs = techs;
    q.stops = stops;
    q.job_sla_due = -1;
    q.fixed_tech = -1;
    q.risk_horizon = 60;
}

static int setup(void **state)
{
    (void)state;
    base();
    /* locations: 0 home, 1 (10,0), 2 (20,0), 3 (30,0), 9 the new job (15,0) */
    locs[1].x = 10;
    locs[2].x = 20;
    locs[3].x = 30;
    locs[9].x = 15;
    /* tech 0: stops at 10 and 30, wide windows */
    techs[0] = (struct dispatch_slot_tech){.start_loc = 0,
                                           .end_loc = 0,
                                           .shift_start = 0,
                                           .shift_end = 500,
                                           .skills = 3,
                                           .first = 0,
                                           .n = 2};
    stops[0] = (struct dispatch_slot_stop){.loc = 1, .duration = 10, .ready = 0, .due = 400};
    stops[1] = (struct dispatch_slot_stop){.loc = 3, .duration = 10, .ready = 0, .due = 400};
    /* tech 1: empty route, only skill 1 */
    techs[1] = (struct dispatch_slot_tech){.start_loc = 0,
                                           .end_loc = 0,
                                           .shift_start = 0,
                                           .shift_end = 500,
                                           .skills = 1,
                                           .first = 2,
                                           .n = 0};
    q.ntech = 2;
    q.job = (struct dispatch_slot_stop){.loc = 9, .duration = 20, .ready = 0, .due = 400};
    return 0;
}

static void test_slots_best_is_on_the_way(void **state)
{
    (void)state;
    struct dispatch_slot out[8];
    size_t n = dispatch_slots_find(&q, out, 8);
    /* tech 0: 3 positions, tech 1: 1 */
    assert_int_equal(n, 4);
    /* between 10 and 30: no extra travel */
    assert_int_equal(out[0].tech, 0);
    assert_int_equal(out[0].pos, 1);
    assert_true(fabs(out[0].extra_time) < 1e-9);
    assert_true(fabs(out[0].start - 25) < 1e-9); /* 10 travel + 10 service + 5 travel */
    for (size_t i = 1; i < n; i++)
        assert_true(out[i - 1].score <= out[i].score);
    /* the empty technician: 15 out, 15 back */
    int seen = 0;
    for (size_t i = 0; i < n; i++)
        if (out[i].tech == 1) {
            seen = 1;
            assert_true(fabs(out[i].extra_dist - 30) < 1e-9);
            assert_true(fabs(out[i].start - 15) < 1e-9);
        }
    assert_true(seen);
}

static void test_slots_skills_and_fixed(void **state)
{
    (void)state;
    struct dispatch_slot out[8];
    q.job_skills = 2; /* only tech 0 has it */
    size_t n = dispatch_slots_find(&q, out, 8);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(out[i].tech, 0);
    q.job_skills = 0;
    q.fixed_tech = 1;
    n = dispatch_slots_find(&q, out, 8);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].tech, 1);
}

static void test_slots_windows(void **state)
{
    (void)state;
    struct dispatch_slot out[8];
    /* the new job must start at 100..110: everything waits, starts at 100 */
    q.job.ready = 100;
    q.job.due = 110;
    size_t n = dispatch_slots_find(&q, out, 8);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        assert_true(out[i].start >= 100 - 1e-9 && out[i].start <= 110 + 1e-9);
        assert_true(out[i].latest <= 110 + 1e-9);
    }
    /* the stop at 30 must start by 40: inserting before it is no longer possible */
    stops[1].due = 40;
    n = dispatch_slots_find(&q, out, 8);
    for (size_t i = 0; i < n; i++)
        assert_false(out[i].tech == 0 && out[i].pos < 2);
    /* a window nobody can reach */
    q.job.ready = 600;
    q.job.due = 700;
    assert_int_equal(dispatch_slots_find(&q, out, 8), 0);
}

static void test_slots_travel_limit_and_max(void **state)
{
    (void)state;
    struct dispatch_slot out[8];
    techs[1].max_travel = 29; /* 30 needed */
    size_t n = dispatch_slots_find(&q, out, 8);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(out[i].tech, 0);
    assert_int_equal(dispatch_slots_find(&q, out, 1), 1);
    assert_int_equal(out[0].pos, 1);
    assert_int_equal(dispatch_slots_find(&q, out, 0), 0);
}

static void test_slots_sla_risk(void **state)
{
    (void)state;
    struct dispatch_slot out[8];
    q.job_sla_due = 20; /* only slots starting at 15 (first on a route) are on time */
    size_t n = dispatch_slots_find(&q, out, 8);
    assert_true(n >= 2);
    assert_true(fabs(out[0].start - 15) < 1e-9);
    assert_true(out[0].sla_late == 0);
    assert_true(out[0].risk > 0.9 && out[0].risk < 1.0); /* 5 minutes of buffer out of 60 */
    for (size_t i = 0; i < n; i++) {
        if (out[i].start > 20)
            assert_true(out[i].risk == 1.0 && out[i].sla_late > 0);
        assert_true(out[i].risk >= 0 && out[i].risk <= 1);
    }
}

/* ---- randomised cross-check ---- */

static uint64_t rng = 88172645463325252ull;
static double rnd(double lo, double hi)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return lo + (hi - lo) * (double)(rng % 1000000) / 1000000.0;
}

/* Re-simulates tech v's route with the job inserted at pos, the job starting no
 * earlier than `at`; true when every start is in its window and home by shift end. */
static bool simulate(size_t v, size_t pos, double at, double *job_start)
{
    const struct dispatch_slot_tech *t = &techs[v];
    double time = t->shift_start;
    struct dispatch_loc prev = locs[t->start_loc];
    for (size_t k = 0; k <= t->n; k++) {
        if (k == pos) {
            struct dispatch_loc l = locs[q.job.loc];
            double a = time + hypot(l.x - prev.x, l.y - prev.y);
            double s = a > q.job.ready ? a : q.job.ready;
            s = s > at ? s : at;
            if (s > q.job.due + 1e-6)
                return false;
            *job_start = s;
            time = s + q.job.duration;
            prev = l;
        }
        if (k == t->n)
            break;
        const struct dispatch_slot_stop *st = &stops[t->first + k];
        struct dispatch_loc l = locs[st->loc];
        double a = time + hypot(l.x - prev.x, l.y - prev.y);
        double s = a > st->ready ? a : st->ready;
        if (s > st->due + 1e-6)
            return false;
        time = s + st->duration;
        prev = l;
    }
    struct dispatch_loc h = locs[t->end_loc];
    return time + hypot(h.x - prev.x, h.y - prev.y) <= t->shift_end + 1e-6;
}

static void test_slots_random_crosscheck(void **state)
{
    (void)state;
    for (int round = 0; round < 200; round++) {
        base();
        size_t nl = 1, ns = 0;
        q.ntech = 1 + (size_t)rnd(0, 4);
        for (size_t v = 0; v < q.ntech; v++) {
            locs[nl] = (struct dispatch_loc){rnd(0, 100), rnd(0, 100)};
            techs[v] = (struct dispatch_slot_tech){.start_loc = nl,
                                                   .end_loc = nl,
                                                   .shift_start = rnd(0, 50),
                                                   .shift_end = rnd(300, 600),
                                                   .skills = 1,
                                                   .first = ns};
            nl++;
            size_t n = (size_t)rnd(0, 6);
            double t0 = techs[v].shift_start;
            for (size_t k = 0; k < n; k++) {
                locs[nl] = (struct dispatch_loc){rnd(0, 100), rnd(0, 100)};
                t0 += rnd(20, 80);
                stops[ns++] = (struct dispatch_slot_stop){.loc = nl++,
                                                          .duration = rnd(5, 30),
                                                          .ready = t0 - rnd(0, 40),
                                                          .due = t0 + rnd(0, 60)};
            }
            techs[v].n = n;
        }
        locs[nl] = (struct dispatch_loc){rnd(0, 100), rnd(0, 100)};
        q.job =
            (struct dispatch_slot_stop){.loc = nl, .duration = rnd(10, 40), .ready = rnd(0, 200)};
        q.job.due = q.job.ready + rnd(0, 200);
        struct dispatch_slot out[64];
        size_t n = dispatch_slots_find(&q, out, 64);
        /* every slot re-simulates at its start and at its latest start */
        size_t feasible = 0;
        for (size_t i = 0; i < n; i++) {
            double s;
            assert_true(simulate(out[i].tech, out[i].pos, out[i].start, &s));
            assert_true(fabs(s - out[i].start) < 1e-6);
            assert_true(simulate(out[i].tech, out[i].pos, out[i].latest, &s));
            if (i)
                assert_true(out[i - 1].score <= out[i].score + 1e-12);
        }
        /* and no feasible position is missing (when the route itself is feasible) */
        for (size_t v = 0; v < q.ntech; v++)
            for (size_t p = 0; p <= techs[v].n; p++) {
                double s;
                if (simulate(v, p, 0, &s))
                    feasible++;
            }
        assert_int_equal(n, feasible);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_slots_best_is_on_the_way, setup),
        cmocka_unit_test_setup(test_slots_skills_and_fixed, setup),
        cmocka_unit_test_setup(test_slots_windows, setup),
        cmocka_unit_test_setup(test_slots_travel_limit_and_max, setup),
        cmocka_unit_test_setup(test_slots_sla_risk, setup),
        cmocka_unit_test(test_slots_random_crosscheck),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
