/* SPDX-License-Identifier: MIT */
/* The SLA use cases (docs/tickets.md "SLA semantics"). SLA clocks of stored tickets: loads the
 * ticket's policy and calendar, evaluates every clock with the pure functions of domain/sla.c, and
 * stores the outcome — per-target rows, the ticket's worst state, and the next instant anything can
 * change (so the scanner only reads tickets that are due for a look). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/sla.h"
#include "app/notify_events.h"

#include "app/ticket_events.h"
#include "base/date.h"
#include "base/sh_buf.h"
#include "base/log.h"
#include "domain/calendar.h"
#include "domain/sla.h"
#include "domain/ticket.h"

static int64_t ts_or_none(const char *s)
{
    int64_t t;
    return s && sh_ts_parse(s, &t) ? t : SLA_NO_TIME;
}

static const char *ts_text(struct sh_arena *a, int64_t t)
{
    if (t == SLA_NO_TIME)
        return NULL;
    char *s = sh_arena_alloc(a, 21);
    sh_ts_format(t, s);
    return s;
}

enum sh_code uc_company_calendar(const struct uc *u, struct calendar *cal, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT calendar_id FROM sla_policies ORDER BY CASE WHEN code = "
                               "'default' THEN 0 ELSE 1 END, id LIMIT 1",
                               DB_NOP, &r, e);
    if (rc)
        return rc;
    if (!r.nrows) {
        cal_init(cal, CAL_24X7, CAL_SHANGHAI);
        return SH_OK;
    }
    return calendar_load(u->tx, u->a, db_get_int(&r, 0, "calendar_id", 0), u->now, cal, e);
}

static enum sla_priority prio(const char *p)
{
    if (!p)
        return SLA_PRIO_NORMAL;
    if (!strcmp(p, "low"))
        return SLA_PRIO_LOW;
    if (!strcmp(p, "high"))
        return SLA_PRIO_HIGH;
    if (!strcmp(p, "urgent"))
        return SLA_PRIO_URGENT;
    return SLA_PRIO_NORMAL;
}

/* Builds the policy of row `row` of r (an sla_policies row). */
static void policy_from_row(const struct db_rows *r, int row, const struct calendar *cal,
                            struct sla_policy *p)
{
    sla_policy_default(p, cal);
    p->id = db_get_int(r, row, "id", 0);
    sla_policy_set_budget(p, SLA_REPLY, db_get_int(r, row, "reply_minutes", 1440) * 60);
    sla_policy_set_budget(p, SLA_REMOTE, db_get_int(r, row, "remote_minutes", 120) * 60);
    sla_policy_set_budget(p, SLA_ONSITE, db_get_int(r, row, "onsite_minutes", 2880) * 60);
    const char *res = db_get(r, row, "resolve_minutes");
    if (res) {
        p->clock[SLA_RESOLVE].enabled = true;
        sla_policy_set_budget(p, SLA_RESOLVE, strtoll(res, NULL, 10) * 60);
    }
    const char *start = db_get(r, row, "onsite_start");
    if (start && !strcmp(start, "received"))
        p->clock[SLA_ONSITE].start = SLA_EV_RECEIVED;
    else if (start && !strcmp(start, "visit_scheduled"))
        p->clock[SLA_ONSITE].start = SLA_EV_VISIT_SCHEDULED;
    p->at_risk_pct = (int)db_get_int(r, row, "at_risk_percent", 80);
    /* the configurable chain: assignee → department head → general manager */
    p->esc.dept_head_after = db_get_int(r, row, "escalate_dept_head_minutes", 0) * 60;
    p->esc.gm_after = db_get_int(r, row, "escalate_gm_minutes", 1440) * 60;
    p->esc.at_risk_to_assignee = db_get_int(r, row, "at_risk_notify", 1) != 0;
    p->notify_around_clock = db_get_int(r, row, "notify_around_clock", 0) != 0;
}

static bool clock_open(const struct sla_clock_state *s)
{
    return s->status == SLA_RUNNING || s->status == SLA_AT_RISK || s->status == SLA_PAUSED ||
           (s->status == SLA_BREACHED && !s->completed);
}

/* Users to tell at an escalation level: the assignee, the department heads, the GMs. */
static enum sh_code recipients(struct db_tx *tx, struct sh_arena *a, enum sla_level level,
                               int64_t assignee, int64_t dept, struct db_rows *out,
                               struct sh_err *e)
{
    switch (level) {
    case SLA_LEVEL_NONE:
        out->nrows = 0;
        return SH_OK;
    case SLA_LEVEL_ASSIGNEE:
        return db_query(tx, a, "SELECT id FROM users WHERE id = $1 AND active = 1",
                        DB_P(DB_INT(assignee)), out, e);
    case SLA_LEVEL_DEPT_HEAD:
        return db_query(tx, a,
                        "SELECT id FROM users WHERE active = 1 AND (',' || roles || ',') LIKE "
                        "'%,dept_head,%' AND ($1 = 0 OR department_id = $1 OR department_id IS "
                        "NULL) ORDER BY id LIMIT 20",
                        DB_P(DB_INT(dept)), out, e);
    case SLA_LEVEL_GM:
        return db_query(tx, a,
                        "SELECT id FROM users WHERE active = 1 AND (',' || roles || ',') LIKE "
                        "'%,gm,%' ORDER BY id LIMIT 20",
                        DB_NOP, out, e);
    }
    return SH_OK;
}

