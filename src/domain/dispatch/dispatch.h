/* SPDX-License-Identifier: MIT */
/* dispatch: the technician dispatch / route optimizer (VRPTW with skills, shifts, SLA).
 *
 * Pure computation: no I/O, no clock of its own (the caller injects one through
 * dispatch_params.now_ms), no global state. Single-threaded.
 *
 * Model
 *   - Locations are points (x, y): plane coordinates for the Euclidean metrics,
 *     (longitude, latitude) in degrees for haversine. Jobs and vehicles refer to
 *     locations by index so that a matrix can be built once.
 *   - A job must START service inside [ready, due]; an early vehicle waits.
 *   - A vehicle leaves start_loc no earlier than shift_start and must be back at
 *     end_loc by shift_end (+ max_overtime under DISPATCH_OBJ_SERVICE).
 *   - Capacity limits the sum of demands on a route; skills: every bit of the
 *     job's mask must be in the vehicle's mask; max_travel bounds route distance.
 *
 * Objectives
 *   - HIERARCHICAL: all jobs served; minimise vehicles used, then distance.
 *   - DISTANCE: all jobs served; minimise distance, any number of vehicles <= fleet.
 *   - SERVICE (real dispatch): jobs may stay unserved. Lexicographic in spirit,
 *     implemented as a weighted sum with dominant weights: unserved priority first,
 *     then SLA lateness (service start after sla_due), then travel + overtime.
 */
#ifndef DISPATCH_H
#define DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "base/sh_err.h"

enum dispatch_metric {
    DISPATCH_METRIC_EUCLID,        /* exact double Euclidean, time = distance */
    DISPATCH_METRIC_EUCLID_TRUNC1, /* floor(10*d)/10 for distance and time (DIMACS) */
    DISPATCH_METRIC_HAVERSINE,     /* great circle km * road_factor; minutes at speed_kmh */
    DISPATCH_METRIC_CALLBACK,      /* caller-supplied matrix callback */
};

struct dispatch_travel {
    enum dispatch_metric metric;
    double road_factor; /* haversine: detour factor over the great circle, e.g. 1.3 */
    double speed_kmh;   /* haversine: average speed; times come out in minutes */
    /* DISPATCH_METRIC_CALLBACK: distance and travel time from location a to b. */
    void (*fn)(void *ctx, size_t a, size_t b, double *dist, double *time);
    void *ctx;
};

struct dispatch_loc {
    double x, y;
};

struct dispatch_job {
    long id; /* the caller's identifier (Solomon customer number); not interpreted */
    size_t loc;
    double duration;    /* service time */
    double ready, due;  /* window for the START of service */
    int demand;         /* >= 0 */
    uint64_t skills;    /* required skills */
    int priority;       /* >= 1: weight of serving this job (SERVICE objective) */
    double sla_due;     /* start after this is SLA lateness; < 0 means none */
    long fixed_vehicle; /* index of the only vehicle allowed; -1 for any */
};

struct dispatch_vehicle {
    size_t start_loc, end_loc;
    double shift_start, shift_end;
    double max_overtime; /* SERVICE objective only: allowed lateness of the return */
    uint64_t skills;
    int capacity;      /* < 0: unlimited */
    double max_travel; /* <= 0: unlimited; bound on the route's total distance */
};

struct dispatch_problem {
    size_t nloc;
    const struct dispatch_loc *locs;
    size_t njobs;
    const struct dispatch_job *jobs;
    size_t nveh;
    const struct dispatch_vehicle *vehicles;
    struct dispatch_travel travel;
};

enum dispatch_objective {
    DISPATCH_OBJ_HIERARCHICAL,
    DISPATCH_OBJ_DISTANCE,
    DISPATCH_OBJ_SERVICE,
};

struct dispatch_params {
    enum dispatch_objective objective;
    uint64_t seed;
    long budget_ms;              /* wall-clock budget; needs now_ms; <= 0: none */
    long max_iters;              /* ruin-and-recreate iterations; <= 0: none (needs budget_ms) */
    double (*now_ms)(void *ctx); /* monotonic clock in ms, injected by the caller */
    void *clock_ctx;
    double sla_weight;      /* SERVICE: cost per time unit of SLA lateness (default 1000) */
    double overtime_weight; /* SERVICE: cost per time unit of overtime (default 2) */
    double unserved_weight; /* SERVICE: cost per priority unit left unserved (default 1e7) */
    int construct_only;     /* 1: stop after the regret construction */
    /* Asked every few steps of every phase (the set-up's travel matrices and the
     * construction included); a non-zero answer stops the search, which returns the best
     * solution found so far (during the set-up: every job unassigned) with
     * out->stopped = 1. The caller's clock and I/O live behind it (a wall-clock cap, a
     * client that went away). NULL: never stops early. Must be cheap. */
    int (*cancel)(void *ctx);
    void *cancel_ctx;
};

