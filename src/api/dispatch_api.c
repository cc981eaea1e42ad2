/* SPDX-License-Identifier: MIT */
/* The dispatch API (issue 5): POST /dispatch/solve plans a day for a set of jobs and
 * technicians; POST /dispatch/slots proposes appointment slots for one new job against
 * the technicians' current routes. Neither stores anything. Stored technicians bring
 * their skills (expired ones do not count), shift, leave and home from the database
 * for the plan's date; the request can also describe technicians inline.
 *
 * Time inside is minutes after local midnight (UTC+8) of the plan's date. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/technicians.h"
#include "base/date.h"
#include "domain/dispatch/dispatch.h"
#include "domain/dispatch/slots.h"

#define MAX_JOBS       2000
#define MAX_TECHS      500
#define MAX_ROUTE_JOBS 100
#define MAX_BUDGET_MS  10000
#define UTC_OFFSET_MIN 480 /* the company's time zone: Asia/Shanghai */
#define DAY_MIN        1440.0

/* ---- the parsed request ---- */

struct req_skill {
    const char *code;
    int level;
};

struct tin {
    json_t *key; /* rendered back as "technician": the stored id or the caller's id */
    int64_t stored_id;
    const char *name;
    double lat, lon;
    double shift_start, shift_end; /* < 0: no shift on the plan's date */
    bool on_leave;
    struct tech_skill *sk;
    int nsk;
    double max_km; /* <= 0: unlimited */
    uint64_t mask; /* filled once the job requirements are known */
    size_t veh;    /* vehicle index, SIZE_MAX when not working */
};

struct jin {
    json_t *key; /* the job's id as given */
    double lat, lon;
    double duration;
    double ready, due;
    bool empty_window; /* window and appointment do not overlap */
    struct req_skill *req;
    int nreq;
    uint64_t mask;
    int priority;
    double sla_due; /* < 0: none */
    long fixed;     /* technician index, -1 for any */
};