/* The scanner's batch reads many tickets of few policies: each policy and its calendar is
 * loaded once per batch (they cannot change inside the batch's transaction, and `now` is the
 * batch's), and so are the recipients of each escalation level. Refreshes outside the scanner
 * pass NULL. */
struct policy_cache {
    int n, nwho;
    struct {
        int64_t id;
        struct sla_policy policy;
        const struct calendar *cal;
    } e[8];
    struct {
        int level;
        int64_t key;
        struct db_rows rows;
    } who[16];
};

/* The ticket's policy and calendar: from the cache, or read (and cached when there is room). */
static enum sh_code load_policy(const struct uc *u, int64_t pid, int64_t now,
                                struct policy_cache *pc, struct ticket_sla_view *out,
                                struct sh_err *e)
{
    for (int i = 0; pc && i < pc->n; i++)
        if (pc->e[i].id == pid) {
            out->policy = pc->e[i].policy;
            out->cal = pc->e[i].cal;
            return SH_OK;
        }
    struct db_rows pr;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT * FROM sla_policies WHERE id = $1",
                               DB_P(DB_INT(pid)), &pr, e);
    if (rc)
        return rc;
    if (pr.nrows == 0)
        return sh_err_set(e, SH_UNPROCESSABLE, "SLA policy %" PRId64 " not found", pid);
    struct calendar *cal = sh_arena_alloc(u->a, sizeof(*cal));
    if ((rc = calendar_load(u->tx, u->a, db_get_int(&pr, 0, "calendar_id", 0), now, cal, e)))
        return rc;
    out->cal = cal;
    policy_from_row(&pr, 0, cal, &out->policy);
    if (pc && pc->n < (int)(sizeof(pc->e) / sizeof(pc->e[0]))) {
        pc->e[pc->n].id = pid;
        pc->e[pc->n].policy = out->policy;
        pc->e[pc->n++].cal = cal;
    }
    return SH_OK;
}

/* The recipients of an escalation level, from the batch's cache when it has them. */
static enum sh_code recipients_cached(const struct uc *u, struct policy_cache *pc,
                                      enum sla_level level, int64_t assignee, int64_t dept,
                                      struct db_rows *out, struct sh_err *e)
{
    int64_t key = level == SLA_LEVEL_ASSIGNEE ? assignee : level == SLA_LEVEL_DEPT_HEAD ? dept : 0;
    for (int i = 0; pc && i < pc->nwho; i++)
        if (pc->who[i].level == (int)level && pc->who[i].key == key) {
            *out = pc->who[i].rows;
            return SH_OK;
        }
    enum sh_code rc = recipients(u->tx, u->a, level, assignee, dept, out, e);
    if (!rc && pc && pc->nwho < (int)(sizeof(pc->who) / sizeof(pc->who[0])))
        pc->who[pc->nwho++] = (__typeof__(pc->who[0])){(int)level, key, *out};
    return rc;
}

/* The columns of tickets the clocks read. */
#define SLA_TICKET_COLS                                                                            \
    "id, number, status, priority, sla_policy_id, assignee_id, department_id, received_at, "       \
    "replied_at, remote_solved_at, not_remote_at, visit_scheduled_at, arrived_at, resolved_at, "   \
    "factory_at, required_arrival_at, promised_arrival_at, sla_state, next_due_at, next_check_at"

/* Rows [lo, hi) of r: one ticket's pauses or clocks out of a batch's. */
struct slice {
    const struct db_rows *r;
    int lo, hi;
};

/* Row `row` of tr (SLA_TICKET_COLS) with its pauses (started_at, ended_at) evaluated. */
static enum sh_code eval_row(const struct uc *u, const struct db_rows *tr, int row, int64_t now,
                             const struct slice *pauses, struct policy_cache *pc,
                             struct ticket_sla_view *out, struct sh_err *e)
{
    int64_t pid = db_get_int(tr, row, "sla_policy_id", 0);
    enum ticket_state st = TS_NEW;
    ticket_state_parse(db_get(tr, row, "status"), &st);
    out->has_policy = pid && st != TS_CANCELLED;
    if (!out->has_policy)
        return SH_OK;
    enum sh_code rc = load_policy(u, pid, now, pc, out, e);
    if (rc)
        return rc;
    out->number = db_get(tr, row, "number");
    out->assignee_id = db_get_int(tr, row, "assignee_id", 0);
    out->department_id = db_get_int(tr, row, "department_id", 0);

