/* SPDX-License-Identifier: MIT */
/* dispatch slots: the best appointment slots for one new job against the technicians'
 * current routes, for the agent on the phone. Pure computation, no I/O, no allocation.
 *
 * Each technician's route is kept as given (the order of its stops does not change);
 * the new job is tried at every position. A slot is feasible when the new job can
 * start inside its window and every later stop still starts inside its own window,
 * with the technician back home by the end of the shift and, when set, under the
 * technician's travel limit. Time is in minutes, distance in the travel model's unit. */
#ifndef DISPATCH_SLOTS_H
#define DISPATCH_SLOTS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/dispatch/dispatch.h"

/* A stop on a route (a planned job) or the new job. Service must start in [ready, due]. */
struct dispatch_slot_stop {
    size_t loc;
    double duration;
    double ready, due;
};

struct dispatch_slot_tech {
    size_t start_loc, end_loc;
    double shift_start, shift_end;
    uint64_t skills;
    double max_travel; /* <= 0: unlimited; bound on the route's total distance */
    size_t first, n;   /* its planned stops: stops[first] .. stops[first + n - 1], in order */
};

struct dispatch_slot_query {
    size_t nloc;
    const struct dispatch_loc *locs;
    struct dispatch_travel travel;
    size_t ntech;
    const struct dispatch_slot_tech *techs;
    const struct dispatch_slot_stop *stops;
    struct dispatch_slot_stop job; /* the new job */
    uint64_t job_skills;
    double job_sla_due;  /* < 0: none */
    double risk_horizon; /* buffer (minutes) below which lateness risk rises; <= 0: 60 */
    long fixed_tech;     /* only this technician index; -1 for any */
};

struct dispatch_slot {
    size_t tech;       /* index into techs */
    size_t pos;        /* the new job goes before the tech's stop `pos` (n: after the last) */
    double arrival;    /* earliest arrival at the new job */
    double start;      /* earliest service start (>= ready) */
    double latest;     /* latest service start that keeps the route feasible */
    double extra_dist; /* added travel distance */
    double extra_time; /* added travel time */
    double buffer;     /* latest - start */
    double risk;       /* lateness risk 0 (safe) .. 1 (no buffer, or after the SLA due time) */
    double sla_late;   /* start after job_sla_due, 0 when none */
    double score;      /* lower is better: extra_time + 60 * risk + 10 * sla_late */
};

/* Fills out[0..max-1] with the best feasible slots, best first (ties: earlier start,
 * then lower technician index), one per (technician, position). Returns how many.
 * Returns 0 for max == 0 or when no slot is feasible. Indices must be valid (the API
 * layer checks them); locations are looked up through q->travel like dispatch_solve. */
size_t dispatch_slots_find(const struct dispatch_slot_query *q, struct dispatch_slot *out,
                           size_t max);

#endif
