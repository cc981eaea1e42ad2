/* SPDX-License-Identifier: MIT */
/* dispatch routes: matrices, slack tables, O(1) move evaluation, RNG. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/dispatch/dispatch_int.h"

/*---------------------------------------------------------------------------------------
 * context
 */

enum sh_code dispatch_ctx_init(struct dispatch_ctx *c, const struct dispatch_problem *p,
                               const struct dispatch_params *pa, struct sh_err *e)
{
    enum sh_code rc = dispatch_problem_validate(p, e);
    if (rc != SH_OK)
        return rc;
    if (p->njobs > (size_t)INT32_MAX / 4 || p->nveh > (size_t)INT32_MAX / 4)
        return sh_err_set(e, SH_TOO_BIG, "problem too large");
    memset(c, 0, sizeof(*c));
    c->p = p;
    c->n = (int)p->njobs;
    c->m = (int)p->nveh;
    c->N = c->n + 2 * c->m;
    c->nloc = (int)p->nloc;
    c->soft = pa->objective == DISPATCH_OBJ_SERVICE;
    c->w_sla = pa->sla_weight;
    c->w_ot = pa->overtime_weight;
    c->w_unserved = pa->unserved_weight;

    size_t nl = p->nloc, N = (size_t)c->N, n = p->njobs, m = p->nveh;
    c->dist = xmalloc(nl * nl * sizeof(double));
    c->time = xmalloc(nl * nl * sizeof(double));
    for (size_t a = 0; a < nl; a++) {
        /* the matrices are the set-up's cost (nl² travel times): the caller may stop it
         * between rows, like the search; the rows not reached are zero */
        if (pa->cancel && pa->cancel(pa->cancel_ctx)) {
            c->cancelled = 1;
            memset(c->dist + a * nl, 0, (nl - a) * nl * sizeof(double));
            memset(c->time + a * nl, 0, (nl - a) * nl * sizeof(double));
            break;
        }
        for (size_t b = 0; b < nl; b++) {
            double d = 0, t = 0;
            if (a != b)
                dispatch_travel_eval(p, a, b, &d, &t);
            c->dist[a * nl + b] = d;
            c->time[a * nl + b] = t;
        }
    }
    c->loc = xmalloc(N * sizeof(int));
    c->dem = xmalloc(N * sizeof(int));
    c->prio = xmalloc(N * sizeof(int));
    c->ready = xmalloc(N * sizeof(double));
    c->due = xmalloc(N * sizeof(double));
    c->serv = xmalloc(N * sizeof(double));
    c->sla = xmalloc(N * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        const struct dispatch_job *j = &p->jobs[i];
        c->loc[i] = (int)j->loc;
        c->dem[i] = j->demand;
        c->prio[i] = j->priority > 0 ? j->priority : 1;
        c->ready[i] = j->ready;
        c->due[i] = j->due;
        c->serv[i] = j->duration;
        c->sla[i] = (c->soft && j->sla_due >= 0) ? j->sla_due : DISPATCH_INF;
    }
    c->cap = xmalloc(m * sizeof(int));
    c->maxd = xmalloc(m * sizeof(double));
    c->veh_class = xmalloc(m * sizeof(int));
    c->end_class = xmalloc(m * sizeof(int));
    for (size_t v = 0; v < m; v++) {
        const struct dispatch_vehicle *w = &p->vehicles[v];
        size_t s = n + 2 * v, t = s + 1;
        c->loc[s] = (int)w->start_loc;
        c->loc[t] = (int)w->end_loc;
        c->dem[s] = c->dem[t] = 0;
        c->prio[s] = c->prio[t] = 0;
        c->serv[s] = c->serv[t] = 0;
        c->sla[s] = c->sla[t] = DISPATCH_INF;
        c->ready[s] = w->shift_start;
        c->due[s] = c->soft ? w->shift_end + w->max_overtime : w->shift_end;
        c->ready[t] = w->shift_start;
        c->due[t] = c->due[s];
        c->cap[v] = w->capacity < 0 ? INT32_MAX : w->capacity;
        c->maxd[v] = w->max_travel > 0 ? w->max_travel : DISPATCH_INF;
        c->veh_class[v] = (int)v;
        c->end_class[v] = (int)v;
        for (size_t u = 0; u < v; u++) {
            const struct dispatch_vehicle *x = &p->vehicles[u];
            if (x->end_loc == w->end_loc && x->shift_end == w->shift_end &&
                x->max_overtime == w->max_overtime && c->end_class[v] == (int)v)
                c->end_class[v] = c->end_class[u];
            if (x->start_loc == w->start_loc && x->end_loc == w->end_loc &&
                x->shift_start == w->shift_start && x->shift_end == w->shift_end &&
                x->max_overtime == w->max_overtime && x->skills == w->skills &&
                x->capacity == w->capacity && x->max_travel == w->max_travel) {
                c->veh_class[v] = c->veh_class[u];
                break;
            }
        }
    }
    /* a job with a fixed vehicle makes that vehicle unlike the others */
    for (size_t i = 0; i < n; i++)
        if (p->jobs[i].fixed_vehicle >= 0) {
            size_t fv = (size_t)p->jobs[i].fixed_vehicle;
            c->veh_class[fv] = (int)fv;
        }
    c->elig = xmalloc(n * m);
    for (size_t i = 0; i < n; i++)
        for (size_t v = 0; v < m; v++) {
            const struct dispatch_job *j = &p->jobs[i];
            int ok = (j->skills & ~p->vehicles[v].skills) == 0;
            if (j->fixed_vehicle >= 0 && (size_t)j->fixed_vehicle != v)
                ok = 0;
            c->elig[i * m + v] = (unsigned char)ok;
        }
    c->scratch = xmalloc(2 * (n + 2) * sizeof(int));
    return SH_OK;
}