/* Fills defaults: hierarchical, seed 1, 1000 iterations, default weights. */
void dispatch_params_init(struct dispatch_params *pa);

/* Routes: vehicle v serves seq[off[v]] .. seq[off[v+1]-1] (job indices) in order. */
struct dispatch_solution {
    size_t nveh;
    size_t *off; /* nveh + 1 entries */
    size_t *seq; /* job indices, njobs - nunassigned entries */
    size_t nunassigned;
    size_t *unassigned;
    /* statistics filled by dispatch_solve */
    size_t vehicles_used;
    double distance;
    double cost;
    long iterations;
    double elapsed_ms;
    double construct_ms;
    int stopped; /* 1: params.cancel ended the search early */
};

void dispatch_solution_init(struct dispatch_solution *s);
void dispatch_solution_release(struct dispatch_solution *s);

/* Distance and time from location a to b under the problem's travel model. */
void dispatch_travel_eval(const struct dispatch_problem *p, size_t a, size_t b, double *dist,
                          double *time);

/* Checks that the problem is well formed (indices in range, windows ordered...). */
SH_WUR enum sh_code dispatch_problem_validate(const struct dispatch_problem *p, struct sh_err *e);

/* Solves p. `out` must be initialised; it is overwritten. Deterministic for a given
 * seed when only max_iters bounds the run. Returns SH_INVALID for a malformed problem;
 * jobs that fit no vehicle are reported in out->unassigned, not as an error. */
SH_WUR enum sh_code dispatch_solve(const struct dispatch_problem *p,
                                   const struct dispatch_params *pa, struct dispatch_solution *out,
                                   struct sh_err *e);

/* ---- independent checker (check.c) ------------------------------------------------ */

struct dispatch_check_report {
    size_t vehicles;     /* non-empty routes */
    double distance;     /* total distance, double precision */
    double duration;     /* sum over routes of (return - departure), departure delayed
                          * as late as possible without changing the return time */
    double sla_lateness; /* total service start after sla_due */
    double overtime;     /* total return after shift_end */
    size_t served;
};

/* Tolerance used by the checker and the solver for time comparisons. */
#define DISPATCH_EPS 1e-6

/* Recomputes everything from the problem's travel model (not the solver's matrix).
 * require_all: every job must be served exactly once (VRPTW); otherwise at most once.
 * allow_overtime: accept returns up to shift_end + max_overtime. Returns SH_OK when
 * feasible, SH_UNPROCESSABLE with the first violation in e->msg otherwise. The report
 * is filled in both cases (as far as computed). */
SH_WUR enum sh_code dispatch_check(const struct dispatch_problem *p,
                                   const struct dispatch_solution *s, int require_all,
                                   int allow_overtime, struct dispatch_check_report *r,
                                   struct sh_err *e);

/* ---- in-memory parsers (parse.c) ----------------------------------------------------- */

/* An instance parsed from text; owns its arrays. */
struct dispatch_instance {
    char name[64];
    struct dispatch_problem p;
    struct dispatch_loc *locs;
    struct dispatch_job *jobs;
    struct dispatch_vehicle *vehicles;
    int is_trsp; /* parsed from the Pillac TRSP format */
};

void dispatch_instance_release(struct dispatch_instance *in);

/* Solomon / Gehring-Homberger text. Customer k becomes job k-1 with id k, location k. */
SH_WUR enum sh_code dispatch_parse_solomon(const char *buf, size_t len,
                                           struct dispatch_instance *out, struct sh_err *e);
/* Pillac et al. (2013) TRSP text: location 0 is the central depot, technicians are
 * vehicles starting and ending at their homes, requests are jobs (id = request ID). */
SH_WUR enum sh_code dispatch_parse_trsp(const char *buf, size_t len, struct dispatch_instance *out,
                                        struct sh_err *e);
/* Either format, sniffed from the text. */
SH_WUR enum sh_code dispatch_parse_instance(const char *buf, size_t len,
                                            struct dispatch_instance *out, struct sh_err *e);
/* SINTEF-style solution text ("Route 1 : 5 3 7" lines, job ids); header lines ignored.
 * Route k is assigned to vehicle k-1. `out` must be initialised. */
SH_WUR enum sh_code dispatch_parse_routes(const char *buf, size_t len,
                                          const struct dispatch_problem *p,
                                          struct dispatch_solution *out, struct sh_err *e);

#endif
