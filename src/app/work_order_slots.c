/* SPDX-License-Identifier: MIT */
/* The best slots for a ticket's visit (issue 11 item 8): the dispatch slot ranking
 * (uc_dispatch_slots) with the job built from the ticket (its unit's site, the model's
 * required skills, the on-site due time) and the routes from the day's open work orders. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/dispatch.h"
#include "app/trips.h"
#include "app/ticket_actions.h"
#include "app/work_order_int.h"
#include "base/date.h"
#include "store/work_order_plan.h"

#define UTC_OFFSET_S (8 * 3600) /* Asia/Shanghai */

struct slots {
    const struct uc *u;
    int64_t midnight; /* unix seconds of the local day's start */
};

static double minutes_of(const struct slots *s, int64_t t)
{
    return (double)(t - s->midnight) / 60.0;
}

/* The model's "a,b" as an array of codes. */
static const char *const *skill_list(struct sh_arena *a, const char *s, int *n)
{
    *n = 0;
    const char **out = sh_arena_alloc(a, sizeof(char *) * 17);
    for (const char *p = s; *p && *n < 16;) {
        size_t len = strcspn(p, ",");
        if (len)
            out[(*n)++] = sh_arena_strndup(a, p, len);
        p += len + (p[len] == ',');
    }
    return out;
}

/* RULE review 71 #15: the first of the model's skills that is not an active entry of the
 * catalogue (NULL: all are). No technician can hold it, so no slot is proposed; the answer
 * names it instead of refusing the dispatcher's request. */
static enum sh_code unknown_skill(const struct uc *u, const char *skills, const char **out,
                                  struct sh_err *e)
{
    *out = NULL;
    int n;
    const char *const *codes = skill_list(u->a, skills, &n);
    for (int i = 0; i < n; i++) {
        struct db_rows r;
        enum sh_code rc =
            db_query(u->tx, u->a, "SELECT 1 FROM skills WHERE code = $1 AND active = 1",
                     DB_P(DB_TEXT(codes[i])), &r, e);
        if (rc || !r.nrows) {
            *out = rc ? NULL : codes[i];
            return rc;
        }
    }
    return SH_OK;
}

static bool listed(const struct db_rows *tu, int64_t tech)
{
    for (int i = 0; i < tu->nrows; i++)
        if (db_get_int(tu, i, "id", 0) == tech)
            return true;
    return false;
}

/* RULE issue 12 item 4: a technician away on a business trip that day is not offered. */
static enum sh_code drop_travellers(const struct slots *s, struct db_rows *tu, struct sh_err *e)
{
    int64_t *away;
    int n, k = 0;
    enum sh_code rc = uc_trips_away_users(s->u, s->midnight, s->midnight + 86400, &away, &n, e);
    for (int i = 0; !rc && i < tu->nrows; i++) {
        bool gone = false;
        for (int j = 0; j < n; j++)
            gone |= away[j] == db_get_int(tu, i, "user_id", 0);
        if (gone)
            continue;
        if (k != i)
            memcpy(&tu->cells[(size_t)k * (size_t)tu->ncols],
                   &tu->cells[(size_t)i * (size_t)tu->ncols], sizeof(char *) * (size_t)tu->ncols);
        k++;
    }
    if (!rc)
        tu->nrows = k;
    return rc;
}

/* The day's open work orders as one route per technician (of those offered). */
static enum sh_code routes(struct slots *s, const char *day, double tol, const struct db_rows *tu,
                           struct dispatch_slots_in *in, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = wo_day_routes(s->u->tx, s->u->a, day, &r, e);
    if (rc)
        return rc;
    struct dp_route_in *rt = sh_arena_alloc(s->u->a, sizeof(*rt) * (size_t)(r.nrows + 1));
    struct dp_job_in *jobs = sh_arena_alloc(s->u->a, sizeof(*jobs) * (size_t)(r.nrows + 1));
    size_t nr = 0, nj = 0;
    for (int i = 0; i < r.nrows; i++) {
        int64_t at = 0, tech = db_get_int(&r, i, "tech_id", 0);
        const char *lat = db_get(&r, i, "latitude"), *lon = db_get(&r, i, "longitude");
        if (!lat || !lon || !sh_ts_parse(db_get(&r, i, "appointment_at"), &at) || !listed(tu, tech))
            continue; /* a visit without a place cannot be routed; a traveller is away */
        bool first = !nr || rt[nr - 1].technician.i != tech;
        if (first)
            rt[nr++] = (struct dp_route_in){.technician = {.kind = DP_KEY_INT, .i = tech},
                                            .jobs = &jobs[nj]};
        /* a booking that overlaps the one before (an override) starts after it, and every
         * planned start may slip by the tolerance: the route stays feasible */
        double st = minutes_of(s, at);
        if (!first)
            st = fmax(st, jobs[nj - 1].ready + jobs[nj - 1].duration);
        jobs[nj++] =
            (struct dp_job_in){.key = {.kind = DP_KEY_INT, .i = db_get_int(&r, i, "id", 0)},
                               .lat = strtod(lat, NULL),
                               .lon = strtod(lon, NULL),
                               .duration = (double)db_get_int(&r, i, "duration_min", 90),
                               .ready = st,
                               .due = fmin(st + tol, DISPATCH_DAY_MIN),
                               .priority = 1,
                               .sla_due = -1};
        rt[nr - 1].njobs++;
    }
    in->routes = rt;
    in->nroutes = nr;
    return SH_OK;
}