    struct sla_ticket t;
    sla_ticket_init(&t);
    t.priority = prio(db_get(tr, row, "priority"));
    static const char *const evcol[SLA_EV_COUNT] = {
        [SLA_EV_RECEIVED] = "received_at",
        [SLA_EV_REPLIED] = "replied_at",
        [SLA_EV_REMOTE_SOLUTION] = "remote_solved_at",
        [SLA_EV_NOT_REMOTE_FIXABLE] = "not_remote_at",
        [SLA_EV_VISIT_SCHEDULED] = "visit_scheduled_at",
        [SLA_EV_ARRIVED] = "arrived_at",
        [SLA_EV_RESOLVED] = "resolved_at",
        [SLA_EV_TO_FACTORY] = "factory_at",
    };
    for (int i = 0; i < SLA_EV_COUNT; i++)
        t.ev[i] = ts_or_none(db_get(tr, row, evcol[i]));
    t.customer_due = ts_or_none(db_get(tr, row, "required_arrival_at"));
    t.promised_due = ts_or_none(db_get(tr, row, "promised_arrival_at"));
    int np = pauses->hi - pauses->lo;
    struct sla_pause *pz = sh_arena_alloc(u->a, sizeof(*pz) * (size_t)(np + 1));
    for (int i = 0; i < np; i++) {
        pz[i].from = ts_or_none(db_get(pauses->r, pauses->lo + i, "started_at"));
        pz[i].to = ts_or_none(db_get(pauses->r, pauses->lo + i, "ended_at"));
    }
    t.pauses = pz;
    t.npauses = (size_t)np;
    return sla_evaluate(&out->policy, &t, now, &out->result, e);
}

/* fresh: the ticket was created in this transaction (no pauses to read). */
static enum sh_code eval(const struct uc *u, int64_t id, int64_t now, bool fresh,
                         struct ticket_sla_view *out, struct db_rows *tr, struct sh_err *e)
{
    struct db_rows pauses;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT " SLA_TICKET_COLS " FROM tickets WHERE id = $1",
                               DB_P(DB_INT(id)), tr, e);
    if (rc)
        return rc;
    if (tr->nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "ticket %" PRId64 " not found", id);
    pauses.nrows = 0;
    if (!fresh && (rc = db_query(u->tx, u->a,
                                 "SELECT started_at, ended_at FROM ticket_pauses WHERE ticket_id "
                                 "= $1 ORDER BY started_at, id",
                                 DB_P(DB_INT(id)), &pauses, e)))
        return rc;
    const struct slice ps = {&pauses, 0, pauses.nrows};
    return eval_row(u, tr, 0, now, &ps, NULL, out, e);
}

enum sh_code uc_ticket_sla_eval(const struct uc *u, int64_t id, int64_t now,
                                struct ticket_sla_view *out, struct sh_err *e)
{
    struct db_rows tr;
    return eval(u, id, now, false, out, &tr, e);
}

/* What refreshes write, gathered and written in few statements: the rows of ticket_sla that
 * changed (8 values each), the tickets' summaries that changed (id, sla_state, next_due_at,
 * next_check_at; or id, next_due_at, next_check_at when sla_state stays, which leaves its
 * index alone) and the timeline events (ticket id, body, data), in the order the per-ticket
 * path wrote them (so their ids come out the same). A row equal to the stored one is not
 * written again: the tables end the same. The scanner writes a whole batch's at its end. */
struct sla_writes {
    struct db_val *clock, *tick, *tick3, *ev;
    int nclock, ntick, ntick3, nev, cap; /* cap: tickets */
};

static void writes_init(struct sh_arena *a, int tickets, struct sla_writes *w)
{
    *w = (struct sla_writes){.cap = tickets};
    w->clock = sh_arena_alloc(a, sizeof(struct db_val) * 8 * SLA_CLOCK_COUNT * (size_t)tickets);
    w->tick = sh_arena_alloc(a, sizeof(struct db_val) * 4 * (size_t)tickets);
    w->tick3 = sh_arena_alloc(a, sizeof(struct db_val) * 3 * (size_t)tickets);
    w->ev = sh_arena_alloc(a, sizeof(struct db_val) * 3 * SLA_CLOCK_COUNT * (size_t)tickets);
}

/* Text equality of a stored value (NULL = SQL NULL) and one about to be written. */
static bool same_text(const char *stored, const struct db_val *v)
{
    if (v->t == DBV_NULL || (v->t == DBV_TEXT && !v->s))
        return !stored;
    if (!stored)
        return false;
    if (v->t == DBV_INT)
        return strtoll(stored, NULL, 10) == v->i && *stored;
    return v->t == DBV_TEXT && !strcmp(stored, v->s);
}

#define CLOCK_CHUNK                                                                                \
    32 /* rows of ticket_sla per statement (256 parameters: SQLite looks $N up linearly) */
#define TICK_CHUNK  50 /* tickets per UPDATE (200 parameters) */
#define EVENT_CHUNK 64 /* timeline events per INSERT (3 + 192 parameters) */

static enum sh_code store_clocks(const struct uc *u, const struct db_val *v, int n,
                                 struct sh_err *e)
{
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    int bad = 0;
    bad |=
        sh_buf_addf(&b, "INSERT INTO ticket_sla (ticket_id, target, started_at, due_at, done_at, "
                        "budget_seconds, state, escalation_level) VALUES ");
    for (int i = 0; i < n; i++) {
        int p = 8 * i;
        bad |= sh_buf_addf(&b, "%s($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", i ? ", " : "", p + 1,
                           p + 2, p + 3, p + 4, p + 5, p + 6, p + 7, p + 8);
    }
    bad |= sh_buf_addf(&b,
                       " ON CONFLICT (ticket_id, target) DO UPDATE SET started_at = "
                       "excluded.started_at, due_at = excluded.due_at, done_at = excluded.done_at, "
                       "budget_seconds = excluded.budget_seconds, state = excluded.state, "
                       "escalation_level = excluded.escalation_level");
    enum sh_code rc =
        bad ? sh_err_set(e, SH_INTERNAL, "ticket_sla: statement too long")
            : db_exec_nowait(u->tx, sh_arena_strndup(u->a, b.buf, b.len), v, 8 * n, e);
    sh_buf_release(&b);
    return rc;
}