struct plan {
    struct api_ctx *c;
    json_t *root;
    struct sh_date date;
    int64_t midnight; /* epoch seconds of local midnight */
    double road_factor, speed_kmh;
    struct tin *t;
    size_t nt;
    /* the catalogue and the stored technicians, loaded in one read */
    json_t *tech_ids; /* NULL: every active technician */
    struct db_rows skills, techs;
    /* distinct (code, level) requirements: bit i */
    struct req_skill bits[64];
    int nbits;
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

/* Rejects members other than those listed (NULL-terminated). */
static enum sh_code only_keys(struct plan *pl, json_t *o, const char *path, const char *const *keys,
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
            const char *f = *path ? sh_arena_printf(pl->c->a, "%s.%s", path, k) : k;
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
static enum sh_code get_time(struct plan *pl, json_t *v, const char *field, double *out,
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
        *out = (double)(t - pl->midnight) / 60.0;
        return SH_OK;
    }
    return bad(e, field, "'%s' must be a time \"HH:MM\" or a timestamp \"YYYY-MM-DDTHH:MM:SSZ\"",
               field);
}

/* {"start": T, "end": T} */
static enum sh_code get_window(struct plan *pl, json_t *o, const char *path, double *ready,
                               double *due, struct sh_err *e)
{
    static const char *const keys[] = {"start", "end", NULL};
    if (!json_is_object(o))
        return bad(e, path, "'%s' must be an object {\"start\", \"end\"}", path);
    enum sh_code rc = only_keys(pl, o, path, keys, e);
    if (rc)
        return rc;
    const char *fs = sh_arena_printf(pl->c->a, "%s.start", path);
    const char *fe = sh_arena_printf(pl->c->a, "%s.end", path);
    json_t *s = json_object_get(o, "start"), *en = json_object_get(o, "end");
    if (!s)
        return bad(e, fs, "'%s' is required", fs);
    if (!en)
        return bad(e, fe, "'%s' is required", fe);
    if ((rc = get_time(pl, s, fs, ready, e)) || (rc = get_time(pl, en, fe, due, e)))
        return rc;
    if (*due < *ready)
        return bad(e, fe, "'%s' is before '%s'", fe, fs);
    return SH_OK;
}

static bool key_eq(json_t *a, json_t *b)
{
    return a && b && json_equal(a, b);
}

static bool skill_known(const struct plan *pl, const char *code)
{
    for (int i = 0; i < pl->skills.nrows; i++)
        if (!strcmp(db_get(&pl->skills, i, "code"), code))
            return true;
    return false;
}

/* Skills held on the plan's date: expired entries are dropped here. */
static void drop_expired(struct plan *pl, struct tin *t)
{
    int k = 0;
    for (int i = 0; i < t->nsk; i++)
        if (!t->sk[i].expires || sh_date_cmp(t->sk[i].expires_on, pl->date) >= 0)
            t->sk[k++] = t->sk[i];
    t->nsk = k;
}

/* Shift, leave and skills of a technician from their text encodings. */
static enum sh_code tech_texts(struct plan *pl, struct tin *t, const char *path, const char *shift,
                               const char *skills, const char *auths, const char *leave,
                               struct sh_err *e)
{
    struct sh_arena *a = pl->c->a;
    enum sh_code rc;
    t->sk = sh_arena_alloc(a, sizeof(struct tech_skill) * TECH_SKILL_MAX * 2);
    int n1 = 0, n2 = 0;
    if ((rc = tech_skills_parse(skills, true, sh_arena_printf(a, "%s.skills", path), t->sk, &n1,
                                e)) ||
        (rc = tech_skills_parse(auths, false, sh_arena_printf(a, "%s.authorisations", path),
                                t->sk + n1, &n2, e)))
        return rc;
    t->nsk = n1 + n2;
    for (int i = 0; i < t->nsk; i++)
        if (!skill_known(pl, t->sk[i].code))
            return bad(e, sh_arena_printf(a, "%s.skills", path), "'%s': unknown skill '%s'", path,
                       t->sk[i].code);
    drop_expired(pl, t);
    int wd = sh_weekday(sh_days_from_civil(pl->date.y, pl->date.m, pl->date.d));
    const char *fshift = sh_arena_printf(a, "%s.shift", path);
    if (shift && strlen(shift) == 11 && shift[5] == '-' && !strchr(shift, ' ')) {
        /* one interval on the plan's date */
        struct tech_shift sh;
        if ((rc = tech_shift_parse(sh_arena_printf(a, "1-7 %s", shift), fshift, &sh, e)))
            return rc;
        t->shift_start = sh.start[0];
        t->shift_end = sh.end[0];
    } else {
        struct tech_shift sh;
        if ((rc = tech_shift_parse(shift, fshift, &sh, e)))
            return rc;
        t->shift_start = sh.start[wd];
        t->shift_end = sh.end[wd];
    }
    struct tech_leave lv[TECH_LEAVE_MAX];
    int nl = 0;
    if ((rc = tech_leave_parse(leave, sh_arena_printf(a, "%s.leave_periods", path), lv, &nl, e)))
        return rc;
    t->on_leave = tech_on_leave(lv, nl, pl->date);
    return SH_OK;
}

/* A string or an array of strings joined with commas. */
static enum sh_code text_or_list(struct plan *pl, json_t *v, const char *field, const char **out,
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
        *out = sh_arena_strdup(pl->c->a, b.buf);
    sh_buf_release(&b);
    return rc;
}

static enum sh_code parse_inline_tech(struct plan *pl, json_t *o, const char *path, struct tin *t,
                                      struct sh_err *e)
{
    static const char *const keys[] = {
        "id",     "name",           "latitude",      "longitude",     "shift",
        "skills", "authorisations", "leave_periods", "max_travel_km", NULL};
    enum sh_code rc = only_keys(pl, o, path, keys, e);
    if (rc)
        return rc;
    struct sh_arena *a = pl->c->a;
    json_t *id = json_object_get(o, "id");
    const char *fid = sh_arena_printf(a, "%s.id", path);
    if (!id || !(json_is_string(id) || json_is_integer(id)) ||
        (json_is_string(id) && (!*json_string_value(id) || strlen(json_string_value(id)) > 60)))
        return bad(e, fid, "'%s' is required: a string (1 to 60 characters) or an integer", fid);
    t->key = id;
    json_t *nm = json_object_get(o, "name");
    t->name = json_is_string(nm) ? json_string_value(nm) : NULL;
    if ((rc = get_num(o, "latitude", sh_arena_printf(a, "%s.latitude", path), true, -90, 90, 0,
                      &t->lat, e)) ||
        (rc = get_num(o, "longitude", sh_arena_printf(a, "%s.longitude", path), true, -180, 180, 0,
                      &t->lon, e)) ||
        (rc = get_num(o, "max_travel_km", sh_arena_printf(a, "%s.max_travel_km", path), false, 0,
                      5000, 0, &t->max_km, e)))
        return rc;
    const char *shift = "1-7 08:30-17:30", *skills, *auths, *leave;
    json_t *sv = json_object_get(o, "shift");
    if (sv && !json_is_string(sv))
        return bad(e, sh_arena_printf(a, "%s.shift", path), "'%s.shift' must be a string", path);
    if (sv)
        shift = json_string_value(sv);
    if ((rc = text_or_list(pl, json_object_get(o, "skills"), sh_arena_printf(a, "%s.skills", path),
                           &skills, e)) ||
        (rc = text_or_list(pl, json_object_get(o, "authorisations"),
                           sh_arena_printf(a, "%s.authorisations", path), &auths, e)) ||
        (rc = text_or_list(pl, json_object_get(o, "leave_periods"),
                           sh_arena_printf(a, "%s.leave_periods", path), &leave, e)))
        return rc;
    return tech_texts(pl, t, path, shift, skills, auths, leave, e);
}

static enum sh_code stored_tech(struct plan *pl, int row, const char *path, struct tin *t,
                                struct sh_err *e)
{
    const struct db_rows *r = &pl->techs;
    t->stored_id = db_get_int(r, row, "id", 0);
    t->key = json_integer(t->stored_id);
    t->name = db_get(r, row, "name");
    const char *la = db_get(r, row, "home_latitude"), *lo = db_get(r, row, "home_longitude");
    if (!la || !lo)
        return bad(e, path, "technician %" PRId64 " has no home location", t->stored_id);
    t->lat = strtod(la, NULL);
    t->lon = strtod(lo, NULL);
    const char *mk = db_get(r, row, "max_travel_km");
    t->max_km = mk ? strtod(mk, NULL) : 0;
    return tech_texts(pl, t, path, db_get(r, row, "shift"), db_get(r, row, "skills"),
                      db_get(r, row, "authorisations"), db_get(r, row, "leave_periods"), e);
}

static enum sh_code load_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct plan *pl = arg;
    enum sh_code rc = db_query(tx, pl->c->a, "SELECT code, kind FROM skills WHERE active = 1",
                               DB_NOP, &pl->skills, e);
    if (rc)
        return rc;
    if (!pl->tech_ids)
        return db_query(tx, pl->c->a,
                        "SELECT * FROM technicians WHERE active = 1 ORDER BY id LIMIT 501", DB_NOP,
                        &pl->techs, e);
    /* the ids asked for, any state: inactive ones are refused by name */
    return db_query(tx, pl->c->a, "SELECT * FROM technicians ORDER BY id", DB_NOP, &pl->techs, e);
}

