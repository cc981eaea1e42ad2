/* SPDX-License-Identifier: MIT */
/* Work orders: the action table and the appointment arithmetic (work_order.h). */
#include "domain/work_order.h"

#include <stdio.h>
#include <string.h>

const char *const wo_kind_names[WO_KIND_COUNT + 1] = {
    [WOK_ONSITE_REPAIR] = "onsite_repair",   [WOK_INSTALLATION] = "installation",
    [WOK_PERIODIC_VISIT] = "periodic_visit", [WOK_TRAINING] = "training",
    [WOK_FACTORY_REPAIR] = "factory_repair",
};

const char *const wo_status_names[WO_STATUS_COUNT + 1] = {
    [WOS_PLANNED] = "planned",
    [WOS_CONFIRMED] = "confirmed",
    [WOS_DEPARTED] = "departed",
    [WOS_ON_SITE] = "on_site",
    [WOS_DONE] = "done",
    [WOS_NOT_FIXED] = "not_fixed",
    [WOS_NEEDS_FACTORY] = "needs_factory",
    [WOS_CANCELLED] = "cancelled",
};

const char *const wo_action_names[WO_ACTION_COUNT + 1] = {
    [WOA_CONFIRM] = "confirm",           [WOA_DEPART] = "depart", [WOA_ARRIVE] = "arrive",
    [WOA_RUNNING_LATE] = "running_late", [WOA_FINISH] = "finish", [WOA_CANCEL] = "cancel",
};

const char *const wo_result_names[4] = {"done", "not_fixed", "needs_factory", NULL};

const char *const wo_late_notice_names[WLN_COUNT + 1] = {
    [WLN_NONE] = "", [WLN_IN_TIME] = "in_time", [WLN_LATE] = "late", [WLN_MISSING] = "missing"};

static const char *name_of(const char *const *names, int n, int i)
{
    return i >= 0 && i < n ? names[i] : "?";
}

static bool parse(const char *const *names, int n, const char *s, int *out)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(s, names[i])) {
            *out = i;
            return true;
        }
    return false;
}

const char *wo_kind_name(enum wo_kind k)
{
    return name_of(wo_kind_names, WO_KIND_COUNT, (int)k);
}

const char *wo_status_name(enum wo_status s)
{
    return name_of(wo_status_names, WO_STATUS_COUNT, (int)s);
}

const char *wo_action_name(enum wo_action a)
{
    return name_of(wo_action_names, WO_ACTION_COUNT, (int)a);
}

const char *wo_late_notice_name(enum wo_late_notice n)
{
    return name_of(wo_late_notice_names, WLN_COUNT, (int)n);
}

bool wo_kind_parse(const char *s, enum wo_kind *out)
{
    int i;
    if (!parse(wo_kind_names, WO_KIND_COUNT, s, &i))
        return false;
    *out = (enum wo_kind)i;
    return true;
}

bool wo_status_parse(const char *s, enum wo_status *out)
{
    int i;
    if (!parse(wo_status_names, WO_STATUS_COUNT, s, &i))
        return false;
    *out = (enum wo_status)i;
    return true;
}

bool wo_action_parse(const char *s, enum wo_action *out)
{
    int i;
    if (!parse(wo_action_names, WO_ACTION_COUNT, s, &i))
        return false;
    *out = (enum wo_action)i;
    return true;
}

bool wo_result_parse(const char *s, enum wo_status *out)
{
    static const enum wo_status st[] = {WOS_DONE, WOS_NOT_FIXED, WOS_NEEDS_FACTORY};
    int i;
    if (!parse(wo_result_names, 3, s, &i))
        return false;
    *out = st[i];
    return true;
}

bool wo_late_notice_parse(const char *s, enum wo_late_notice *out)
{
    int i;
    if (!parse(wo_late_notice_names, WLN_COUNT, s, &i))
        return false;
    *out = (enum wo_late_notice)i;
    return true;
}

enum wo_kind wo_kind_for_ticket(enum ticket_type t)
{
    switch (t) {
    case TICKET_INSTALLATION:
        return WOK_INSTALLATION;
    case TICKET_VISIT:
        return WOK_PERIODIC_VISIT;
    case TICKET_TRAINING:
        return WOK_TRAINING;
    case TICKET_RETURN:
    case TICKET_DOA:
        return WOK_FACTORY_REPAIR;
    case TICKET_CONSULTATION:
    case TICKET_REPAIR:
    case TICKET_REPLACEMENT:
    case TICKET_COMPLAINT:
    case TICKET_UPGRADE:
    case TICKET_TYPE_COUNT:
        break;
    }
    return WOK_ONSITE_REPAIR;
}

