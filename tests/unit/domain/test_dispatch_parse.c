/* SPDX-License-Identifier: MIT */
/* Parsers for Solomon/Homberger instances, Pillac TRSP instances and SINTEF route
 * files: good input round-trips, malformed input fails with SH_INVALID and a message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/dispatch/dispatch.h"

static const char solomon[] = "C101\n\nVEHICLE\nNUMBER     CAPACITY\n  25         200\n\n"
                              "CUSTOMER\nCUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  "
                              "DUE DATE   SERVICE   TIME\n \n"
                              "    0      40         50          0          0       1236    0\n"
                              "    1      45         68         10        912        967   90\n"
                              "    2      45         70         30        825        870   90\n";

static void test_dispatch_parse_solomon_ok(void **state)
{
    (void)state;
    struct dispatch_instance in;
    struct sh_err e;
    assert_int_equal(dispatch_parse_instance(solomon, strlen(solomon), &in, &e), SH_OK);
    assert_string_equal(in.name, "C101");
    assert_int_equal(in.p.njobs, 2);
    assert_int_equal(in.p.nveh, 25);
    assert_int_equal(in.p.nloc, 3);
    assert_int_equal(in.vehicles[0].capacity, 200);
    assert_true(in.vehicles[0].shift_end == 1236);
    assert_int_equal(in.jobs[1].id, 2);
    assert_int_equal(in.jobs[1].demand, 30);
    assert_true(in.jobs[1].ready == 825 && in.jobs[1].due == 870);
    assert_true(in.jobs[1].duration == 90);
    assert_int_equal(dispatch_problem_validate(&in.p, &e), SH_OK);
    dispatch_instance_release(&in);
}

static void expect_bad(const char *text, const char *msg_part)
{
    struct dispatch_instance in;
    struct sh_err e;
    memset(&e, 0, sizeof(e));
    assert_int_equal(dispatch_parse_solomon(text, strlen(text), &in, &e), SH_INVALID);
    if (!strstr(e.msg, msg_part))
        fail_msg("message '%s' lacks '%s'", e.msg, msg_part);
    assert_null(in.jobs);
}

/* The vehicle count sizes an allocation: a huge one is refused before it (found by
 * fuzz_solomon: 77777773 vehicles asked for 5 GB). */
static void test_dispatch_parse_solomon_vehicles_bounded(void **state)
{
    (void)state;
    static const char text[] = "X\n 77777773 200\n 0 1 1 0 0 100 0\n 1 2 2 5 0 10 1\n";
    struct dispatch_instance in;
    struct sh_err e;
    memset(&e, 0, sizeof(e));
    assert_int_equal(dispatch_parse_solomon(text, strlen(text), &in, &e), SH_TOO_BIG);
    assert_non_null(strstr(e.msg, "vehicles"));
    assert_null(in.vehicles);
}

static void test_dispatch_parse_solomon_malformed(void **state)
{
    (void)state;
    expect_bad("", "no vehicle line");
    expect_bad("X\nVEHICLE\nNUMBER CAPACITY\n", "no vehicle line");
    expect_bad("X\nVEHICLE\n 25 200 7\n", "two positive integers");
    expect_bad("X\n 25 0\n", "two positive integers");
    expect_bad("X\n 25 200\n 0 1 1 0 0 100 0\n", "at least one customer");
    expect_bad("X\n 25 200\n 0 1 1 0 0 100 0\n 1 2 2 5 0 10\n", "7 numbers");
    expect_bad("X\n 25 200\n 0 1 1 0 0 100 0\n 2 2 2 5 0 10 1\n", "number must be 1");
    expect_bad("X\n 25 200\n 0 1 1 0 0 100 0\n 1 2 2 5 20 10 1\n", "ready <= due");
    expect_bad("X\n 25 200\n 0 1 1 0 0 100 0\n 1 2 2 -5 0 10 1\n", "demand");
    expect_bad("X\n 25 200\n 0 1 1 0 0 100 0\n 1 2 2 5 0 10 1\nEND\n", "7 numbers");
    expect_bad("X\n 25 200\n 0 1 1 0 0 100 0\n 1 2 2 5 0 1e999 1\n", "7 numbers");
    /* no NUL terminator needed: parse a prefix of a longer buffer */
    struct dispatch_instance in;
    struct sh_err e;
    assert_int_equal(dispatch_parse_solomon(solomon, strlen(solomon) - 10, &in, &e), SH_INVALID);
}