static int find_stored(const struct plan *pl, int64_t id)
{
    for (int i = 0; i < pl->techs.nrows; i++)
        if (db_get_int(&pl->techs, i, "id", 0) == id)
            return i;
    return -1;
}

/* date, travel, technicians: the part shared by both endpoints. */
static enum sh_code parse_common(struct plan *pl, struct sh_err *e)
{
    struct sh_arena *a = pl->c->a;
    json_t *d = json_object_get(pl->root, "date");
    if (!d)
        return bad(e, "date", "'date' is required (YYYY-MM-DD)");
    if (!json_is_string(d) || !sh_date_parse(json_string_value(d), &pl->date))
        return bad(e, "date", "'date' must be a date YYYY-MM-DD");
    pl->midnight = sh_days_from_civil(pl->date.y, pl->date.m, pl->date.d) * 86400 -
                   (int64_t)UTC_OFFSET_MIN * 60;
    pl->road_factor = 1.3;
    pl->speed_kmh = 40;
    json_t *tr = json_object_get(pl->root, "travel");
    if (tr) {
        static const char *const keys[] = {"road_factor", "speed_kmh", NULL};
        enum sh_code rc;
        if (!json_is_object(tr))
            return bad(e, "travel", "'travel' must be an object");
        if ((rc = only_keys(pl, tr, "travel", keys, e)) ||
            (rc = get_num(tr, "road_factor", "travel.road_factor", false, 1, 3, 1.3,
                          &pl->road_factor, e)) ||
            (rc = get_num(tr, "speed_kmh", "travel.speed_kmh", false, 5, 150, 40, &pl->speed_kmh,
                          e)))
            return rc;
    }
    json_t *ts = json_object_get(pl->root, "technicians");
    if (ts && !json_is_array(ts))
        return bad(e, "technicians", "'technicians' must be an array of ids or objects");
    if (ts && json_array_size(ts) > MAX_TECHS)
        return bad(e, "technicians", "at most %d technicians", MAX_TECHS);
    bool any_id = false;
    size_t i;
    json_t *x;
    json_array_foreach(ts, i, x) any_id |= json_is_integer(x);
    pl->tech_ids = ts && any_id ? ts : NULL;
    enum sh_code rc = SH_OK;
    if (!ts || any_id) {
        if ((rc = db_read(pl->c->app->db, load_run, pl, e)))
            return rc;
    } else {
        /* only the catalogue */
        pl->tech_ids = ts;
        if ((rc = db_read(pl->c->app->db, load_run, pl, e)))
            return rc;
        pl->techs.nrows = 0;
    }
    if (!ts) {
        if (pl->techs.nrows > MAX_TECHS)
            return bad(e, "technicians", "more than %d active technicians: list their ids",
                       MAX_TECHS);
        pl->nt = (size_t)pl->techs.nrows;
        pl->t = sh_arena_alloc(a, sizeof(struct tin) * (pl->nt + 1));
        memset(pl->t, 0, sizeof(struct tin) * (pl->nt + 1));
        for (size_t k = 0; k < pl->nt; k++)
            if ((rc = stored_tech(pl, (int)k, sh_arena_printf(a, "technicians[%zu]", k), &pl->t[k],
                                  e)))
                return rc;
        return SH_OK;
    }
    pl->nt = json_array_size(ts);
    if (pl->nt == 0)
        return bad(e, "technicians", "'technicians' is empty");
    pl->t = sh_arena_alloc(a, sizeof(struct tin) * pl->nt);
    memset(pl->t, 0, sizeof(struct tin) * pl->nt);
    json_array_foreach(ts, i, x)
    {
        const char *path = sh_arena_printf(a, "technicians[%zu]", i);
        struct tin *t = &pl->t[i];
        if (json_is_integer(x)) {
            int row = find_stored(pl, json_integer_value(x));
            if (row < 0)
                return bad(e, path, "technician %" JSON_INTEGER_FORMAT " not found",
                           json_integer_value(x));
            if (db_get_int(&pl->techs, row, "active", 0) != 1)
                return bad(e, path, "technician %" JSON_INTEGER_FORMAT " is not active",
                           json_integer_value(x));
            rc = stored_tech(pl, row, path, t, e);
        } else if (json_is_object(x)) {
            rc = parse_inline_tech(pl, x, path, t, e);
        } else {
            rc = bad(e, path, "'%s' must be a technician id or an object", path);
        }
        if (rc)
            return rc;
        for (size_t k = 0; k < i; k++)
            if (key_eq(pl->t[k].key, t->key))
                return bad(e, path, "'%s': technician listed twice", path);
    }
    return SH_OK;
}

/* Required skills of a job: "code" or "code:level"; each distinct pair gets a bit. */
static enum sh_code parse_req_skills(struct plan *pl, json_t *v, const char *field, struct jin *j,
                                     struct sh_err *e)
{
    if (!v || json_is_null(v))
        return SH_OK;
    if (!json_is_array(v))
        return bad(e, field, "'%s' must be an array of skill codes", field);
    if (json_array_size(v) > 16)
        return bad(e, field, "'%s' has more than 16 skills", field);
    j->req = sh_arena_alloc(pl->c->a, sizeof(struct req_skill) * (json_array_size(v) + 1));
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        if (!json_is_string(x))
            return bad(e, field, "'%s' must be an array of skill codes", field);
        char code[64];
        snprintf(code, sizeof code, "%s", json_string_value(x));
        int level = 1;
        char *colon = strchr(code, ':');
        if (colon) {
            if (colon[1] < '1' || colon[1] > '5' || colon[2])
                return bad(e, field, "'%s': '%s' has a bad level (1 to 5)", field,
                           json_string_value(x));
            level = colon[1] - '0';
            *colon = '\0';
        }
        if (!tech_code_ok(code) || !skill_known(pl, code))
            return bad(e, field, "'%s': unknown skill '%s'", field, code);
        struct req_skill rs = {sh_arena_strdup(pl->c->a, code), level};
        j->req[j->nreq++] = rs;
        int b = 0;
        while (b < pl->nbits && !(!strcmp(pl->bits[b].code, rs.code) && pl->bits[b].level == level))
            b++;
        if (b == pl->nbits) {
            if (pl->nbits == 64)
                return bad(e, field, "more than 64 distinct skill requirements in one request");
            pl->bits[pl->nbits++] = rs;
        }
        j->mask |= (uint64_t)1 << b;
    }
    return SH_OK;
}