bool wo_status_open(enum wo_status s)
{
    return s == WOS_PLANNED || s == WOS_CONFIRMED || s == WOS_DEPARTED || s == WOS_ON_SITE;
}

bool wo_status_final(enum wo_status s)
{
    return (unsigned)s < WO_STATUS_COUNT && !wo_status_open(s);
}

/* One row of the table: from, action, to (WO_STATUS_COUNT: the finish result; the same
 * state for running_late), the planner roles that may take it, and whether the crew may. */
struct wo_row {
    enum wo_status from;
    enum wo_action action;
    enum wo_status to;
    unsigned roles;
    bool crew;
};

#define RESULT WO_STATUS_COUNT
/* RULE issue 11 item 1: planners plan and cancel; the crew departs, arrives and finishes;
 * a late notice comes from the crew or from a planner the technician phoned. */
static const struct wo_row TABLE[] = {
    {WOS_PLANNED, WOA_CONFIRM, WOS_CONFIRMED, WO_R_PLAN, false},
    {WOS_PLANNED, WOA_DEPART, WOS_DEPARTED, 0, true},
    {WOS_CONFIRMED, WOA_DEPART, WOS_DEPARTED, 0, true},
    {WOS_PLANNED, WOA_ARRIVE, WOS_ON_SITE, 0, true},
    {WOS_CONFIRMED, WOA_ARRIVE, WOS_ON_SITE, 0, true},
    {WOS_DEPARTED, WOA_ARRIVE, WOS_ON_SITE, 0, true},
    {WOS_PLANNED, WOA_RUNNING_LATE, WOS_PLANNED, WO_R_PLAN, true},
    {WOS_CONFIRMED, WOA_RUNNING_LATE, WOS_CONFIRMED, WO_R_PLAN, true},
    {WOS_DEPARTED, WOA_RUNNING_LATE, WOS_DEPARTED, WO_R_PLAN, true},
    {WOS_ON_SITE, WOA_FINISH, RESULT, 0, true},
    {WOS_PLANNED, WOA_CANCEL, WOS_CANCELLED, WO_R_PLAN, false},
    {WOS_CONFIRMED, WOA_CANCEL, WOS_CANCELLED, WO_R_PLAN, false},
    {WOS_DEPARTED, WOA_CANCEL, WOS_CANCELLED, WO_R_PLAN, false},
};
#define NROWS (sizeof(TABLE) / sizeof(TABLE[0]))

static const struct wo_row *find(enum wo_status st, enum wo_action a)
{
    for (size_t i = 0; i < NROWS; i++)
        if (TABLE[i].from == st && TABLE[i].action == a)
            return &TABLE[i];
    return NULL;
}

static bool may(const struct wo_row *r, unsigned roles, bool crew)
{
    return (r->roles & roles) || (r->crew && crew);
}

static enum sh_code illegal(enum wo_status st, enum wo_action action, struct sh_err *err)
{
    char list[160] = "";
    size_t len = 0;
    for (size_t i = 0; i < NROWS; i++) {
        if (TABLE[i].from != st)
            continue;
        int w = snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "",
                         wo_action_name(TABLE[i].action));
        if (w < 0 || (size_t)w >= sizeof(list) - len)
            break;
        len += (size_t)w;
    }
    sh_err_set(err, SH_CONFLICT, "a work order in status '%s' cannot '%s'; allowed: %s",
               wo_status_name(st), wo_action_name(action), len ? list : "none");
    return sh_err_reason(err, "illegal_action", "{\"status\":\"%s\",\"action\":\"%s\"}",
                         wo_status_name(st), wo_action_name(action));
}

