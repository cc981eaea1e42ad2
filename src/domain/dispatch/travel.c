/* SPDX-License-Identifier: MIT */
/* dispatch travel models, parameter defaults, solution lifetime, problem validation. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/dispatch/dispatch.h"

#define EARTH_RADIUS_KM 6371.0088

void dispatch_travel_eval(const struct dispatch_problem *p, size_t a, size_t b, double *dist,
                          double *time)
{
    const struct dispatch_loc *la = &p->locs[a], *lb = &p->locs[b];
    double d;
    switch (p->travel.metric) {
    case DISPATCH_METRIC_EUCLID:
        d = sqrt((la->x - lb->x) * (la->x - lb->x) + (la->y - lb->y) * (la->y - lb->y));
        *dist = d;
        *time = d;
        return;
    case DISPATCH_METRIC_EUCLID_TRUNC1:
        d = sqrt((la->x - lb->x) * (la->x - lb->x) + (la->y - lb->y) * (la->y - lb->y));
        d = floor(10.0 * d) / 10.0;
        *dist = d;
        *time = d;
        return;
    case DISPATCH_METRIC_HAVERSINE: {
        const double rad = M_PI / 180.0;
        double lat1 = la->y * rad, lat2 = lb->y * rad;
        double dlat = lat2 - lat1, dlon = (lb->x - la->x) * rad;
        double h =
            sin(dlat / 2) * sin(dlat / 2) + cos(lat1) * cos(lat2) * sin(dlon / 2) * sin(dlon / 2);
        if (h > 1.0)
            h = 1.0;
        double km = 2.0 * EARTH_RADIUS_KM * asin(sqrt(h));
        double f = p->travel.road_factor > 0 ? p->travel.road_factor : 1.0;
        double v = p->travel.speed_kmh > 0 ? p->travel.speed_kmh : 30.0;
        *dist = km * f;
        *time = km * f / v * 60.0;
        return;
    }
    case DISPATCH_METRIC_CALLBACK:
        p->travel.fn(p->travel.ctx, a, b, dist, time);
        return;
    }
    *dist = 0;
    *time = 0;
}

void dispatch_params_init(struct dispatch_params *pa)
{
    memset(pa, 0, sizeof(*pa));
    pa->objective = DISPATCH_OBJ_HIERARCHICAL;
    pa->seed = 1;
    pa->max_iters = 1000;
    pa->sla_weight = 1000.0;
    pa->overtime_weight = 2.0;
    pa->unserved_weight = 1e7;
}

void dispatch_solution_init(struct dispatch_solution *s)
{
    memset(s, 0, sizeof(*s));
}

void dispatch_solution_release(struct dispatch_solution *s)
{
    free(s->off);
    free(s->seq);
    free(s->unassigned);
    memset(s, 0, sizeof(*s));
}

enum sh_code dispatch_problem_validate(const struct dispatch_problem *p, struct sh_err *e)
{
    if (!p->njobs)
        return sh_err_set(e, SH_INVALID, "no jobs");
    if (!p->nveh)
        return sh_err_set(e, SH_INVALID, "no vehicles");
    if (!p->nloc || !p->locs)
        return sh_err_set(e, SH_INVALID, "no locations");
    if (p->njobs > 1000000 || p->nveh > 100000 || p->nloc > 20000)
        return sh_err_set(e, SH_TOO_BIG, "problem too large");
    if (p->travel.metric == DISPATCH_METRIC_CALLBACK && !p->travel.fn)
        return sh_err_set(e, SH_INVALID, "callback metric without a callback");
    for (size_t i = 0; i < p->nloc; i++)
        if (!isfinite(p->locs[i].x) || !isfinite(p->locs[i].y))
            return sh_err_set(e, SH_INVALID, "location %zu has a non-finite coordinate", i);
    for (size_t i = 0; i < p->njobs; i++) {
        const struct dispatch_job *j = &p->jobs[i];
        if (j->loc >= p->nloc)
            return sh_err_set(e, SH_INVALID, "job %ld: location out of range", j->id);
        if (!(j->ready <= j->due) || !isfinite(j->ready) || !isfinite(j->due))
            return sh_err_set(e, SH_INVALID, "job %ld: window [%g, %g] is empty", j->id, j->ready,
                              j->due);
        if (!(j->duration >= 0) || !isfinite(j->duration))
            return sh_err_set(e, SH_INVALID, "job %ld: negative duration", j->id);
        if (j->demand < 0)
            return sh_err_set(e, SH_INVALID, "job %ld: negative demand", j->id);
        if (j->fixed_vehicle >= 0 && (size_t)j->fixed_vehicle >= p->nveh)
            return sh_err_set(e, SH_INVALID, "job %ld: fixed vehicle out of range", j->id);
    }
    for (size_t v = 0; v < p->nveh; v++) {
        const struct dispatch_vehicle *w = &p->vehicles[v];
        if (w->start_loc >= p->nloc || w->end_loc >= p->nloc)
            return sh_err_set(e, SH_INVALID, "vehicle %zu: location out of range", v);
        if (!(w->shift_start <= w->shift_end))
            return sh_err_set(e, SH_INVALID, "vehicle %zu: empty shift", v);
        if (w->max_overtime < 0)
            return sh_err_set(e, SH_INVALID, "vehicle %zu: negative overtime", v);
    }
    return SH_OK;
}