void dispatch_ctx_release(struct dispatch_ctx *c)
{
    free(c->dist);
    free(c->time);
    free(c->loc);
    free(c->dem);
    free(c->prio);
    free(c->ready);
    free(c->due);
    free(c->serv);
    free(c->sla);
    free(c->cap);
    free(c->maxd);
    free(c->veh_class);
    free(c->end_class);
    free(c->elig);
    free(c->scratch);
    memset(c, 0, sizeof(*c));
}

/*---------------------------------------------------------------------------------------
 * routes
 */

void dispatch_route_init(const struct dispatch_ctx *c, struct dispatch_route *r, int veh)
{
    size_t cap = (size_t)c->n + 2;
    memset(r, 0, sizeof(*r));
    r->veh = veh;
    r->nd = xmalloc(cap * sizeof(int));
    r->cl = xmalloc(cap * sizeof(int));
    r->st = xmalloc(cap * sizeof(double));
    r->ls = xmalloc(cap * sizeof(double));
    r->cd = xmalloc(cap * sizeof(double));
    dispatch_route_set(c, r, NULL, 0);
}

void dispatch_route_release(struct dispatch_route *r)
{
    free(r->nd);
    free(r->cl);
    free(r->st);
    free(r->ls);
    free(r->cd);
    memset(r, 0, sizeof(*r));
}

void dispatch_route_copy(struct dispatch_route *dst, const struct dispatch_route *src)
{
    size_t k = (size_t)src->len + 2;
    dst->veh = src->veh;
    dst->len = src->len;
    memcpy(dst->nd, src->nd, k * sizeof(int));
    memcpy(dst->cl, src->cl, k * sizeof(int));
    memcpy(dst->st, src->st, k * sizeof(double));
    memcpy(dst->ls, src->ls, k * sizeof(double));
    memcpy(dst->cd, src->cd, k * sizeof(double));
    dst->load = src->load;
    dst->dist = src->dist;
    dst->cost = src->cost;
}

void dispatch_route_set(const struct dispatch_ctx *c, struct dispatch_route *r, const int *jobs,
                        int len)
{
    r->len = len;
    if (len)
        memmove(r->nd + 1, jobs, (size_t)len * sizeof(int));
    r->nd[0] = c->n + 2 * r->veh;
    r->nd[len + 1] = c->n + 2 * r->veh + 1;
    (void)dispatch_route_update(c, r);
}

