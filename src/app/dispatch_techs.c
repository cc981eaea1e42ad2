/* SPDX-License-Identifier: MIT */
/* Dispatch planning: the request's technicians and jobs resolved against the store and
 * the skill catalogue for the plan's date, and why a job cannot be served. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/dispatch_int.h"
#include "base/sh_buf.h"
#include "domain/dispatch/dispatch.h"

bool dp_key_eq(const struct dp_key *a, const struct dp_key *b)
{
    if (a->kind == DP_KEY_NONE || a->kind != b->kind)
        return false;
    return a->kind == DP_KEY_INT ? a->i == b->i : !strcmp(a->s, b->s);
}

static bool skill_known(const struct dp_ctx *x, const char *code)
{
    for (int i = 0; i < x->skills.nrows; i++)
        if (!strcmp(db_get(&x->skills, i, "code"), code))
            return true;
    return false;
}

/* Skills held on the plan's date: expired entries are dropped here. */
static void drop_expired(const struct dp_ctx *x, struct dp_tech *t)
{
    int k = 0;
    for (int i = 0; i < t->nsk; i++)
        if (!t->sk[i].expires || sh_date_cmp(t->sk[i].expires_on, x->in->date) >= 0)
            t->sk[k++] = t->sk[i];
    t->nsk = k;
}

static enum sh_code tech_skills(struct dp_ctx *x, struct dp_tech *t, const char *path,
                                const char *skills, const char *auths, struct sh_err *e)
{
    struct sh_arena *a = x->u->a;
    t->sk = sh_arena_alloc(a, sizeof(struct tech_skill) * TECH_SKILL_MAX * 2);
    int n1 = 0, n2 = 0;
    enum sh_code rc;
    if ((rc = tech_skills_parse(skills, true, sh_arena_printf(a, "%s.skills", path), t->sk, &n1,
                                e)) ||
        (rc = tech_skills_parse(auths, false, sh_arena_printf(a, "%s.authorisations", path),
                                t->sk + n1, &n2, e)))
        return rc;
    int k = 0;
    for (int i = 0; i < n1 + n2; i++) {
        if (skill_known(x, t->sk[i].code))
            t->sk[k++] = t->sk[i];
        else if (!t->stored_id) /* a stored one was valid when written: its entry was retired
                                 * since, so it is held by no one (review 71 #15) */
            return sh_err_field(e, SH_INVALID, sh_arena_printf(a, "%s.skills", path),
                                "'%s': unknown skill '%s'", path, t->sk[i].code);
    }
    t->nsk = k;
    drop_expired(x, t);
    return SH_OK;
}

/* Shift, leave and skills of a technician from their text encodings. */
static enum sh_code tech_texts(struct dp_ctx *x, struct dp_tech *t, const char *path,
                               const char *shift, const char *skills, const char *auths,
                               const char *leave, struct sh_err *e)
{
    struct sh_arena *a = x->u->a;
    struct sh_date d = x->in->date;
    enum sh_code rc = tech_skills(x, t, path, skills, auths, e);
    if (rc)
        return rc;
    const char *fshift = sh_arena_printf(a, "%s.shift", path);
    struct tech_shift sh;
    if (shift && strlen(shift) == 11 && shift[5] == '-' && !strchr(shift, ' ')) {
        /* one interval on the plan's date */
        if ((rc = tech_shift_parse(sh_arena_printf(a, "1-7 %s", shift), fshift, &sh, e)))
            return rc;
        t->shift_start = sh.start[0];
        t->shift_end = sh.end[0];
    } else {
        int wd = sh_weekday(sh_days_from_civil(d.y, d.m, d.d));
        if ((rc = tech_shift_parse(shift, fshift, &sh, e)))
            return rc;
        t->shift_start = sh.start[wd];
        t->shift_end = sh.end[wd];
    }
    struct tech_leave lv[TECH_LEAVE_MAX];
    int nl = 0;
    if ((rc = tech_leave_parse(leave, sh_arena_printf(a, "%s.leave_periods", path), lv, &nl, e)))
        return rc;
    t->on_leave = tech_on_leave(lv, nl, d);
    return SH_OK;
}

static enum sh_code stored_tech(struct dp_ctx *x, int row, const char *path, struct dp_tech *t,
                                struct sh_err *e)
{
    const struct db_rows *r = &x->techs;
    t->stored_id = db_get_int(r, row, "id", 0);
    t->key = (struct dp_key){.kind = DP_KEY_INT, .i = t->stored_id};
    t->name = db_get(r, row, "name");
    const char *la = db_get(r, row, "home_latitude"), *lo = db_get(r, row, "home_longitude");
    if (!la || !lo)
        return sh_err_field(e, SH_INVALID, path, "technician %" PRId64 " has no home location",
                            t->stored_id);
    t->lat = strtod(la, NULL);
    t->lon = strtod(lo, NULL);
    const char *mk = db_get(r, row, "max_travel_km");
    t->max_km = mk ? strtod(mk, NULL) : 0;
    return tech_texts(x, t, path, db_get(r, row, "shift"), db_get(r, row, "skills"),
                      db_get(r, row, "authorisations"), db_get(r, row, "leave_periods"), e);
}

