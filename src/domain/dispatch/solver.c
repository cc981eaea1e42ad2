/* SPDX-License-Identifier: MIT */
/* dispatch solver: regret-2 construction, then ruin-and-recreate with SISR string
 * removals and blink insertion (Christiaens & Vanden Berghe 2020) under simulated
 * annealing, a fleet-minimisation phase with absence counters for the hierarchical
 * objective (same paper, section 6), and a granular local search (relocate, swap,
 * 2-opt*, or-opt over the k nearest neighbours, O(1) slack-based evaluation) applied
 * to every new best solution. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/dispatch/dispatch_int.h"

#define NN_MAX       100  /* neighbours kept per job */
#define LS_K         25   /* granular neighbourhood for the local search */
#define CBAR         10.0 /* SISR: average removed customers */
#define LMAX         10.0 /* SISR: maximum string length */
#define BLINK        0.01 /* SISR: blink rate */
#define SPLIT_P      0.5  /* probability of a split string */
#define FLEET_FR     0.4  /* hierarchical: share of the budget for fleet minimisation */
#define IMPROVE      1e-7
#define T_START      10.0 /* SA start temperature, in mean nearest-neighbour distances */
#define T_END        0.1  /* SA final temperature, idem (tuned on 6 instances at 1 s) */
#define CANCEL_EVERY 1    /* steps between calls of params.cancel (a clock read: cheap) */

struct sol {
    struct dispatch_route *r;
    int *rof, *pos; /* per job: route or -1, position */
    int *un, nun;
    int used;
    double cost; /* sum of route costs (+ unserved penalty under SERVICE) */
};

struct solver {
    struct dispatch_ctx c;
    const struct dispatch_params *pa;
    struct dispatch_rng g;
    int n, m, nn_k;
    int *nn;          /* n x nn_k nearest jobs */
    int *stamp, tick; /* per vehicle class: empty route already tried */
    int *buf, *buf2;  /* n scratch */
    double *key;      /* n sort keys */
    long iters;
    double t0;
    int hard;             /* every job must be served */
    unsigned cancel_tick; /* steps since the last cancel check */
    int stop;             /* params.cancel said stop */
};

/*---------------------------------------------------------------------------------------
 * solutions
 */

static void sol_init(struct solver *S, struct sol *s)
{
    s->r = xmalloc((size_t)S->m * sizeof(*s->r));
    for (int v = 0; v < S->m; v++)
        dispatch_route_init(&S->c, &s->r[v], v);
    s->rof = xmalloc((size_t)S->n * sizeof(int));
    s->pos = xmalloc((size_t)S->n * sizeof(int));
    s->un = xmalloc((size_t)S->n * sizeof(int));
    for (int u = 0; u < S->n; u++) {
        s->rof[u] = -1;
        s->pos[u] = 0;
        s->un[u] = u;
    }
    s->nun = S->n;
    s->used = 0;
    s->cost = 0;
}

static void sol_release(struct solver *S, struct sol *s)
{
    for (int v = 0; v < S->m; v++)
        dispatch_route_release(&s->r[v]);
    free(s->r);
    free(s->rof);
    free(s->pos);
    free(s->un);
}

static void sol_copy(struct solver *S, struct sol *d, const struct sol *s)
{
    for (int v = 0; v < S->m; v++)
        if (s->r[v].len || d->r[v].len)
            dispatch_route_copy(&d->r[v], &s->r[v]);
    memcpy(d->rof, s->rof, (size_t)S->n * sizeof(int));
    memcpy(d->pos, s->pos, (size_t)S->n * sizeof(int));
    memcpy(d->un, s->un, (size_t)s->nun * sizeof(int));
    d->nun = s->nun;
    d->used = s->used;
    d->cost = s->cost;
}

static void sol_index_route(struct sol *s, int v)
{
    const struct dispatch_route *r = &s->r[v];
    for (int k = 1; k <= r->len; k++) {
        s->rof[r->nd[k]] = v;
        s->pos[r->nd[k]] = k;
    }
}

