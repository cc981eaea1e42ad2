/* SPDX-License-Identifier: MIT */
/* The conflicts of a booking (issue 11 item 8): leave, an overlapping booking, a missing
 * skill, a slot after the on-site due time. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/ticket_actions.h"
#include "app/ticket_warranty.h"
#include "app/work_order_int.h"
#include "base/date.h"
#include "domain/tech_text.h"
#include "store/work_order_plan.h"

#define CONFLICTS_MAX 32

struct check {
    const struct uc *u;
    const struct wo_check_in *in;
    struct wo_check_out *out;
    int64_t at;
    int dur;
    struct sh_date day;
};

static void add(struct check *c, const char *kind, int64_t user, int64_t wo, const char *detail)
{
    if (c->out->n < CONFLICTS_MAX)
        c->out->items[c->out->n++] = (struct wo_conflict){kind, user, wo, detail};
}

static enum sh_code overlaps(struct check *c, int64_t user, struct sh_err *e)
{
    char from[21], to[21];
    sh_ts_format(c->at - 86400, from);
    sh_ts_format(c->at + 86400, to);
    struct db_rows r;
    enum sh_code rc = wo_bookings_of(c->u->tx, c->u->a, user, c->in->except_id, from, to, &r, e);
    for (int i = 0; !rc && i < r.nrows; i++) {
        int64_t b = 0;
        const char *at = db_get(&r, i, "appointment_at");
        if (at && sh_ts_parse(at, &b) &&
            wo_overlaps(c->at, c->dur, b, (int)db_get_int(&r, i, "duration_min", 90)))
            add(c, "overlap", user, db_get_int(&r, i, "id", 0), db_get(&r, i, "number"));
    }
    return rc;
}

/* The codes of `required` ("a,b") the technician lacks on the day. */
static const char *missing_skills(struct check *c, const char *required, const char *held)
{
    struct tech_skill sk[TECH_SKILL_MAX];
    int n = 0;
    struct sh_err ignore;
    if (!held || tech_skills_parse(held, true, "skills", sk, &n, &ignore))
        n = 0;
    const char *miss = "";
    char code[TECH_CODE_MAX + 1];
    for (const char *p = required; *p;) {
        size_t len = strcspn(p, ",");
        size_t cl = strcspn(p, ",:"); /* "code" or "code:level" */
        snprintf(code, sizeof code, "%.*s", (int)(cl < sizeof code ? cl : sizeof code - 1), p);
        bool have = !*code;
        for (int k = 0; k < n && !have; k++)
            have = !strcmp(sk[k].code, code) &&
                   (!sk[k].expires || sh_date_cmp(sk[k].expires_on, c->day) >= 0);
        if (!have)
            miss = sh_arena_printf(c->u->a, "%s%s%s", miss, *miss ? "," : "", code);
        p += len + (p[len] == ',');
    }
    return *miss ? miss : NULL;
}

/* Leave and (for the lead) skills of one person. */
static enum sh_code person(struct check *c, int64_t user, const char *required, bool lead,
                           struct sh_err *e)
{
    struct wo_tech t;
    bool found = false;
    enum sh_code rc = wo_tech_of_user(c->u->tx, c->u->a, user, &t, &found, e);
    if (rc)
        return rc;
    struct tech_leave lv[TECH_LEAVE_MAX];
    int nlv = 0;
    struct sh_err ignore;
    if (found && t.leave_periods && *t.leave_periods &&
        !tech_leave_parse(t.leave_periods, "leave_periods", lv, &nlv, &ignore) &&
        tech_on_leave(lv, nlv, c->day))
        add(c, "leave", user, 0, NULL);
    const char *miss =
        lead && *required ? missing_skills(c, required, found ? t.skills : "") : NULL;
    if (miss)
        add(c, "skill", user, 0, miss);
    return overlaps(c, user, e);
}

enum sh_code uc_work_order_check(const struct uc *u, const struct wo_check_in *in,
                                 struct wo_check_out *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    out->items = sh_arena_alloc(u->a, sizeof(*out->items) * CONFLICTS_MAX);
    struct ticket_row t;
    struct wo_ticket_place pl;
    struct wo_policy pol;
    enum sh_code rc;
    if ((rc = uc_ticket_load(u, in->ticket_id, &t, e)) ||
        (rc = wo_ticket_place(u->tx, u->a, in->ticket_id, &pl, e)) ||
        (rc = wo_policy_load(u->tx, u->a, &pol, e)))
        return rc;
    out->onsite_due_at = pl.onsite_due_at;
    struct check c = {.u = u,
                      .in = in,
                      .out = out,
                      .dur = in->duration_min > 0 ? in->duration_min : pol.duration_min};
    if (!in->appointment_at || !sh_ts_parse(in->appointment_at, &c.at))
        return SH_OK; /* nothing to check without a time */
    c.day = ticket_local_date(c.at);
    int64_t lead = in->lead_id ? in->lead_id : t.assignee_id, due = 0;
    if (lead && (rc = person(&c, lead, pl.required_skills, true, e)))
        return rc;
    for (int i = 0; i < in->nhelpers && !rc; i++)
        if (in->helpers[i] != lead)
            rc = person(&c, in->helpers[i], pl.required_skills, false, e);
    /* RULE item 8: a visit booked after the on-site SLA due time is a conflict */
    if (!rc && pl.onsite_due_at && sh_ts_parse(pl.onsite_due_at, &due) && c.at > due)
        add(&c, "sla", 0, 0, pl.onsite_due_at);
    return rc;
}

enum sh_code wo_conflicts_refuse(const struct wo_check_out *c, const char *override_reason,
                                 struct sh_err *e)
{
    if (!c->n || (override_reason && *override_reason))
        return SH_OK;
    char kinds[200] = "";
    size_t len = 0;
    for (int i = 0; i < c->n && len < sizeof(kinds) - 40; i++) {
        const struct wo_conflict *x = &c->items[i];
        int w = snprintf(kinds + len, sizeof(kinds) - len, "%s\"%s\"", i ? "," : "", x->kind);
        if (w > 0)
            len += (size_t)w;
    }
    sh_err_field(e, SH_CONFLICT, "override_reason",
                 "the booking has %d conflict(s): check them (POST /api/v1/work-orders/check) "
                 "and give override_reason to book anyway",
                 c->n);
    return sh_err_reason(e, "conflict", "{\"conflicts\":[%s],\"count\":%d}", kinds, c->n);
}
