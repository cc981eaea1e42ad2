/* SPDX-License-Identifier: MIT */
/* Propose appointment slots for one new job (uc_dispatch_slots): every working
 * technician's planned route is searched for the cheapest, safest insertion
 * (domain/dispatch/slots.h). */
#include <math.h>
#include <string.h>

#include "app/dispatch_int.h"
#include "base/date.h"
#include "domain/dispatch/slots.h"

struct slots {
    struct dp_ctx x;
    const struct dispatch_slots_in *in;
    struct dp_job job;
    const struct dp_route_in **route_of; /* per technician: its planned route or NULL */
    size_t *route_idx;
    size_t nstops;
    /* the query */
    struct dispatch_loc *locs;
    struct dispatch_slot_tech *st;
    struct dispatch_slot_stop *stops;
    const struct dp_key **stop_key;
    size_t *st_tech, nl, ns, nst;
};

/* Routes belong to request technicians, one each. */
static enum sh_code match_routes(struct slots *s, struct sh_err *e)
{
    struct sh_arena *a = s->x.u->a;
    size_t nt = s->x.nt;
    s->route_of = sh_arena_alloc(a, sizeof(*s->route_of) * (nt + 1));
    s->route_idx = sh_arena_alloc(a, sizeof(size_t) * (nt + 1));
    memset(s->route_of, 0, sizeof(*s->route_of) * (nt + 1));
    for (size_t i = 0; i < s->in->nroutes; i++) {
        const struct dp_route_in *r = &s->in->routes[i];
        const char *f = sh_arena_printf(a, "routes[%zu].technician", i);
        long v = -1;
        for (size_t k = 0; k < nt && v < 0; k++)
            if (dp_key_eq(&s->x.t[k].key, &r->technician))
                v = (long)k;
        if (v < 0)
            return sh_err_field(e, SH_INVALID, f, "'%s' is not one of the request's technicians",
                                f);
        if (s->route_of[v])
            return sh_err_field(e, SH_INVALID, f, "'%s' has two routes", f);
        s->route_of[v] = r;
        s->route_idx[v] = i;
        s->nstops += r->njobs;
    }
    return SH_OK;
}

/* Technician v's planned stops, then (when working) the technician. */
static enum sh_code add_tech(struct slots *s, size_t v, struct sh_err *e)
{
    const struct dp_tech *t = &s->x.t[v];
    const struct dp_route_in *r = s->route_of[v];
    size_t first = s->ns;
    for (size_t k = 0; r && k < r->njobs; k++) {
        const struct dp_job_in *pj = &r->jobs[k];
        struct dp_job j;
        const char *path = sh_arena_printf(s->x.u->a, "routes[%zu].jobs[%zu]", s->route_idx[v], k);
        enum sh_code rc = dp_job(&s->x, pj, path, &j, e);
        if (rc)
            return rc;
        s->stop_key[s->ns] = &pj->key;
        s->locs[s->nl] = (struct dispatch_loc){pj->lon, pj->lat};
        s->stops[s->ns++] = (struct dispatch_slot_stop){
            .loc = s->nl++, .duration = pj->duration, .ready = pj->ready, .due = pj->due};
    }
    if (t->on_leave || t->shift_start < 0)
        return SH_OK;
    s->locs[s->nl] = (struct dispatch_loc){t->lon, t->lat};
    s->st[s->nst] = (struct dispatch_slot_tech){.start_loc = s->nl,
                                                .end_loc = s->nl,
                                                .shift_start = t->shift_start,
                                                .shift_end = t->shift_end,
                                                .skills = t->mask,
                                                .max_travel = t->max_km,
                                                .first = first,
                                                .n = s->ns - first};
    s->nl++;
    s->st_tech[s->nst++] = v;
    return SH_OK;
}