static void sol_totals(struct solver *S, struct sol *s)
{
    double cost = 0;
    int used = 0;
    for (int v = 0; v < S->m; v++)
        if (s->r[v].len) {
            used++;
            cost += s->r[v].cost;
        }
    if (S->c.soft)
        for (int x = 0; x < s->nun; x++)
            cost += S->c.w_unserved * S->c.prio[s->un[x]];
    s->used = used;
    s->cost = cost;
}

/* lexicographic comparison: served (hard objectives), vehicles (hierarchical), cost */
static int better(const struct solver *S, const struct sol *a, const struct sol *b)
{
    if (S->hard && a->nun != b->nun)
        return a->nun < b->nun;
    if (S->pa->objective == DISPATCH_OBJ_HIERARCHICAL && a->used != b->used)
        return a->used < b->used;
    return a->cost < b->cost - IMPROVE;
}

/*---------------------------------------------------------------------------------------
 * budget
 */

static double elapsed(const struct solver *S)
{
    if (!S->pa->now_ms)
        return 0;
    return S->pa->now_ms(S->pa->clock_ctx) - S->t0;
}

/* True once the caller's cancel callback has asked to stop (asked every CANCEL_EVERY
 * calls; the answer sticks). */
static int stopped(struct solver *S)
{
    if (S->stop || !S->pa->cancel)
        return S->stop;
    if (S->cancel_tick++ % CANCEL_EVERY == 0 && S->pa->cancel(S->pa->cancel_ctx))
        S->stop = 1;
    return S->stop;
}

/* fraction of the budget used, in [0, 1+]; 1 once cancelled */
static double progress(struct solver *S)
{
    double f = 0;
    if (stopped(S))
        return 1.0;
    if (S->pa->max_iters > 0)
        f = (double)S->iters / (double)S->pa->max_iters;
    if (S->pa->budget_ms > 0 && S->pa->now_ms) {
        double g = elapsed(S) / (double)S->pa->budget_ms;
        if (g > f)
            f = g;
    }
    if (S->pa->max_iters <= 0 && (S->pa->budget_ms <= 0 || !S->pa->now_ms))
        f = 1.0;
    return f;
}

/*---------------------------------------------------------------------------------------
 * neighbours
 */

static int by_key(const void *a, const void *b, void *ctx)
{
    const double *key = ctx;
    double x = key[*(const int *)a], y = key[*(const int *)b];
    if (x < y)
        return -1;
    if (x > y)
        return 1;
    return *(const int *)a - *(const int *)b;
}

/* sorts idx[0..k-1] by key[], ties by index (deterministic) */
static void sort_by(int *idx, int k, const double *key)
{
    qsort_r(idx, (size_t)k, sizeof(int), by_key, (void *)(uintptr_t)key);
}

static void build_neighbours(struct solver *S)
{
    int n = S->n;
    S->nn_k = n - 1 < NN_MAX ? n - 1 : NN_MAX;
    S->nn = xmalloc((size_t)n * (size_t)(S->nn_k > 0 ? S->nn_k : 1) * sizeof(int));
    int *idx = xmalloc((size_t)n * sizeof(int));
    double *key = xmalloc((size_t)n * sizeof(double));
    for (int u = 0; u < n; u++) {
        int k = 0;
        for (int v = 0; v < n; v++)
            if (v != u) {
                idx[k++] = v;
                key[v] = dispatch_d(&S->c, u, v) + dispatch_d(&S->c, v, u);
            }
        sort_by(idx, k, key);
        memcpy(S->nn + (size_t)u * (size_t)S->nn_k, idx, (size_t)S->nn_k * sizeof(int));
    }
    free(idx);
    free(key);
}

/*---------------------------------------------------------------------------------------
 * regret-2 construction
 */

static void best_in_route(struct solver *S, const struct dispatch_route *r, int u, double *bc,
                          int *bk)
{
    double best = DISPATCH_INF, d;
    int k_best = -1;
    if (r->load + S->c.dem[u] <= S->c.cap[r->veh] &&
        S->c.elig[(size_t)u * (size_t)S->m + (size_t)r->veh])
        for (int k = 0; k <= r->len; k++)
            if (dispatch_eval_insert(&S->c, r, k, u, &d) && d < best) {
                best = d;
                k_best = k;
            }
    *bc = best;
    *bk = k_best;
}