int dispatch_route_update(const struct dispatch_ctx *c, struct dispatch_route *r)
{
    int len = r->len, ok = 1;
    const int *nd = r->nd;
    double sla = 0;
    r->st[0] = c->ready[nd[0]];
    r->cl[0] = 0;
    r->cd[0] = 0;
    for (int k = 1; k <= len + 1; k++) {
        int a = nd[k - 1], b = nd[k];
        double t = r->st[k - 1] + c->serv[a] + dispatch_t(c, a, b);
        if (t < c->ready[b])
            t = c->ready[b];
        if (t > c->due[b] + DISPATCH_EPS)
            ok = 0;
        if (t > c->sla[b])
            sla += t - c->sla[b];
        r->st[k] = t;
        r->cl[k] = r->cl[k - 1] + c->dem[b];
        r->cd[k] = r->cd[k - 1] + dispatch_d(c, a, b);
    }
    r->ls[len + 1] = c->due[nd[len + 1]];
    for (int k = len; k >= 0; k--) {
        int a = nd[k], b = nd[k + 1];
        double t = r->ls[k + 1] - c->serv[a] - dispatch_t(c, a, b);
        r->ls[k] = t < c->due[a] ? t : c->due[a];
    }
    r->load = r->cl[len + 1];
    r->dist = len ? r->cd[len + 1] : 0;
    r->cost = r->dist;
    if (c->soft && len) {
        const struct dispatch_vehicle *w = &c->p->vehicles[r->veh];
        double ot = r->st[len + 1] - w->shift_end;
        r->cost += c->w_sla * sla + (ot > 0 ? c->w_ot * ot : 0);
    }
    if (r->load > c->cap[r->veh] || r->dist > c->maxd[r->veh] + DISPATCH_EPS)
        ok = 0;
    return ok;
}

int dispatch_eval_seq(const struct dispatch_ctx *c, int veh, const int *jobs, int len, double *cost)
{
    if (!len) {
        *cost = 0;
        return 1;
    }
    int prev = c->n + 2 * veh, end = prev + 1, load = 0;
    double t = c->ready[prev], dist = 0, sla = 0;
    for (int k = 0; k <= len; k++) {
        int b = k < len ? jobs[k] : end;
        if (b < c->n) {
            if (!c->elig[(size_t)b * (size_t)c->m + (size_t)veh])
                return 0;
            load += c->dem[b];
        }
        t += c->serv[prev] + dispatch_t(c, prev, b);
        if (t < c->ready[b])
            t = c->ready[b];
        if (t > c->due[b] + DISPATCH_EPS)
            return 0;
        if (t > c->sla[b])
            sla += t - c->sla[b];
        dist += dispatch_d(c, prev, b);
        prev = b;
    }
    if (load > c->cap[veh] || dist > c->maxd[veh] + DISPATCH_EPS)
        return 0;
    *cost = dist;
    if (c->soft) {
        double ot = t - c->p->vehicles[veh].shift_end;
        *cost += c->w_sla * sla + (ot > 0 ? c->w_ot * ot : 0);
    }
    return 1;
}

/*---------------------------------------------------------------------------------------
 * sequences produced by the moves (slow path, appliers, tests)
 */

static void emit_seg(const struct dispatch_route *a, int i, int k, int *out, int *n)
{
    for (int x = 0; x < k; x++)
        out[(*n)++] = a->nd[i + x];
}

void dispatch_seq_oropt(const struct dispatch_route *a, int i, int k,
                        const struct dispatch_route *b, int j, int *outa, int *la, int *outb,
                        int *lb)
{
    int na = 0, nb = 0;
    if (a == b) {
        if (j == 0)
            emit_seg(a, i, k, outa, &na);
        for (int x = 1; x <= a->len; x++) {
            if (x < i || x >= i + k)
                outa[na++] = a->nd[x];
            if (x == j && (x < i || x >= i + k))
                emit_seg(a, i, k, outa, &na);
        }
        *la = na;
        if (lb)
            *lb = 0;
        return;
    }
    for (int x = 1; x <= a->len; x++)
        if (x < i || x >= i + k)
            outa[na++] = a->nd[x];
    if (j == 0)
        emit_seg(a, i, k, outb, &nb);
    for (int x = 1; x <= b->len; x++) {
        outb[nb++] = b->nd[x];
        if (x == j)
            emit_seg(a, i, k, outb, &nb);
    }
    *la = na;
    *lb = nb;
}

void dispatch_seq_relocate(const struct dispatch_route *a, int i, const struct dispatch_route *b,
                           int j, int *outa, int *la, int *outb, int *lb)
{
    dispatch_seq_oropt(a, i, 1, b, j, outa, la, outb, lb);
}