/* nc 4: (id, sla_state, next_due_at, next_check_at); nc 3: (id, next_due_at, next_check_at). */
static enum sh_code store_ticks(const struct uc *u, const struct db_val *v, int n, int nc,
                                struct sh_err *e)
{
    if (n == 1)
        return db_exec_nowait(u->tx,
                              nc == 4 ? "UPDATE tickets SET sla_state = $2, next_due_at = $3, "
                                        "next_check_at = $4 WHERE id = $1"
                                      : "UPDATE tickets SET next_due_at = $2, next_check_at = $3 "
                                        "WHERE id = $1",
                              v, nc, e);
    /* both dialects name the columns of VALUES column1, column2, … */
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    int bad = 0;
    bad |= sh_buf_addf(&b, nc == 4 ? "UPDATE tickets SET sla_state = v.column2, next_due_at = "
                                     "v.column3, next_check_at = v.column4 FROM (VALUES "
                                   : "UPDATE tickets SET next_due_at = v.column2, next_check_at = "
                                     "v.column3 FROM (VALUES ");
    for (int i = 0; i < n; i++) {
        bad |= sh_buf_addf(&b, "%s(CAST($%d AS BIGINT)", i ? ", " : "", nc * i + 1);
        for (int c = 2; c <= nc; c++)
            bad |= sh_buf_addf(&b, ", $%d", nc * i + c);
        bad |= sh_buf_addf(&b, ")");
    }
    bad |= sh_buf_addf(&b, ") AS v WHERE tickets.id = v.column1");
    enum sh_code rc =
        bad ? sh_err_set(e, SH_INTERNAL, "tickets: statement too long")
            : db_exec_nowait(u->tx, sh_arena_strndup(u->a, b.buf, b.len), v, nc * n, e);
    sh_buf_release(&b);
    return rc;
}

/* The timeline events of v (ticket id, body, data each) in one INSERT, in order: what
 * uc_ticket_event wrote one by one (kind sla, visibility internal, the job as actor). */
static enum sh_code store_events(const struct uc *u, const struct db_val *v, int n,
                                 struct sh_err *e)
{
    char now[21];
    sh_ts_format(u->now, now);
    struct db_val *p = sh_arena_alloc(u->a, sizeof(*p) * (size_t)(3 + 3 * n));
    p[0] = DB_TEXT(sh_arena_strdup(u->a, now));
    p[1] = u->who && u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL;
    p[2] = DB_TEXT(u->who && u->who->username ? u->who->username : "system");
    memcpy(p + 3, v, sizeof(*p) * 3 * (size_t)n);
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    int bad = 0;
    bad |= sh_buf_addf(&b, "INSERT INTO ticket_events (ticket_id, at, actor_id, actor, kind, "
                           "visibility, body, data) VALUES ");
    for (int i = 0; i < n; i++)
        bad |= sh_buf_addf(&b, "%s($%d, $1, $2, $3, 'sla', 'internal', $%d, $%d)", i ? ", " : "",
                           3 * i + 4, 3 * i + 5, 3 * i + 6);
    enum sh_code rc =
        bad ? sh_err_set(e, SH_INTERNAL, "ticket_events: statement too long")
            : db_exec_nowait(u->tx, sh_arena_strndup(u->a, b.buf, b.len), p, 3 + 3 * n, e);
    sh_buf_release(&b);
    return rc;
}

static enum sh_code writes_flush(const struct uc *u, struct sla_writes *w, struct sh_err *e)
{
    enum sh_code rc = SH_OK;
    for (int i = 0; !rc && i < w->nclock; i += CLOCK_CHUNK)
        rc = store_clocks(u, w->clock + 8 * i,
                          w->nclock - i < CLOCK_CHUNK ? w->nclock - i : CLOCK_CHUNK, e);
    for (int i = 0; !rc && i < w->ntick; i += TICK_CHUNK)
        rc = store_ticks(u, w->tick + 4 * i, w->ntick - i < TICK_CHUNK ? w->ntick - i : TICK_CHUNK,
                         4, e);
    for (int i = 0; !rc && i < w->ntick3; i += TICK_CHUNK)
        rc = store_ticks(u, w->tick3 + 3 * i,
                         w->ntick3 - i < TICK_CHUNK ? w->ntick3 - i : TICK_CHUNK, 3, e);
    for (int i = 0; !rc && i < w->nev; i += EVENT_CHUNK)
        rc = store_events(u, w->ev + 3 * i, w->nev - i < EVENT_CHUNK ? w->nev - i : EVENT_CHUNK, e);
    w->nclock = w->ntick = w->ntick3 = w->nev = 0;
    return rc;
}

