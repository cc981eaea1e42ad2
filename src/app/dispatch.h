/* SPDX-License-Identifier: MIT */
/* Dispatch planning (issue 5, docs/dispatch.md "API"): plan a day's routes for a set of
 * jobs and technicians (uc_dispatch_plan, dispatch_plan.c) and propose appointment slots
 * for one new job against the technicians' current routes (uc_dispatch_slots,
 * dispatch_slots.c). Neither stores anything. Stored technicians bring their skills
 * (expired ones do not count), shift, leave and home from the store for the plan's
 * date; the caller can also describe technicians inline.
 *
 * Times are minutes after local midnight (UTC+8) of the plan's date. Errors name the
 * field of the request that carries the value ("jobs[3].skills", "technicians[0]"). */
#ifndef SH_APP_DISPATCH_H
#define SH_APP_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/uc.h"
#include "base/config.h"
#include "base/date.h"

#define DISPATCH_MAX_JOBS       2000
#define DISPATCH_MAX_TECHS      500
#define DISPATCH_MAX_ROUTE_JOBS 100
#define DISPATCH_MAX_BUDGET_MS  10000
/* Every solve answers within this much wall time from the request's start, whatever
 * max_iters says (issue 10 #13); the search stops DISPATCH_ANSWER_MS before it to
 * leave time for the answer. The server's `dispatch_max_seconds` (app->dispatch_max_ms)
 * sets it; this is its default. */
#define DISPATCH_MAX_WALL_MS (CONFIG_DISPATCH_MAX_SECONDS_DEFAULT * 1000)
#define DISPATCH_ANSWER_MS   500
#define DISPATCH_DAY_MIN     1440.0

/* A job's or technician's identifier as the caller gave it (rendered back as given). */
enum dp_key_kind { DP_KEY_NONE, DP_KEY_INT, DP_KEY_STR };
struct dp_key {
    enum dp_key_kind kind;
    int64_t i;
    const char *s;
};

/* A technician of the request: a stored id, or described inline. */
struct dp_tech_in {
    int64_t stored_id; /* > 0: the stored technician; the fields below are unused */
    struct dp_key key;
    const char *name;
    double lat, lon;
    double max_km; /* <= 0: unlimited */
    /* text encodings (domain/tech_text.h); NULL: none */
    const char *shift, *skills, *authorisations, *leave;
};

struct dp_job_in {
    struct dp_key key;
    double lat, lon;
    double duration;
    double ready, due;         /* window and appointment combined */
    bool empty_window;         /* they do not overlap the day */
    const char *const *skills; /* "code" or "code:level" */
    int nskills;
    int priority;
    double sla_due;           /* < 0: none */
    struct dp_key technician; /* the only technician allowed; DP_KEY_NONE: any */
};

/* What both use cases share: the date, the travel model and the technicians. */
struct dp_common_in {
    struct sh_date date;
    double road_factor, speed_kmh;
    bool all_stored; /* no list: every active stored technician */
    const struct dp_tech_in *techs;
    size_t ntechs;
};

/* ---- uc_dispatch_plan ---- */

struct dispatch_plan_in {
    struct dp_common_in c;
    const struct dp_job_in *jobs;
    size_t njobs;
    long budget_ms; /* 0: none given */
    long max_iters; /* 0: none given */
    uint64_t seed;
    int64_t started_ns; /* when the request began (sh_mono_ns); 0: when the use case does */
    /* The caller's "nobody waits for the answer any more" (a closed connection);
     * asked a few times a second. NULL: never. */
    bool (*abandoned)(void *ctx);
    void *abandoned_ctx;
};

struct dp_stop {
    const struct dp_key *job;
    double arrival, start, end;
    double travel_km, travel_minutes, wait_minutes, sla_late_minutes;
};

struct dp_route {
    const struct dp_key *technician;
    const char *name;
    double depart, ret, distance_km;
    struct dp_stop *stops;
    size_t nstops;
};

struct dp_unassigned {
    const struct dp_key *job;
    const char *reason, *message;
};

struct dispatch_plan_out {
    struct dp_route *routes; /* non-empty routes, in technician order */
    size_t nroutes;
    struct dp_unassigned *unassigned; /* in job order */
    size_t nunassigned;
    size_t jobs, assigned, technicians, working;
    double distance_km;
    long iterations;
    double elapsed_ms;
    uint64_t seed;
    bool stopped; /* the wall-time cap or the caller ended the search early */
};

/* Loads the stored technicians it needs (in u->tx, or a short read of its own when
 * u->tx is NULL: the search itself holds no transaction), then plans. */
SH_WUR enum sh_code uc_dispatch_plan(const struct uc *u, const struct dispatch_plan_in *in,
                                     struct dispatch_plan_out *out, struct sh_err *e);

/* ---- uc_dispatch_slots ---- */

struct dp_route_in {
    struct dp_key technician;
    const struct dp_job_in *jobs; /* planned, in order (ready = due = planned start) */
    size_t njobs;
};

struct dispatch_slots_in {
    struct dp_common_in c;
    struct dp_job_in job;
    const struct dp_route_in *routes;
    size_t nroutes;
    int count; /* 1..20 */
};

struct dp_slot {
    const struct dp_key *technician;
    const char *name;
    size_t position;
    const struct dp_key *after_job, *before_job; /* NULL: none */
    double arrival, start, latest_start;
    double extra_travel_km, extra_travel_minutes, buffer_minutes;
    double lateness_risk, sla_late_minutes, score;
};

struct dispatch_slots_out {
    struct dp_slot *slots;
    size_t nslots;
    const char *reason, *message; /* no slot: why */
    size_t technicians_considered;
    double search_ms;
};

SH_WUR enum sh_code uc_dispatch_slots(const struct uc *u, const struct dispatch_slots_in *in,
                                      struct dispatch_slots_out *out, struct sh_err *e);

#endif
