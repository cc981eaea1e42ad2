/* SPDX-License-Identifier: MIT */
/* dispatch parsers: Solomon/Homberger instances, Pillac TRSP instances and SINTEF-style
 * route files, all from a memory buffer (the CLI does the file I/O). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"
#include "domain/dispatch/dispatch.h"

#define MAX_ROWS     200000
#define MAX_VEHICLES 10000 /* the largest benchmarks have 250; the count sizes an allocation */

/* a line cursor over a buffer that need not be NUL-terminated */
struct lines {
    const char *p, *end;
    size_t lineno;
    char line[4096];
};

/* copies the next line into L->line (trimmed); returns 0 at the end of the buffer,
 * -1 for an over-long line */
static int next_line(struct lines *L)
{
    if (L->p >= L->end)
        return 0;
    const char *s = L->p;
    while (L->p < L->end && *L->p != '\n')
        L->p++;
    size_t n = (size_t)(L->p - s);
    if (L->p < L->end)
        L->p++;
    L->lineno++;
    if (n >= sizeof(L->line))
        return -1;
    memcpy(L->line, s, n);
    L->line[n] = '\0';
    while (n && isspace((unsigned char)L->line[n - 1]))
        L->line[--n] = '\0';
    size_t k = 0;
    while (isspace((unsigned char)L->line[k]))
        k++;
    if (k)
        memmove(L->line, L->line + k, n - k + 1);
    return 1;
}

/* parses up to max numbers; returns how many, or -1 if a token is not a number */
static int numbers(const char *s, double *out, int max)
{
    int k = 0;
    for (;;) {
        while (isspace((unsigned char)*s))
            s++;
        if (!*s)
            return k;
        if (k == max)
            return -1;
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        if (end == s || errno || !isfinite(v) || (*end && !isspace((unsigned char)*end)))
            return -1;
        out[k++] = v;
        s = end;
    }
}

static int is_int(double v)
{
    return v == floor(v) && fabs(v) < 1e9;
}

void dispatch_instance_release(struct dispatch_instance *in)
{
    free(in->locs);
    free(in->jobs);
    free(in->vehicles);
    memset(in, 0, sizeof(*in));
}

static void set_name(struct dispatch_instance *out, const char *line)
{
    size_t k = 0;
    while (line[k] && !isspace((unsigned char)line[k]) && k + 1 < sizeof(out->name)) {
        out->name[k] = line[k];
        k++;
    }
    out->name[k] = '\0';
}