/* Tells the recipients of every escalation level from old_level + 1 to level, once each. */
static enum sh_code escalate(const struct uc *u, int64_t id, const struct ticket_sla_view *v,
                             const struct sla_clock_state *s, const char *target, int old_level,
                             int level, int64_t now, struct policy_cache *pc, struct sh_err *e)
{
    struct sh_arena *a = u->a;
    const char *state = sla_status_name(s->status);
    for (int lv = old_level + 1; lv <= level; lv++) {
        struct db_rows who;
        enum sh_code rc =
            recipients_cached(u, pc, (enum sla_level)lv, v->assignee_id, v->department_id, &who, e);
        if (rc)
            return rc;
        int64_t deliver = now;
        if ((rc = sla_delivery_at(&v->policy, v->cal, now, &deliver, e)))
            return rc;
        const char *due = notify_local_time(a, s->due);
        const struct notify_var var[] = {
            {"number", v->number}, {"clock", target}, {"due_at", due}, {"state", state}};
        for (int i = 0; i < who.nrows; i++) {
            int64_t uid = db_get_int(&who, i, "id", 0);
            struct notify_to to = {.user_id = uid,
                                   .ticket_id = id,
                                   .deliver_after = deliver,
                                   .dedupe = sh_arena_printf(a, "sla:%" PRId64 ":%s:%d:%" PRId64,
                                                             id, target, lv, uid)};
            if ((rc = uc_notify_event(u, s->status == SLA_AT_RISK ? "sla_at_risk" : "sla_breached",
                                      &to, var, 4, NULL, e)))
                return rc;
        }
    }
    return SH_OK;
}

/* What a refresh stores on the ticket: its worst open clock, the nearest due time and the
 * next instant anything can change. */
struct refresh_sum {
    const char *worst;
    int64_t next_due, next_check;
};

static void summarise(const struct sla_policy *pol, const struct sla_clock_state *s, int64_t now,
                      struct refresh_sum *sum)
{
    if (!clock_open(s))
        return;
    if (s->status == SLA_BREACHED)
        sum->worst = "breached";
    else if (s->status == SLA_AT_RISK && strcmp(sum->worst, "breached"))
        sum->worst = "at_risk";
    if (s->due != SLA_NO_TIME && (sum->next_due == SLA_NO_TIME || s->due < sum->next_due))
        sum->next_due = s->due;
    int64_t when = SLA_NO_TIME;
    if (s->status == SLA_RUNNING && s->at_risk_at != SLA_NO_TIME)
        when = s->at_risk_at;
    else if (s->status == SLA_AT_RISK)
        when = s->due;
    else if (s->status == SLA_BREACHED)
        when = sla_escalation_next(&pol->esc, s, now);
    if (when != SLA_NO_TIME && (sum->next_check == SLA_NO_TIME || when < sum->next_check))
        sum->next_check = when;
}

/* One clock: its row, its timeline event when it turned at risk or breached, and the
 * escalations it newly reached. */
static enum sh_code refresh_clock(const struct uc *u, int64_t id, struct ticket_sla_view *v, int k,
                                  const struct slice *prev, int64_t now, struct policy_cache *pc,
                                  struct sla_writes *w, struct sh_err *e)
{
    struct sh_arena *a = u->a;
    const struct sla_clock_state *s = &v->result.clock[k];
    const char *target = sla_clock_name((enum sla_clock)k);
    const char *state = sla_status_name(s->status);
    int old_level = 0, old = -1;
    const char *old_state = NULL;
    for (int i = prev->lo; i < prev->hi; i++)
        if (!strcmp(db_get(prev->r, i, "target"), target)) {
            old_level = (int)db_get_int(prev->r, i, "escalation_level", 0);
            old_state = db_get(prev->r, i, "state");
            old = i;
        }
    int level = (int)sla_escalation_level(&v->policy.esc, s, now);
    if (level < old_level)
        level = old_level;
    v->level[k] = level;
    struct db_val *r = &w->clock[8 * w->nclock];
    r[0] = DB_INT(id);
    r[1] = DB_TEXT(target);
    r[2] = DB_TEXT(ts_text(a, s->start));
    r[3] = DB_TEXT(ts_text(a, s->due));
    r[4] = DB_TEXT(ts_text(a, s->stop));
    r[5] = DB_INT(s->budget);
    r[6] = DB_TEXT(state);
    r[7] = DB_INT(level);
    static const char *const col[8] = {NULL,         NULL,
                                       "started_at", "due_at",
                                       "done_at",    "budget_seconds",
                                       "state",      "escalation_level"};
    bool same = old >= 0;
    for (int c = 2; same && c < 8; c++)
        same = same_text(db_get(prev->r, old, col[c]), &r[c]);
    if (!same)
        w->nclock++;
    /* timeline: a clock turning at risk or breached is an event, once */
    if ((s->status == SLA_AT_RISK || s->status == SLA_BREACHED) &&
        (!old_state || strcmp(old_state, state))) {
        struct db_val *ev = &w->ev[3 * w->nev++];
        ev[0] = DB_INT(id);
        ev[1] = DB_TEXT(sh_arena_printf(a, "%s %s", target, state));
        ev[2] = DB_TEXT(sh_arena_printf(a, "{\"target\":\"%s\",\"state\":\"%s\"}", target, state));
    }
    return escalate(u, id, v, s, target, old_level, level, now, pc, e);
}

