/* SPDX-License-Identifier: MIT */
/* SLA clocks evaluated from history: no stored "time left", so a policy, priority or calendar
 * change is a plain re-evaluation and cannot drift from what the new policy prescribes. */
#include "domain/sla.h"

#include <string.h>

void sla_policy_default(struct sla_policy *p, const struct calendar *cal)
{
    memset(p, 0, sizeof(*p));
    p->cal = cal;
    /* RULE R-112: reply within 24 h of receipt (GEN 三.4 "应在24小时内答复"). A-03: a
     * remote solution or a resolution also answers the customer. */
    p->clock[SLA_REPLY] = (struct sla_clock_spec){.enabled = true,
                                                  .start = SLA_EV_RECEIVED,
                                                  .stop_mask = SLA_EVB(SLA_EV_REPLIED) |
                                                               SLA_EVB(SLA_EV_REMOTE_SOLUTION) |
                                                               SLA_EVB(SLA_EV_RESOLVED)};
    /* RULE R-114: remote solution within 2 h of the fault report (SLA 2). Deciding that the
     * fault cannot be removed remotely also ends the remote attempt. */
    p->clock[SLA_REMOTE] = (struct sla_clock_spec){.enabled = true,
                                                   .start = SLA_EV_RECEIVED,
                                                   .stop_mask = SLA_EVB(SLA_EV_REMOTE_SOLUTION) |
                                                                SLA_EVB(SLA_EV_NOT_REMOTE_FIXABLE) |
                                                                SLA_EVB(SLA_EV_RESOLVED)};
    /* RULE: on site within 48 h, counted by default from "not remotely fixable". */
    p->clock[SLA_ONSITE] = (struct sla_clock_spec){
        .enabled = true, .start = SLA_EV_NOT_REMOTE_FIXABLE, .stop_mask = SLA_EVB(SLA_EV_ARRIVED)};
    p->clock[SLA_RESOLVE] = (struct sla_clock_spec){
        .enabled = false, .start = SLA_EV_RECEIVED, .stop_mask = SLA_EVB(SLA_EV_RESOLVED)};
    sla_policy_set_budget(p, SLA_REPLY, 24 * SLA_HOUR);
    sla_policy_set_budget(p, SLA_REMOTE, 2 * SLA_HOUR);
    sla_policy_set_budget(p, SLA_ONSITE, 48 * SLA_HOUR);
    sla_policy_set_budget(p, SLA_RESOLVE, 0);
    p->onsite_mode = SLA_ONSITE_HOURS;
    p->at_risk_pct = 80;
    p->pause_on_customer = true;
    p->notify_around_clock = false;
    p->esc = (struct sla_escalation){
        .at_risk_to_assignee = true, .dept_head_after = 0, .gm_after = 24 * SLA_HOUR};
}

void sla_policy_set_budget(struct sla_policy *p, enum sla_clock c, int64_t seconds)
{
    for (int i = 0; i < SLA_PRIO_COUNT; i++)
        p->clock[c].budget[i] = seconds;
}

void sla_ticket_init(struct sla_ticket *t)
{
    memset(t, 0, sizeof(*t));
    t->priority = SLA_PRIO_NORMAL;
    for (int i = 0; i < SLA_EV_COUNT; i++)
        t->ev[i] = SLA_NO_TIME;
    t->customer_due = SLA_NO_TIME;
    t->promised_due = SLA_NO_TIME;
}

/* Pause i clipped to [lo, hi] and to `now` (an open pause runs until now). False when empty. */
static bool clip(const struct sla_pause *pz, int64_t lo, int64_t hi, int64_t now, int64_t *from,
                 int64_t *to)
{
    int64_t f = pz->from > lo ? pz->from : lo;
    int64_t t = pz->to == SLA_NO_TIME || pz->to > now ? now : pz->to;
    if (t > hi)
        t = hi;
    *from = f;
    *to = t;
    return t > f;
}

/* Business seconds in [a, b) minus those inside pauses. */
static int64_t used_between(const struct calendar *cal, const struct sla_ticket *t, bool pauses,
                            int64_t a, int64_t b, int64_t now)
{
    int64_t total = cal_business_between(cal, a, b);
    if (!pauses)
        return total;
    for (size_t i = 0; i < t->npauses; i++) {
        int64_t f, e;
        if (clip(&t->pauses[i], a, b, now, &f, &e))
            total -= cal_business_between(cal, f, e);
    }
    return total;
}

