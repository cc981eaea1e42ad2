/* SPDX-License-Identifier: MIT */
/* dispatch internals shared by the solver, its move evaluators and their unit tests.
 *
 * Node numbering: jobs are nodes 0..n-1; vehicle v's start is node n+2v and its end
 * node n+2v+1, so every position of a route is a node with a location, a window, a
 * service time and a demand.
 *
 * A route keeps, per position k (0 = start depot, len+1 = end depot):
 *   st[k]  earliest start of service (forward propagation),
 *   ls[k]  latest start of service that keeps positions k..len+1 feasible (backward
 *          propagation; Savelsbergh's slack in its "latest start" form),
 *   cl[k]  cumulative load of positions 0..k, cd[k] distance travelled up to k.
 * With these, relocate / swap / 2-opt* / or-opt between two routes are evaluated in
 * O(1) (O(segment length) for or-opt). Moves inside one route, moves between vehicles
 * whose end depots differ, and every move under the SERVICE objective (whose SLA and
 * overtime costs are not slack-decomposable) fall back to dispatch_eval_seq, O(L). */
#ifndef DISPATCH_INT_H
#define DISPATCH_INT_H

#include <stdint.h>

#include "domain/dispatch/dispatch.h"

#define DISPATCH_INF 1e30

struct dispatch_route {
    int veh;
    int len; /* jobs on the route */
    int *nd; /* len + 2 nodes */
    double *st, *ls, *cd;
    int *cl;
    int load;
    double dist;
    double cost; /* dist, plus SLA and overtime costs under SERVICE */
};

struct dispatch_ctx {
    const struct dispatch_problem *p;
    int n, m, N, nloc;
    double *dist, *time; /* nloc x nloc */
    int *loc, *dem;      /* per node */
    double *ready, *due, *serv, *sla;
    int *prio;
    int *cap;            /* per vehicle, INT32_MAX when unlimited */
    double *maxd;        /* per vehicle, DISPATCH_INF when unlimited */
    int *veh_class;      /* smallest vehicle index with the same attributes */
    int *end_class;      /* smallest vehicle index with the same end depot and shift end */
    unsigned char *elig; /* n x m: job may go on vehicle */
    int soft;            /* SERVICE objective: SLA/overtime costs, O(L) evaluation */
    double w_sla, w_ot, w_unserved;
    int *scratch;  /* 2 x (n + 2) ints for slow-path sequences */
    int cancelled; /* params.cancel stopped the set-up: the matrices are incomplete */
};

/* Builds the matrices and per-node tables. Returns SH_INVALID on a bad problem. Asks
 * params.cancel before each row of the matrices; when it says stop, c->cancelled is set and
 * nothing may be solved on c (SH_OK: dispatch_solve answers with every job unassigned). */
SH_WUR enum sh_code dispatch_ctx_init(struct dispatch_ctx *c, const struct dispatch_problem *p,
                                      const struct dispatch_params *pa, struct sh_err *e);
void dispatch_ctx_release(struct dispatch_ctx *c);

static inline double dispatch_d(const struct dispatch_ctx *c, int a, int b)
{
    return c->dist[(size_t)c->loc[a] * (size_t)c->nloc + (size_t)c->loc[b]];
}
static inline double dispatch_t(const struct dispatch_ctx *c, int a, int b)
{
    return c->time[(size_t)c->loc[a] * (size_t)c->nloc + (size_t)c->loc[b]];
}

void dispatch_route_init(const struct dispatch_ctx *c, struct dispatch_route *r, int veh);
void dispatch_route_release(struct dispatch_route *r);
void dispatch_route_copy(struct dispatch_route *dst, const struct dispatch_route *src);
/* Replaces the jobs of r by jobs[0..len-1] and recomputes every table. */
void dispatch_route_set(const struct dispatch_ctx *c, struct dispatch_route *r, const int *jobs,
                        int len);
/* Recomputes st, ls, cl, cd, load, dist and cost from r->nd. Returns 1 if feasible. */
int dispatch_route_update(const struct dispatch_ctx *c, struct dispatch_route *r);