/* One ticket (row `row` of tr) refreshed with its pauses and its clocks as they were (prev:
 * target, state, escalation_level); the rows to write go to w. */
static enum sh_code refresh_row(const struct uc *u, const struct db_rows *tr, int row,
                                const struct slice *pauses, const struct slice *prev, int64_t now,
                                struct policy_cache *pc, struct sla_writes *w,
                                struct ticket_sla_view *v, struct sh_err *e)
{
    struct sh_arena *a = u->a;
    int64_t id = db_get_int(tr, row, "id", 0);
    memset(v, 0, sizeof(*v));
    enum sh_code rc = eval_row(u, tr, row, now, pauses, pc, v, e);
    if (rc)
        return rc;
    if (!v->has_policy) /* no clocks: nothing to watch (a new ticket has nothing stored) */
        return !db_get(tr, row, "next_check_at")
                   ? SH_OK
                   : db_exec(u->tx, "UPDATE tickets SET next_check_at = NULL WHERE id = $1",
                             DB_P(DB_INT(id)), NULL, e);
    struct refresh_sum sum = {"ok", SLA_NO_TIME, SLA_NO_TIME};
    for (int k = 0; k < SLA_CLOCK_COUNT; k++) {
        if (v->result.clock[k].status == SLA_OFF)
            continue;
        if ((rc = refresh_clock(u, id, v, k, prev, now, pc, w, e)))
            return rc;
        summarise(&v->policy, &v->result.clock[k], now, &sum);
    }
    v->has_levels = true;
    const struct db_val due = DB_TEXT(ts_text(a, sum.next_due)),
                        check = DB_TEXT(ts_text(a, sum.next_check));
    const struct db_val worst = DB_TEXT(sum.worst);
    bool state_same = same_text(db_get(tr, row, "sla_state"), &worst);
    if (state_same && same_text(db_get(tr, row, "next_due_at"), &due) &&
        same_text(db_get(tr, row, "next_check_at"), &check))
        return SH_OK; /* the ticket's summary as stored */
    if (state_same) {
        struct db_val *t = &w->tick3[3 * w->ntick3++];
        t[0] = DB_INT(id);
        t[1] = due;
        t[2] = check;
        return SH_OK;
    }
    struct db_val *t = &w->tick[4 * w->ntick++];
    t[0] = DB_INT(id);
    t[1] = DB_TEXT(sum.worst);
    t[2] = due;
    t[3] = check;
    return SH_OK;
}

static enum sh_code refresh(const struct uc *u, int64_t id, int64_t now, bool fresh,
                            const struct ticket_sla_view **view, struct sh_err *e)
{
    struct db_rows tr, pauses, prev;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT " SLA_TICKET_COLS " FROM tickets WHERE id = $1",
                               DB_P(DB_INT(id)), &tr, e);
    if (rc)
        return rc;
    if (tr.nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "ticket %" PRId64 " not found", id);
    pauses.nrows = prev.nrows = 0;
    if (!fresh &&
        ((rc = db_query(u->tx, u->a,
                        "SELECT started_at, ended_at FROM ticket_pauses WHERE ticket_id = $1 "
                        "ORDER BY started_at, id",
                        DB_P(DB_INT(id)), &pauses, e)) ||
         (rc = db_query(u->tx, u->a,
                        "SELECT target, started_at, due_at, done_at, budget_seconds, state, "
                        "escalation_level FROM ticket_sla WHERE ticket_id = $1",
                        DB_P(DB_INT(id)), &prev, e))))
        return rc;
    const struct slice ps = {&pauses, 0, pauses.nrows}, pv = {&prev, 0, prev.nrows};
    struct sla_writes w;
    writes_init(u->a, 1, &w);
    struct ticket_sla_view *v = sh_arena_alloc(u->a, sizeof(*v));
    if ((rc = refresh_row(u, &tr, 0, &ps, &pv, now, NULL, &w, v, e)) ||
        (rc = writes_flush(u, &w, e)))
        return rc;
    if (view)
        *view = v;
    return SH_OK;
}

enum sh_code uc_ticket_sla_refresh(const struct uc *u, int64_t id, int64_t now,
                                   const struct ticket_sla_view **view, struct sh_err *e)
{
    return refresh(u, id, now, false, view, e);
}

enum sh_code uc_ticket_sla_start(const struct uc *u, int64_t id, int64_t now,
                                 const struct ticket_sla_view **view, struct sh_err *e)
{
    return refresh(u, id, now, true, view, e);
}

/* ---- a ticket about to be inserted ---- */

/* Row 0 of a one-row result of names = values (the columns SLA_TICKET_COLS names). */
static void one_row(struct sh_arena *a, const char *const *names, const char **cells, int n,
                    struct db_rows *r)
{
    *r = (struct db_rows){.nrows = 1, .ncols = n};
    r->names = sh_arena_alloc(a, sizeof(char *) * (size_t)n);
    r->cells = sh_arena_alloc(a, sizeof(char *) * (size_t)n);
    memcpy(r->names, names, sizeof(char *) * (size_t)n);
    memcpy(r->cells, cells, sizeof(char *) * (size_t)n);
}