/* The instant `budget` business seconds after `start`, skipping pauses that began before
 * `end` (the stop, or now). An open pause is taken to end now: the projected deadline. */
static enum sh_code due_after(const struct calendar *cal, const struct sla_ticket *t, bool pauses,
                              int64_t start, int64_t budget, int64_t end, int64_t now, int64_t *due,
                              struct sh_err *err)
{
    int64_t at = start, rem = budget;
    for (size_t i = 0; pauses && i < t->npauses; i++) {
        int64_t f, e;
        if (!clip(&t->pauses[i], start, end, now, &f, &e) || e <= at)
            continue;
        if (f > at) {
            int64_t b = cal_business_between(cal, at, f);
            if (b >= rem)
                break;
            rem -= b;
        }
        at = e;
    }
    return cal_add_business(cal, at, rem, due, err);
}

static bool paused_at(const struct sla_ticket *t, int64_t now)
{
    for (size_t i = 0; i < t->npauses; i++)
        if (t->pauses[i].from <= now && (t->pauses[i].to == SLA_NO_TIME || now < t->pauses[i].to))
            return true;
    return false;
}

static enum sh_code check(const struct sla_policy *p, const struct sla_ticket *t,
                          struct sh_err *err)
{
    if (!p->cal)
        return sh_err_set(err, SH_INVALID, "sla policy has no calendar");
    if (p->at_risk_pct < 1 || p->at_risk_pct > 100)
        return sh_err_set(err, SH_INVALID, "at-risk threshold %d%% is not 1..100", p->at_risk_pct);
    if ((unsigned)t->priority >= SLA_PRIO_COUNT)
        return sh_err_set(err, SH_INVALID, "bad priority");
    for (int c = 0; c < SLA_CLOCK_COUNT; c++) {
        const struct sla_clock_spec *s = &p->clock[c];
        if (!s->enabled)
            continue;
        if ((unsigned)s->start >= SLA_EV_COUNT || s->stop_mask == 0 ||
            s->stop_mask >= SLA_EVB(SLA_EV_COUNT))
            return sh_err_set(err, SH_INVALID, "%s clock has bad events",
                              sla_clock_name((enum sla_clock)c));
        for (int i = 0; i < SLA_PRIO_COUNT; i++)
            if (s->budget[i] < 0)
                return sh_err_set(err, SH_INVALID, "%s clock has a negative budget",
                                  sla_clock_name((enum sla_clock)c));
    }
    for (size_t i = 0; i < t->npauses; i++) {
        const struct sla_pause *pz = &t->pauses[i];
        if (pz->from == SLA_NO_TIME)
            return sh_err_set(err, SH_INVALID, "pause %zu has no start", i);
        if (pz->to == SLA_NO_TIME && i + 1 != t->npauses)
            return sh_err_set(err, SH_INVALID, "only the last pause may be open");
        if (pz->to != SLA_NO_TIME && pz->to < pz->from)
            return sh_err_set(err, SH_INVALID, "pause %zu ends before it starts", i);
        if (i > 0 && pz->from < t->pauses[i - 1].to)
            return sh_err_set(err, SH_INVALID, "pause %zu overlaps the one before", i);
    }
    return SH_OK;
}

/* True when the unit was sent to the factory after the on-site clock started, before any
 * arrival, and no later than its deadline (due). */
static bool onsite_waived(const struct sla_ticket *t, int64_t start, int64_t now, int64_t due)
{
    int64_t f = t->ev[SLA_EV_TO_FACTORY], arrived = t->ev[SLA_EV_ARRIVED];
    if (f == SLA_NO_TIME || f > now || f < start || f > due)
        return false;
    return arrived == SLA_NO_TIME || arrived > now || arrived > f;
}