enum sh_code dispatch_parse_solomon(const char *buf, size_t len, struct dispatch_instance *out,
                                    struct sh_err *e)
{
    struct lines L = {buf, buf + len, 0, {0}};
    double v[8], (*rows)[7] = NULL;
    size_t nrows = 0, alloc = 0;
    long K = -1, Q = -1;
    int r, have_name = 0;
    enum sh_code rc = SH_OK;
    memset(out, 0, sizeof(*out));
    while ((r = next_line(&L)) != 0) {
        if (r < 0) {
            rc = sh_err_set(e, SH_INVALID, "line %zu: too long", L.lineno);
            goto fail;
        }
        if (!L.line[0])
            continue;
        if (!have_name) {
            set_name(out, L.line);
            have_name = 1;
            continue;
        }
        int k = numbers(L.line, v, 8);
        if (K < 0) {
            if (k < 0)
                continue; /* VEHICLE, NUMBER CAPACITY */
            if (k != 2 || !is_int(v[0]) || !is_int(v[1]) || v[0] < 1 || v[1] < 1) {
                rc = sh_err_set(e, SH_INVALID,
                                "line %zu: expected 'NUMBER CAPACITY' as two positive integers",
                                L.lineno);
                goto fail;
            }
            if (v[0] > MAX_VEHICLES) {
                rc = sh_err_set(e, SH_TOO_BIG, "line %zu: more than %d vehicles", L.lineno,
                                MAX_VEHICLES);
                goto fail;
            }
            K = (long)v[0];
            Q = (long)v[1];
            continue;
        }
        if (k < 0 && !nrows)
            continue; /* CUSTOMER and the column header */
        if (k != 7) {
            rc = sh_err_set(e, SH_INVALID, "line %zu: expected 7 numbers per customer row",
                            L.lineno);
            goto fail;
        }
        if (v[0] != (double)nrows || !is_int(v[3]) || v[3] < 0 || v[6] < 0 || v[4] > v[5]) {
            rc = sh_err_set(e, SH_INVALID,
                            "line %zu: bad customer row (number must be %zu, demand a "
                            "non-negative integer, ready <= due)",
                            L.lineno, nrows);
            goto fail;
        }
        if (nrows == MAX_ROWS) {
            rc = sh_err_set(e, SH_TOO_BIG, "more than %d customers", MAX_ROWS);
            goto fail;
        }
        if (nrows == alloc) {
            alloc = alloc ? 2 * alloc : 128;
            rows = xrealloc(rows, alloc * sizeof(*rows));
        }
        memcpy(rows[nrows++], v, sizeof(rows[0]));
    }
    if (K < 0) {
        rc = sh_err_set(e, SH_INVALID, "no vehicle line ('NUMBER CAPACITY') found");
        goto fail;
    }
    if (nrows < 2) {
        rc = sh_err_set(e, SH_INVALID, "expected a depot row and at least one customer");
        goto fail;
    }
    out->locs = xcalloc(nrows, sizeof(*out->locs));
    out->jobs = xcalloc(nrows - 1, sizeof(*out->jobs));
    out->vehicles = xcalloc((size_t)K, sizeof(*out->vehicles));
    for (size_t i = 0; i < nrows; i++) {
        out->locs[i].x = rows[i][1];
        out->locs[i].y = rows[i][2];
        if (!i)
            continue;
        struct dispatch_job *j = &out->jobs[i - 1];
        j->id = (long)i;
        j->loc = i;
        j->demand = (int)rows[i][3];
        j->ready = rows[i][4];
        j->due = rows[i][5];
        j->duration = rows[i][6];
        j->priority = 1;
        j->sla_due = -1;
        j->fixed_vehicle = -1;
    }
    for (long k = 0; k < K; k++) {
        struct dispatch_vehicle *w = &out->vehicles[k];
        w->start_loc = w->end_loc = 0;
        w->shift_start = rows[0][4];
        w->shift_end = rows[0][5];
        w->capacity = (int)Q;
    }
    out->p.nloc = nrows;
    out->p.locs = out->locs;
    out->p.njobs = nrows - 1;
    out->p.jobs = out->jobs;
    out->p.nveh = (size_t)K;
    out->p.vehicles = out->vehicles;
    out->p.travel.metric = DISPATCH_METRIC_EUCLID;
    free(rows);
    return SH_OK;
fail:
    free(rows);
    dispatch_instance_release(out);
    return rc;
}

/* "[0,2,3]" -> bitmask; returns pointer after ']' or NULL */
static const char *bracket_mask(const char *s, uint64_t *mask, int *count)
{
    while (isspace((unsigned char)*s))
        s++;
    if (*s != '[')
        return NULL;
    s++;
    *mask = 0;
    *count = 0;
    for (;;) {
        while (isspace((unsigned char)*s) || *s == ',')
            s++;
        if (*s == ']')
            return s + 1;
        char *end;
        long x = strtol(s, &end, 10);
        if (end == s || x < 0 || x > 63)
            return NULL;
        *mask |= (uint64_t)1 << x;
        (*count)++;
        s = end;
    }
}

struct trsp_row {
    double v[6];
    uint64_t skills;
};

