/* SPDX-License-Identifier: MIT */
/* dispatch slots: insertion of one new job into fixed routes, O(route length) per
 * technician. Each route gets a forward pass (earliest start of every stop and the
 * departure after it) and a backward pass (latest start of every stop that keeps the
 * rest of the route feasible, the Savelsbergh slack); then every insertion position is
 * checked in O(1) with two travel evaluations. */
#include "domain/dispatch/slots.h"

#include <math.h>
#include <string.h>

#define MAX_ROUTE 256 /* stops per technician the search considers */

struct eval {
    struct dispatch_problem p;
};

static void travel(const struct eval *ev, size_t a, size_t b, double *d, double *t)
{
    if (a == b) {
        *d = 0;
        *t = 0;
        return;
    }
    dispatch_travel_eval(&ev->p, a, b, d, t);
}

/* Inserts s into the sorted top list (size *n, capacity max). */
static void keep_best(struct dispatch_slot *out, size_t *n, size_t max,
                      const struct dispatch_slot *s)
{
    size_t i = *n;
    if (i == max) {
        const struct dispatch_slot *w = &out[max - 1];
        if (s->score > w->score || (s->score == w->score && s->start >= w->start))
            return;
        i = max - 1;
    } else {
        (*n)++;
    }
    while (i > 0) {
        const struct dispatch_slot *o = &out[i - 1];
        if (o->score < s->score || (o->score == s->score && o->start <= s->start))
            break;
        out[i] = out[i - 1];
        i--;
    }
    out[i] = *s;
}

size_t dispatch_slots_find(const struct dispatch_slot_query *q, struct dispatch_slot *out,
                           size_t max)
{
    if (max == 0)
        return 0;
    struct eval ev = {.p = {.nloc = q->nloc, .locs = q->locs, .travel = q->travel}};
    const struct dispatch_slot_stop *job = &q->job;
    double horizon = q->risk_horizon > 0 ? q->risk_horizon : 60.0;
    size_t nout = 0;
    /* per-stop tables, index k = 0..n-1; dep[k] the departure after stop k */
    double st[MAX_ROUTE], dep[MAX_ROUTE], ls[MAX_ROUTE + 1], dnext[MAX_ROUTE + 1],
        tnext[MAX_ROUTE + 1];
    for (size_t v = 0; v < q->ntech; v++) {
        const struct dispatch_slot_tech *t = &q->techs[v];
        if ((job->loc >= q->nloc) || (q->job_skills & ~t->skills) ||
            (q->fixed_tech >= 0 && (size_t)q->fixed_tech != v) || t->n > MAX_ROUTE)
            continue;
        const struct dispatch_slot_stop *s = q->stops + t->first;
        size_t n = t->n;
        /* forward: earliest start of each stop; route distance */
        double total = 0, time = t->shift_start, d, tt;
        size_t prev = t->start_loc;
        for (size_t k = 0; k < n; k++) {
            travel(&ev, prev, s[k].loc, &d, &tt);
            total += d;
            double a = time + tt;
            st[k] = a > s[k].ready ? a : s[k].ready;
            dep[k] = st[k] + s[k].duration;
            time = dep[k];
            prev = s[k].loc;
        }
        /* edge k: from stop k-1 (or home) to stop k (or home at k == n) */
        for (size_t k = 0; k <= n; k++) {
            size_t from = k == 0 ? t->start_loc : s[k - 1].loc;
            size_t to = k == n ? t->end_loc : s[k].loc;
            travel(&ev, from, to, &dnext[k], &tnext[k]);
        }
        total += dnext[n];
        /* backward: latest start of each stop; ls[n] is the latest return home */
        ls[n] = t->shift_end;
        for (size_t k = n; k-- > 0;) {
            double l = ls[k + 1] - tnext[k + 1] - s[k].duration;
            ls[k] = l < s[k].due ? l : s[k].due;
        }
        /* the stops before an insertion point keep their times: they must be feasible */
        size_t ok_prefix = 0;
        while (ok_prefix < n && st[ok_prefix] <= s[ok_prefix].due + DISPATCH_EPS)
            ok_prefix++;
        for (size_t pos = 0; pos <= n && pos <= ok_prefix; pos++) {
            size_t from = pos == 0 ? t->start_loc : s[pos - 1].loc;
            size_t to = pos == n ? t->end_loc : s[pos].loc;
            double depart = pos == 0 ? t->shift_start : dep[pos - 1];
            double d1, t1, d2, t2;
            travel(&ev, from, job->loc, &d1, &t1);
            travel(&ev, job->loc, to, &d2, &t2);
            struct dispatch_slot sl;
            memset(&sl, 0, sizeof sl);
            sl.tech = v;
            sl.pos = pos;
            sl.arrival = depart + t1;
            sl.start = sl.arrival > job->ready ? sl.arrival : job->ready;
            double l2 = ls[pos] - t2 - job->duration; /* latest start keeping the rest */
            sl.latest = l2 < job->due ? l2 : job->due;
            if (sl.start > sl.latest + DISPATCH_EPS)
                continue;
            sl.extra_dist = d1 + d2 - dnext[pos];
            sl.extra_time = t1 + t2 - tnext[pos];
            if (t->max_travel > 0 && total + sl.extra_dist > t->max_travel + DISPATCH_EPS)
                continue;
            sl.buffer = sl.latest - sl.start;
            if (sl.buffer < 0)
                sl.buffer = 0;
            sl.risk = sl.buffer >= horizon ? 0.0 : 1.0 - sl.buffer / horizon;
            if (q->job_sla_due >= 0 && sl.start > q->job_sla_due + DISPATCH_EPS) {
                sl.sla_late = sl.start - q->job_sla_due;
                sl.risk = 1.0;
            } else if (q->job_sla_due >= 0 && sl.latest > q->job_sla_due) {
                /* the slot is safe only if it starts before the SLA due time */
                double b = q->job_sla_due - sl.start;
                double r = b >= horizon ? 0.0 : 1.0 - b / horizon;
                if (r > sl.risk)
                    sl.risk = r;
            }
            sl.score = sl.extra_time + 60.0 * sl.risk + 10.0 * sl.sla_late;
            keep_best(out, &nout, max, &sl);
        }
    }
    return nout;
}