static enum sh_code eval_clock(const struct sla_policy *p, enum sla_clock c,
                               const struct sla_ticket *t, int64_t now, struct sla_clock_state *st,
                               struct sh_err *err)
{
    const struct sla_clock_spec *s = &p->clock[c];
    const struct calendar *cal = s->cal ? s->cal : p->cal;
    bool pauses = p->pause_on_customer;
    memset(st, 0, sizeof(*st));
    st->start = st->stop = st->due = st->breached_at = st->at_risk_at = SLA_NO_TIME;
    if (!s->enabled) {
        st->status = SLA_OFF;
        return SH_OK;
    }
    int64_t start = t->ev[s->start];
    if (start == SLA_NO_TIME || start > now) {
        st->status = SLA_PENDING;
        return SH_OK;
    }
    st->start = start;
    for (int e = 0; e < SLA_EV_COUNT; e++) {
        int64_t at = t->ev[e];
        if (!(s->stop_mask & SLA_EVB(e)) || at == SLA_NO_TIME || at < start || at > now)
            continue;
        if (st->stop == SLA_NO_TIME || at < st->stop)
            st->stop = at;
    }
    st->completed = st->stop != SLA_NO_TIME;
    int64_t end = st->completed ? st->stop : now;
    int64_t budget = s->budget[t->priority];
    enum sh_code rc = due_after(cal, t, pauses, start, budget, end, now, &st->due, err);
    if (rc != SH_OK)
        return rc;
    st->budget = budget;
    if (c == SLA_ONSITE) {
        /* RULE: promised or customer time per the policy's mode, and the
         * customer's required time whenever it is earlier than the computed deadline. */
        int64_t abs = SLA_NO_TIME;
        switch (p->onsite_mode) {
        case SLA_ONSITE_HOURS:
            break;
        case SLA_ONSITE_PROMISED:
            abs = t->promised_due;
            break;
        case SLA_ONSITE_CUSTOMER:
            abs = t->customer_due;
            break;
        }
        if (t->customer_due != SLA_NO_TIME && (abs == SLA_NO_TIME || t->customer_due < abs) &&
            (abs != SLA_NO_TIME || t->customer_due < st->due))
            abs = t->customer_due;
        if (abs != SLA_NO_TIME) {
            st->due = abs;
            st->due_absolute = true;
            st->budget = abs > start ? used_between(cal, t, pauses, start, abs, now) : 0;
        }
    }
    st->used = used_between(cal, t, pauses, start, end, now);
    if (c == SLA_ONSITE && onsite_waived(t, start, now, st->due)) {
        /* RULE WF-05: the unit went to the factory before an arrival was due: no visit is
         * owed, the clock does not apply (a breach before the return stays one) */
        memset(st, 0, sizeof(*st));
        st->start = st->stop = st->due = st->breached_at = st->at_risk_at = SLA_NO_TIME;
        st->status = SLA_OFF;
        return SH_OK;
    }
    if (st->completed) {
        st->status = st->stop <= st->due ? SLA_MET : SLA_BREACHED;
    } else if (now > st->due) {
        st->status = SLA_BREACHED;
    } else if (pauses && paused_at(t, now)) {
        st->status = SLA_PAUSED;
    } else if (st->used * 100 >= st->budget * p->at_risk_pct) {
        st->status = SLA_AT_RISK;
    } else {
        st->status = SLA_RUNNING;
    }
    if (st->status == SLA_BREACHED)
        st->breached_at = st->due;
    if (!st->completed) {
        /* the first second at which used * 100 >= budget * pct */
        int64_t threshold = (st->budget * p->at_risk_pct + 99) / 100;
        rc = due_after(cal, t, pauses, start, threshold, end, now, &st->at_risk_at, err);
        if (rc != SH_OK)
            return rc;
    }
    return SH_OK;
}

enum sh_code sla_evaluate(const struct sla_policy *p, const struct sla_ticket *t, int64_t now,
                          struct sla_result *out, struct sh_err *err)
{
    enum sh_code rc = check(p, t, err);
    if (rc != SH_OK)
        return rc;
    for (int c = 0; c < SLA_CLOCK_COUNT; c++) {
        rc = eval_clock(p, (enum sla_clock)c, t, now, &out->clock[c], err);
        if (rc != SH_OK)
            return rc;
    }
    return SH_OK;
}

