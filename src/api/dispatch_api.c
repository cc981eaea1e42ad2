/* SPDX-License-Identifier: MIT */
/* The dispatch API (issue 5): POST /dispatch/solve plans a day for a set of jobs and
 * technicians; POST /dispatch/slots proposes appointment slots for one new job against
 * the technicians' current routes. The handlers parse the request into the typed input
 * of the planning use cases (src/app/dispatch.h), call them and render the answer.
 *
 * Time inside is minutes after local midnight (UTC+8) of the plan's date. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/handlers.h"
#include "app/dispatch.h"
#include "base/date.h"

#define UTC_OFFSET_MIN 480 /* the company's time zone: Asia/Shanghai */

/* The request being parsed: its JSON (which owns the strings the input points to)
 * and the plan's local midnight. */
struct req {
    struct api_ctx *c;
    json_t *root;
    int64_t midnight; /* epoch seconds of local midnight */
};

static enum sh_code bad(struct sh_err *e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum sh_code bad(struct sh_err *e, const char *field, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sh_err_field(e, SH_INVALID, field, "%s", msg);
}

static const char *pathf(struct req *q, const char *path, const char *name)
{
    return *path ? sh_arena_printf(q->c->a, "%s.%s", path, name) : name;
}

/* Rejects members other than those listed (NULL-terminated). */
static enum sh_code only_keys(struct req *q, json_t *o, const char *path, const char *const *keys,
                              struct sh_err *e)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        bool ok = false;
        for (const char *const *p = keys; *p && !ok; p++)
            ok = !strcmp(*p, k);
        if (!ok) {
            const char *f = pathf(q, path, k);
            return bad(e, f, "unknown field '%s'", f);
        }
    }
    return SH_OK;
}

static enum sh_code get_num(json_t *o, const char *name, const char *field, bool required,
                            double lo, double hi, double dflt, double *out, struct sh_err *e)
{
    json_t *v = json_object_get(o, name);
    if (!v || json_is_null(v)) {
        if (required)
            return bad(e, field, "'%s' is required", field);
        *out = dflt;
        return SH_OK;
    }
    if (!json_is_number(v))
        return bad(e, field, "'%s' must be a number", field);
    double d = json_number_value(v);
    if (!isfinite(d) || d < lo || d > hi)
        return bad(e, field, "'%s' must be between %g and %g", field, lo, hi);
    *out = d;
    return SH_OK;
}

/* "HH:MM" on the plan's date, or an RFC 3339 timestamp: minutes after local midnight. */
static enum sh_code get_time(struct req *q, json_t *v, const char *field, double *out,
                             struct sh_err *e)
{
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (s && strlen(s) == 5 && s[2] == ':') {
        int h, m;
        if (sscanf(s, "%2d:%2d", &h, &m) == 2 && h >= 0 && h <= 24 && m >= 0 && m <= 59 &&
            (h < 24 || m == 0)) {
            *out = h * 60 + m;
            return SH_OK;
        }
    }
    int64_t t;
    if (s && sh_ts_parse(s, &t)) {
        *out = (double)(t - q->midnight) / 60.0;
        return SH_OK;
    }
    return bad(e, field, "'%s' must be a time \"HH:MM\" or a timestamp \"YYYY-MM-DDTHH:MM:SSZ\"",
               field);
}

/* {"start": T, "end": T} */
static enum sh_code get_window(struct req *q, json_t *o, const char *path, double *ready,
                               double *due, struct sh_err *e)
{
    static const char *const keys[] = {"start", "end", NULL};
    if (!json_is_object(o))
        return bad(e, path, "'%s' must be an object {\"start\", \"end\"}", path);
    enum sh_code rc = only_keys(q, o, path, keys, e);
    if (rc)
        return rc;
    const char *fs = pathf(q, path, "start"), *fe = pathf(q, path, "end");
    json_t *s = json_object_get(o, "start"), *en = json_object_get(o, "end");
    if (!s)
        return bad(e, fs, "'%s' is required", fs);
    if (!en)
        return bad(e, fe, "'%s' is required", fe);
    if ((rc = get_time(q, s, fs, ready, e)) || (rc = get_time(q, en, fe, due, e)))
        return rc;
    if (*due < *ready)
        return bad(e, fe, "'%s' is before '%s'", fe, fs);
    return SH_OK;
}