enum sh_code uc_ticket_sla_prepare(const struct uc *u, const struct sla_new_ticket *t,
                                   const struct db_rows *policies, const struct db_rows *cals,
                                   int64_t now, struct sla_prepared *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    int prow = -1;
    for (int i = 0; policies && i < policies->nrows; i++)
        if (db_get_int(policies, i, "id", 0) == t->policy_id)
            prow = i;
    if (prow < 0)
        return SH_OK; /* no policy, or one not read: the start reads what it needs */
    struct calendar *cal = sh_arena_alloc(u->a, sizeof(*cal));
    enum sh_code rc =
        calendar_from(u->tx, u->a, cals, db_get_int(policies, prow, "calendar_id", 0), now, cal, e);
    if (rc)
        return rc;
    out->ready = true;
    out->policy_id = t->policy_id;
    out->cal = cal;
    policy_from_row(policies, prow, cal, &out->policy);
    /* the columns eval_row reads; the events of a new ticket have not happened yet */
    static const char *const names[] = {"id",
                                        "number",
                                        "status",
                                        "priority",
                                        "sla_policy_id",
                                        "assignee_id",
                                        "department_id",
                                        "received_at",
                                        "required_arrival_at",
                                        "replied_at",
                                        "remote_solved_at",
                                        "not_remote_at",
                                        "visit_scheduled_at",
                                        "arrived_at",
                                        "resolved_at",
                                        "factory_at",
                                        "promised_arrival_at"};
    const char *cells[sizeof(names) / sizeof(names[0])] = {
        "0",
        t->number,
        t->status,
        t->priority,
        sh_arena_printf(u->a, "%" PRId64, t->policy_id),
        t->assignee_id ? sh_arena_printf(u->a, "%" PRId64, t->assignee_id) : NULL,
        t->department_id ? sh_arena_printf(u->a, "%" PRId64, t->department_id) : NULL,
        t->received_at,
        t->required_arrival_at};
    struct db_rows tr, none = {0};
    one_row(u->a, names, cells, (int)(sizeof(names) / sizeof(names[0])), &tr);
    struct policy_cache pc = {.n = 1};
    pc.e[0].id = t->policy_id;
    pc.e[0].policy = out->policy;
    pc.e[0].cal = cal;
    const struct slice ps = {&none, 0, 0};
    struct ticket_sla_view v;
    memset(&v, 0, sizeof(v));
    if ((rc = eval_row(u, &tr, 0, now, &ps, &pc, &v, e)) || !v.has_policy)
        return rc;
    struct refresh_sum sum = {"ok", SLA_NO_TIME, SLA_NO_TIME};
    for (int k = 0; k < SLA_CLOCK_COUNT; k++)
        if (v.result.clock[k].status != SLA_OFF)
            summarise(&v.policy, &v.result.clock[k], now, &sum);
    out->sla_state = sum.worst;
    out->next_due_at = ts_text(u->a, sum.next_due);
    out->next_check_at = ts_text(u->a, sum.next_check);
    return SH_OK;
}

enum sh_code uc_ticket_sla_start_row(const struct uc *u, const struct db_rows *tr, int64_t now,
                                     const struct sla_prepared *p,
                                     const struct ticket_sla_view **view, bool *wrote,
                                     struct sh_err *e)
{
    struct db_rows none = {0};
    const struct slice ps = {&none, 0, 0}, pv = {&none, 0, 0};
    struct policy_cache pc = {0};
    if (p && p->ready) {
        pc.n = 1;
        pc.e[0].id = p->policy_id;
        pc.e[0].policy = p->policy;
        pc.e[0].cal = p->cal;
    }
    struct sla_writes w;
    writes_init(u->a, 1, &w);
    struct ticket_sla_view *v = sh_arena_alloc(u->a, sizeof(*v));
    enum sh_code rc;
    if ((rc = refresh_row(u, tr, 0, &ps, &pv, now, &pc, &w, v, e)))
        return rc;
    /* the summary differs from what the INSERT stored, or a ticket without clocks had a
     * next look stored: the ticket row changed */
    if (w.ntick || w.ntick3 || (!v->has_policy && db_get(tr, 0, "next_check_at")))
        *wrote = true;
    if ((rc = writes_flush(u, &w, e)))
        return rc;
    if (view)
        *view = v;
    return SH_OK;
}

/* ---- the scanner ---- */

struct scan_ctx {
    struct app *app;
    int64_t now;
    int limit, n;
};

/* The rows of `sql` (ending in "WHERE ") for the batch's tickets, in order of ticket: the ids
 * travel as one parameter (a PostgreSQL array, a JSON array on SQLite), so a batch is not
 * bounded by the number of parameters of a statement and the statement text is always the
 * same (prepared once). */