enum sh_code dispatch_parse_trsp(const char *buf, size_t len, struct dispatch_instance *out,
                                 struct sh_err *e)
{
    struct lines L = {buf, buf + len, 0, {0}};
    struct trsp_row *rows = NULL;
    size_t nrows = 0, alloc = 0;
    long crew = -1;
    int r, have_name = 0;
    enum sh_code rc = SH_OK;
    memset(out, 0, sizeof(*out));
    while ((r = next_line(&L)) != 0) {
        if (r < 0) {
            rc = sh_err_set(e, SH_INVALID, "line %zu: too long", L.lineno);
            goto fail;
        }
        if (!L.line[0])
            continue;
        if (!have_name) {
            set_name(out, L.line);
            have_name = 1;
            continue;
        }
        double v[6];
        if (crew < 0) {
            int k = numbers(L.line, v, 6);
            if (k < 0)
                continue; /* INFO, header */
            if (k != 4 || !is_int(v[0]) || v[0] < 1) {
                rc = sh_err_set(e, SH_INVALID,
                                "line %zu: expected 'CREW SKILLS TOOLS PARTS' counts", L.lineno);
                goto fail;
            }
            crew = (long)v[0];
            continue;
        }
        if (!isdigit((unsigned char)L.line[0])) {
            if (nrows) {
                rc = sh_err_set(e, SH_INVALID, "line %zu: expected a row", L.lineno);
                goto fail;
            }
            continue;
        }
        /* six numbers, then [skills] [tools] [parts] */
        const char *s = L.line;
        for (int k = 0; k < 6; k++) {
            char *end;
            v[k] = strtod(s, &end);
            if (end == s || !isfinite(v[k])) {
                rc = sh_err_set(e, SH_INVALID, "line %zu: expected 6 numbers", L.lineno);
                goto fail;
            }
            s = end;
        }
        uint64_t skills, dummy;
        int cnt;
        if (!(s = bracket_mask(s, &skills, &cnt)) || !(s = bracket_mask(s, &dummy, &cnt))) {
            rc = sh_err_set(e, SH_INVALID, "line %zu: expected [skills] [tools] lists", L.lineno);
            goto fail;
        }
        if (v[0] != (double)nrows || v[3] > v[4] || v[5] < 0) {
            rc = sh_err_set(e, SH_INVALID, "line %zu: bad row (ID must be %zu, TWS <= TWE)",
                            L.lineno, nrows);
            goto fail;
        }
        if (nrows == MAX_ROWS) {
            rc = sh_err_set(e, SH_TOO_BIG, "too many rows");
            goto fail;
        }
        if (nrows == alloc) {
            alloc = alloc ? 2 * alloc : 128;
            rows = xrealloc(rows, alloc * sizeof(*rows));
        }
        memcpy(rows[nrows].v, v, sizeof(v));
        rows[nrows++].skills = skills;
    }
    if (crew < 0 || nrows < (size_t)crew + 2) {
        rc = sh_err_set(e, SH_INVALID, "expected a depot, %ld technicians and requests",
                        crew < 0 ? 0 : crew);
        goto fail;
    }
    size_t nt = (size_t)crew, nj = nrows - 1 - nt;
    out->is_trsp = 1;
    out->locs = xcalloc(nrows, sizeof(*out->locs));
    out->jobs = xcalloc(nj, sizeof(*out->jobs));
    out->vehicles = xcalloc(nt, sizeof(*out->vehicles));
    for (size_t i = 0; i < nrows; i++) {
        out->locs[i].x = rows[i].v[1];
        out->locs[i].y = rows[i].v[2];
    }
    for (size_t t = 0; t < nt; t++) {
        const struct trsp_row *w = &rows[1 + t];
        struct dispatch_vehicle *veh = &out->vehicles[t];
        veh->start_loc = veh->end_loc = 1 + t;
        veh->shift_start = w->v[3];
        veh->shift_end = w->v[4];
        veh->skills = w->skills;
        veh->capacity = -1;
    }
    for (size_t i = 0; i < nj; i++) {
        const struct trsp_row *q = &rows[1 + nt + i];
        struct dispatch_job *j = &out->jobs[i];
        j->id = (long)q->v[0];
        j->loc = 1 + nt + i;
        j->ready = q->v[3];
        j->due = q->v[4];
        j->duration = q->v[5];
        j->skills = q->skills;
        j->priority = 1;
        j->sla_due = -1;
        j->fixed_vehicle = -1;
    }
    out->p.nloc = nrows;
    out->p.locs = out->locs;
    out->p.njobs = nj;
    out->p.jobs = out->jobs;
    out->p.nveh = nt;
    out->p.vehicles = out->vehicles;
    out->p.travel.metric = DISPATCH_METRIC_EUCLID;
    free(rows);
    return SH_OK;
fail:
    free(rows);
    dispatch_instance_release(out);
    return rc;
}

enum sh_code dispatch_parse_instance(const char *buf, size_t len, struct dispatch_instance *out,
                                     struct sh_err *e)
{
    static const char marker[] = "TECHNICIANS";
    size_t ml = sizeof(marker) - 1;
    for (size_t i = 0; i + ml <= len && i < 4096; i++)
        if (!memcmp(buf + i, marker, ml))
            return dispatch_parse_trsp(buf, len, out, e);
    return dispatch_parse_solomon(buf, len, out, e);
}

