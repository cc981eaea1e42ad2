/* SPDX-License-Identifier: MIT */
/* dispatch checker: verifies a solution from scratch, independently of the solver.
 * It shares only the problem model and the travel function with the solver: no matrix,
 * no slack tables. Every time is recomputed in double precision along each route. */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/dispatch/dispatch.h"

static enum sh_code check_route(const struct dispatch_problem *p, size_t v, const size_t *seq,
                                size_t len, unsigned *seen, int allow_overtime,
                                struct dispatch_check_report *r, struct sh_err *e)
{
    const struct dispatch_vehicle *w = &p->vehicles[v];
    size_t prev = w->start_loc;
    double t = w->shift_start, prev_serv = 0, dist = 0, wait = 0;
    double slack = 1e300; /* how much later the vehicle could leave, see below */
    long load = 0;
    for (size_t k = 0; k <= len; k++) {
        double d, tt;
        if (k == len) {
            dispatch_travel_eval(p, prev, w->end_loc, &d, &tt);
            dist += d;
            t += prev_serv + tt;
            double limit = w->shift_end + (allow_overtime ? w->max_overtime : 0.0);
            if (t > limit + DISPATCH_EPS)
                return sh_err_set(e, SH_UNPROCESSABLE,
                                  "route %zu returns at %.4f, after the end of its shift %.4f",
                                  v + 1, t, limit);
            if (t > w->shift_end)
                r->overtime += t - w->shift_end;
            if (limit - t < slack)
                slack = limit - t;
            break;
        }
        size_t j = seq[k];
        if (j >= p->njobs)
            return sh_err_set(e, SH_UNPROCESSABLE, "route %zu: job index %zu out of range", v + 1,
                              j);
        const struct dispatch_job *job = &p->jobs[j];
        if (++seen[j] > 1)
            return sh_err_set(e, SH_UNPROCESSABLE, "job %ld is served more than once", job->id);
        if ((job->skills & ~w->skills) != 0)
            return sh_err_set(e, SH_UNPROCESSABLE, "route %zu lacks a skill job %ld needs", v + 1,
                              job->id);
        if (job->fixed_vehicle >= 0 && (size_t)job->fixed_vehicle != v)
            return sh_err_set(e, SH_UNPROCESSABLE, "job %ld is fixed to vehicle %ld, not %zu",
                              job->id, job->fixed_vehicle + 1, v + 1);
        dispatch_travel_eval(p, prev, job->loc, &d, &tt);
        dist += d;
        t += prev_serv + tt;
        if (t < job->ready) {
            wait += job->ready - t;
            t = job->ready;
        }
        if (t > job->due + DISPATCH_EPS)
            return sh_err_set(e, SH_UNPROCESSABLE,
                              "route %zu: job %ld starts at %.4f, after its due time %.4f", v + 1,
                              job->id, t, job->due);
        /* leaving later by x keeps this start feasible while x <= waits so far + slack */
        if (wait + job->due - t < slack)
            slack = wait + job->due - t;
        if (job->sla_due >= 0 && t > job->sla_due)
            r->sla_lateness += t - job->sla_due;
        load += job->demand;
        prev = job->loc;
        prev_serv = job->duration;
    }
    if (w->capacity >= 0 && load > w->capacity)
        return sh_err_set(e, SH_UNPROCESSABLE, "route %zu carries %ld, over its capacity %d", v + 1,
                          load, w->capacity);
    if (w->max_travel > 0 && dist > w->max_travel + DISPATCH_EPS)
        return sh_err_set(e, SH_UNPROCESSABLE, "route %zu travels %.4f, over its limit %.4f", v + 1,
                          dist, w->max_travel);
    /* the return time does not move while the delay is absorbed by waiting (Savelsbergh) */
    double delay = slack < wait ? slack : wait;
    if (delay < 0)
        delay = 0;
    r->duration += t - w->shift_start - delay;
    r->distance += dist;
    r->vehicles++;
    r->served += len;
    return SH_OK;
}

enum sh_code dispatch_check(const struct dispatch_problem *p, const struct dispatch_solution *s,
                            int require_all, int allow_overtime, struct dispatch_check_report *r,
                            struct sh_err *e)
{
    memset(r, 0, sizeof(*r));
    if (s->nveh > p->nveh)
        return sh_err_set(e, SH_UNPROCESSABLE, "%zu routes but only %zu vehicles", s->nveh,
                          p->nveh);
    if (!s->off)
        return sh_err_set(e, SH_UNPROCESSABLE, "empty solution");
    unsigned *seen = xcalloc(p->njobs ? p->njobs : 1, sizeof(unsigned));
    enum sh_code rc = SH_OK;
    for (size_t v = 0; v < s->nveh; v++) {
        if (s->off[v + 1] < s->off[v]) {
            rc = sh_err_set(e, SH_UNPROCESSABLE, "route %zu: bad offsets", v + 1);
            goto out;
        }
        size_t len = s->off[v + 1] - s->off[v];
        if (!len)
            continue;
        rc = check_route(p, v, s->seq + s->off[v], len, seen, allow_overtime, r, e);
        if (rc != SH_OK)
            goto out;
    }
    if (require_all)
        for (size_t j = 0; j < p->njobs; j++)
            if (!seen[j]) {
                rc = sh_err_set(e, SH_UNPROCESSABLE, "job %ld is not served", p->jobs[j].id);
                goto out;
            }
out:
    free(seen);
    return rc;
}