void dispatch_seq_swap(const struct dispatch_route *a, int i, const struct dispatch_route *b, int j,
                       int *outa, int *la, int *outb, int *lb)
{
    int na = 0, nb = 0;
    for (int x = 1; x <= a->len; x++)
        outa[na++] = a->nd[x];
    if (a == b) {
        int t = outa[i - 1];
        outa[i - 1] = outa[j - 1];
        outa[j - 1] = t;
        *la = na;
        if (lb)
            *lb = 0;
        return;
    }
    for (int x = 1; x <= b->len; x++)
        outb[nb++] = b->nd[x];
    outa[i - 1] = b->nd[j];
    outb[j - 1] = a->nd[i];
    *la = na;
    *lb = nb;
}

void dispatch_seq_2opt_star(const struct dispatch_route *a, int i, const struct dispatch_route *b,
                            int j, int *outa, int *la, int *outb, int *lb)
{
    int na = 0, nb = 0;
    for (int x = 1; x <= i; x++)
        outa[na++] = a->nd[x];
    for (int x = j + 1; x <= b->len; x++)
        outa[na++] = b->nd[x];
    for (int x = 1; x <= j; x++)
        outb[nb++] = b->nd[x];
    for (int x = i + 1; x <= a->len; x++)
        outb[nb++] = a->nd[x];
    *la = na;
    *lb = nb;
}

/* slow path: evaluate the one or two new sequences in the scratch buffers */
static int eval_pair(const struct dispatch_ctx *c, const struct dispatch_route *a,
                     const struct dispatch_route *b, int la, int lb, double *delta)
{
    const int *sa = c->scratch, *sb = c->scratch + c->n + 2;
    double ca, cb = 0;
    if (!dispatch_eval_seq(c, a->veh, sa, la, &ca))
        return 0;
    if (a != b && !dispatch_eval_seq(c, b->veh, sb, lb, &cb))
        return 0;
    *delta = ca - a->cost + (a != b ? cb - b->cost : 0);
    return 1;
}

/*---------------------------------------------------------------------------------------
 * O(1) evaluators
 */

#define ELIG(c, u, v) ((c)->elig[(size_t)(u) * (size_t)(c)->m + (size_t)(v)])

/* can service continue from position k of r (already started at st[k]) to node u? returns
 * the start time at u or -1 when u's window is missed */
static inline double reach(const struct dispatch_ctx *c, int from, double st_from, int u)
{
    double t = st_from + c->serv[from] + dispatch_t(c, from, u);
    if (t < c->ready[u])
        t = c->ready[u];
    return t > c->due[u] + DISPATCH_EPS ? -1.0 : t;
}

/* joining node x (service started at t) to position k of r: feasible? */
static inline int joins(const struct dispatch_ctx *c, int x, double t,
                        const struct dispatch_route *r, int k)
{
    return t + c->serv[x] + dispatch_t(c, x, r->nd[k]) <= r->ls[k] + DISPATCH_EPS;
}

int dispatch_eval_insert(const struct dispatch_ctx *c, const struct dispatch_route *r, int k, int u,
                         double *delta)
{
    if (!ELIG(c, u, r->veh) || r->load + c->dem[u] > c->cap[r->veh])
        return 0;
    int a = r->nd[k], b = r->nd[k + 1];
    double t = reach(c, a, r->st[k], u);
    if (t < 0 || !joins(c, u, t, r, k + 1))
        return 0;
    if (c->soft) {
        int *s = c->scratch, ns = 0;
        for (int x = 1; x <= k; x++)
            s[ns++] = r->nd[x];
        s[ns++] = u;
        for (int x = k + 1; x <= r->len; x++)
            s[ns++] = r->nd[x];
        return eval_pair(c, r, r, ns, 0, delta);
    }
    double nd =
        r->dist + dispatch_d(c, a, u) + dispatch_d(c, u, b) - (r->len ? dispatch_d(c, a, b) : 0);
    if (nd > c->maxd[r->veh] + DISPATCH_EPS)
        return 0;
    *delta = nd - r->dist;
    return 1;
}