enum sh_code dispatch_parse_routes(const char *buf, size_t len, const struct dispatch_problem *p,
                                   struct dispatch_solution *out, struct sh_err *e)
{
    struct lines L = {buf, buf + len, 0, {0}};
    size_t nroutes = 0, nseq = 0, seq_alloc = 64;
    long maxid = 0;
    int r;
    enum sh_code rc = SH_OK;
    dispatch_solution_release(out);
    for (size_t j = 0; j < p->njobs; j++)
        if (p->jobs[j].id > maxid)
            maxid = p->jobs[j].id;
    if (maxid > 10000000)
        return sh_err_set(e, SH_TOO_BIG, "job ids too large");
    long *map = xmalloc(((size_t)maxid + 1) * sizeof(long));
    size_t *tmp = xmalloc(seq_alloc * sizeof(size_t));
    size_t *rstart = xcalloc(p->nveh, sizeof(size_t)), *rlen = xcalloc(p->nveh, sizeof(size_t));
    char *used = xcalloc(p->nveh, 1);
    for (long i = 0; i <= maxid; i++)
        map[i] = -1;
    for (size_t j = 0; j < p->njobs; j++)
        if (p->jobs[j].id >= 0)
            map[p->jobs[j].id] = (long)j;
    while ((r = next_line(&L)) != 0) {
        if (r < 0) {
            rc = sh_err_set(e, SH_INVALID, "line %zu: too long", L.lineno);
            goto out;
        }
        if (strncasecmp(L.line, "route", 5) != 0)
            continue;
        const char *colon = strchr(L.line, ':');
        char *end;
        long rn = strtol(L.line + 5, &end, 10);
        while (isspace((unsigned char)*end))
            end++;
        if (!colon || end != colon || rn < 1) {
            rc = sh_err_set(e, SH_INVALID, "line %zu: expected 'Route N : ids'", L.lineno);
            goto out;
        }
        if ((size_t)rn > p->nveh) {
            rc = sh_err_set(e, SH_INVALID, "line %zu: route %ld but only %zu vehicles", L.lineno,
                            rn, p->nveh);
            goto out;
        }
        size_t v = (size_t)rn - 1;
        if (used[v]) {
            rc = sh_err_set(e, SH_INVALID, "line %zu: route %ld appears twice", L.lineno, rn);
            goto out;
        }
        used[v] = 1;
        rstart[v] = nseq;
        const char *s = colon + 1;
        for (;;) {
            while (isspace((unsigned char)*s))
                s++;
            if (!*s)
                break;
            errno = 0;
            long id = strtol(s, &end, 10);
            if (end == s || errno || (*end && !isspace((unsigned char)*end))) {
                rc = sh_err_set(e, SH_INVALID, "line %zu: '%.20s' is not a job id", L.lineno, s);
                goto out;
            }
            if (id < 0 || id > maxid || map[id] < 0) {
                rc = sh_err_set(e, SH_INVALID, "line %zu: unknown job id %ld", L.lineno, id);
                goto out;
            }
            if (nseq == seq_alloc) {
                seq_alloc *= 2;
                tmp = xrealloc(tmp, seq_alloc * sizeof(size_t));
            }
            tmp[nseq++] = (size_t)map[id];
            s = end;
        }
        rlen[v] = nseq - rstart[v];
        nroutes++;
    }
    if (!nroutes) {
        rc = sh_err_set(e, SH_INVALID, "no 'Route N : ...' lines found");
        goto out;
    }
    out->nveh = p->nveh;
    out->off = xcalloc(p->nveh + 1, sizeof(size_t));
    out->seq = xmalloc((nseq + 1) * sizeof(size_t));
    size_t k = 0;
    for (size_t v = 0; v < p->nveh; v++) {
        out->off[v] = k;
        for (size_t x = 0; x < rlen[v]; x++)
            out->seq[k++] = tmp[rstart[v] + x];
    }
    out->off[p->nveh] = k;
out:
    free(map);
    free(tmp);
    free(rstart);
    free(rlen);
    free(used);
    return rc;
}