static int find_stored(const struct dp_ctx *x, int64_t id)
{
    for (int i = 0; i < x->techs.nrows; i++)
        if (db_get_int(&x->techs, i, "id", 0) == id)
            return i;
    return -1;
}

static enum sh_code one_tech(struct dp_ctx *x, size_t i, struct sh_err *e)
{
    const struct dp_tech_in *ti = &x->in->techs[i];
    const char *path = sh_arena_printf(x->u->a, "technicians[%zu]", i);
    struct dp_tech *t = &x->t[i];
    enum sh_code rc;
    if (ti->stored_id > 0) {
        int row = find_stored(x, ti->stored_id);
        if (row < 0)
            return sh_err_field(e, SH_INVALID, path, "technician %" PRId64 " not found",
                                ti->stored_id);
        if (db_get_int(&x->techs, row, "active", 0) != 1)
            return sh_err_field(e, SH_INVALID, path, "technician %" PRId64 " is not active",
                                ti->stored_id);
        rc = stored_tech(x, row, path, t, e);
    } else {
        t->key = ti->key;
        t->name = ti->name;
        t->lat = ti->lat;
        t->lon = ti->lon;
        t->max_km = ti->max_km;
        rc = tech_texts(x, t, path, ti->shift, ti->skills, ti->authorisations, ti->leave, e);
    }
    if (rc)
        return rc;
    for (size_t k = 0; k < i; k++)
        if (dp_key_eq(&x->t[k].key, &t->key))
            return sh_err_field(e, SH_INVALID, path, "'%s': technician listed twice", path);
    return SH_OK;
}

struct load {
    struct dp_ctx *x;
    bool stored, all;
};

static enum sh_code load_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct load *l = arg;
    struct sh_arena *a = l->x->u->a;
    enum sh_code rc =
        db_query(tx, a, "SELECT code, kind FROM skills WHERE active = 1", DB_NOP, &l->x->skills, e);
    if (rc || !l->stored)
        return rc;
    if (l->all)
        return db_query(tx, a, "SELECT * FROM technicians WHERE active = 1 ORDER BY id LIMIT 501",
                        DB_NOP, &l->x->techs, e);
    /* the ids asked for, any state: inactive ones are refused by name */
    return db_query(tx, a, "SELECT * FROM technicians ORDER BY id", DB_NOP, &l->x->techs, e);
}

enum sh_code dp_load(struct dp_ctx *x, const struct dp_common_in *in, struct sh_err *e)
{
    x->in = in;
    struct load l = {.x = x, .all = in->all_stored, .stored = in->all_stored};
    for (size_t i = 0; i < in->ntechs; i++)
        l.stored |= in->techs[i].stored_id > 0;
    enum sh_code rc =
        x->u->tx ? load_run(x->u->tx, &l, e) : db_read(x->u->app->db, load_run, &l, e);
    if (rc)
        return rc;
    struct sh_arena *a = x->u->a;
    if (in->all_stored) {
        if (x->techs.nrows > DISPATCH_MAX_TECHS)
            return sh_err_field(e, SH_INVALID, "technicians",
                                "more than %d active technicians: list their ids",
                                DISPATCH_MAX_TECHS);
        x->nt = (size_t)x->techs.nrows;
        x->t = sh_arena_alloc(a, sizeof(struct dp_tech) * (x->nt + 1));
        memset(x->t, 0, sizeof(struct dp_tech) * (x->nt + 1));
        for (size_t k = 0; k < x->nt; k++)
            if ((rc = stored_tech(x, (int)k, sh_arena_printf(a, "technicians[%zu]", k), &x->t[k],
                                  e)))
                return rc;
        return SH_OK;
    }
    x->nt = in->ntechs;
    x->t = sh_arena_alloc(a, sizeof(struct dp_tech) * (x->nt + 1));
    memset(x->t, 0, sizeof(struct dp_tech) * (x->nt + 1));
    for (size_t i = 0; i < x->nt; i++)
        if ((rc = one_tech(x, i, e)))
            return rc;
    return SH_OK;
}

/* One required skill, "code" or "code:level"; each distinct pair gets a bit. */
static enum sh_code req_skill(struct dp_ctx *x, const char *s, const char *field, struct dp_job *j,
                              struct sh_err *e)
{
    char code[64];
    snprintf(code, sizeof code, "%s", s);
    int level = 1;
    char *colon = strchr(code, ':');
    if (colon) {
        if (colon[1] < '1' || colon[1] > '5' || colon[2])
            return sh_err_field(e, SH_INVALID, field, "'%s': '%s' has a bad level (1 to 5)", field,
                                s);
        level = colon[1] - '0';
        *colon = '\0';
    }
    if (!tech_code_ok(code) || !skill_known(x, code))
        return sh_err_field(e, SH_INVALID, field, "'%s': unknown skill '%s'", field, code);
    struct dp_req rs = {sh_arena_strdup(x->u->a, code), level};
    j->req[j->nreq++] = rs;
    int b = 0;
    while (b < x->nbits && !(!strcmp(x->bits[b].code, rs.code) && x->bits[b].level == level))
        b++;
    if (b == x->nbits) {
        if (x->nbits == 64)
            return sh_err_field(e, SH_INVALID, field,
                                "more than 64 distinct skill requirements in one request");
        x->bits[x->nbits++] = rs;
    }
    j->mask |= (uint64_t)1 << b;
    return SH_OK;
}