/* An id: a string of 1 to 60 characters or an integer. */
static bool get_key(json_t *v, struct dp_key *k)
{
    if (json_is_integer(v)) {
        *k = (struct dp_key){.kind = DP_KEY_INT, .i = json_integer_value(v)};
        return true;
    }
    if (json_is_string(v) && *json_string_value(v) && strlen(json_string_value(v)) <= 60) {
        *k = (struct dp_key){.kind = DP_KEY_STR, .s = json_string_value(v)};
        return true;
    }
    return false;
}

/* A string or an array of strings joined with commas. */
static enum sh_code text_or_list(struct req *q, json_t *v, const char *field, const char **out,
                                 struct sh_err *e)
{
    *out = NULL;
    if (!v || json_is_null(v))
        return SH_OK;
    if (json_is_string(v)) {
        *out = json_string_value(v);
        return SH_OK;
    }
    if (!json_is_array(v))
        return bad(e, field, "'%s' must be a string or an array of strings", field);
    struct sh_buf b = SH_BUF_INIT(8192);
    size_t i;
    json_t *x;
    enum sh_code rc = SH_OK;
    json_array_foreach(v, i, x)
    {
        if (!json_is_string(x) || strchr(json_string_value(x), ',')) {
            rc = bad(e, field, "'%s' must be an array of strings", field);
            break;
        }
        if (sh_buf_addf(&b, "%s%s", i ? "," : "", json_string_value(x))) {
            rc = bad(e, field, "'%s' is too long", field);
            break;
        }
    }
    if (!rc)
        *out = sh_arena_strdup(q->c->a, b.buf ? b.buf : "");
    sh_buf_release(&b);
    return rc;
}

static enum sh_code tech_lists(struct req *q, json_t *o, const char *path, struct dp_tech_in *t,
                               struct sh_err *e)
{
    json_t *sv = json_object_get(o, "shift");
    if (sv && !json_is_string(sv))
        return bad(e, pathf(q, path, "shift"), "'%s.shift' must be a string", path);
    t->shift = sv ? json_string_value(sv) : "1-7 08:30-17:30";
    enum sh_code rc;
    if ((rc = text_or_list(q, json_object_get(o, "skills"), pathf(q, path, "skills"), &t->skills,
                           e)) ||
        (rc = text_or_list(q, json_object_get(o, "authorisations"),
                           pathf(q, path, "authorisations"), &t->authorisations, e)) ||
        (rc = text_or_list(q, json_object_get(o, "leave_periods"), pathf(q, path, "leave_periods"),
                           &t->leave, e)))
        return rc;
    return SH_OK;
}

static enum sh_code parse_inline_tech(struct req *q, json_t *o, const char *path,
                                      struct dp_tech_in *t, struct sh_err *e)
{
    static const char *const keys[] = {
        "id",     "name",           "latitude",      "longitude",     "shift",
        "skills", "authorisations", "leave_periods", "max_travel_km", NULL};
    enum sh_code rc = only_keys(q, o, path, keys, e);
    if (rc)
        return rc;
    const char *fid = pathf(q, path, "id");
    if (!get_key(json_object_get(o, "id"), &t->key))
        return bad(e, fid, "'%s' is required: a string (1 to 60 characters) or an integer", fid);
    json_t *nm = json_object_get(o, "name");
    t->name = json_is_string(nm) ? json_string_value(nm) : NULL;
    if ((rc = get_num(o, "latitude", pathf(q, path, "latitude"), true, -90, 90, 0, &t->lat, e)) ||
        (rc = get_num(o, "longitude", pathf(q, path, "longitude"), true, -180, 180, 0, &t->lon,
                      e)) ||
        (rc = get_num(o, "max_travel_km", pathf(q, path, "max_travel_km"), false, 0, 5000, 0,
                      &t->max_km, e)))
        return rc;
    return tech_lists(q, o, path, t, e);
}