static enum sh_code parse_job(struct plan *pl, json_t *o, const char *path, bool need_id,
                              struct jin *j, struct sh_err *e)
{
    static const char *const keys[] = {
        "id",       "latitude", "longitude",  "duration", "window", "appointment", "skills",
        "priority", "sla_due",  "technician", "start",    "name",   NULL};
    struct sh_arena *a = pl->c->a;
    if (!json_is_object(o))
        return bad(e, path, "'%s' must be an object", path);
    enum sh_code rc = only_keys(pl, o, path, keys, e);
    if (rc)
        return rc;
    memset(j, 0, sizeof *j);
    j->fixed = -1;
    j->sla_due = -1;
    json_t *id = json_object_get(o, "id");
    const char *fid = sh_arena_printf(a, "%s.id", path);
    if ((need_id && !id) ||
        (id && !(json_is_integer(id) || (json_is_string(id) && *json_string_value(id) &&
                                         strlen(json_string_value(id)) <= 60))))
        return bad(e, fid, "'%s' is required: a string (1 to 60 characters) or an integer", fid);
    j->key = id;
    double pr;
    if ((rc = get_num(o, "latitude", sh_arena_printf(a, "%s.latitude", path), true, -90, 90, 0,
                      &j->lat, e)) ||
        (rc = get_num(o, "longitude", sh_arena_printf(a, "%s.longitude", path), true, -180, 180, 0,
                      &j->lon, e)) ||
        (rc = get_num(o, "duration", sh_arena_printf(a, "%s.duration", path), true, 1, 1440, 0,
                      &j->duration, e)) ||
        (rc = get_num(o, "priority", sh_arena_printf(a, "%s.priority", path), false, 1, 1000, 1,
                      &pr, e)))
        return rc;
    if (pr != floor(pr))
        return bad(e, sh_arena_printf(a, "%s.priority", path), "'%s.priority' must be an integer",
                   path);
    j->priority = (int)pr;
    j->ready = 0;
    j->due = DAY_MIN;
    json_t *w = json_object_get(o, "window"), *ap = json_object_get(o, "appointment");
    double r2, d2;
    if (w && (rc = get_window(pl, w, sh_arena_printf(a, "%s.window", path), &j->ready, &j->due, e)))
        return rc;
    if (ap) {
        if ((rc = get_window(pl, ap, sh_arena_printf(a, "%s.appointment", path), &r2, &d2, e)))
            return rc;
        if (!w) {
            j->ready = r2;
            j->due = d2;
        } else {
            j->ready = fmax(j->ready, r2);
            j->due = fmin(j->due, d2);
        }
    }
    json_t *st = json_object_get(o, "start");
    if (st) { /* a planned start (slots: jobs already on a route) */
        double s;
        if ((rc = get_time(pl, st, sh_arena_printf(a, "%s.start", path), &s, e)))
            return rc;
        j->ready = j->due = s;
    }
    j->empty_window = j->due < j->ready || j->due < 0 || j->ready > DAY_MIN;
    json_t *sla = json_object_get(o, "sla_due");
    if (sla && !json_is_null(sla)) {
        if ((rc = get_time(pl, sla, sh_arena_printf(a, "%s.sla_due", path), &j->sla_due, e)))
            return rc;
        if (j->sla_due < 0)
            j->sla_due = 0; /* already due: every start is late */
    }
    if ((rc = parse_req_skills(pl, json_object_get(o, "skills"),
                               sh_arena_printf(a, "%s.skills", path), j, e)))
        return rc;
    json_t *ft = json_object_get(o, "technician");
    if (ft && !json_is_null(ft)) {
        for (size_t k = 0; k < pl->nt && j->fixed < 0; k++)
            if (key_eq(pl->t[k].key, ft))
                j->fixed = (long)k;
        if (j->fixed < 0)
            return bad(e, sh_arena_printf(a, "%s.technician", path),
                       "'%s.technician' is not one of the request's technicians", path);
    }
    return SH_OK;
}

/* The technicians' skill masks for the requirements seen in the jobs. */
static void tech_masks(struct plan *pl)
{
    for (size_t v = 0; v < pl->nt; v++) {
        struct tin *t = &pl->t[v];
        t->mask = 0;
        for (int b = 0; b < pl->nbits; b++)
            for (int k = 0; k < t->nsk; k++)
                if (!strcmp(t->sk[k].code, pl->bits[b].code) && t->sk[k].level >= pl->bits[b].level)
                    t->mask |= (uint64_t)1 << b;
    }
}

static double haversine_km(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double h = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2.0 * 6371.0088 * asin(sqrt(fmin(1.0, h)));
}

/* Why a job cannot be served, or "no_capacity" when some technician could serve it
 * alone. The reason is the furthest stage any technician reached. */
enum stage {
    ST_FIXED,
    ST_SKILL,
    ST_LEAVE,
    ST_SHIFT,
    ST_WINDOW,
    ST_DISTANCE,
    ST_OK,
};