static enum sh_code batch_rows(const struct uc *u, const char *sql, const char *order,
                               const int64_t *ids, int n, struct db_rows *out, struct sh_err *e)
{
    bool pg = db_tx_dialect(u->tx) == DB_PG;
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    int bad = sh_buf_addf(&b, "%s", pg ? "{" : "[");
    for (int i = 0; i < n; i++)
        bad |= sh_buf_addf(&b, "%s%" PRId64, i ? "," : "", ids[i]);
    bad |= sh_buf_addf(&b, "%s", pg ? "}" : "]");
    const char *list = sh_arena_strndup(u->a, b.buf, b.len);
    sh_buf_release(&b);
    if (bad)
        return sh_err_set(e, SH_INTERNAL, "batch: id list too long");
    const char *q = sh_arena_printf(u->a,
                                    pg ? "%sticket_id = ANY(CAST($1 AS BIGINT[])) ORDER BY %s"
                                       : "%sticket_id IN (SELECT value FROM json_each($1)) "
                                         "ORDER BY %s",
                                    sql, order);
    return db_query(u->tx, u->a, q, DB_P(DB_TEXT(list)), out, e);
}

static int cmp_id(const void *x, const void *y)
{
    const int64_t *a = x, *b = y; /* {id, row} */
    return (a[0] > b[0]) - (a[0] < b[0]);
}

/* The rows of r (ordered by ticket_id, from *at on) that belong to ticket id. */
static struct slice slice_of(const struct db_rows *r, int *at, int64_t id)
{
    while (*at < r->nrows && db_get_int(r, *at, "ticket_id", 0) < id)
        (*at)++;
    struct slice s = {r, *at, *at};
    while (s.hi < r->nrows && db_get_int(r, s.hi, "ticket_id", 0) == id)
        s.hi++;
    *at = s.hi;
    return s;
}

/* One batch: the due tickets claimed with their columns (on PostgreSQL locked, skipping those
 * another instance or a request holds: each is refreshed by one transaction at a time), their
 * pauses and clocks in one query each, the refreshes, then their writes in a few statements. */
static enum sh_code scan_batch(const struct uc *u, struct scan_ctx *s, struct sh_err *e)
{
    char now[21];
    sh_ts_format(s->now, now);
    struct db_rows tr, pauses, prev;
    bool pg = db_tx_dialect(u->tx) == DB_PG;
    enum sh_code rc =
        db_query(u->tx, u->a,
                 pg ? "SELECT " SLA_TICKET_COLS " FROM tickets WHERE next_check_at IS NOT NULL AND "
                      "next_check_at <= $1 ORDER BY next_check_at LIMIT $2 FOR UPDATE SKIP LOCKED"
                    : "SELECT " SLA_TICKET_COLS " FROM tickets WHERE next_check_at IS NOT NULL AND "
                      "next_check_at <= $1 ORDER BY next_check_at LIMIT $2",
                 DB_P(DB_TEXT(now), DB_INT(s->limit)), &tr, e);
    if (rc || !tr.nrows)
        return rc;
    /* the claim is in order of next_check_at; the slices walk in order of id */
    int64_t *order = sh_arena_alloc(u->a, sizeof(int64_t) * 2 * (size_t)tr.nrows);
    int64_t *ids = sh_arena_alloc(u->a, sizeof(int64_t) * (size_t)tr.nrows);
    for (int i = 0; i < tr.nrows; i++) {
        order[2 * i] = db_get_int(&tr, i, "id", 0);
        order[2 * i + 1] = i;
    }
    qsort(order, (size_t)tr.nrows, 2 * sizeof(int64_t), cmp_id);
    for (int i = 0; i < tr.nrows; i++)
        ids[i] = order[2 * i];
    if ((rc = batch_rows(u, "SELECT ticket_id, started_at, ended_at FROM ticket_pauses WHERE ",
                         "ticket_id, started_at, id", ids, tr.nrows, &pauses, e)) ||
        (rc = batch_rows(u,
                         "SELECT ticket_id, target, started_at, due_at, done_at, "
                         "budget_seconds, state, escalation_level FROM ticket_sla WHERE ",
                         "ticket_id, target", ids, tr.nrows, &prev, e)))
        return rc;
    struct policy_cache *pc = sh_arena_alloc(u->a, sizeof(*pc));
    memset(pc, 0, sizeof(*pc));
    struct sla_writes w;
    writes_init(u->a, tr.nrows, &w);
    struct ticket_sla_view *v = sh_arena_alloc(u->a, sizeof(*v));
    int pat = 0, vat = 0;
    for (int k = 0; !rc && k < tr.nrows; k++) {
        int64_t id = ids[k];
        const struct slice ps = slice_of(&pauses, &pat, id), pv = slice_of(&prev, &vat, id);
        rc = refresh_row(u, &tr, (int)order[2 * k + 1], &ps, &pv, s->now, pc, &w, v, e);
        s->n++;
    }
    return rc ? rc : writes_flush(u, &w, e);
}

static enum sh_code scan_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct scan_ctx *s = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    const struct principal job = {.username = "sla-job"};
    const struct uc u = {.tx = tx, .a = &a, .who = &job, .now = s->now, .app = s->app};
    enum sh_code rc = scan_batch(&u, s, e);
    sh_arena_release(&a);
    return rc;
}

enum sh_code sla_scan(struct app *app, int64_t now, int limit, int *n, struct sh_err *e)
{
    /* a batch is one transaction that holds the writer: bounded */
    struct scan_ctx s = {
        .app = app, .now = now, .limit = limit < SLA_SCAN_MAX ? limit : SLA_SCAN_MAX};
    enum sh_code rc = db_write(app->db, scan_run, &s, e);
    *n = s.n;
    return rc;
}