enum sh_code dp_job(struct dp_ctx *x, const struct dp_job_in *in, const char *path,
                    struct dp_job *j, struct sh_err *e)
{
    struct sh_arena *a = x->u->a;
    memset(j, 0, sizeof *j);
    j->in = in;
    j->fixed = -1;
    j->req = sh_arena_alloc(a, sizeof(struct dp_req) * ((size_t)in->nskills + 1));
    const char *field = sh_arena_printf(a, "%s.skills", path);
    enum sh_code rc;
    for (int i = 0; i < in->nskills; i++)
        if ((rc = req_skill(x, in->skills[i], field, j, e)))
            return rc;
    if (in->technician.kind != DP_KEY_NONE) {
        for (size_t k = 0; k < x->nt && j->fixed < 0; k++)
            if (dp_key_eq(&x->t[k].key, &in->technician))
                j->fixed = (long)k;
        if (j->fixed < 0)
            return sh_err_field(e, SH_INVALID, sh_arena_printf(a, "%s.technician", path),
                                "'%s.technician' is not one of the request's technicians", path);
    }
    return SH_OK;
}

void dp_masks(struct dp_ctx *x)
{
    for (size_t v = 0; v < x->nt; v++) {
        struct dp_tech *t = &x->t[v];
        t->mask = 0;
        for (int b = 0; b < x->nbits; b++)
            for (int k = 0; k < t->nsk; k++)
                if (!strcmp(t->sk[k].code, x->bits[b].code) && t->sk[k].level >= x->bits[b].level)
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

/* How far technician t gets with job j. */
static enum dp_stage tech_stage(const struct dp_ctx *x, const struct dp_tech *t,
                                const struct dp_job *j)
{
    const struct dp_job_in *in = j->in;
    double km = haversine_km(t->lat, t->lon, in->lat, in->lon) * x->in->road_factor;
    double tt = km / x->in->speed_kmh * 60.0;
    if (j->mask & ~t->mask)
        return j->fixed >= 0 ? DP_ST_FIXED : DP_ST_SKILL;
    if (t->on_leave)
        return DP_ST_LEAVE;
    if (t->shift_start < 0 || in->due < t->shift_start || in->ready + in->duration > t->shift_end)
        return DP_ST_SHIFT;
    if (fmax(t->shift_start + tt, in->ready) > in->due + DISPATCH_EPS ||
        fmax(t->shift_start + tt, in->ready) + in->duration + tt > t->shift_end + DISPATCH_EPS)
        return DP_ST_WINDOW;
    if (t->max_km > 0 && 2 * km > t->max_km + DISPATCH_EPS)
        return DP_ST_DISTANCE;
    return DP_ST_OK;
}

enum dp_stage dp_stage_of(const struct dp_ctx *x, const struct dp_job *j)
{
    if (j->in->empty_window)
        return DP_ST_WINDOW;
    enum dp_stage best = j->fixed >= 0 ? DP_ST_FIXED : DP_ST_SKILL;
    for (size_t v = 0; v < x->nt; v++) {
        if (j->fixed >= 0 && (size_t)j->fixed != v)
            continue;
        enum dp_stage s = tech_stage(x, &x->t[v], j);
        if (s > best)
            best = s;
    }
    return best;
}

const char *dp_stage_reason(enum dp_stage s)
{
    static const char *const reason[] = {"fixed_technician_unavailable",
                                         "no_skilled_technician",
                                         "on_leave",
                                         "outside_shift",
                                         "infeasible_window",
                                         "too_far",
                                         "no_capacity"};
    return reason[s];
}

const char *dp_stage_message(const struct dp_ctx *x, const struct dp_job *j, enum dp_stage s)
{
    switch (s) {
    case DP_ST_FIXED:
        return "the fixed technician lacks a required skill";
    case DP_ST_SKILL: {
        struct sh_buf b = SH_BUF_INIT(2048);
        for (int i = 0; i < j->nreq; i++)
            if (sh_buf_addf(&b, "%s%s:%d", i ? ", " : "", j->req[i].code, j->req[i].level))
                break;
        const char *m = sh_arena_printf(
            x->u->a, "no technician holds the required skills (%s) valid on this date", b.buf);
        sh_buf_release(&b);
        return m;
    }
    case DP_ST_LEAVE:
        return "every technician with the skills is on leave";
    case DP_ST_SHIFT:
        return "the job's window is outside every qualified technician's shift";
    case DP_ST_WINDOW:
        return "no qualified technician can reach the job inside its window and be back by the "
               "end of the shift";
    case DP_ST_DISTANCE:
        return "the job is beyond every qualified technician's daily travel limit";
    case DP_ST_OK:
        return "the qualified technicians' days are full";
    }
    return "";
}