static enum sh_code build(struct slots *s, const struct wo_slots_in *in,
                          const struct wo_ticket_place *pl, const struct wo_policy *pol,
                          const struct db_rows *tu, struct dispatch_slots_in *q, struct sh_err *e)
{
    memset(q, 0, sizeof(*q));
    /* the stored technicians with a home: a route starts there */
    struct dp_tech_in *techs = sh_arena_alloc(s->u->a, sizeof(*techs) * (size_t)(tu->nrows + 1));
    for (int i = 0; i < tu->nrows; i++)
        techs[i] = (struct dp_tech_in){.stored_id = db_get_int(tu, i, "id", 0)};
    q->c = (struct dp_common_in){.date = in->date,
                                 .road_factor = 1.3,
                                 .speed_kmh = 40,
                                 .techs = techs,
                                 .ntechs = (size_t)tu->nrows};
    q->count = in->count;
    q->job =
        (struct dp_job_in){.key = {.kind = DP_KEY_INT, .i = in->ticket_id},
                           .lat = pl->lat,
                           .lon = pl->lon,
                           .duration = in->duration_min > 0 ? in->duration_min : pol->duration_min,
                           .ready = fmax(0, minutes_of(s, s->u->now)),
                           .due = DISPATCH_DAY_MIN,
                           .priority = 1,
                           .sla_due = -1};
    q->job.skills = skill_list(s->u->a, pl->required_skills, &q->job.nskills);
    q->job.empty_window = q->job.ready > DISPATCH_DAY_MIN;
    int64_t due;
    if (pl->onsite_due_at && sh_ts_parse(pl->onsite_due_at, &due))
        q->job.sla_due = fmax(0, minutes_of(s, due));
    char day[11];
    sh_date_format(in->date, day);
    return routes(s, day, pol->tolerance_min, tu, q, e);
}

/* Technician id → user id and name. */
static void name_slots(struct slots *s, const struct db_rows *tu, struct wo_slots_out *out,
                       const struct dispatch_slots_out *o)
{
    out->slots = sh_arena_alloc(s->u->a, sizeof(*out->slots) * (o->nslots + 1));
    for (size_t k = 0; k < o->nslots; k++) {
        const struct dp_slot *d = &o->slots[k];
        struct wo_slot *w = &out->slots[out->n];
        *w = (struct wo_slot){.technician_id = d->technician->i,
                              .name = d->name,
                              .latest_start = s->midnight + (int64_t)llround(d->latest_start) * 60,
                              .sla_late_minutes = d->sla_late_minutes,
                              .lateness_risk = d->lateness_risk,
                              .extra_travel_km = d->extra_travel_km};
        /* appointments on the quarter hour, never before the slot's start */
        w->start = s->midnight + (int64_t)ceil(d->start / 15.0) * 15 * 60;
        for (int i = 0; i < tu->nrows; i++)
            if (db_get_int(tu, i, "id", 0) == w->technician_id) {
                w->user_id = db_get_int(tu, i, "user_id", 0);
                w->name = db_get(tu, i, "name");
            }
        if (w->user_id)
            out->n++;
    }
}

enum sh_code uc_work_order_slots(const struct uc *u, const struct wo_slots_in *in,
                                 struct wo_slots_out *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    struct ticket_row t;
    struct wo_ticket_place pl;
    struct wo_policy pol;
    enum sh_code rc;
    if ((rc = uc_ticket_load(u, in->ticket_id, &t, e)) ||
        (rc = wo_ticket_place(u->tx, u->a, in->ticket_id, &pl, e)) ||
        (rc = wo_policy_load(u->tx, u->a, &pol, e)))
        return rc;
    out->onsite_due_at = pl.onsite_due_at;
    out->tolerance_min = pol.tolerance_min;
    if (!pl.has_loc) {
        out->reason = "no_location";
        out->message = "the ticket's unit has no site with a position: pick a technician and "
                       "time by hand";
        return SH_OK;
    }
    if ((rc = unknown_skill(u, pl.required_skills, &out->skill, e)))
        return rc;
    if (out->skill) {
        out->reason = "unknown_skill";
        out->message = sh_arena_printf(u->a,
                                       "the model requires skill '%s', which is not an active "
                                       "entry of the skill catalogue: no technician qualifies",
                                       out->skill);
        return SH_OK;
    }
    struct slots s = {.u = u,
                      .midnight = sh_days_from_civil(in->date.y, in->date.m, in->date.d) * 86400 -
                                  UTC_OFFSET_S};
    struct dispatch_slots_in q;
    struct dispatch_slots_out o;
    struct db_rows tu;
    if ((rc = wo_tech_users(u->tx, u->a, &tu, e)) || (rc = drop_travellers(&s, &tu, e)))
        return rc;
    if (!tu.nrows) {
        out->reason = "no_technician";
        out->message = "no active technician has a home position";
        return SH_OK;
    }
    if ((rc = build(&s, in, &pl, &pol, &tu, &q, e)) || (rc = uc_dispatch_slots(u, &q, &o, e)))
        return rc;
    out->reason = o.reason;
    out->message = o.message;
    name_slots(&s, &tu, out, &o);
    return SH_OK;
}