static void construct(struct solver *S, struct sol *s)
{
    int n = S->n, m = S->m;
    double *bc = xmalloc((size_t)n * (size_t)m * sizeof(double));
    int *bk = xmalloc((size_t)n * (size_t)m * sizeof(int));
    int *cand = xmalloc((size_t)m * sizeof(int)), nc = 0;
    int *pool = xmalloc((size_t)n * sizeof(int)), np = n;
    char *is_cand = xcalloc((size_t)m, 1);
    for (int u = 0; u < n; u++)
        pool[u] = u;
    s->nun = 0;
    /* candidates: the first vehicle of every class */
    for (int v = 0; v < m; v++)
        if (S->c.veh_class[v] == v) {
            cand[nc++] = v;
            is_cand[v] = 1;
        }
    for (int x = 0; x < nc && !stopped(S); x++)
        for (int u = 0; u < n; u++)
            best_in_route(S, &s->r[cand[x]], u, &bc[(size_t)u * (size_t)m + (size_t)cand[x]],
                          &bk[(size_t)u * (size_t)m + (size_t)cand[x]]);
    while (np > 0) {
        if (stopped(S)) { /* cancelled: what is left stays unassigned */
            for (int x = 0; x < np; x++)
                s->un[s->nun++] = pool[x];
            break;
        }
        int pick = -1;
        double pick_regret = -1, pick_cost = DISPATCH_INF;
        for (int x = 0; x < np; x++) {
            int u = pool[x];
            const double *row = &bc[(size_t)u * (size_t)m];
            double b1 = DISPATCH_INF, b2 = DISPATCH_INF;
            for (int y = 0; y < nc; y++) {
                double v = row[cand[y]];
                if (v < b1) {
                    b2 = b1;
                    b1 = v;
                } else if (v < b2) {
                    b2 = v;
                }
            }
            if (b1 >= DISPATCH_INF) { /* fits nowhere now, and never will */
                s->un[s->nun++] = u;
                pool[x--] = pool[--np];
                continue;
            }
            double regret = b2 >= DISPATCH_INF ? 1e15 - b1 : b2 - b1;
            if (regret > pick_regret || (regret == pick_regret && b1 < pick_cost)) {
                pick = x;
                pick_regret = regret;
                pick_cost = b1;
            }
        }
        if (pick < 0)
            break;
        int u = pool[pick];
        pool[pick] = pool[--np];
        const double *row = &bc[(size_t)u * (size_t)m];
        int rv = -1;
        for (int y = 0; y < nc; y++)
            if (rv < 0 || row[cand[y]] < row[rv])
                rv = cand[y];
        struct dispatch_route *r = &s->r[rv];
        int was_empty = r->len == 0;
        dispatch_apply_insert(&S->c, r, bk[(size_t)u * (size_t)m + (size_t)rv], u);
        sol_index_route(s, rv);
        if (was_empty) { /* open the next empty vehicle of the same class */
            for (int v = 0; v < m; v++)
                if (!is_cand[v] && S->c.veh_class[v] == S->c.veh_class[rv] && !s->r[v].len) {
                    cand[nc++] = v;
                    is_cand[v] = 1;
                    for (int x = 0; x < np; x++)
                        best_in_route(S, &s->r[v], pool[x],
                                      &bc[(size_t)pool[x] * (size_t)m + (size_t)v],
                                      &bk[(size_t)pool[x] * (size_t)m + (size_t)v]);
                    break;
                }
        }
        for (int x = 0; x < np; x++)
            best_in_route(S, r, pool[x], &bc[(size_t)pool[x] * (size_t)m + (size_t)rv],
                          &bk[(size_t)pool[x] * (size_t)m + (size_t)rv]);
    }
    free(bc);
    free(bk);
    free(cand);
    free(pool);
    free(is_cand);
    sol_totals(S, s);
}

/*---------------------------------------------------------------------------------------
 * ruin: SISR adjacent string removal
 */