static void test_dispatch_parse_routes(void **state)
{
    (void)state;
    struct dispatch_instance in;
    struct sh_err e;
    assert_int_equal(dispatch_parse_solomon(solomon, strlen(solomon), &in, &e), SH_OK);
    struct dispatch_solution s;
    dispatch_solution_init(&s);
    const char *ok = "Instance name : c101\nSolution\nRoute 2 : 2\nRoute  1 : 1\n";
    assert_int_equal(dispatch_parse_routes(ok, strlen(ok), &in.p, &s, &e), SH_OK);
    assert_int_equal(s.nveh, 25);
    assert_int_equal(s.off[1] - s.off[0], 1);
    assert_int_equal(s.seq[0], 0); /* id 1 on vehicle 1 */
    assert_int_equal(s.seq[1], 1);
    struct dispatch_check_report r;
    assert_int_equal(dispatch_check(&in.p, &s, 1, 0, &r, &e), SH_OK);
    assert_int_equal(r.vehicles, 2);

    static const char *bad[] = {
        "Solution\n",                 /* no routes */
        "Route 1 : 1 x\n",            /* not an id */
        "Route 1 : 1 3\n",            /* unknown id */
        "Route 1 : 1\nRoute 1 : 2\n", /* twice */
        "Route 26 : 1\n",             /* more than the fleet */
        "Route : 1\n",                /* no number */
        "Route 1 1 2\n",              /* no colon */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (dispatch_parse_routes(bad[i], strlen(bad[i]), &in.p, &s, &e) != SH_INVALID)
            fail_msg("accepted '%s'", bad[i]);
    }
    /* a duplicate parses but the checker refuses it */
    const char *dup = "Route 1 : 1 2\nRoute 2 : 2\n";
    assert_int_equal(dispatch_parse_routes(dup, strlen(dup), &in.p, &s, &e), SH_OK);
    assert_int_equal(dispatch_check(&in.p, &s, 1, 0, &r, &e), SH_UNPROCESSABLE);
    dispatch_solution_release(&s);
    dispatch_instance_release(&in);
}

static const char trsp[] =
    "R101.100_2-5-5-5\n\nINFO\nCREW COUNT  SKILLS  TOOLS   SPARE PARTS\n"
    "2      5       5       5\n\nDEPOT TECHNICIANS AND REQUESTS\n"
    "ID   X     Y     TWS    TWE    Serv   SKILLS   TOOLS    SPARE "
    "PARTS\n"
    "0    35    35    0      230    0      [] \t[] \t[]\n"
    "1    67    8     0      230    0      [0,1,2,4] \t[0,2,3] \t[3,0,5,4,3]\n"
    "2    10    10    0      200    0      [3] \t[] \t[0,0,0,0,0]\n"
    "3    41    49    161    171    10     [1] \t[1,4] \t[0,0,0,1,0]\n"
    "4    35    17    50     80     10     [3] \t[] \t[0,0,0,0,0]\n";

static void test_dispatch_parse_trsp(void **state)
{
    (void)state;
    struct dispatch_instance in;
    struct sh_err e;
    assert_int_equal(dispatch_parse_instance(trsp, strlen(trsp), &in, &e), SH_OK);
    assert_true(in.is_trsp);
    assert_int_equal(in.p.nveh, 2);
    assert_int_equal(in.p.njobs, 2);
    assert_int_equal(in.vehicles[0].skills, 0x17);
    assert_int_equal(in.vehicles[1].start_loc, 2);
    assert_true(in.vehicles[1].shift_end == 200);
    assert_int_equal(in.jobs[0].id, 3);
    assert_int_equal(in.jobs[0].skills, 2);
    assert_int_equal(in.jobs[1].loc, 4);
    dispatch_instance_release(&in);
    const char *cut = "X\nCREW COUNT\n2 5 5 5\nTECHNICIANS\n0 1 1 0 10 0 [] [] []\n";
    assert_int_equal(dispatch_parse_trsp(cut, strlen(cut), &in, &e), SH_INVALID);
    const char *badlist = "X\nTECHNICIANS\n1 5 5 5\n0 1 1 0 10 0 [] [] []\n"
                          "1 1 1 0 10 0 [1,x] [] []\n2 1 1 0 10 0 [] [] []\n";
    assert_int_equal(dispatch_parse_trsp(badlist, strlen(badlist), &in, &e), SH_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dispatch_parse_solomon_ok),
        cmocka_unit_test(test_dispatch_parse_solomon_malformed),
        cmocka_unit_test(test_dispatch_parse_solomon_vehicles_bounded),
        cmocka_unit_test(test_dispatch_parse_routes),
        cmocka_unit_test(test_dispatch_parse_trsp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