static enum sh_code build(struct slots *s, struct sh_err *e)
{
    struct sh_arena *a = s->x.u->a;
    size_t nt = s->x.nt;
    s->locs = sh_arena_alloc(a, sizeof(struct dispatch_loc) * (nt + s->nstops + 1));
    s->st = sh_arena_alloc(a, sizeof(struct dispatch_slot_tech) * (nt + 1));
    s->stops = sh_arena_alloc(a, sizeof(struct dispatch_slot_stop) * (s->nstops + 1));
    s->st_tech = sh_arena_alloc(a, sizeof(size_t) * (nt + 1));
    s->stop_key = sh_arena_alloc(a, sizeof(*s->stop_key) * (s->nstops + 1));
    for (size_t v = 0; v < nt; v++) {
        enum sh_code rc = add_tech(s, v, e);
        if (rc)
            return rc;
    }
    return SH_OK;
}

static size_t search(struct slots *s, struct dispatch_slot *found, double *took_ms)
{
    const struct dp_job_in *job = &s->in->job;
    s->locs[s->nl] = (struct dispatch_loc){job->lon, job->lat};
    long fixed = -1;
    if (s->job.fixed >= 0) {
        fixed = (long)s->nst; /* none, unless the technician works that day */
        for (size_t k = 0; k < s->nst; k++)
            if (s->st_tech[k] == (size_t)s->job.fixed)
                fixed = (long)k;
    }
    struct dispatch_slot_query q = {
        .nloc = s->nl + 1,
        .locs = s->locs,
        .travel = {.metric = DISPATCH_METRIC_HAVERSINE,
                   .road_factor = s->x.in->road_factor,
                   .speed_kmh = s->x.in->speed_kmh},
        .ntech = s->nst,
        .techs = s->st,
        .stops = s->stops,
        .job = {.loc = s->nl,
                .duration = job->duration,
                .ready = fmax(0, job->ready),
                .due = job->due},
        .job_skills = s->job.mask,
        .job_sla_due = job->sla_due,
        .fixed_tech = fixed,
    };
    double t0 = (double)sh_mono_ns();
    size_t n = job->empty_window ? 0 : dispatch_slots_find(&q, found, (size_t)s->in->count);
    *took_ms = ((double)sh_mono_ns() - t0) / 1e6;
    return n;
}

static void slot_out(const struct slots *s, const struct dispatch_slot *f, struct dp_slot *o)
{
    const struct dispatch_slot_tech *tt = &s->st[f->tech];
    const struct dp_tech *t = &s->x.t[s->st_tech[f->tech]];
    *o = (struct dp_slot){
        .technician = &t->key,
        .name = t->name,
        .position = f->pos,
        .after_job = f->pos > 0 ? s->stop_key[tt->first + f->pos - 1] : NULL,
        .before_job = f->pos < tt->n ? s->stop_key[tt->first + f->pos] : NULL,
        .arrival = f->arrival,
        .start = f->start,
        .latest_start = f->latest,
        .extra_travel_km = f->extra_dist,
        .extra_travel_minutes = f->extra_time,
        .buffer_minutes = f->buffer,
        .lateness_risk = f->risk,
        .sla_late_minutes = f->sla_late,
        .score = f->score,
    };
}

enum sh_code uc_dispatch_slots(const struct uc *u, const struct dispatch_slots_in *in,
                               struct dispatch_slots_out *out, struct sh_err *e)
{
    struct slots s;
    memset(&s, 0, sizeof s);
    memset(out, 0, sizeof *out);
    s.x.u = u;
    s.in = in;
    enum sh_code rc;
    if ((rc = dp_load(&s.x, &in->c, e)) || (rc = dp_job(&s.x, &in->job, "job", &s.job, e)))
        return rc;
    dp_masks(&s.x);
    if ((rc = match_routes(&s, e)) || (rc = build(&s, e)))
        return rc;
    struct dispatch_slot found[20];
    size_t n = search(&s, found, &out->search_ms);
    out->slots = sh_arena_alloc(u->a, sizeof(struct dp_slot) * (n + 1));
    for (size_t k = 0; k < n; k++)
        slot_out(&s, &found[k], &out->slots[k]);
    out->nslots = n;
    if (n == 0) {
        enum dp_stage sg = dp_stage_of(&s.x, &s.job);
        out->reason = dp_stage_reason(sg);
        out->message = dp_stage_message(&s.x, &s.job, sg);
    }
    out->technicians_considered = s.nst;
    return SH_OK;
}
