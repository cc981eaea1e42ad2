/* SPDX-License-Identifier: MIT */
#include "app/report_dashboard.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/xalloc.h"

const char *const dash_states[DASH_STATES] = {
    "new",     "assigned",  "in_progress", "waiting_customer", "visit_scheduled",
    "on_site", "at_factory"};
const char *const dash_ages[DASH_AGES] = {"lt1d", "1to3d", "3to7d", "7to30d", "ge30d"};

/* The past months' figures change little once the month is over: kept per month and filter
 * for CACHE_TTL seconds, so the dashboard's first paint computes this month only. */
#define CACHE_SLOTS 64
#define CACHE_TTL   600
static struct {
    char key[200];
    int64_t at;
    bool stored; /* read from dashboard_months (not to be stored again) */
    struct dash_month m;
} cache[CACHE_SLOTS];
static int cache_next;
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

static void cache_key(const struct report_filter *f, const char *month, char *key, size_t n)
{
    snprintf(key, n, "%s|%lld|%lld|%lld|%lld|%.120s", month, (long long)f->department_id,
             (long long)f->staff_id, (long long)f->customer_id, (long long)f->model_id,
             f->region ? f->region : "");
}

static bool cache_get(const char *key, int64_t now, struct dash_month *m, bool *stored)
{
    bool hit = false;
    pthread_mutex_lock(&cache_mu);
    for (int i = 0; i < CACHE_SLOTS && !hit; i++)
        if (!strcmp(cache[i].key, key) && now - cache[i].at < CACHE_TTL) {
            *m = cache[i].m;
            *stored = cache[i].stored;
            hit = true;
        }
    pthread_mutex_unlock(&cache_mu);
    return hit;
}

static void cache_put(const char *key, int64_t now, const struct dash_month *m, bool stored)
{
    pthread_mutex_lock(&cache_mu);
    int slot = cache_next;
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (!strcmp(cache[i].key, key))
            slot = i;
    if (slot == cache_next)
        cache_next = (cache_next + 1) % CACHE_SLOTS;
    snprintf(cache[slot].key, sizeof(cache[slot].key), "%s", key);
    cache[slot].at = now;
    cache[slot].stored = stored;
    cache[slot].m = *m;
    pthread_mutex_unlock(&cache_mu);
}

/* The stored past months (table dashboard_months): a row counts while younger than STORE_TTL. */
#define STORE_TTL 86400

static void filter_key(const struct report_filter *f, char *key, size_t n)
{
    cache_key(f, "", key, n);
}

static const char *figures_text(struct sh_arena *a, const struct dash_month *m)
{
    const double *s = m->sla_pct;
    return sh_arena_printf(a, "%.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g", s[0], s[1], s[2],
                           s[3], m->on_time_pct, m->first_time_pct, m->repeat_pct, m->score_avg);
}

static bool figures_parse(const char *text, struct dash_month *m)
{
    double *v[8] = {&m->sla_pct[0],  &m->sla_pct[1],     &m->sla_pct[2], &m->sla_pct[3],
                    &m->on_time_pct, &m->first_time_pct, &m->repeat_pct, &m->score_avg};
    const char *p = text;
    for (int i = 0; i < 8; i++) {
        char *end;
        *v[i] = strtod(p, &end);
        if (end == p)
            return false;
        p = end;
    }
    return true;
}

/* m from the stored row of its month, when there is a fresh one */
static bool stored_get(const struct db_rows *r, struct dash_month *m)
{
    for (int i = 0; i < r->nrows; i++)
        if (!strcmp(db_get(r, i, "month"), m->month))
            return figures_parse(db_get(r, i, "figures"), m);
    return false;
}

/* month k months before the local month of now: its first and last local day (the last is
 * today for this month) */
static void month_of(int64_t now, int back, struct dash_month *m)
{
    struct sh_date today = sh_civil_from_days((now + 8 * 3600) / 86400);
    struct sh_date first = {today.y, today.m, 1};
    first = sh_date_add_months(first, -back);
    struct sh_date next = sh_date_add_months(first, 1);
    struct sh_date last =
        back ? sh_civil_from_days(sh_days_from_civil(next.y, next.m, 1) - 1) : today;
    memset(m, 0, sizeof(*m));
    sh_date_format(first, m->from);
    sh_date_format(last, m->to);
    snprintf(m->month, sizeof(m->month), "%.7s", m->from);
}

/* One month's rates: SLA per clock, punctuality, first-time fix, repeats, score. */
static enum sh_code month_figures(const struct uc *u, const struct report_filter *base,
                                  struct dash_month *m, struct sla_report *sla,
                                  struct punct_report *p, struct quality_report *q,
                                  struct sh_err *e)
{
    struct report_filter f = *base;
    enum sh_code rc = report_filter_period(m->from, m->to, &f, e);
    if (!rc)
        rc = uc_report_sla(u, &f, false, sla, e);
    if (!rc)
        rc = uc_report_punctuality(u, &f, p, e);
    if (!rc)
        rc = uc_report_quality(u, &f, q, e);
    if (rc)
        return rc;
    for (int k = 0; k < SLA_REPORT_CLOCKS; k++)
        m->sla_pct[k] = sla->clock[k].pct;
    m->on_time_pct = p->total.on_time_pct;
    m->first_time_pct = q->total.first_time_pct;
    m->repeat_pct = q->total.repeat_pct;
    m->score_avg = q->total.score_avg;
    return SH_OK;
}

