/* SPDX-License-Identifier: MIT */
/* shouhou optimize: solve a Solomon/Homberger VRPTW or Pillac TRSP instance, or check a
 * route file against an instance. The file I/O lives here; the solver is pure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/xalloc.h"
#include "cli/cli.h"
#include "domain/dispatch/dispatch.h"

#define MAX_FILE (64u << 20)

static void usage(FILE *f)
{
    fprintf(f, "usage: shouhou optimize FILE [--budget-ms N] [--max-iters N] [--seed S]\n"
               "                        [--objective hierarchical|distance] [--out ROUTES_FILE]\n"
               "       shouhou optimize --check FILE SOLUTION [--objective "
               "hierarchical|distance]\n"
               "\n"
               "hierarchical: vehicles first, then distance, exact double Euclidean (SINTEF).\n"
               "distance: distance only, distances and times truncated to 1 decimal (DIMACS);\n"
               "          for TRSP instances exact double Euclidean.\n"
               "Routes are written as 'Route N : id id ...' (N = vehicle number).\n");
}

static double now_ms(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* reads a whole file; returns NULL with a message on stderr */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "shouhou optimize: cannot open '%s': %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap >= MAX_FILE) {
                fprintf(stderr, "shouhou optimize: '%s' is larger than %u bytes\n", path, MAX_FILE);
                free(buf);
                fclose(f);
                return NULL;
            }
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        fprintf(stderr, "shouhou optimize: cannot read '%s'\n", path);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

static int load_instance(const char *path, struct dispatch_instance *in)
{
    size_t len;
    char *buf = slurp(path, &len);
    if (!buf)
        return 1;
    struct sh_err e = {0};
    enum sh_code rc = dispatch_parse_instance(buf, len, in, &e);
    free(buf);
    if (rc != SH_OK) {
        fprintf(stderr, "shouhou optimize: %s: %s\n", path, e.msg);
        return 1;
    }
    return 0;
}

static int parse_long(const char *s, long lo, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo)
        return -1;
    *out = v;
    return 0;
}

static int write_routes(const char *path, const struct dispatch_instance *in,
                        const struct dispatch_solution *s, const char *objective)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "shouhou optimize: cannot write '%s': %s\n", path, strerror(errno));
        return 1;
    }
    fprintf(f,
            "Instance name : %s\nAuthors       : shouhou optimize\nObjective     : %s\n"
            "Solution\n",
            in->name, objective);
    for (size_t v = 0; v < s->nveh; v++) {
        if (s->off[v + 1] == s->off[v])
            continue;
        fprintf(f, "Route %zu :", v + 1);
        for (size_t k = s->off[v]; k < s->off[v + 1]; k++)
            fprintf(f, " %ld", in->jobs[s->seq[k]].id);
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "shouhou optimize: cannot write '%s'\n", path);
        return 1;
    }
    return 0;
}

static int do_check(const char *inst_path, const char *sol_path, int distance_obj)
{
    struct dispatch_instance in;
    struct dispatch_solution s;
    struct dispatch_check_report rep;
    struct sh_err e = {0};
    int ret = 1;
    dispatch_solution_init(&s);
    if (load_instance(inst_path, &in))
        return 1;
    if (distance_obj && !in.is_trsp) /* DIMACS convention for Solomon/Homberger only */
        in.p.travel.metric = DISPATCH_METRIC_EUCLID_TRUNC1;
    size_t len;
    char *buf = slurp(sol_path, &len);
    if (!buf)
        goto out;
    enum sh_code rc = dispatch_parse_routes(buf, len, &in.p, &s, &e);
    free(buf);
    if (rc != SH_OK) {
        fprintf(stderr, "shouhou optimize: %s: %s\n", sol_path, e.msg);
        goto out;
    }
    rc = dispatch_check(&in.p, &s, 1, 0, &rep, &e);
    if (rc != SH_OK) {
        printf("infeasible: %s\n", e.msg);
        fprintf(stderr, "shouhou optimize: %s is infeasible: %s\n", sol_path, e.msg);
        goto out;
    }
    printf("feasible\nvehicles %zu\ndistance %.4f\nduration %.4f\n", rep.vehicles, rep.distance,
           rep.duration);
    ret = 0;
out:
    dispatch_solution_release(&s);
    dispatch_instance_release(&in);
    return ret;
}