static enum sh_code parse_techs(struct req *q, json_t *ts, struct dp_common_in *ci,
                                struct sh_err *e)
{
    if (ts && !json_is_array(ts))
        return bad(e, "technicians", "'technicians' must be an array of ids or objects");
    if (ts && json_array_size(ts) > DISPATCH_MAX_TECHS)
        return bad(e, "technicians", "at most %d technicians", DISPATCH_MAX_TECHS);
    ci->all_stored = !ts;
    if (!ts)
        return SH_OK;
    ci->ntechs = json_array_size(ts);
    if (ci->ntechs == 0)
        return bad(e, "technicians", "'technicians' is empty");
    struct dp_tech_in *t = sh_arena_alloc(q->c->a, sizeof *t * ci->ntechs);
    memset(t, 0, sizeof *t * ci->ntechs);
    ci->techs = t;
    size_t i;
    json_t *x;
    json_array_foreach(ts, i, x)
    {
        const char *path = sh_arena_printf(q->c->a, "technicians[%zu]", i);
        enum sh_code rc = SH_OK;
        if (json_is_integer(x) && json_integer_value(x) > 0)
            t[i].stored_id = json_integer_value(x);
        else if (json_is_integer(x))
            rc = bad(e, path, "technician %" JSON_INTEGER_FORMAT " not found",
                     json_integer_value(x));
        else if (json_is_object(x))
            rc = parse_inline_tech(q, x, path, &t[i], e);
        else
            rc = bad(e, path, "'%s' must be a technician id or an object", path);
        if (rc)
            return rc;
    }
    return SH_OK;
}

/* date, travel, technicians: the part shared by both endpoints. */
static enum sh_code parse_common(struct req *q, struct dp_common_in *ci, struct sh_err *e)
{
    json_t *d = json_object_get(q->root, "date");
    if (!d)
        return bad(e, "date", "'date' is required (YYYY-MM-DD)");
    if (!json_is_string(d) || !sh_date_parse(json_string_value(d), &ci->date))
        return bad(e, "date", "'date' must be a date YYYY-MM-DD");
    q->midnight = sh_days_from_civil(ci->date.y, ci->date.m, ci->date.d) * 86400 -
                  (int64_t)UTC_OFFSET_MIN * 60;
    ci->road_factor = 1.3;
    ci->speed_kmh = 40;
    json_t *tr = json_object_get(q->root, "travel");
    if (tr) {
        static const char *const keys[] = {"road_factor", "speed_kmh", NULL};
        enum sh_code rc;
        if (!json_is_object(tr))
            return bad(e, "travel", "'travel' must be an object");
        if ((rc = only_keys(q, tr, "travel", keys, e)) ||
            (rc = get_num(tr, "road_factor", "travel.road_factor", false, 1, 3, 1.3,
                          &ci->road_factor, e)) ||
            (rc = get_num(tr, "speed_kmh", "travel.speed_kmh", false, 5, 150, 40, &ci->speed_kmh,
                          e)))
            return rc;
    }
    return parse_techs(q, json_object_get(q->root, "technicians"), ci, e);
}

/* Required skills of a job: "code" or "code:level" (checked by the use case). */
static enum sh_code parse_req_skills(struct req *q, json_t *v, const char *field,
                                     struct dp_job_in *j, struct sh_err *e)
{
    if (!v || json_is_null(v))
        return SH_OK;
    if (!json_is_array(v))
        return bad(e, field, "'%s' must be an array of skill codes", field);
    if (json_array_size(v) > 16)
        return bad(e, field, "'%s' has more than 16 skills", field);
    const char **s = sh_arena_alloc(q->c->a, sizeof(char *) * (json_array_size(v) + 1));
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        if (!json_is_string(x))
            return bad(e, field, "'%s' must be an array of skill codes", field);
        s[i] = json_string_value(x);
    }
    j->skills = s;
    j->nskills = (int)json_array_size(v);
    return SH_OK;
}

/* window and appointment: the start of service must fall inside both */
static enum sh_code parse_windows(struct req *q, json_t *o, const char *path, struct dp_job_in *j,
                                  struct sh_err *e)
{
    enum sh_code rc;
    j->ready = 0;
    j->due = DISPATCH_DAY_MIN;
    json_t *w = json_object_get(o, "window"), *ap = json_object_get(o, "appointment");
    double r2, d2;
    if (w && (rc = get_window(q, w, pathf(q, path, "window"), &j->ready, &j->due, e)))
        return rc;
    if (ap) {
        if ((rc = get_window(q, ap, pathf(q, path, "appointment"), &r2, &d2, e)))
            return rc;
        j->ready = w ? fmax(j->ready, r2) : r2;
        j->due = w ? fmin(j->due, d2) : d2;
    }
    json_t *st = json_object_get(o, "start");
    if (st) { /* a planned start (slots: jobs already on a route) */
        double s;
        if ((rc = get_time(q, st, pathf(q, path, "start"), &s, e)))
            return rc;
        j->ready = j->due = s;
    }
    j->empty_window = j->due < j->ready || j->due < 0 || j->ready > DISPATCH_DAY_MIN;
    json_t *sla = json_object_get(o, "sla_due");
    if (sla && !json_is_null(sla)) {
        if ((rc = get_time(q, sla, pathf(q, path, "sla_due"), &j->sla_due, e)))
            return rc;
        if (j->sla_due < 0)
            j->sla_due = 0; /* already due: every start is late */
    }
    return SH_OK;
}