/* Open tickets by state and age (the states are listed: tickets_status is an index on
 * (status, id)); $8…$11 the instants 1, 3, 7 and 30 days ago. */
static enum sh_code open_tickets(const struct uc *u, const struct report_filter *f,
                                 struct dashboard *out, struct sh_err *e)
{
    char d[4][21];
    static const int days[4] = {1, 3, 7, 30};
    for (int i = 0; i < 4; i++)
        sh_ts_format(u->now - days[i] * 86400LL, d[i]);
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT t.status, sum(CASE WHEN t.received_at >= $8 THEN 1 ELSE 0 END) AS a0, sum(CASE "
        "WHEN t.received_at < $8 AND t.received_at >= $9 THEN 1 ELSE 0 END) AS a1, sum(CASE WHEN "
        "t.received_at < $9 AND t.received_at >= $10 THEN 1 ELSE 0 END) AS a2, sum(CASE WHEN "
        "t.received_at < $10 AND t.received_at >= $11 THEN 1 ELSE 0 END) AS a3, sum(CASE WHEN "
        "t.received_at < $11 THEN 1 ELSE 0 END) AS a4 FROM tickets t WHERE t.status IN ('new', "
        "'assigned', 'in_progress', 'waiting_customer', 'visit_scheduled', 'on_site', "
        "'at_factory') AND $1 <= $2 AND " REPORT_TICKET_FILTER(
            "t.assignee_id") " GROUP BY t.status",
        DB_P(REPORT_FILTER_VALS(f), DB_TEXT(d[0]), DB_TEXT(d[1]), DB_TEXT(d[2]), DB_TEXT(d[3])), &r,
        e);
    for (int i = 0; !rc && i < r.nrows; i++)
        for (int k = 0; k < DASH_STATES; k++)
            if (!strcmp(dash_states[k], db_get(&r, i, "status")))
                for (int a = 0; a < DASH_AGES; a++) {
                    static const char *const col[DASH_AGES] = {"a0", "a1", "a2", "a3", "a4"};
                    out->open[k][a] = db_get_int(&r, i, col[a], 0);
                    out->open_total += out->open[k][a];
                }
    return rc;
}

/* RULE: a breach today = a clock of a ticket now in breach whose deadline fell today (local)
 * and passed without it being met (tickets_sla_id: (sla_state, id)). */
static enum sh_code breaches_today(const struct uc *u, const struct report_filter *f,
                                   struct dashboard *out, struct sh_err *e)
{
    char day0[21], now[21];
    sh_ts_format(((u->now + 8 * 3600) / 86400) * 86400 - 8 * 3600, day0);
    sh_ts_format(u->now, now);
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT count(*) AS n FROM tickets t JOIN ticket_sla s ON s.ticket_id = t.id WHERE "
        "t.sla_state = 'breached' AND s.due_at >= $1 AND s.due_at < $2 AND (s.done_at IS NULL "
        "OR s.done_at > s.due_at) AND " REPORT_TICKET_FILTER("t.assignee_id"),
        DB_P(DB_TEXT(day0), DB_TEXT(now), DB_INT(f->department_id), DB_INT(f->staff_id),
             DB_INT(f->customer_id), DB_INT(f->model_id), DB_TEXT(f->region ? f->region : "")),
        &r, e);
    if (!rc)
        out->breaches_today = r.nrows ? db_get_int(&r, 0, "n", 0) : 0;
    return rc;
}

/* The unfiltered dashboard (the one the jobs store): its past months are never computed in a
 * request — a month not yet stored is shown pending until the jobs have computed it. */
static bool unfiltered(const struct report_filter *f)
{
    return !f->department_id && !f->staff_id && !f->customer_id && !f->model_id &&
           !(f->region && *f->region);
}

static void pending_month(struct dashboard *out, int i)
{
    struct dash_month *m = &out->trend[i];
    for (int k = 0; k < SLA_REPORT_CLOCKS; k++)
        m->sla_pct[k] = -1;
    m->on_time_pct = m->first_time_pct = m->repeat_pct = m->score_avg = -1;
    out->pending[i] = true;
    out->cached = false;
}

/* past: PAST_PENDING (unfiltered request), PAST_COMPUTE (filtered request) or PAST_ONLY (the
 * jobs' warm-up: the past months only, this month and the open tickets are not needed) */
enum past { PAST_PENDING, PAST_COMPUTE, PAST_ONLY };

/* The months a call may compute (the warm-up computes one per read transaction): left < 0 no
 * limit; more is set when a month was left for a later call. */
struct budget {
    int left;
    bool more;
};