static void remove_positions(struct solver *S, struct sol *s, int v, int from, int cnt,
                             int keep_from, int keep_cnt, int *removed, int *nrem)
{
    struct dispatch_route *r = &s->r[v];
    int *seq = S->buf2, ns = 0;
    for (int k = 1; k <= r->len; k++) {
        int inside = k >= from && k < from + cnt;
        int kept = k >= keep_from && k < keep_from + keep_cnt;
        if (inside && !kept) {
            removed[(*nrem)++] = r->nd[k];
            s->rof[r->nd[k]] = -1;
        } else {
            seq[ns++] = r->nd[k];
        }
    }
    dispatch_route_set(&S->c, r, seq, ns);
    sol_index_route(s, v);
    if (!ns)
        s->used--;
}

static int ruin(struct solver *S, struct sol *s, int *removed)
{
    struct dispatch_rng *g = &S->g;
    int nrem = 0, assigned = S->n - s->nun;
    if (assigned <= 0 || s->used <= 0)
        return 0;
    double avg = (double)assigned / (double)s->used;
    double lsmax = avg < LMAX ? avg : LMAX;
    double ksmax = 4.0 * CBAR / (1.0 + lsmax) - 1.0;
    int ks = (int)(dispatch_rng_unit(g) * ksmax) + 1;
    int seed;
    do
        seed = dispatch_rng_below(g, S->n);
    while (s->rof[seed] < 0 && S->n > s->nun);
    S->tick++;
    int done = 0;
    for (int x = -1; x < S->nn_k && done < ks; x++) {
        int c = x < 0 ? seed : S->nn[(size_t)seed * (size_t)S->nn_k + (size_t)x];
        int v = s->rof[c];
        if (v < 0 || S->stamp[S->m + v] == S->tick)
            continue;
        S->stamp[S->m + v] = S->tick;
        const struct dispatch_route *r = &s->r[v];
        double lmax = r->len < lsmax ? r->len : lsmax;
        int l = (int)(dispatch_rng_unit(g) * lmax) + 1;
        if (l > r->len)
            l = r->len;
        int pc = s->pos[c];
        if (dispatch_rng_unit(g) < SPLIT_P && l < r->len) {
            /* split string: a string of l + keep, of which keep consecutive stay */
            int keep = 1;
            while (keep < r->len - l && dispatch_rng_unit(g) > 0.5)
                keep++;
            int tot = l + keep;
            int lo = pc - tot + 1 < 1 ? 1 : pc - tot + 1;
            int hi = pc < r->len - tot + 1 ? pc : r->len - tot + 1;
            int from = lo + dispatch_rng_below(g, hi - lo + 1);
            int kf = from + dispatch_rng_below(g, l + 1);
            remove_positions(S, s, v, from, tot, kf, keep, removed, &nrem);
        } else {
            int lo = pc - l + 1 < 1 ? 1 : pc - l + 1;
            int hi = pc < r->len - l + 1 ? pc : r->len - l + 1;
            int from = lo + dispatch_rng_below(g, hi - lo + 1);
            remove_positions(S, s, v, from, l, 0, 0, removed, &nrem);
        }
        done++;
    }
    return nrem;
}

/*---------------------------------------------------------------------------------------
 * recreate: greedy insertion with blinks, in one of several orders
 */

static void order_jobs(struct solver *S, int *jobs, int k)
{
    const struct dispatch_ctx *c = &S->c;
    double *key = S->key;
    int w = dispatch_rng_below(&S->g, 14);
    for (int x = 0; x < k; x++) {
        int u = jobs[x];
        double r = dispatch_rng_unit(&S->g);
        double depot = dispatch_d(c, c->n, u); /* from vehicle 0's start */
        if (w < 4)
            key[u] = r;
        else if (w < 8)
            key[u] = -(double)c->dem[u] - 1e-3 * r;
        else if (w < 10)
            key[u] = -depot;
        else if (w < 11)
            key[u] = depot;
        else if (w < 13)
            key[u] = c->due[u] - c->ready[u];
        else
            key[u] = c->ready[u];
        if (c->soft)
            key[u] -= 1e9 * c->prio[u];
    }
    sort_by(jobs, k, key);
}