static enum sh_code job_numbers(struct req *q, json_t *o, const char *path, struct dp_job_in *j,
                                struct sh_err *e)
{
    double pr;
    enum sh_code rc;
    if ((rc = get_num(o, "latitude", pathf(q, path, "latitude"), true, -90, 90, 0, &j->lat, e)) ||
        (rc = get_num(o, "longitude", pathf(q, path, "longitude"), true, -180, 180, 0, &j->lon,
                      e)) ||
        (rc = get_num(o, "duration", pathf(q, path, "duration"), true, 1, 1440, 0, &j->duration,
                      e)) ||
        (rc = get_num(o, "priority", pathf(q, path, "priority"), false, 1, 1000, 1, &pr, e)))
        return rc;
    if (pr != floor(pr))
        return bad(e, pathf(q, path, "priority"), "'%s.priority' must be an integer", path);
    j->priority = (int)pr;
    return SH_OK;
}

static enum sh_code parse_job(struct req *q, json_t *o, const char *path, bool need_id,
                              struct dp_job_in *j, struct sh_err *e)
{
    static const char *const keys[] = {
        "id",       "latitude", "longitude",  "duration", "window", "appointment", "skills",
        "priority", "sla_due",  "technician", "start",    "name",   NULL};
    if (!json_is_object(o))
        return bad(e, path, "'%s' must be an object", path);
    enum sh_code rc = only_keys(q, o, path, keys, e);
    if (rc)
        return rc;
    memset(j, 0, sizeof *j);
    j->sla_due = -1;
    json_t *id = json_object_get(o, "id");
    const char *fid = pathf(q, path, "id");
    if ((need_id || id) && !get_key(id, &j->key))
        return bad(e, fid, "'%s' is required: a string (1 to 60 characters) or an integer", fid);
    if ((rc = job_numbers(q, o, path, j, e)) || (rc = parse_windows(q, o, path, j, e)) ||
        (rc = parse_req_skills(q, json_object_get(o, "skills"), pathf(q, path, "skills"), j, e)))
        return rc;
    json_t *ft = json_object_get(o, "technician");
    if (ft && !json_is_null(ft) && !(json_is_integer(ft) || json_is_string(ft)))
        return bad(e, pathf(q, path, "technician"),
                   "'%s.technician' is not one of the request's technicians", path);
    if (json_is_integer(ft))
        j->technician = (struct dp_key){.kind = DP_KEY_INT, .i = json_integer_value(ft)};
    else if (json_is_string(ft))
        j->technician = (struct dp_key){.kind = DP_KEY_STR, .s = json_string_value(ft)};
    return SH_OK;
}

/* ---- rendering ---- */

static void k_time(struct req *q, struct jw *w, const char *k, double minutes)
{
    char ts[21];
    sh_ts_format(q->midnight + (int64_t)llround(minutes * 60.0), ts);
    jw_kstr(w, k, ts);
    int64_t lm = (int)llround(minutes);
    char hm[16];
    snprintf(hm, sizeof hm, "%02d:%02d", (int)((lm / 60) % 100), (int)(lm % 60 + 60) % 60);
    jw_kstr(w, sh_arena_printf(q->c->a, "%s_local", k), hm);
}

static void k_key(struct jw *w, const char *k, const struct dp_key *v)
{
    jw_key(w, k);
    if (v && v->kind == DP_KEY_INT)
        jw_int(w, v->i);
    else if (v && v->kind == DP_KEY_STR)
        jw_str(w, v->s);
    else
        jw_null(w);
}

static double r2(double x)
{
    return round(x * 100) / 100;
}

static double r1(double x)
{
    return round(x * 10) / 10;
}

static void reply(struct api_ctx *c, struct sh_buf *b, struct jw *w)
{
    if (jw_finish(w) == SH_OK)
        api_reply_json(c, 200, b);
    else
        api_reply_error(c, SH_TOO_BIG, NULL, "the answer is too large");
    sh_buf_release(b);
}