static enum sh_code dashboard_build(const struct uc *u, const struct report_filter *f,
                                    enum past past, struct budget *b, struct dashboard *out,
                                    struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    struct punct_report p;
    struct quality_report q;
    struct sla_report sla;
    enum sh_code rc = SH_OK;
    out->cached = true;
    char fkey[200], since[21];
    filter_key(f, fkey, sizeof(fkey));
    sh_ts_format(u->now - STORE_TTL, since);
    struct db_rows stored;
    rc = db_query(u->tx, u->a,
                  "SELECT month, figures FROM dashboard_months WHERE filter_key = $1 AND "
                  "computed_at >= $2",
                  DB_P(DB_TEXT(fkey), DB_TEXT(since)), &stored, e);
    int last = past == PAST_ONLY ? 1 : 0;
    for (int back = DASH_MONTHS - 1; !rc && back >= last; back--) {
        struct dash_month *m = &out->trend[DASH_MONTHS - 1 - back];
        month_of(u->now, back, m);
        char key[200];
        cache_key(f, m->month, key, sizeof(key));
        bool was_stored = false;
        if (back && cache_get(key, u->now, m, &was_stored)) {
            out->computed[DASH_MONTHS - 1 - back] = !was_stored;
            continue;
        }
        if (back && stored_get(&stored, m)) {
            cache_put(key, u->now, m, true);
            continue;
        }
        if (back && past == PAST_PENDING) {
            pending_month(out, DASH_MONTHS - 1 - back);
            continue;
        }
        if (back && b->left == 0) {
            b->more = true;
            continue;
        }
        if (back && b->left > 0)
            b->left--;
        if (back)
            out->cached = false;
        out->computed[DASH_MONTHS - 1 - back] = back != 0;
        rc = month_figures(u, f, m, back ? &sla : &out->sla, &p, &q, e);
        if (!rc && back)
            cache_put(key, u->now, m, false);
        if (!rc && !back) {
            out->month = *m;
            out->punct = p.total;
            out->quality = q.total;
        }
    }
    struct report_filter all = *f;
    if (past == PAST_ONLY)
        return rc;
    if (!rc)
        rc = report_filter_period(out->month.from, out->month.to, &all, e);
    if (!rc)
        rc = open_tickets(u, &all, out, e);
    if (!rc)
        rc = breaches_today(u, &all, out, e);
    return rc;
}

enum sh_code uc_dashboard(const struct uc *u, const struct report_filter *f, struct dashboard *out,
                          struct sh_err *e)
{
    struct budget all = {.left = -1};
    return dashboard_build(u, f, unfiltered(f) ? PAST_PENDING : PAST_COMPUTE, &all, out, e);
}

struct warm {
    struct app *app;
    int64_t now;
    struct sh_arena a;
    struct budget b;
    struct dashboard d;
};

static enum sh_code warm_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct warm *w = arg;
    const struct principal who = {0};
    const struct uc u = {.tx = tx, .a = &w->a, .who = &who, .now = w->now, .app = w->app};
    const struct report_filter f = {.region = ""};
    return dashboard_build(&u, &f, PAST_ONLY, &w->b, &w->d, e);
}

/* The past months the warm-up computed, stored in a short write transaction of their own. */
static enum sh_code store_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct warm *w = arg;
    char fkey[200], now[21];
    const struct report_filter f = {.region = ""};
    filter_key(&f, fkey, sizeof(fkey));
    sh_ts_format(w->now, now);
    enum sh_code rc = SH_OK;
    for (int i = 0; !rc && i < DASH_MONTHS; i++)
        if (w->d.computed[i])
            rc = db_exec(tx,
                         "INSERT INTO dashboard_months (month, filter_key, figures, computed_at) "
                         "VALUES ($1, $2, $3, $4) ON CONFLICT (month, filter_key) DO UPDATE SET "
                         "figures = excluded.figures, computed_at = excluded.computed_at",
                         DB_P(DB_TEXT(w->d.trend[i].month), DB_TEXT(fkey),
                              DB_TEXT(figures_text(&w->a, &w->d.trend[i])), DB_TEXT(now)),
                         NULL, e);
    return rc;
}

enum sh_code app_dashboard_warm(struct app *app, int64_t now, const struct dash_pace *pace,
                                struct sh_err *e)
{
    struct warm *w = xcalloc(1, sizeof(*w));
    w->app = app;
    w->now = now;
    sh_arena_init(&w->a, 0);
    /* one month per read transaction (each found again in the process cache by the next),
     * resting between them: a burst of eleven months' scans would hold a core and the
     * database's pages while requests wait (the first start over 1,000,000 tickets, or
     * once a day when the stored months age) */
    enum sh_code rc;
    bool go = true;
    do {
        w->b = (struct budget){.left = 1};
        int64_t t0 = sh_mono_ns();
        rc = db_read(app->db, warm_run, w, e);
        if (!rc && w->b.more && pace)
            go = pace->rest(pace->ctx, sh_mono_ns() - t0);
    } while (!rc && w->b.more && go);
    bool any = false;
    for (int i = 0; !rc && i < DASH_MONTHS; i++)
        any |= w->d.computed[i];
    if (!rc && any)
        rc = db_write(app->db, store_run, w, e);
    sh_arena_release(&w->a);
    free(w);
    return rc;
}