static void recreate(struct solver *S, struct sol *s, int *jobs, int k, int max_routes)
{
    const struct dispatch_ctx *c = &S->c;
    struct dispatch_rng *g = &S->g;
    for (int x = 0; x < s->nun; x++)
        jobs[k++] = s->un[x];
    s->nun = 0;
    order_jobs(S, jobs, k);
    for (int x = 0; x < k; x++) {
        int u = jobs[x], bv = -1, bkk = -1;
        double best = DISPATCH_INF, d;
        S->tick++;
        for (int v = 0; v < S->m; v++) {
            const struct dispatch_route *r = &s->r[v];
            if (r->load + c->dem[u] > c->cap[v] || !c->elig[(size_t)u * (size_t)S->m + (size_t)v])
                continue;
            if (!r->len) {
                if (s->used >= max_routes || S->stamp[c->veh_class[v]] == S->tick)
                    continue;
                S->stamp[c->veh_class[v]] = S->tick;
            }
            for (int kk = 0; kk <= r->len; kk++) {
                if (dispatch_rng_unit(g) < BLINK)
                    continue;
                if (dispatch_eval_insert(c, r, kk, u, &d) && d < best) {
                    best = d;
                    bv = v;
                    bkk = kk;
                }
            }
        }
        if (bv < 0 || (c->soft && best >= c->w_unserved * c->prio[u])) {
            s->un[s->nun++] = u;
            continue;
        }
        if (!s->r[bv].len)
            s->used++;
        dispatch_apply_insert(c, &s->r[bv], bkk, u);
        sol_index_route(s, bv);
    }
    sol_totals(S, s);
}

/*---------------------------------------------------------------------------------------
 * granular local search
 */

static int try_moves(struct solver *S, struct sol *s, int u, int v)
{
    const struct dispatch_ctx *c = &S->c;
    int ru = s->rof[u], rv = s->rof[v];
    struct dispatch_route *a = &s->r[ru], *b = &s->r[rv];
    int iu = s->pos[u], iv = s->pos[v];
    double d;
    /* relocate u after v, then before v */
    for (int w = 0; w < 2; w++) {
        int j = w ? iv - 1 : iv;
        if (a == b && (j == iu || j == iu - 1))
            continue;
        if (dispatch_eval_relocate(c, a, iu, b, j, &d) && d < -IMPROVE) {
            dispatch_apply_relocate(c, a, iu, b, j);
            return 1;
        }
    }
    /* swap */
    if (dispatch_eval_swap(c, a, iu, b, iv, &d) && d < -IMPROVE) {
        dispatch_apply_swap(c, a, iu, b, iv);
        return 1;
    }
    if (a != b) {
        /* 2-opt*: make the edge u -> v, and the edge v -> u */
        if (dispatch_eval_2opt_star(c, a, iu, b, iv - 1, &d) && d < -IMPROVE) {
            dispatch_apply_2opt_star(c, a, iu, b, iv - 1);
            return 1;
        }
        if (dispatch_eval_2opt_star(c, b, iv, a, iu - 1, &d) && d < -IMPROVE) {
            dispatch_apply_2opt_star(c, b, iv, a, iu - 1);
            return 1;
        }
        /* or-opt: the string u.. of length 2 and 3 next to v */
        for (int k = 2; k <= 3 && iu + k - 1 <= a->len; k++)
            for (int w = 0; w < 2; w++) {
                int j = w ? iv - 1 : iv;
                if (dispatch_eval_oropt(c, a, iu, k, b, j, &d) && d < -IMPROVE) {
                    dispatch_apply_oropt(c, a, iu, k, b, j);
                    return 1;
                }
            }
    }
    return 0;
}

static void local_search(struct solver *S, struct sol *s)
{
    int *perm = S->buf;
    int kls = S->nn_k < LS_K ? S->nn_k : LS_K;
    for (int u = 0; u < S->n; u++)
        perm[u] = u;
    for (int u = S->n - 1; u > 0; u--) {
        int x = dispatch_rng_below(&S->g, u + 1), t = perm[u];
        perm[u] = perm[x];
        perm[x] = t;
    }
    int improved = 1, rounds = 0;
    while (improved && rounds++ < 50 && !stopped(S)) {
        improved = 0;
        for (int x = 0; x < S->n; x++) {
            int u = perm[x];
            if ((x & 63) == 63 && stopped(S))
                break;
            for (int y = 0; y < kls; y++) {
                if (s->rof[u] < 0)
                    break;
                int v = S->nn[(size_t)u * (size_t)S->nn_k + (size_t)y];
                if (s->rof[v] < 0)
                    continue;
                int ru = s->rof[u], rv = s->rof[v];
                if (try_moves(S, s, u, v)) {
                    sol_index_route(s, ru);
                    sol_index_route(s, rv);
                    improved = 1;
                }
            }
        }
    }
    sol_totals(S, s);
}

