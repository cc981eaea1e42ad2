/* SPDX-License-Identifier: MIT */
/* Plan a day's routes (uc_dispatch_plan): the working technicians become vehicles,
 * the jobs some technician could serve alone become the problem, the optimizer
 * (domain/dispatch) solves it, and the routes come back with their times. Every
 * search stops in time to answer within the server's cap (dispatch_max_seconds, default
 * DISPATCH_MAX_WALL_MS) of the request's start,
 * and as soon as the caller says nobody waits for the answer (issue 10 #13). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/dispatch_int.h"
#include "base/date.h"
#include "domain/dispatch/dispatch.h"

#define GONE_CHECK_MS 50.0 /* how often the caller's "abandoned" is asked */

struct plan {
    struct dp_ctx x;
    const struct dispatch_plan_in *in;
    struct dp_job *jobs;
    enum dp_stage *stage;
    /* the problem */
    struct dispatch_loc *locs;
    struct dispatch_vehicle *veh;
    size_t *veh_tech, nv;
    struct dispatch_job *dj;
    size_t *dj_job, ndj;
    struct dispatch_problem p;
};

/* The search's stop rule: the wall-time cap, or the caller gone. */
struct stop {
    const struct dispatch_plan_in *in;
    double deadline_ms, next_gone_ms;
};

static double clock_ms(void *ctx)
{
    (void)ctx;
    return (double)sh_mono_ns() / 1e6;
}

static int stop_now(void *ctx)
{
    struct stop *s = ctx;
    double now = clock_ms(NULL);
    if (now >= s->deadline_ms)
        return 1;
    if (s->in->abandoned && now >= s->next_gone_ms) {
        s->next_gone_ms = now + GONE_CHECK_MS;
        return s->in->abandoned(s->in->abandoned_ctx);
    }
    return 0;
}

static enum sh_code resolve_jobs(struct plan *pl, struct sh_err *e)
{
    struct sh_arena *a = pl->x.u->a;
    size_t nj = pl->in->njobs;
    pl->jobs = sh_arena_alloc(a, sizeof(struct dp_job) * (nj + 1));
    for (size_t i = 0; i < nj; i++) {
        enum sh_code rc =
            dp_job(&pl->x, &pl->in->jobs[i], sh_arena_printf(a, "jobs[%zu]", i), &pl->jobs[i], e);
        if (rc)
            return rc;
    }
    dp_masks(&pl->x);
    return SH_OK;
}

/* Vehicles: the working technicians; locations: their homes, then the jobs. */
static void build_vehicles(struct plan *pl)
{
    struct sh_arena *a = pl->x.u->a;
    size_t nt = pl->x.nt, nj = pl->in->njobs;
    pl->locs = sh_arena_alloc(a, sizeof(struct dispatch_loc) * (nt + nj + 1));
    pl->veh = sh_arena_alloc(a, sizeof(struct dispatch_vehicle) * (nt + 1));
    pl->veh_tech = sh_arena_alloc(a, sizeof(size_t) * (nt + 1));
    pl->nv = 0;
    for (size_t v = 0; v < nt; v++) {
        struct dp_tech *t = &pl->x.t[v];
        t->veh = SIZE_MAX;
        if (t->on_leave || t->shift_start < 0)
            continue;
        size_t n = pl->nv++;
        t->veh = n;
        pl->locs[n] = (struct dispatch_loc){t->lon, t->lat};
        pl->veh[n] = (struct dispatch_vehicle){.start_loc = n,
                                               .end_loc = n,
                                               .shift_start = t->shift_start,
                                               .shift_end = t->shift_end,
                                               .skills = t->mask,
                                               .capacity = -1,
                                               .max_travel = t->max_km};
        pl->veh_tech[n] = v;
    }
}

/* Jobs no technician could serve alone stay out of the problem. */
static void build_jobs(struct plan *pl)
{
    struct sh_arena *a = pl->x.u->a;
    size_t nj = pl->in->njobs;
    pl->stage = sh_arena_alloc(a, sizeof(enum dp_stage) * (nj + 1));
    pl->dj = sh_arena_alloc(a, sizeof(struct dispatch_job) * (nj + 1));
    pl->dj_job = sh_arena_alloc(a, sizeof(size_t) * (nj + 1));
    pl->ndj = 0;
    for (size_t k = 0; k < nj; k++) {
        const struct dp_job *j = &pl->jobs[k];
        pl->stage[k] = dp_stage_of(&pl->x, j);
        if (pl->stage[k] != DP_ST_OK)
            continue;
        size_t n = pl->ndj++;
        pl->locs[pl->nv + n] = (struct dispatch_loc){j->in->lon, j->in->lat};
        pl->dj[n] = (struct dispatch_job){.id = (long)k,
                                          .loc = pl->nv + n,
                                          .duration = j->in->duration,
                                          .ready = fmax(0, j->in->ready),
                                          .due = j->in->due,
                                          .skills = j->mask,
                                          .priority = j->in->priority,
                                          .sla_due = j->in->sla_due,
                                          .fixed_vehicle =
                                              j->fixed >= 0 ? (long)pl->x.t[j->fixed].veh : -1};
        pl->dj_job[n] = k;
    }
    pl->p = (struct dispatch_problem){.nloc = pl->nv + pl->ndj,
                                      .locs = pl->locs,
                                      .njobs = pl->ndj,
                                      .jobs = pl->dj,
                                      .nveh = pl->nv,
                                      .vehicles = pl->veh,
                                      .travel = {.metric = DISPATCH_METRIC_HAVERSINE,
                                                 .road_factor = pl->x.in->road_factor,
                                                 .speed_kmh = pl->x.in->speed_kmh}};
}