const char *sla_status_name(enum sla_status s)
{
    switch (s) {
    case SLA_OFF:
        return "off";
    case SLA_PENDING:
        return "pending";
    case SLA_RUNNING:
        return "running";
    case SLA_PAUSED:
        return "paused";
    case SLA_AT_RISK:
        return "at_risk";
    case SLA_BREACHED:
        return "breached";
    case SLA_MET:
        return "met";
    }
    return "?";
}

const char *sla_clock_name(enum sla_clock c)
{
    switch (c) {
    case SLA_REPLY:
        return "reply";
    case SLA_REMOTE:
        return "remote";
    case SLA_ONSITE:
        return "onsite";
    case SLA_RESOLVE:
        return "resolve";
    case SLA_CLOCK_COUNT:
        break;
    }
    return "?";
}

static bool matches(const struct sla_candidate *c, const struct sla_subject *s)
{
    switch (c->scope) {
    case SLA_SCOPE_DEFAULT:
        return true;
    case SLA_SCOPE_TICKET_TYPE:
        return c->type == s->type;
    case SLA_SCOPE_TIER:
        return c->tier == s->tier;
    case SLA_SCOPE_CONTRACT:
        return s->contract_id != 0 && c->contract_id == s->contract_id;
    }
    return false;
}

enum sh_code sla_select(const struct sla_candidate *c, size_t n, const struct sla_subject *s,
                        size_t *idx, struct sh_err *err)
{
    static const enum sla_scope order[] = {SLA_SCOPE_CONTRACT, SLA_SCOPE_TIER,
                                           SLA_SCOPE_TICKET_TYPE, SLA_SCOPE_DEFAULT};
    static const char *const names[] = {"contract", "customer tier", "ticket type", "default"};
    for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++) {
        size_t found = n;
        for (size_t i = 0; i < n; i++) {
            if (c[i].scope != order[o] || !c[i].policy || !matches(&c[i], s))
                continue;
            if (found != n)
                return sh_err_set(err, SH_CONFLICT,
                                  "two %s sla policies apply (candidates %zu and %zu)", names[o],
                                  found, i);
            found = i;
        }
        if (found != n) {
            *idx = found;
            return SH_OK;
        }
    }
    return sh_err_set(err, SH_NOT_FOUND, "no sla policy applies and there is no default");
}

const char *sla_level_name(enum sla_level l)
{
    switch (l) {
    case SLA_LEVEL_NONE:
        return "none";
    case SLA_LEVEL_ASSIGNEE:
        return "assignee";
    case SLA_LEVEL_DEPT_HEAD:
        return "dept_head";
    case SLA_LEVEL_GM:
        return "gm";
    }
    return "?";
}

enum sla_level sla_escalation_level(const struct sla_escalation *e, const struct sla_clock_state *c,
                                    int64_t now)
{
    if (c->completed)
        return SLA_LEVEL_NONE;
    switch (c->status) {
    case SLA_OFF:
    case SLA_PENDING:
    case SLA_RUNNING:
    case SLA_PAUSED:
    case SLA_MET:
        return SLA_LEVEL_NONE;
    case SLA_AT_RISK:
        return e->at_risk_to_assignee ? SLA_LEVEL_ASSIGNEE : SLA_LEVEL_NONE;
    case SLA_BREACHED:
        break;
    }
    int64_t since = now - c->breached_at;
    if (since >= e->gm_after)
        return SLA_LEVEL_GM;
    if (since >= e->dept_head_after)
        return SLA_LEVEL_DEPT_HEAD;
    return SLA_LEVEL_ASSIGNEE;
}

int64_t sla_escalation_next(const struct sla_escalation *e, const struct sla_clock_state *c,
                            int64_t now)
{
    if (c->completed || c->status != SLA_BREACHED)
        return SLA_NO_TIME;
    int64_t since = now - c->breached_at;
    if (since < e->dept_head_after && e->dept_head_after < e->gm_after)
        return c->breached_at + e->dept_head_after;
    if (since < e->gm_after)
        return c->breached_at + e->gm_after;
    return SLA_NO_TIME;
}

enum sh_code sla_delivery_at(const struct sla_policy *p, const struct calendar *recipient,
                             int64_t now, int64_t *out, struct sh_err *err)
{
    if (p->notify_around_clock || !recipient) {
        *out = now;
        return SH_OK;
    }
    return cal_next_open(recipient, now, out, err);
}