static const char *const stage_reason[] = {"fixed_technician_unavailable",
                                           "no_skilled_technician",
                                           "on_leave",
                                           "outside_shift",
                                           "infeasible_window",
                                           "too_far",
                                           "no_capacity"};

static enum stage job_stage(const struct plan *pl, const struct jin *j)
{
    if (j->empty_window)
        return ST_WINDOW;
    enum stage best = j->fixed >= 0 ? ST_FIXED : ST_SKILL;
    for (size_t v = 0; v < pl->nt; v++) {
        const struct tin *t = &pl->t[v];
        if (j->fixed >= 0 && (size_t)j->fixed != v)
            continue;
        enum stage s;
        double km = haversine_km(t->lat, t->lon, j->lat, j->lon) * pl->road_factor;
        double tt = km / pl->speed_kmh * 60.0;
        if (j->mask & ~t->mask)
            s = j->fixed >= 0 ? ST_FIXED : ST_SKILL;
        else if (t->on_leave)
            s = ST_LEAVE;
        else if (t->shift_start < 0 || j->due < t->shift_start ||
                 j->ready + j->duration > t->shift_end)
            s = ST_SHIFT;
        else if (fmax(t->shift_start + tt, j->ready) > j->due + DISPATCH_EPS ||
                 fmax(t->shift_start + tt, j->ready) + j->duration + tt >
                     t->shift_end + DISPATCH_EPS)
            s = ST_WINDOW;
        else if (t->max_km > 0 && 2 * km > t->max_km + DISPATCH_EPS)
            s = ST_DISTANCE;
        else
            s = ST_OK;
        if (s > best)
            best = s;
    }
    return best;
}

static const char *stage_message(struct plan *pl, const struct jin *j, enum stage s)
{
    switch (s) {
    case ST_FIXED:
        return "the fixed technician lacks a required skill";
    case ST_SKILL: {
        struct sh_buf b = SH_BUF_INIT(2048);
        for (int i = 0; i < j->nreq; i++)
            if (sh_buf_addf(&b, "%s%s:%d", i ? ", " : "", j->req[i].code, j->req[i].level))
                break;
        const char *m = sh_arena_printf(
            pl->c->a, "no technician holds the required skills (%s) valid on this date", b.buf);
        sh_buf_release(&b);
        return m;
    }
    case ST_LEAVE:
        return "every technician with the skills is on leave";
    case ST_SHIFT:
        return "the job's window is outside every qualified technician's shift";
    case ST_WINDOW:
        return "no qualified technician can reach the job inside its window and be back by the "
               "end of the shift";
    case ST_DISTANCE:
        return "the job is beyond every qualified technician's daily travel limit";
    case ST_OK:
        return "the qualified technicians' days are full";
    }
    return "";
}

/* ---- rendering ---- */

static void k_time(struct plan *pl, struct jw *w, const char *k, double minutes)
{
    char ts[21];
    sh_ts_format(pl->midnight + (int64_t)llround(minutes * 60.0), ts);
    jw_kstr(w, k, ts);
    int m = (int)llround(minutes);
    int64_t lm = m + 0;
    char hm[16];
    snprintf(hm, sizeof hm, "%02d:%02d", (int)((lm / 60) % 100), (int)(lm % 60 + 60) % 60);
    jw_kstr(w, sh_arena_printf(pl->c->a, "%s_local", k), hm);
}

static void k_json(struct jw *w, const char *k, json_t *v)
{
    jw_key(w, k);
    if (!v) {
        jw_null(w);
    } else if (json_is_integer(v)) {
        jw_int(w, json_integer_value(v));
    } else if (json_is_string(v)) {
        jw_str(w, json_string_value(v));
    } else {
        jw_null(w);
    }
}

static void reply(struct api_ctx *c, struct sh_buf *b, struct jw *w)
{
    if (jw_finish(w) == SH_OK)
        api_reply_json(c, 200, b);
    else
        api_reply_error(c, SH_TOO_BIG, NULL, "the answer is too large");
    sh_buf_release(b);
}

static double clock_ms(void *ctx)
{
    (void)ctx;
    return (double)sh_mono_ns() / 1e6;
}

static enum sh_code load_body(struct api_ctx *c, struct plan *pl, struct sh_err *e)
{
    pl->c = c;
    return api_load_object(c->req->body.buf, c->req->body.len, &pl->root, e);
}

/* ---- POST /dispatch/solve ---- */