static enum sh_code load_body(struct api_ctx *c, struct req *q, struct sh_err *e)
{
    memset(q, 0, sizeof *q);
    q->c = c;
    return api_load_object(c->req->body.buf, c->req->body.len, &q->root, e);
}

/* The use-case context of a request: its arena and principal, no transaction (the
 * planning reads in a short transaction of its own and then computes). */
static struct uc request_uc(struct api_ctx *c)
{
    return (struct uc){
        .tx = NULL, .a = c->a, .who = &c->who, .now = (int64_t)time(NULL), .app = c->app};
}

/* ---- POST /dispatch/solve ---- */

/* Nobody waits for the plan any more: the client has gone, or the server is stopping. */
static bool abandoned(void *ctx)
{
    return http_abandoned(ctx);
}

static enum sh_code parse_jobs(struct req *q, struct dispatch_plan_in *in, struct sh_err *e)
{
    json_t *js = json_object_get(q->root, "jobs");
    if (!js || !json_is_array(js) || json_array_size(js) == 0)
        return bad(e, "jobs", "'jobs' must be a non-empty array");
    if (json_array_size(js) > DISPATCH_MAX_JOBS)
        return bad(e, "jobs", "at most %d jobs", DISPATCH_MAX_JOBS);
    size_t nj = json_array_size(js);
    struct dp_job_in *jobs = sh_arena_alloc(q->c->a, sizeof(struct dp_job_in) * nj);
    size_t i;
    json_t *x;
    json_array_foreach(js, i, x)
    {
        const char *path = sh_arena_printf(q->c->a, "jobs[%zu]", i);
        enum sh_code rc = parse_job(q, x, path, true, &jobs[i], e);
        if (rc)
            return rc;
        if (json_object_get(x, "start"))
            return bad(e, pathf(q, path, "start"),
                       "'start' is for planned jobs in /dispatch/slots; use 'appointment'");
        for (size_t k = 0; k < i; k++)
            if (json_equal(json_object_get(json_array_get(js, k), "id"), json_object_get(x, "id")))
                return bad(e, pathf(q, path, "id"), "duplicate job id in '%s.id'", path);
    }
    in->jobs = jobs;
    in->njobs = nj;
    return SH_OK;
}

static enum sh_code parse_solve(struct req *q, struct dispatch_plan_in *in, struct sh_err *e)
{
    static const char *const keys[] = {"date",      "technicians", "jobs",   "budget_ms",
                                       "max_iters", "seed",        "travel", NULL};
    double budget, iters, seed;
    enum sh_code rc;
    memset(in, 0, sizeof *in);
    if ((rc = only_keys(q, q->root, "", keys, e)) ||
        (rc = get_num(q->root, "budget_ms", "budget_ms", false, 1, DISPATCH_MAX_BUDGET_MS, 0,
                      &budget, e)) ||
        (rc = get_num(q->root, "max_iters", "max_iters", false, 0, 1e6, 0, &iters, e)) ||
        (rc = get_num(q->root, "seed", "seed", false, 0, 4294967295.0, 1, &seed, e)) ||
        (rc = parse_common(q, &in->c, e)) || (rc = parse_jobs(q, in, e)))
        return rc;
    in->budget_ms = (long)budget;
    in->max_iters = (long)iters;
    in->seed = (uint64_t)seed;
    in->started_ns = q->c->req->start_ns;
    in->abandoned = abandoned;
    in->abandoned_ctx = q->c->req;
    return SH_OK;
}