static enum sh_code solve(struct plan *pl, struct stop *st, struct dispatch_solution *sol,
                          struct sh_err *e)
{
    const struct dispatch_plan_in *in = pl->in;
    struct dispatch_params pa;
    dispatch_params_init(&pa);
    pa.objective = DISPATCH_OBJ_SERVICE;
    pa.seed = in->seed;
    pa.now_ms = clock_ms;
    pa.budget_ms = in->budget_ms > 0 ? in->budget_ms : (in->max_iters > 0 ? 0 : 1000);
    pa.max_iters = in->max_iters > 0 ? in->max_iters : 0;
    pa.cancel = stop_now;
    pa.cancel_ctx = st;
    if (!pl->ndj || !pl->nv)
        return SH_OK;
    return dispatch_solve(&pl->p, &pa, sol, e);
}

/* One route's stops with their times, as the technician drives it. */
static void route_out(struct plan *pl, const struct dispatch_solution *sol, size_t v,
                      struct dp_route *r, bool *served)
{
    const struct dp_tech *t = &pl->x.t[pl->veh_tech[v]];
    size_t from = sol->off[v], to = sol->off[v + 1];
    r->technician = &t->key;
    r->name = t->name;
    r->depart = t->shift_start;
    r->stops = sh_arena_alloc(pl->x.u->a, sizeof(struct dp_stop) * (to - from + 1));
    r->nstops = to - from;
    double time = t->shift_start, km = 0, d, tt;
    size_t prev = v;
    for (size_t s = from; s < to; s++) {
        const struct dispatch_job *q = &pl->dj[sol->seq[s]];
        size_t k = pl->dj_job[sol->seq[s]];
        served[k] = true;
        dispatch_travel_eval(&pl->p, prev, q->loc, &d, &tt);
        km += d;
        double arr = time + tt, start = fmax(arr, q->ready);
        r->stops[s - from] = (struct dp_stop){
            .job = &pl->jobs[k].in->key,
            .arrival = arr,
            .start = start,
            .end = start + q->duration,
            .travel_km = d,
            .travel_minutes = tt,
            .wait_minutes = start - arr,
            .sla_late_minutes = q->sla_due >= 0 && start > q->sla_due ? start - q->sla_due : 0};
        time = start + q->duration;
        prev = q->loc;
    }
    dispatch_travel_eval(&pl->p, prev, v, &d, &tt);
    r->ret = time + tt;
    r->distance_km = km + d;
}

static void plan_out(struct plan *pl, const struct dispatch_solution *sol,
                     struct dispatch_plan_out *out)
{
    struct sh_arena *a = pl->x.u->a;
    size_t nj = pl->in->njobs;
    bool *served = sh_arena_alloc(a, sizeof(bool) * (nj + 1));
    memset(served, 0, sizeof(bool) * (nj + 1));
    out->routes = sh_arena_alloc(a, sizeof(struct dp_route) * (pl->nv + 1));
    for (size_t v = 0; pl->ndj && v < pl->nv && sol->off; v++) {
        if (sol->off[v] == sol->off[v + 1])
            continue;
        struct dp_route *r = &out->routes[out->nroutes++];
        route_out(pl, sol, v, r, served);
        out->assigned += r->nstops;
        out->distance_km += r->distance_km;
    }
    out->unassigned = sh_arena_alloc(a, sizeof(struct dp_unassigned) * (nj + 1));
    for (size_t k = 0; k < nj; k++)
        if (!served[k])
            out->unassigned[out->nunassigned++] = (struct dp_unassigned){
                .job = &pl->jobs[k].in->key,
                .reason = dp_stage_reason(pl->stage[k]),
                .message = dp_stage_message(&pl->x, &pl->jobs[k], pl->stage[k])};
    out->jobs = nj;
    out->technicians = pl->x.nt;
    out->working = pl->nv;
    out->iterations = sol->iterations;
    out->elapsed_ms = sol->elapsed_ms;
    out->seed = pl->in->seed;
    out->stopped = sol->stopped != 0;
}

enum sh_code uc_dispatch_plan(const struct uc *u, const struct dispatch_plan_in *in,
                              struct dispatch_plan_out *out, struct sh_err *e)
{
    double t0 = in->started_ns > 0 ? (double)in->started_ns / 1e6 : clock_ms(NULL);
    int cap =
        u->app && u->app->dispatch_max_ms > 0 ? u->app->dispatch_max_ms : DISPATCH_MAX_WALL_MS;
    struct stop st = {.in = in, .deadline_ms = t0 + cap - DISPATCH_ANSWER_MS};
    struct plan pl;
    memset(&pl, 0, sizeof pl);
    memset(out, 0, sizeof *out);
    pl.x.u = u;
    pl.in = in;
    enum sh_code rc;
    if ((rc = dp_load(&pl.x, &in->c, e)) || (rc = resolve_jobs(&pl, e)))
        return rc;
    build_vehicles(&pl);
    build_jobs(&pl);
    struct dispatch_solution sol;
    dispatch_solution_init(&sol);
    if (!(rc = solve(&pl, &st, &sol, e)))
        plan_out(&pl, &sol, out);
    dispatch_solution_release(&sol);
    return rc;
}