int dispatch_eval_oropt(const struct dispatch_ctx *c, const struct dispatch_route *a, int i, int k,
                        const struct dispatch_route *b, int j, double *delta)
{
    if (a == b || c->soft) {
        int la, lb;
        dispatch_seq_oropt(a, i, k, b, j, c->scratch, &la, c->scratch + c->n + 2, &lb);
        return eval_pair(c, a, b, la, lb, delta);
    }
    int segd = a->cl[i + k - 1] - a->cl[i - 1];
    if (b->load + segd > c->cap[b->veh])
        return 0;
    for (int x = 0; x < k; x++)
        if (!ELIG(c, a->nd[i + x], b->veh))
            return 0;
    /* removal */
    int p = a->nd[i - 1], q = a->nd[i + k];
    double t = a->st[i - 1] + c->serv[p] + dispatch_t(c, p, q);
    if (t > a->ls[i + k] + DISPATCH_EPS)
        return 0;
    double na =
        a->len == k ? 0 : a->cd[i - 1] + dispatch_d(c, p, q) + a->cd[a->len + 1] - a->cd[i + k];
    /* insertion */
    int prev = b->nd[j];
    t = b->st[j];
    for (int x = 0; x < k; x++) {
        int s = a->nd[i + x];
        t = reach(c, prev, t, s);
        if (t < 0)
            return 0;
        prev = s;
    }
    if (!joins(c, prev, t, b, j + 1))
        return 0;
    double nb = b->cd[j] + dispatch_d(c, b->nd[j], a->nd[i]) + a->cd[i + k - 1] - a->cd[i] +
                dispatch_d(c, prev, b->nd[j + 1]) + b->cd[b->len + 1] - b->cd[j + 1];
    if (na > c->maxd[a->veh] + DISPATCH_EPS || nb > c->maxd[b->veh] + DISPATCH_EPS)
        return 0;
    *delta = na - a->dist + nb - b->dist;
    return 1;
}

int dispatch_eval_relocate(const struct dispatch_ctx *c, const struct dispatch_route *a, int i,
                           const struct dispatch_route *b, int j, double *delta)
{
    return dispatch_eval_oropt(c, a, i, 1, b, j, delta);
}

int dispatch_eval_swap(const struct dispatch_ctx *c, const struct dispatch_route *a, int i,
                       const struct dispatch_route *b, int j, double *delta)
{
    if (a == b || c->soft) {
        int la, lb;
        dispatch_seq_swap(a, i, b, j, c->scratch, &la, c->scratch + c->n + 2, &lb);
        return eval_pair(c, a, b, la, lb, delta);
    }
    int u = a->nd[i], v = b->nd[j];
    if (!ELIG(c, v, a->veh) || !ELIG(c, u, b->veh))
        return 0;
    if (a->load - c->dem[u] + c->dem[v] > c->cap[a->veh] ||
        b->load - c->dem[v] + c->dem[u] > c->cap[b->veh])
        return 0;
    int pa = a->nd[i - 1], qa = a->nd[i + 1], pb = b->nd[j - 1], qb = b->nd[j + 1];
    double t = reach(c, pa, a->st[i - 1], v);
    if (t < 0 || !joins(c, v, t, a, i + 1))
        return 0;
    t = reach(c, pb, b->st[j - 1], u);
    if (t < 0 || !joins(c, u, t, b, j + 1))
        return 0;
    double na = a->dist - dispatch_d(c, pa, u) - dispatch_d(c, u, qa) + dispatch_d(c, pa, v) +
                dispatch_d(c, v, qa);
    double nb = b->dist - dispatch_d(c, pb, v) - dispatch_d(c, v, qb) + dispatch_d(c, pb, u) +
                dispatch_d(c, u, qb);
    if (na > c->maxd[a->veh] + DISPATCH_EPS || nb > c->maxd[b->veh] + DISPATCH_EPS)
        return 0;
    *delta = na - a->dist + nb - b->dist;
    return 1;
}

