/* SPDX-License-Identifier: MIT */
/* The independent checker accepts a feasible plan and rejects known-infeasible ones:
 * late start, late return, over capacity, missing customer, duplicate, wrong skills. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "domain/dispatch/dispatch.h"

/* depot at 0,0; jobs on the x axis at 10, 20, 30; 3-4-5 distances stay exact */
static struct dispatch_loc locs[] = {{0, 0}, {10, 0}, {20, 0}, {30, 0}, {0, 40}};
static struct dispatch_job jobs[4];
static struct dispatch_vehicle veh[2];
static struct dispatch_problem prob;

static int setup(void **state)
{
    (void)state;
    memset(jobs, 0, sizeof(jobs));
    for (int i = 0; i < 4; i++) {
        jobs[i].id = i + 1;
        jobs[i].loc = (size_t)i + 1;
        jobs[i].duration = 5;
        jobs[i].ready = 0;
        jobs[i].due = 1000;
        jobs[i].demand = 10;
        jobs[i].priority = 1;
        jobs[i].sla_due = -1;
        jobs[i].fixed_vehicle = -1;
    }
    for (int v = 0; v < 2; v++) {
        memset(&veh[v], 0, sizeof(veh[v]));
        veh[v].shift_end = 1000;
        veh[v].capacity = 30;
    }
    prob.nloc = 5;
    prob.locs = locs;
    prob.njobs = 4;
    prob.jobs = jobs;
    prob.nveh = 2;
    prob.vehicles = veh;
    prob.travel.metric = DISPATCH_METRIC_EUCLID;
    return 0;
}

/* route 1: jobs 0 1 2, route 2: job 3 */
static size_t off_ok[] = {0, 3, 4};
static size_t seq_ok[] = {0, 1, 2, 3};

static struct dispatch_solution sol(size_t *off, size_t *seq)
{
    struct dispatch_solution s;
    dispatch_solution_init(&s);
    s.nveh = 2;
    s.off = off;
    s.seq = seq;
    return s;
}

static void test_dispatch_check_accepts_feasible(void **state)
{
    (void)state;
    struct dispatch_solution s = sol(off_ok, seq_ok);
    struct dispatch_check_report r;
    struct sh_err e;
    assert_int_equal(dispatch_check(&prob, &s, 1, 0, &r, &e), SH_OK);
    assert_int_equal(r.vehicles, 2);
    assert_true(fabs(r.distance - (60 + 80)) < 1e-9);
    assert_int_equal(r.served, 4);
    /* duration: route 1 = 60 travel + 15 service, route 2 = 80 + 5 */
    assert_true(fabs(r.duration - 160) < 1e-9);
}

static void test_dispatch_check_rejects_late_start(void **state)
{
    (void)state;
    jobs[2].due = 39.999; /* reached at 10+5+10+5+10 = 40 */
    struct dispatch_solution s = sol(off_ok, seq_ok);
    struct dispatch_check_report r;
    struct sh_err e;
    assert_int_equal(dispatch_check(&prob, &s, 1, 0, &r, &e), SH_UNPROCESSABLE);
    assert_non_null(strstr(e.msg, "job 3 starts at 40"));
    jobs[2].due = 40; /* exactly on time is fine */
    assert_int_equal(dispatch_check(&prob, &s, 1, 0, &r, &e), SH_OK);
}

static void test_dispatch_check_rejects_late_return(void **state)
{
    (void)state;
    veh[0].shift_end = 74; /* back at 30 + 15 + 30 = 75 */
    struct dispatch_solution s = sol(off_ok, seq_ok);
    struct dispatch_check_report r;
    struct sh_err e;
    assert_int_equal(dispatch_check(&prob, &s, 1, 0, &r, &e), SH_UNPROCESSABLE);
    assert_non_null(strstr(e.msg, "returns at 75"));
    veh[0].max_overtime = 2; /* allowed only when overtime is */
    assert_int_equal(dispatch_check(&prob, &s, 1, 1, &r, &e), SH_OK);
    assert_true(fabs(r.overtime - 1) < 1e-9);
}

static void test_dispatch_check_rejects_over_capacity(void **state)
{
    (void)state;
    size_t off[] = {0, 4, 4};
    struct dispatch_solution s = sol(off, seq_ok);
    struct dispatch_check_report r;
    struct sh_err e;
    assert_int_equal(dispatch_check(&prob, &s, 1, 0, &r, &e), SH_UNPROCESSABLE);
    assert_non_null(strstr(e.msg, "over its capacity 30"));
}

static void test_dispatch_check_rejects_missing(void **state)
{
    (void)state;
    size_t off[] = {0, 3, 3};
    struct dispatch_solution s = sol(off, seq_ok);
    struct dispatch_check_report r;
    struct sh_err e;
    assert_int_equal(dispatch_check(&prob, &s, 1, 0, &r, &e), SH_UNPROCESSABLE);
    assert_non_null(strstr(e.msg, "job 4 is not served"));
    /* allowed when not every job must be served */
    assert_int_equal(dispatch_check(&prob, &s, 0, 0, &r, &e), SH_OK);
}

static void test_dispatch_check_rejects_duplicate(void **state)
{
    (void)state;
    size_t off[] = {0, 2, 4};
    size_t seq[] = {0, 1, 1, 3};
    struct dispatch_solution s = sol(off, seq);
    struct dispatch_check_report r;
    struct sh_err e;
    assert_int_equal(dispatch_check(&prob, &s, 1, 0, &r, &e), SH_UNPROCESSABLE);
    assert_non_null(strstr(e.msg, "job 2 is served more than once"));
}

static void test_dispatch_check_rejects_skills_and_fixed(void **state)
{
    (void)state;
    struct dispatch_solution s = sol(off_ok, seq_ok);
    struct dispatch_check_report r;
    struct sh_err e;
    jobs[3].skills = 4;
    assert_int_equal(dispatch_check(&prob, &s, 1, 0, &r, &e), SH_UNPROCESSABLE);
    assert_non_null(strstr(e.msg, "lacks a skill"));
    veh[1].skills = 6;
    assert_int_equal(dispatch_check(&prob, &s, 1, 0, &r, &e), SH_OK);
    jobs[0].fixed_vehicle = 1;
    assert_int_equal(dispatch_check(&prob, &s, 1, 0, &r, &e), SH_UNPROCESSABLE);
    assert_non_null(strstr(e.msg, "fixed to vehicle 2"));
}

static void test_dispatch_check_rejects_bad_index(void **state)
{
    (void)state;
    size_t seq[] = {0, 1, 7, 3};
    struct dispatch_solution s = sol(off_ok, seq);
    struct dispatch_check_report r;
    struct sh_err e;
    assert_int_equal(dispatch_check(&prob, &s, 1, 0, &r, &e), SH_UNPROCESSABLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_dispatch_check_accepts_feasible, setup),
        cmocka_unit_test_setup(test_dispatch_check_rejects_late_start, setup),
        cmocka_unit_test_setup(test_dispatch_check_rejects_late_return, setup),
        cmocka_unit_test_setup(test_dispatch_check_rejects_over_capacity, setup),
        cmocka_unit_test_setup(test_dispatch_check_rejects_missing, setup),
        cmocka_unit_test_setup(test_dispatch_check_rejects_duplicate, setup),
        cmocka_unit_test_setup(test_dispatch_check_rejects_skills_and_fixed, setup),
        cmocka_unit_test_setup(test_dispatch_check_rejects_bad_index, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