void h_dispatch_solve(struct api_ctx *c)
{
    struct plan pl;
    memset(&pl, 0, sizeof pl);
    struct sh_err e;
    sh_err_clear(&e);
    struct dispatch_solution sol;
    dispatch_solution_init(&sol);
    struct sh_arena *a = c->a;
    enum sh_code rc = load_body(c, &pl, &e);
    if (rc)
        goto out;
    static const char *const keys[] = {"date",      "technicians", "jobs",   "budget_ms",
                                       "max_iters", "seed",        "travel", NULL};
    double budget, iters, seed;
    if ((rc = only_keys(&pl, pl.root, "", keys, &e)) ||
        (rc =
             get_num(pl.root, "budget_ms", "budget_ms", false, 1, MAX_BUDGET_MS, 0, &budget, &e)) ||
        (rc = get_num(pl.root, "max_iters", "max_iters", false, 0, 1e6, 0, &iters, &e)) ||
        (rc = get_num(pl.root, "seed", "seed", false, 0, 4294967295.0, 1, &seed, &e)))
        goto out;
    if ((rc = parse_common(&pl, &e)))
        goto out;
    json_t *js = json_object_get(pl.root, "jobs");
    if (!js || !json_is_array(js) || json_array_size(js) == 0) {
        rc = bad(&e, "jobs", "'jobs' must be a non-empty array");
        goto out;
    }
    if (json_array_size(js) > MAX_JOBS) {
        rc = bad(&e, "jobs", "at most %d jobs", MAX_JOBS);
        goto out;
    }
    size_t nj = json_array_size(js);
    struct jin *jobs = sh_arena_alloc(a, sizeof(struct jin) * nj);
    size_t i;
    json_t *x;
    json_array_foreach(js, i, x)
    {
        const char *path = sh_arena_printf(a, "jobs[%zu]", i);
        if ((rc = parse_job(&pl, x, path, true, &jobs[i], &e)))
            goto out;
        if (json_object_get(x, "start")) {
            rc = bad(&e, sh_arena_printf(a, "%s.start", path),
                     "'start' is for planned jobs in /dispatch/slots; use 'appointment'");
            goto out;
        }
        for (size_t k = 0; k < i; k++)
            if (key_eq(jobs[k].key, jobs[i].key)) {
                rc =
                    bad(&e, sh_arena_printf(a, "%s.id", path), "duplicate job id in '%s.id'", path);
                goto out;
            }
    }
    tech_masks(&pl);
    /* vehicles: working technicians; locations: their homes, then the jobs */
    struct dispatch_loc *locs = sh_arena_alloc(a, sizeof *locs * (pl.nt + nj + 1));
    struct dispatch_vehicle *veh = sh_arena_alloc(a, sizeof *veh * (pl.nt + 1));
    size_t *veh_tech = sh_arena_alloc(a, sizeof(size_t) * (pl.nt + 1));
    size_t nv = 0;
    for (size_t v = 0; v < pl.nt; v++) {
        struct tin *t = &pl.t[v];
        t->veh = SIZE_MAX;
        if (t->on_leave || t->shift_start < 0)
            continue;
        t->veh = nv;
        locs[nv] = (struct dispatch_loc){t->lon, t->lat};
        veh[nv] = (struct dispatch_vehicle){.start_loc = nv,
                                            .end_loc = nv,
                                            .shift_start = t->shift_start,
                                            .shift_end = t->shift_end,
                                            .skills = t->mask,
                                            .capacity = -1,
                                            .max_travel = t->max_km};
        veh_tech[nv++] = v;
    }
    /* jobs no technician could serve alone stay out of the problem */
    enum stage *stage = sh_arena_alloc(a, sizeof(enum stage) * nj);
    struct dispatch_job *dj = sh_arena_alloc(a, sizeof *dj * (nj + 1));
    size_t *dj_job = sh_arena_alloc(a, sizeof(size_t) * (nj + 1));
    size_t ndj = 0;
    for (size_t k = 0; k < nj; k++) {
        const struct jin *j = &jobs[k];
        stage[k] = job_stage(&pl, j);
        if (stage[k] != ST_OK)
            continue;
        locs[nv + ndj] = (struct dispatch_loc){j->lon, j->lat};
        dj[ndj] =
            (struct dispatch_job){.id = (long)k,
                                  .loc = nv + ndj,
                                  .duration = j->duration,
                                  .ready = fmax(0, j->ready),
                                  .due = j->due,
                                  .skills = j->mask,
                                  .priority = j->priority,
                                  .sla_due = j->sla_due,
                                  .fixed_vehicle = j->fixed >= 0 ? (long)pl.t[j->fixed].veh : -1};
        dj_job[ndj++] = k;
    }
    struct dispatch_problem p = {.nloc = nv + ndj,
                                 .locs = locs,
                                 .njobs = ndj,
                                 .jobs = dj,
                                 .nveh = nv,
                                 .vehicles = veh,
                                 .travel = {.metric = DISPATCH_METRIC_HAVERSINE,
                                            .road_factor = pl.road_factor,
                                            .speed_kmh = pl.speed_kmh}};
    struct dispatch_params pa;
    dispatch_params_init(&pa);
    pa.objective = DISPATCH_OBJ_SERVICE;
    pa.seed = (uint64_t)seed;
    pa.now_ms = clock_ms;
    pa.budget_ms = budget > 0 ? (long)budget : (iters > 0 ? 0 : 1000);
    pa.max_iters = iters > 0 ? (long)iters : 0;
    bool *served = sh_arena_alloc(a, sizeof(bool) * (nj + 1));
    memset(served, 0, sizeof(bool) * (nj + 1));
    if (ndj && nv) {
        if ((rc = dispatch_solve(&p, &pa, &sol, &e)))
            goto out;
    }
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    char day[11];
    sh_date_format(pl.date, day);
    jw_kstr(&w, "date", day);
    jw_key(&w, "routes");
    jw_arr_begin(&w);
    double total_km = 0;
    size_t nassigned = 0;
    for (size_t v = 0; ndj && v < nv && sol.off; v++) {
        const struct tin *t = &pl.t[veh_tech[v]];
        size_t from = sol.off[v], to = sol.off[v + 1];
        if (from == to)
            continue;
        jw_obj_begin(&w);
        k_json(&w, "technician", t->key);
        jw_kstr(&w, "name", t->name);
        k_time(&pl, &w, "depart", t->shift_start);
        jw_key(&w, "stops");
        jw_arr_begin(&w);
        double time = t->shift_start, km = 0, d, tt;
        size_t prev = v;
        for (size_t s = from; s < to; s++) {
            const struct dispatch_job *q = &dj[sol.seq[s]];
            const struct jin *j = &jobs[dj_job[sol.seq[s]]];
            served[dj_job[sol.seq[s]]] = true;
            nassigned++;
            dispatch_travel_eval(&p, prev, q->loc, &d, &tt);
            km += d;
            double arr = time + tt, start = fmax(arr, q->ready);
            jw_obj_begin(&w);
            k_json(&w, "job", j->key);
            k_time(&pl, &w, "arrival", arr);
            k_time(&pl, &w, "start", start);
            k_time(&pl, &w, "end", start + q->duration);
            jw_kreal(&w, "travel_km", round(d * 100) / 100);
            jw_kreal(&w, "travel_minutes", round(tt * 10) / 10);
            jw_kreal(&w, "wait_minutes", round((start - arr) * 10) / 10);
            jw_kreal(&w, "sla_late_minutes",
                     q->sla_due >= 0 && start > q->sla_due ? round((start - q->sla_due) * 10) / 10
                                                           : 0);
            jw_obj_end(&w);
            time = start + q->duration;
            prev = q->loc;
        }
        jw_arr_end(&w);
        dispatch_travel_eval(&p, prev, v, &d, &tt);
        km += d;
        k_time(&pl, &w, "return", time + tt);
        jw_kreal(&w, "distance_km", round(km * 100) / 100);
        total_km += km;
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "assignments");
    jw_arr_begin(&w);
    for (size_t v = 0; ndj && v < nv && sol.off; v++)
        for (size_t s = sol.off[v]; s < sol.off[v + 1]; s++) {
            jw_obj_begin(&w);
            k_json(&w, "job", jobs[dj_job[sol.seq[s]]].key);
            k_json(&w, "technician", pl.t[veh_tech[v]].key);
            jw_kint(&w, "sequence", (int64_t)(s - sol.off[v] + 1));
            jw_obj_end(&w);
        }
    jw_arr_end(&w);
    jw_key(&w, "unassigned");
    jw_arr_begin(&w);
    for (size_t k = 0; k < nj; k++) {
        if (served[k])
            continue;
        jw_obj_begin(&w);
        k_json(&w, "job", jobs[k].key);
        jw_kstr(&w, "reason", stage_reason[stage[k]]);
        jw_kstr(&w, "message", stage_message(&pl, &jobs[k], stage[k]));
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "stats");
    jw_obj_begin(&w);
    jw_kint(&w, "jobs", (int64_t)nj);
    jw_kint(&w, "assigned", (int64_t)nassigned);
    jw_kint(&w, "technicians", (int64_t)pl.nt);
    jw_kint(&w, "technicians_working", (int64_t)nv);
    jw_kreal(&w, "distance_km", round(total_km * 100) / 100);
    jw_kint(&w, "iterations", sol.iterations);
    jw_kreal(&w, "elapsed_ms", round(sol.elapsed_ms * 10) / 10);
    jw_kint(&w, "seed", (int64_t)pa.seed);
    jw_obj_end(&w);
    jw_obj_end(&w);
    reply(c, &b, &w);
out:
    if (rc)
        api_reply_err(c, &e);
    dispatch_solution_release(&sol);
    for (size_t v = 0; v < pl.nt; v++)
        if (pl.t[v].stored_id)
            json_decref(pl.t[v].key);
    json_decref(pl.root);
}