/*---------------------------------------------------------------------------------------
 * search phases
 */

static int fleet_lower_bound(const struct solver *S)
{
    long dem = 0;
    int cap = 0;
    for (int u = 0; u < S->n; u++)
        dem += S->c.dem[u];
    for (int v = 0; v < S->m; v++)
        if (S->c.cap[v] > cap)
            cap = S->c.cap[v];
    if (cap <= 0 || cap == INT32_MAX)
        return 1;
    long lb = (dem + cap - 1) / cap;
    return lb < 1 ? 1 : (int)lb;
}

static long sum_absence(const long *abs_, const struct sol *s)
{
    long t = 0;
    for (int x = 0; x < s->nun; x++)
        t += abs_[s->un[x]];
    return t;
}

/* remove one route of cur (random among the shortest half) into the unassigned bank */
static void drop_route(struct solver *S, struct sol *s)
{
    int *idx = S->buf, k = 0;
    for (int v = 0; v < S->m; v++)
        if (s->r[v].len)
            idx[k++] = v;
    if (!k)
        return;
    /* pick among the shortest routes with a bias */
    int best = idx[dispatch_rng_below(&S->g, k)];
    for (int t = 0; t < 2; t++) {
        int o = idx[dispatch_rng_below(&S->g, k)];
        if (s->r[o].len < s->r[best].len)
            best = o;
    }
    struct dispatch_route *r = &s->r[best];
    for (int x = 1; x <= r->len; x++) {
        s->un[s->nun++] = r->nd[x];
        s->rof[r->nd[x]] = -1;
    }
    dispatch_route_set(&S->c, r, NULL, 0);
    s->used--;
    sol_totals(S, s);
}

static void fleet_minimise(struct solver *S, struct sol *best, struct sol *cur, struct sol *cand,
                           int *removed, double until)
{
    long *absn = xcalloc((size_t)S->n, sizeof(long));
    int lb = fleet_lower_bound(S);
    sol_copy(S, cur, best);
    if (best->used > lb && best->nun == 0)
        drop_route(S, cur);
    while (cur->nun > 0 && best->used > lb && progress(S) < until) {
        sol_copy(S, cand, cur);
        int k = ruin(S, cand, removed);
        recreate(S, cand, removed, k, cur->used);
        S->iters++;
        for (int x = 0; x < cand->nun; x++)
            absn[cand->un[x]]++;
        if (cand->nun < cur->nun || sum_absence(absn, cand) < sum_absence(absn, cur))
            sol_copy(S, cur, cand);
        if (cur->nun == 0) {
            local_search(S, cur);
            sol_copy(S, best, cur);
            if (best->used <= lb)
                break;
            drop_route(S, cur);
        }
    }
    free(absn);
}

static void anneal(struct solver *S, struct sol *best, struct sol *cur, struct sol *cand,
                   int *removed, double from)
{
    int hier = S->pa->objective == DISPATCH_OBJ_HIERARCHICAL;
    /* temperatures relative to the mean nearest-neighbour distance */
    double nnd = 0;
    for (int u = 0; u < S->n && S->nn_k > 0; u++)
        nnd += dispatch_d(&S->c, u, S->nn[(size_t)u * (size_t)S->nn_k]);
    nnd = S->n ? nnd / S->n : 1.0;
    if (nnd <= 0)
        nnd = 1.0;
    double T0 = T_START * nnd, Tf = T_END * nnd;
    sol_copy(S, cur, best);
    double p;
    while ((p = progress(S)) < 1.0) {
        double q = (p - from) / (1.0 - from);
        if (q < 0)
            q = 0;
        double T = T0 * pow(Tf / T0, q);
        sol_copy(S, cand, cur);
        int k = ruin(S, cand, removed);
        int maxr = hier ? best->used : S->m;
        recreate(S, cand, removed, k, maxr);
        S->iters++;
        if (S->hard && cand->nun > 0)
            continue;
        if (better(S, cand, best)) {
            local_search(S, cand);
            sol_copy(S, best, cand);
            sol_copy(S, cur, cand);
            continue;
        }
        int accept;
        if (hier && cand->used != cur->used)
            accept = cand->used < cur->used;
        else
            accept = cand->cost < cur->cost - T * log(dispatch_rng_unit(&S->g) + 1e-300);
        if (accept)
            sol_copy(S, cur, cand);
    }
}