/* Reference evaluation by full simulation of vehicle veh serving jobs[0..len-1].
 * Returns 1 if feasible and sets *cost (route cost), else 0. */
int dispatch_eval_seq(const struct dispatch_ctx *c, int veh, const int *jobs, int len,
                      double *cost);

/* Move evaluators. Positions are route positions (jobs at 1..len). Each returns 1 if
 * the resulting routes are feasible and sets *delta to the change in total route cost
 * (not counting vehicles). Inputs must be feasible routes. */
/* insert job u between positions k and k+1 of r (0 <= k <= len) */
int dispatch_eval_insert(const struct dispatch_ctx *c, const struct dispatch_route *r, int k, int u,
                         double *delta);
/* move the job at position i of a to just after position j of b (b may equal a; then j
 * refers to positions of a before the removal) */
int dispatch_eval_relocate(const struct dispatch_ctx *c, const struct dispatch_route *a, int i,
                           const struct dispatch_route *b, int j, double *delta);
/* exchange the job at position i of a with the job at position j of b */
int dispatch_eval_swap(const struct dispatch_ctx *c, const struct dispatch_route *a, int i,
                       const struct dispatch_route *b, int j, double *delta);
/* a := a[0..i] + b[j+1..], b := b[0..j] + a[i+1..] (a != b; 0 <= i <= len_a, 0 <= j <= len_b) */
int dispatch_eval_2opt_star(const struct dispatch_ctx *c, const struct dispatch_route *a, int i,
                            const struct dispatch_route *b, int j, double *delta);
/* move a[i..i+k-1] (k >= 1) to just after position j of b (b may equal a, with j outside
 * the segment; positions before the removal) */
int dispatch_eval_oropt(const struct dispatch_ctx *c, const struct dispatch_route *a, int i, int k,
                        const struct dispatch_route *b, int j, double *delta);

/* Appliers: build the new job sequences (same semantics as the evaluators). */
void dispatch_apply_insert(const struct dispatch_ctx *c, struct dispatch_route *r, int k, int u);
void dispatch_apply_relocate(const struct dispatch_ctx *c, struct dispatch_route *a, int i,
                             struct dispatch_route *b, int j);
void dispatch_apply_swap(const struct dispatch_ctx *c, struct dispatch_route *a, int i,
                         struct dispatch_route *b, int j);
void dispatch_apply_2opt_star(const struct dispatch_ctx *c, struct dispatch_route *a, int i,
                              struct dispatch_route *b, int j);
void dispatch_apply_oropt(const struct dispatch_ctx *c, struct dispatch_route *a, int i, int k,
                          struct dispatch_route *b, int j);

/* Builds into out the job sequences that the moves above produce (for the slow path
 * and tests). Return the new lengths through la/lb. */
void dispatch_seq_relocate(const struct dispatch_route *a, int i, const struct dispatch_route *b,
                           int j, int *outa, int *la, int *outb, int *lb);
void dispatch_seq_oropt(const struct dispatch_route *a, int i, int k,
                        const struct dispatch_route *b, int j, int *outa, int *la, int *outb,
                        int *lb);
void dispatch_seq_swap(const struct dispatch_route *a, int i, const struct dispatch_route *b, int j,
                       int *outa, int *la, int *outb, int *lb);
void dispatch_seq_2opt_star(const struct dispatch_route *a, int i, const struct dispatch_route *b,
                            int j, int *outa, int *la, int *outb, int *lb);

/* small PCG32 generator */
struct dispatch_rng {
    uint64_t state, inc;
};
void dispatch_rng_seed(struct dispatch_rng *g, uint64_t seed);
uint32_t dispatch_rng_u32(struct dispatch_rng *g);
double dispatch_rng_unit(struct dispatch_rng *g);      /* [0, 1) */
int dispatch_rng_below(struct dispatch_rng *g, int n); /* [0, n), n >= 1 */

#endif