static void render_route(struct req *q, struct jw *w, const struct dp_route *r)
{
    jw_obj_begin(w);
    k_key(w, "technician", r->technician);
    jw_kstr(w, "name", r->name);
    k_time(q, w, "depart", r->depart);
    jw_key(w, "stops");
    jw_arr_begin(w);
    for (size_t s = 0; s < r->nstops; s++) {
        const struct dp_stop *p = &r->stops[s];
        jw_obj_begin(w);
        k_key(w, "job", p->job);
        k_time(q, w, "arrival", p->arrival);
        k_time(q, w, "start", p->start);
        k_time(q, w, "end", p->end);
        jw_kreal(w, "travel_km", r2(p->travel_km));
        jw_kreal(w, "travel_minutes", r1(p->travel_minutes));
        jw_kreal(w, "wait_minutes", r1(p->wait_minutes));
        jw_kreal(w, "sla_late_minutes", r1(p->sla_late_minutes));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    k_time(q, w, "return", r->ret);
    jw_kreal(w, "distance_km", r2(r->distance_km));
    jw_obj_end(w);
}

static void render_plan_lists(struct req *q, struct jw *w, const struct dispatch_plan_out *o)
{
    jw_key(w, "routes");
    jw_arr_begin(w);
    for (size_t v = 0; v < o->nroutes; v++)
        render_route(q, w, &o->routes[v]);
    jw_arr_end(w);
    jw_key(w, "assignments");
    jw_arr_begin(w);
    for (size_t v = 0; v < o->nroutes; v++)
        for (size_t s = 0; s < o->routes[v].nstops; s++) {
            jw_obj_begin(w);
            k_key(w, "job", o->routes[v].stops[s].job);
            k_key(w, "technician", o->routes[v].technician);
            jw_kint(w, "sequence", (int64_t)(s + 1));
            jw_obj_end(w);
        }
    jw_arr_end(w);
    jw_key(w, "unassigned");
    jw_arr_begin(w);
    for (size_t k = 0; k < o->nunassigned; k++) {
        jw_obj_begin(w);
        k_key(w, "job", o->unassigned[k].job);
        jw_kstr(w, "reason", o->unassigned[k].reason);
        jw_kstr(w, "message", o->unassigned[k].message);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static void render_plan(struct req *q, const struct dp_common_in *ci,
                        const struct dispatch_plan_out *o)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    char day[11];
    sh_date_format(ci->date, day);
    jw_kstr(&w, "date", day);
    render_plan_lists(q, &w, o);
    jw_key(&w, "stats");
    jw_obj_begin(&w);
    jw_kint(&w, "jobs", (int64_t)o->jobs);
    jw_kint(&w, "assigned", (int64_t)o->assigned);
    jw_kint(&w, "technicians", (int64_t)o->technicians);
    jw_kint(&w, "technicians_working", (int64_t)o->working);
    jw_kreal(&w, "distance_km", r2(o->distance_km));
    jw_kint(&w, "iterations", o->iterations);
    jw_kreal(&w, "elapsed_ms", r1(o->elapsed_ms));
    jw_kint(&w, "seed", (int64_t)o->seed);
    jw_obj_end(&w);
    jw_obj_end(&w);
    reply(q->c, &b, &w);
}

void h_dispatch_solve(struct api_ctx *c)
{
    struct req q;
    struct sh_err e;
    sh_err_clear(&e);
    struct dispatch_plan_in in;
    struct dispatch_plan_out out;
    enum sh_code rc = load_body(c, &q, &e);
    if (!rc && !(rc = parse_solve(&q, &in, &e))) {
        struct uc u = request_uc(c);
        rc = uc_dispatch_plan(&u, &in, &out, &e);
    }
    if (rc)
        api_reply_err(c, &e);
    else
        render_plan(&q, &in.c, &out);
    json_decref(q.root);
}

/* ---- POST /dispatch/slots ---- */

/* planned routes: {"technician": key, "jobs": [...]} */
static enum sh_code parse_route(struct req *q, json_t *x, size_t i, struct dp_route_in *r,
                                struct sh_err *e)
{
    static const char *const rkeys[] = {"technician", "jobs", NULL};
    const char *path = sh_arena_printf(q->c->a, "routes[%zu]", i);
    if (!json_is_object(x))
        return bad(e, path, "'%s' must be an object", path);
    enum sh_code rc = only_keys(q, x, path, rkeys, e);
    if (rc)
        return rc;
    json_t *tk = json_object_get(x, "technician"), *jl = json_object_get(x, "jobs");
    if (!get_key(tk, &r->technician))
        return bad(e, pathf(q, path, "technician"),
                   "'%s.technician' is not one of the request's technicians", path);
    if (!jl || !json_is_array(jl) || json_array_size(jl) > DISPATCH_MAX_ROUTE_JOBS)
        return bad(e, pathf(q, path, "jobs"), "'%s.jobs' must be an array of at most %d jobs", path,
                   DISPATCH_MAX_ROUTE_JOBS);
    r->njobs = json_array_size(jl);
    struct dp_job_in *jobs = sh_arena_alloc(q->c->a, sizeof *jobs * (r->njobs + 1));
    size_t k;
    json_t *y;
    json_array_foreach(jl, k, y)
    {
        const char *jp = sh_arena_printf(q->c->a, "%s.jobs[%zu]", path, k);
        if ((rc = parse_job(q, y, jp, false, &jobs[k], e)))
            return rc;
    }
    r->jobs = jobs;
    return SH_OK;
}

static enum sh_code parse_slots(struct req *q, struct dispatch_slots_in *in, struct sh_err *e)
{
    static const char *const keys[] = {"date",  "technicians", "job", "routes",
                                       "count", "travel",      NULL};
    double count;
    enum sh_code rc;
    memset(in, 0, sizeof *in);
    if ((rc = only_keys(q, q->root, "", keys, e)) ||
        (rc = get_num(q->root, "count", "count", false, 1, 20, 5, &count, e)) ||
        (rc = parse_common(q, &in->c, e)))
        return rc;
    if (count != floor(count))
        return bad(e, "count", "'count' must be an integer");
    in->count = (int)count;
    json_t *jo = json_object_get(q->root, "job");
    if (!jo)
        return bad(e, "job", "'job' is required");
    if ((rc = parse_job(q, jo, "job", false, &in->job, e)))
        return rc;
    json_t *rs = json_object_get(q->root, "routes");
    if (rs && !json_is_array(rs))
        return bad(e, "routes", "'routes' must be an array");
    in->nroutes = json_array_size(rs);
    struct dp_route_in *r = sh_arena_alloc(q->c->a, sizeof *r * (in->nroutes + 1));
    memset(r, 0, sizeof *r * (in->nroutes + 1));
    for (size_t i = 0; i < in->nroutes; i++)
        if ((rc = parse_route(q, json_array_get(rs, i), i, &r[i], e)))
            return rc;
    in->routes = r;
    return SH_OK;
}

static void render_slot(struct req *q, struct jw *w, const struct dp_slot *s)
{
    jw_obj_begin(w);
    k_key(w, "technician", s->technician);
    jw_kstr(w, "name", s->name);
    jw_kint(w, "position", (int64_t)s->position);
    k_key(w, "after_job", s->after_job);
    k_key(w, "before_job", s->before_job);
    k_time(q, w, "arrival", s->arrival);
    k_time(q, w, "start", s->start);
    k_time(q, w, "latest_start", s->latest_start);
    jw_kreal(w, "extra_travel_km", r2(s->extra_travel_km));
    jw_kreal(w, "extra_travel_minutes", r1(s->extra_travel_minutes));
    jw_kreal(w, "buffer_minutes", r1(s->buffer_minutes));
    jw_kreal(w, "lateness_risk", round(s->lateness_risk * 1000) / 1000);
    double risk = s->lateness_risk;
    jw_kstr(w, "risk", risk >= 0.999 ? "high" : risk > 0.5 ? "medium" : "low");
    jw_kreal(w, "sla_late_minutes", r1(s->sla_late_minutes));
    jw_kreal(w, "score", round(s->score * 1000) / 1000);
    jw_obj_end(w);
}

static void render_slots(struct req *q, const struct dp_common_in *ci,
                         const struct dispatch_slots_out *o)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    char day[11];
    sh_date_format(ci->date, day);
    jw_kstr(&w, "date", day);
    jw_key(&w, "slots");
    jw_arr_begin(&w);
    for (size_t k = 0; k < o->nslots; k++)
        render_slot(q, &w, &o->slots[k]);
    jw_arr_end(&w);
    if (o->nslots == 0) {
        jw_kstr(&w, "reason", o->reason);
        jw_kstr(&w, "message", o->message);
    }
    jw_kint(&w, "technicians_considered", (int64_t)o->technicians_considered);
    jw_kreal(&w, "search_ms", round(o->search_ms * 1000) / 1000);
    jw_obj_end(&w);
    reply(q->c, &b, &w);
}

void h_dispatch_slots(struct api_ctx *c)
{
    struct req q;
    struct sh_err e;
    sh_err_clear(&e);
    struct dispatch_slots_in in;
    struct dispatch_slots_out out;
    enum sh_code rc = load_body(c, &q, &e);
    if (!rc && !(rc = parse_slots(&q, &in, &e))) {
        struct uc u = request_uc(c);
        rc = uc_dispatch_slots(&u, &in, &out, &e);
    }
    if (rc)
        api_reply_err(c, &e);
    else
        render_slots(&q, &in.c, &out);
    json_decref(q.root);
}