/* ---- POST /dispatch/slots ---- */

void h_dispatch_slots(struct api_ctx *c)
{
    struct plan pl;
    memset(&pl, 0, sizeof pl);
    struct sh_err e;
    sh_err_clear(&e);
    struct sh_arena *a = c->a;
    enum sh_code rc = load_body(c, &pl, &e);
    if (rc)
        goto out;
    static const char *const keys[] = {"date",  "technicians", "job", "routes",
                                       "count", "travel",      NULL};
    double count;
    if ((rc = only_keys(&pl, pl.root, "", keys, &e)) ||
        (rc = get_num(pl.root, "count", "count", false, 1, 20, 5, &count, &e)) ||
        (rc = parse_common(&pl, &e)))
        goto out;
    if (count != floor(count)) {
        rc = bad(&e, "count", "'count' must be an integer");
        goto out;
    }
    json_t *jo = json_object_get(pl.root, "job");
    if (!jo) {
        rc = bad(&e, "job", "'job' is required");
        goto out;
    }
    struct jin job;
    if ((rc = parse_job(&pl, jo, "job", false, &job, &e)))
        goto out;
    tech_masks(&pl);
    /* planned routes: {"technician": key, "jobs": [...]} */
    json_t *rs = json_object_get(pl.root, "routes");
    if (rs && !json_is_array(rs)) {
        rc = bad(&e, "routes", "'routes' must be an array");
        goto out;
    }
    json_t **route_of = sh_arena_alloc(a, sizeof(json_t *) * (pl.nt + 1));
    size_t *route_idx = sh_arena_alloc(a, sizeof(size_t) * (pl.nt + 1));
    memset(route_of, 0, sizeof(json_t *) * (pl.nt + 1));
    size_t i, nstops = 0;
    json_t *x;
    json_array_foreach(rs, i, x)
    {
        static const char *const rkeys[] = {"technician", "jobs", NULL};
        const char *path = sh_arena_printf(a, "routes[%zu]", i);
        if (!json_is_object(x)) {
            rc = bad(&e, path, "'%s' must be an object", path);
            goto out;
        }
        if ((rc = only_keys(&pl, x, path, rkeys, &e)))
            goto out;
        json_t *tk = json_object_get(x, "technician"), *jl = json_object_get(x, "jobs");
        long v = -1;
        for (size_t k = 0; k < pl.nt && v < 0; k++)
            if (key_eq(pl.t[k].key, tk))
                v = (long)k;
        if (v < 0) {
            rc = bad(&e, sh_arena_printf(a, "%s.technician", path),
                     "'%s.technician' is not one of the request's technicians", path);
            goto out;
        }
        if (route_of[v]) {
            rc = bad(&e, sh_arena_printf(a, "%s.technician", path),
                     "'%s.technician' has two routes", path);
            goto out;
        }
        if (!jl || !json_is_array(jl) || json_array_size(jl) > MAX_ROUTE_JOBS) {
            rc = bad(&e, sh_arena_printf(a, "%s.jobs", path),
                     "'%s.jobs' must be an array of at most %d jobs", path, MAX_ROUTE_JOBS);
            goto out;
        }
        route_of[v] = jl;
        route_idx[v] = i;
        nstops += json_array_size(jl);
    }
    struct dispatch_loc *locs = sh_arena_alloc(a, sizeof *locs * (pl.nt + nstops + 1));
    struct dispatch_slot_tech *st = sh_arena_alloc(a, sizeof *st * (pl.nt + 1));
    struct dispatch_slot_stop *stops = sh_arena_alloc(a, sizeof *stops * (nstops + 1));
    size_t *st_tech = sh_arena_alloc(a, sizeof(size_t) * (pl.nt + 1));
    struct jin **stop_job = sh_arena_alloc(a, sizeof(struct jin *) * (nstops + 1));
    size_t nl = 0, ns = 0, nst = 0;
    for (size_t v = 0; v < pl.nt; v++) {
        struct tin *t = &pl.t[v];
        size_t first = ns;
        json_t *jl = route_of[v];
        size_t k;
        json_t *y;
        json_array_foreach(jl, k, y)
        {
            struct jin *pj = sh_arena_alloc(a, sizeof *pj);
            const char *path = sh_arena_printf(a, "routes[%zu].jobs[%zu]", route_idx[v], k);
            if ((rc = parse_job(&pl, y, path, false, pj, &e)))
                goto out;
            stop_job[ns] = pj;
            locs[nl] = (struct dispatch_loc){pj->lon, pj->lat};
            stops[ns++] = (struct dispatch_slot_stop){
                .loc = nl++, .duration = pj->duration, .ready = pj->ready, .due = pj->due};
        }
        if (t->on_leave || t->shift_start < 0)
            continue;
        locs[nl] = (struct dispatch_loc){t->lon, t->lat};
        st[nst] = (struct dispatch_slot_tech){.start_loc = nl,
                                              .end_loc = nl,
                                              .shift_start = t->shift_start,
                                              .shift_end = t->shift_end,
                                              .skills = t->mask,
                                              .max_travel = t->max_km,
                                              .first = first,
                                              .n = ns - first};
        nl++;
        st_tech[nst++] = v;
    }
    locs[nl] = (struct dispatch_loc){job.lon, job.lat};
    long fixed = -1;
    if (job.fixed >= 0) {
        fixed = (long)nst; /* none, unless the technician works that day */
        for (size_t k = 0; k < nst; k++)
            if (st_tech[k] == (size_t)job.fixed)
                fixed = (long)k;
    }
    struct dispatch_slot_query q = {
        .nloc = nl + 1,
        .locs = locs,
        .travel = {.metric = DISPATCH_METRIC_HAVERSINE,
                   .road_factor = pl.road_factor,
                   .speed_kmh = pl.speed_kmh},
        .ntech = nst,
        .techs = st,
        .stops = stops,
        .job = {.loc = nl, .duration = job.duration, .ready = fmax(0, job.ready), .due = job.due},
        .job_skills = job.mask,
        .job_sla_due = job.sla_due,
        .fixed_tech = fixed,
    };
    struct dispatch_slot out[20];
    double t0 = (double)sh_mono_ns();
    size_t n = job.empty_window ? 0 : dispatch_slots_find(&q, out, (size_t)count);
    double took = ((double)sh_mono_ns() - t0) / 1e6;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    char day[11];
    sh_date_format(pl.date, day);
    jw_kstr(&w, "date", day);
    jw_key(&w, "slots");
    jw_arr_begin(&w);
    for (size_t k = 0; k < n; k++) {
        const struct dispatch_slot *s = &out[k];
        const struct dispatch_slot_tech *tt = &st[s->tech];
        jw_obj_begin(&w);
        k_json(&w, "technician", pl.t[st_tech[s->tech]].key);
        jw_kstr(&w, "name", pl.t[st_tech[s->tech]].name);
        jw_kint(&w, "position", (int64_t)s->pos);
        k_json(&w, "after_job", s->pos > 0 ? stop_job[tt->first + s->pos - 1]->key : NULL);
        k_json(&w, "before_job", s->pos < tt->n ? stop_job[tt->first + s->pos]->key : NULL);
        k_time(&pl, &w, "arrival", s->arrival);
        k_time(&pl, &w, "start", s->start);
        k_time(&pl, &w, "latest_start", s->latest);
        jw_kreal(&w, "extra_travel_km", round(s->extra_dist * 100) / 100);
        jw_kreal(&w, "extra_travel_minutes", round(s->extra_time * 10) / 10);
        jw_kreal(&w, "buffer_minutes", round(s->buffer * 10) / 10);
        jw_kreal(&w, "lateness_risk", round(s->risk * 1000) / 1000);
        jw_kstr(&w, "risk", s->risk >= 0.999 ? "high" : s->risk > 0.5 ? "medium" : "low");
        jw_kreal(&w, "sla_late_minutes", round(s->sla_late * 10) / 10);
        jw_kreal(&w, "score", round(s->score * 1000) / 1000);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    if (n == 0) {
        enum stage sg = job_stage(&pl, &job);
        jw_kstr(&w, "reason", stage_reason[sg]);
        jw_kstr(&w, "message", stage_message(&pl, &job, sg));
    }
    jw_kint(&w, "technicians_considered", (int64_t)nst);
    jw_kreal(&w, "search_ms", round(took * 1000) / 1000);
    jw_obj_end(&w);
    reply(c, &b, &w);
out:
    if (rc)
        api_reply_err(c, &e);
    for (size_t v = 0; v < pl.nt; v++)
        if (pl.t[v].stored_id)
            json_decref(pl.t[v].key);
    json_decref(pl.root);
}