static void to_solution(struct solver *S, const struct sol *s, struct dispatch_solution *out)
{
    dispatch_solution_release(out);
    out->nveh = (size_t)S->m;
    out->off = xmalloc(((size_t)S->m + 1) * sizeof(size_t));
    out->seq = xmalloc(((size_t)S->n + 1) * sizeof(size_t));
    out->unassigned = xmalloc(((size_t)s->nun + 1) * sizeof(size_t));
    size_t k = 0;
    double dist = 0;
    for (int v = 0; v < S->m; v++) {
        out->off[v] = k;
        for (int x = 1; x <= s->r[v].len; x++)
            out->seq[k++] = (size_t)s->r[v].nd[x];
        dist += s->r[v].dist;
    }
    out->off[S->m] = k;
    for (int x = 0; x < s->nun; x++)
        out->unassigned[x] = (size_t)s->un[x];
    out->nunassigned = (size_t)s->nun;
    out->vehicles_used = (size_t)s->used;
    out->distance = dist;
    out->cost = s->cost;
}

enum sh_code dispatch_solve(const struct dispatch_problem *p, const struct dispatch_params *pa,
                            struct dispatch_solution *out, struct sh_err *e)
{
    struct solver S;
    memset(&S, 0, sizeof(S));
    enum sh_code rc = dispatch_ctx_init(&S.c, p, pa, e);
    if (rc != SH_OK)
        return rc;
    S.pa = pa;
    S.n = S.c.n;
    S.m = S.c.m;
    S.hard = pa->objective != DISPATCH_OBJ_SERVICE;
    S.stop = S.c.cancelled; /* stopped during the set-up: construct assigns nothing */
    S.t0 = pa->now_ms ? pa->now_ms(pa->clock_ctx) : 0;
    dispatch_rng_seed(&S.g, pa->seed);
    S.stamp = xcalloc(2 * (size_t)S.m, sizeof(int));
    S.buf = xmalloc(((size_t)S.n + (size_t)S.m) * sizeof(int));
    S.buf2 = xmalloc(((size_t)S.n + 2) * sizeof(int));
    S.key = xmalloc(((size_t)S.n + (size_t)S.m) * sizeof(double));
    int *removed = xmalloc(2 * ((size_t)S.n + 1) * sizeof(int));

    struct sol best, cur, cand;
    sol_init(&S, &best);
    sol_init(&S, &cur);
    sol_init(&S, &cand);

    construct(&S, &best);
    double construct_ms = elapsed(&S);
    if (!pa->construct_only && !S.stop) {
        build_neighbours(&S);
        local_search(&S, &best);
        double from = 0;
        if (pa->objective == DISPATCH_OBJ_HIERARCHICAL && best.nun == 0) {
            fleet_minimise(&S, &best, &cur, &cand, removed, FLEET_FR);
            from = progress(&S);
        }
        anneal(&S, &best, &cur, &cand, removed, from < 1.0 ? from : 0.0);
        local_search(&S, &best);
    }
    to_solution(&S, &best, out);
    out->iterations = S.iters;
    out->elapsed_ms = elapsed(&S);
    out->construct_ms = construct_ms;
    out->stopped = S.stop;

    sol_release(&S, &best);
    sol_release(&S, &cur);
    sol_release(&S, &cand);
    free(removed);
    free(S.nn);
    free(S.stamp);
    free(S.buf);
    free(S.buf2);
    free(S.key);
    dispatch_ctx_release(&S.c);
    return SH_OK;
}