enum sh_code wo_transition(enum wo_status st, enum wo_action action, enum wo_status result,
                           unsigned roles, bool crew, enum wo_status *to, struct sh_err *err)
{
    if ((unsigned)st >= WO_STATUS_COUNT || (unsigned)action >= WO_ACTION_COUNT)
        return sh_err_set(err, SH_INVALID, "unknown work-order status or action");
    const struct wo_row *r = find(st, action);
    if (!r)
        return illegal(st, action, err);
    if (!may(r, roles, crew)) {
        return sh_err_set(err, SH_FORBIDDEN, "%s '%s'",
                          r->crew && !r->roles ? "only the lead technician or a helper may"
                                               : "your roles may not",
                          wo_action_name(action));
    }
    if (r->to == RESULT) {
        if (result != WOS_DONE && result != WOS_NOT_FIXED && result != WOS_NEEDS_FACTORY) {
            sh_err_field(err, SH_INVALID, "result",
                         "'finish' needs result done, not_fixed or "
                         "needs_factory");
            return sh_err_reason(err, "required", NULL);
        }
        *to = result;
    } else {
        *to = r->to;
    }
    return SH_OK;
}

int wo_allowed_actions(enum wo_status st, unsigned roles, bool crew,
                       enum wo_action out[WO_ACTION_COUNT])
{
    int n = 0;
    for (int a = 0; a < WO_ACTION_COUNT; a++) {
        const struct wo_row *r = find(st, (enum wo_action)a);
        if (r && may(r, roles, crew))
            out[n++] = (enum wo_action)a;
    }
    return n;
}

struct wo_window wo_window(int64_t at, int tolerance_min, int early_target_min, int notice_lead_min)
{
    /* RULE R-118: the appointment is a window of ± the tolerance told to the customer;
     * the target is a few minutes early; R-120: the latest notice time */
    return (struct wo_window){.start = at - 60LL * tolerance_min,
                              .end = at + 60LL * tolerance_min,
                              .target = at - 60LL * early_target_min,
                              .latest_notice = at - 60LL * notice_lead_min};
}

int wo_lateness_min(int64_t appointment, int64_t arrived)
{
    /* RULE R-119: lateness in whole minutes after the agreed time */
    int64_t d = arrived - appointment;
    if (d <= 0)
        return 0;
    int64_t m = d / 60;
    return m > 1000000 ? 1000000 : (int)m;
}

bool wo_arrived_late(int64_t appointment, int tolerance_min, int64_t arrived)
{
    return arrived > appointment + 60LL * tolerance_min;
}

enum wo_arrival wo_arrival_class(int64_t appointment, int tolerance_min, int64_t arrived)
{
    if (arrived < appointment - 60LL * tolerance_min)
        return WOA_EARLY;
    return wo_arrived_late(appointment, tolerance_min, arrived) ? WOA_LATE : WOA_ON_TIME;
}

enum wo_late_notice wo_notice_flag(int64_t latest_notice, int64_t sent)
{
    /* RULE R-120: a notice after the latest notice time is flagged late */
    return sent <= latest_notice ? WLN_IN_TIME : WLN_LATE;
}

enum wo_late_notice wo_arrival_flag(enum wo_late_notice current, int64_t appointment,
                                    int tolerance_min, int64_t arrived)
{
    /* RULE R-120: late outside the window and never told: the notice is missing */
    if (current != WLN_NONE)
        return current;
    return wo_arrived_late(appointment, tolerance_min, arrived) ? WLN_MISSING : WLN_NONE;
}

bool wo_overlaps(int64_t a, int da_min, int64_t b, int db_min)
{
    return a < b + 60LL * db_min && b < a + 60LL * da_min;
}

static enum sh_code range(struct sh_err *err, const char *field, int v, int max)
{
    if (v >= 0 && v <= max)
        return SH_OK;
    sh_err_field(err, SH_INVALID, field, "'%s' must be between 0 and %d", field, max);
    return sh_err_reason(err, "out_of_range", "{\"min\":0,\"max\":%d}", max);
}

enum sh_code wo_policy_check(const struct wo_policy *p, struct sh_err *err)
{
    enum sh_code rc;
    if ((rc = range(err, "tolerance_min", p->tolerance_min, 240)) ||
        (rc = range(err, "early_target_min", p->early_target_min, 60)) ||
        (rc = range(err, "notice_lead_min", p->notice_lead_min, 1440)))
        return rc;
    if ((rc = range(err, "precall_min", p->precall_min, 1440)))
        return rc;
    if (p->duration_min < 1 || p->duration_min > 1440) {
        sh_err_field(err, SH_INVALID, "duration_min", "'duration_min' must be between 1 and 1440");
        return sh_err_reason(err, "out_of_range", "{\"min\":1,\"max\":1440}");
    }
    return SH_OK;
}
