/* SPDX-License-Identifier: MIT */
#include "domain/trip.h"

#include <stdio.h>
#include <string.h>

const char *const trip_status_names[TRIP_STATUS_COUNT + 1] = {"planned", "departed",  "returned",
                                                              "closed",  "cancelled", NULL};
const char *const trip_action_names[TRIP_ACTION_COUNT + 1] = {"depart", "return", "close", "cancel",
                                                              NULL};
const char *const trip_expense_names[TRIP_EXPENSE_COUNT + 1] = {"transport", "lodging", "allowance",
                                                                "other", NULL};

static bool parse(const char *const *names, int n, const char *s, int *out)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(names[i], s)) {
            *out = i;
            return true;
        }
    return false;
}

bool trip_status_parse(const char *s, enum trip_status *out)
{
    int v;
    if (!parse(trip_status_names, TRIP_STATUS_COUNT, s, &v))
        return false;
    *out = (enum trip_status)v;
    return true;
}

bool trip_action_parse(const char *s, enum trip_action *out)
{
    int v;
    if (!parse(trip_action_names, TRIP_ACTION_COUNT, s, &v))
        return false;
    *out = (enum trip_action)v;
    return true;
}

const char *trip_status_name(enum trip_status s)
{
    return (unsigned)s < TRIP_STATUS_COUNT ? trip_status_names[s] : "?";
}

const char *trip_action_name(enum trip_action a)
{
    return (unsigned)a < TRIP_ACTION_COUNT ? trip_action_names[a] : "?";
}

struct trip_row {
    enum trip_status from;
    enum trip_action action;
    enum trip_status to;
    unsigned roles; /* planner roles that may */
    bool member;    /* the trip's technicians may */
};

/* RULE WF-02 T5 (departure), T9 (return, F-07 handed in), T10 (after-sales archives);
 * a planned trip may be cancelled by after-sales. */
static const struct trip_row TABLE[] = {
    {TRS_PLANNED, TRA_DEPART, TRS_DEPARTED, TRIP_R_PLAN, true},
    {TRS_PLANNED, TRA_CANCEL, TRS_CANCELLED, TRIP_R_PLAN, false},
    {TRS_DEPARTED, TRA_RETURN, TRS_RETURNED, TRIP_R_PLAN, true},
    {TRS_RETURNED, TRA_CLOSE, TRS_CLOSED, TRIP_R_PLAN, false},
};
#define NROWS (sizeof(TABLE) / sizeof(TABLE[0]))

static const struct trip_row *find(enum trip_status st, enum trip_action a)
{
    for (size_t i = 0; i < NROWS; i++)
        if (TABLE[i].from == st && TABLE[i].action == a)
            return &TABLE[i];
    return NULL;
}

static bool may(const struct trip_row *r, unsigned roles, bool member)
{
    return (r->roles & roles) || (r->member && member);
}

static enum sh_code illegal(enum trip_status st, enum trip_action a, struct sh_err *err)
{
    char list[96] = "";
    size_t len = 0;
    for (size_t i = 0; i < NROWS; i++) {
        if (TABLE[i].from != st)
            continue;
        int w = snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "",
                         trip_action_name(TABLE[i].action));
        if (w < 0 || (size_t)w >= sizeof(list) - len)
            break;
        len += (size_t)w;
    }
    sh_err_set(err, SH_CONFLICT, "a trip in status '%s' cannot '%s'; allowed: %s",
               trip_status_name(st), trip_action_name(a), len ? list : "none");
    return sh_err_reason(err, "illegal_action", "{\"status\":\"%s\",\"action\":\"%s\"}",
                         trip_status_name(st), trip_action_name(a));
}

enum sh_code trip_transition(enum trip_status st, enum trip_action a, const struct trip_facts *f,
                             enum trip_status *to, struct sh_err *err)
{
    if ((unsigned)st >= TRIP_STATUS_COUNT || (unsigned)a >= TRIP_ACTION_COUNT)
        return sh_err_set(err, SH_INVALID, "unknown trip status or action");
    const struct trip_row *r = find(st, a);
    if (!r)
        return illegal(st, a, err);
    if (!may(r, f->roles, f->member))
        return sh_err_set(err, SH_FORBIDDEN, "%s '%s'",
                          r->member ? "only the trip's technicians or after-sales may"
                                    : "only after-sales may",
                          trip_action_name(a));
    /* RULE R-033: the trip cannot close without the feedback form handed in */
    if (a == TRA_CLOSE && !f->feedback) {
        sh_err_field(err, SH_CONFLICT, "feedback",
                     "the feedback form (售后服务信息反馈单) has not been handed in");
        return sh_err_reason(err, "guard", "{\"guard\":\"feedback\",\"action\":\"close\"}");
    }
    *to = r->to;
    return SH_OK;
}

int trip_allowed_actions(enum trip_status st, unsigned roles, bool member,
                         enum trip_action out[TRIP_ACTION_COUNT])
{
    int n = 0;
    for (int a = 0; a < TRIP_ACTION_COUNT; a++) {
        const struct trip_row *r = find(st, (enum trip_action)a);
        if (r && may(r, roles, member))
            out[n++] = (enum trip_action)a;
    }
    return n;
}

bool trip_away(enum trip_status st, int64_t start, int64_t end, int64_t now, int64_t *from,
               int64_t *to)
{
    if (st == TRS_CANCELLED || (unsigned)st >= TRIP_STATUS_COUNT)
        return false;
    *from = start;
    *to = end > start ? end : start + 1;
    /* RULE a departed trip runs until the technicians return */
    if (st == TRS_DEPARTED && *to < now)
        *to = now;
    return true;
}

bool trip_overlap(int64_t a_from, int64_t a_to, int64_t b_from, int64_t b_to)
{
    return a_from < b_to && b_from < a_to;
}

bool trip_report_overdue(enum trip_status st, int64_t departed, int64_t last_report, int64_t now,
                         int64_t interval_s)
{
    /* RULE R-053: no report within the interval while on the trip */
    if (st != TRS_DEPARTED || interval_s <= 0)
        return false;
    int64_t since = last_report > departed ? last_report : departed;
    return now - since > interval_s;
}

int trip_actual_days(int64_t departed, int64_t returned)
{
    if (departed <= 0 || returned <= 0)
        return -1;
    if (returned <= departed)
        return 1;
    int64_t d = (returned - departed + 86399) / 86400;
    return d < 1 ? 1 : (int)d;
}