int cmd_optimize(int argc, char **argv)
{
    const char *file = NULL, *out = NULL, *check_sol = NULL, *objective = "hierarchical";
    long budget = -1, iters = -1, seed = 1;
    int check = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_val = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--check")) {
            check = 1;
        } else if (!strcmp(a, "--budget-ms") && has_val) {
            if (parse_long(argv[++i], 1, &budget))
                goto bad;
        } else if (!strcmp(a, "--max-iters") && has_val) {
            if (parse_long(argv[++i], 1, &iters))
                goto bad;
        } else if (!strcmp(a, "--seed") && has_val) {
            if (parse_long(argv[++i], 0, &seed))
                goto bad;
        } else if (!strcmp(a, "--objective") && has_val) {
            objective = argv[++i];
            if (strcmp(objective, "hierarchical") && strcmp(objective, "distance"))
                goto bad;
        } else if (!strcmp(a, "--out") && has_val) {
            out = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "shouhou optimize: unknown or incomplete option '%s'\n", a);
            usage(stderr);
            return 2;
        } else if (!file) {
            file = a;
        } else if (check && !check_sol) {
            check_sol = a;
        } else {
            fprintf(stderr, "shouhou optimize: unexpected argument '%s'\n", a);
            usage(stderr);
            return 2;
        }
        continue;
    bad:
        fprintf(stderr, "shouhou optimize: bad value '%s' for %s\n", argv[i], a);
        usage(stderr);
        return 2;
    }
    int distance_obj = !strcmp(objective, "distance");
    if (check) {
        if (!file || !check_sol || out || budget > 0 || iters > 0) {
            fprintf(stderr, "shouhou optimize: --check needs FILE and SOLUTION only\n");
            usage(stderr);
            return 2;
        }
        return do_check(file, check_sol, distance_obj);
    }
    if (!file) {
        fprintf(stderr, "shouhou optimize: missing FILE\n");
        usage(stderr);
        return 2;
    }
    if (budget <= 0 && iters <= 0)
        budget = 1000;

    struct dispatch_instance in;
    if (load_instance(file, &in))
        return 1;
    if (distance_obj && !in.is_trsp) /* DIMACS convention for Solomon/Homberger only */
        in.p.travel.metric = DISPATCH_METRIC_EUCLID_TRUNC1;
    struct dispatch_params pa;
    dispatch_params_init(&pa);
    pa.objective = distance_obj ? DISPATCH_OBJ_DISTANCE : DISPATCH_OBJ_HIERARCHICAL;
    pa.seed = (uint64_t)seed;
    pa.budget_ms = budget;
    pa.max_iters = iters;
    pa.now_ms = now_ms;
    struct dispatch_solution s;
    struct dispatch_check_report rep;
    struct sh_err e = {0};
    int ret = 1;
    dispatch_solution_init(&s);
    if (dispatch_solve(&in.p, &pa, &s, &e) != SH_OK) {
        fprintf(stderr, "shouhou optimize: %s: %s\n", file, e.msg);
        goto done;
    }
    enum sh_code rc = dispatch_check(&in.p, &s, 0, 0, &rep, &e);
    printf("instance %s\nobjective %s\nvehicles %zu\ndistance %.4f\nduration %.4f\n"
           "unassigned %zu\ntime_ms %.1f\nconstruct_ms %.2f\niterations %ld\n",
           in.name, objective, s.vehicles_used, rep.distance, rep.duration, s.nunassigned,
           s.elapsed_ms, s.construct_ms, s.iterations);
    if (rc != SH_OK) {
        fprintf(stderr, "shouhou optimize: internal error, solution fails the checker: %s\n",
                e.msg);
        goto done;
    }
    if (out && write_routes(out, &in, &s, objective))
        goto done;
    if (s.nunassigned) {
        fprintf(stderr, "shouhou optimize: %zu jobs could not be served\n", s.nunassigned);
        goto done;
    }
    ret = 0;
done:
    dispatch_solution_release(&s);
    dispatch_instance_release(&in);
    return ret;
}