int dispatch_eval_2opt_star(const struct dispatch_ctx *c, const struct dispatch_route *a, int i,
                            const struct dispatch_route *b, int j, double *delta)
{
    if (c->soft || c->end_class[a->veh] != c->end_class[b->veh]) {
        int la, lb;
        dispatch_seq_2opt_star(a, i, b, j, c->scratch, &la, c->scratch + c->n + 2, &lb);
        return eval_pair(c, a, b, la, lb, delta);
    }
    if (a->cl[i] + b->load - b->cl[j] > c->cap[a->veh] ||
        b->cl[j] + a->load - a->cl[i] > c->cap[b->veh])
        return 0;
    if (c->veh_class[a->veh] != c->veh_class[b->veh]) {
        for (int x = j + 1; x <= b->len; x++)
            if (!ELIG(c, b->nd[x], a->veh))
                return 0;
        for (int x = i + 1; x <= a->len; x++)
            if (!ELIG(c, a->nd[x], b->veh))
                return 0;
    }
    int x = a->nd[i], y = b->nd[j + 1], z = b->nd[j], w = a->nd[i + 1];
    /* the end depots are interchangeable (same end_class): route a ends at its own */
    if (j == b->len)
        y = a->nd[a->len + 1];
    if (i == a->len)
        w = b->nd[b->len + 1];
    if (a->st[i] + c->serv[x] + dispatch_t(c, x, y) > b->ls[j + 1] + DISPATCH_EPS)
        return 0;
    if (b->st[j] + c->serv[z] + dispatch_t(c, z, w) > a->ls[i + 1] + DISPATCH_EPS)
        return 0;
    int lena = i + b->len - j, lenb = j + a->len - i;
    double na = lena ? a->cd[i] + dispatch_d(c, x, y) + b->cd[b->len + 1] - b->cd[j + 1] : 0;
    double nb = lenb ? b->cd[j] + dispatch_d(c, z, w) + a->cd[a->len + 1] - a->cd[i + 1] : 0;
    if (na > c->maxd[a->veh] + DISPATCH_EPS || nb > c->maxd[b->veh] + DISPATCH_EPS)
        return 0;
    *delta = na - a->dist + nb - b->dist;
    return 1;
}

/*---------------------------------------------------------------------------------------
 * appliers
 */

static void set_pair(const struct dispatch_ctx *c, struct dispatch_route *a,
                     struct dispatch_route *b, int la, int lb)
{
    dispatch_route_set(c, a, c->scratch, la);
    if (a != b)
        dispatch_route_set(c, b, c->scratch + c->n + 2, lb);
}

void dispatch_apply_insert(const struct dispatch_ctx *c, struct dispatch_route *r, int k, int u)
{
    memmove(r->nd + k + 2, r->nd + k + 1, (size_t)(r->len - k + 1) * sizeof(int));
    r->nd[k + 1] = u;
    r->len++;
    (void)dispatch_route_update(c, r);
}

void dispatch_apply_relocate(const struct dispatch_ctx *c, struct dispatch_route *a, int i,
                             struct dispatch_route *b, int j)
{
    dispatch_apply_oropt(c, a, i, 1, b, j);
}

void dispatch_apply_oropt(const struct dispatch_ctx *c, struct dispatch_route *a, int i, int k,
                          struct dispatch_route *b, int j)
{
    int la, lb;
    dispatch_seq_oropt(a, i, k, b, j, c->scratch, &la, c->scratch + c->n + 2, &lb);
    set_pair(c, a, b, la, lb);
}

void dispatch_apply_swap(const struct dispatch_ctx *c, struct dispatch_route *a, int i,
                         struct dispatch_route *b, int j)
{
    int la, lb;
    dispatch_seq_swap(a, i, b, j, c->scratch, &la, c->scratch + c->n + 2, &lb);
    set_pair(c, a, b, la, lb);
}

void dispatch_apply_2opt_star(const struct dispatch_ctx *c, struct dispatch_route *a, int i,
                              struct dispatch_route *b, int j)
{
    int la, lb;
    dispatch_seq_2opt_star(a, i, b, j, c->scratch, &la, c->scratch + c->n + 2, &lb);
    set_pair(c, a, b, la, lb);
}

/*---------------------------------------------------------------------------------------
 * PCG32 (O'Neill 2014), XSH-RR variant
 */

uint32_t dispatch_rng_u32(struct dispatch_rng *g)
{
    uint64_t old = g->state;
    g->state = old * 6364136223846793005ULL + g->inc;
    uint32_t xs = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xs >> rot) | (xs << ((-rot) & 31u));
}

void dispatch_rng_seed(struct dispatch_rng *g, uint64_t seed)
{
    g->state = 0;
    g->inc = (seed << 1u) | 1u;
    (void)dispatch_rng_u32(g);
    g->state += 0x853c49e6748fea9bULL ^ seed;
    (void)dispatch_rng_u32(g);
}

double dispatch_rng_unit(struct dispatch_rng *g)
{
    return (double)dispatch_rng_u32(g) * (1.0 / 4294967296.0);
}

int dispatch_rng_below(struct dispatch_rng *g, int n)
{
    return (int)(dispatch_rng_unit(g) * (double)n);
}
