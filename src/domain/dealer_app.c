/* SPDX-License-Identifier: MIT */
#include "domain/dealer_app.h"

#include <string.h>

const char *const dapp_status_names[DAPP_STATUS_COUNT + 1] = {
    "submitted",  "approved",  "refused", "not_supported", "agreement_sent", "confirmed",
    "dispatched", "cancelled", NULL};
const char *const dapp_action_names[DAPP_ACTION_COUNT + 1] = {
    "approve", "refuse",      "not_supported", "send_agreement",
    "confirm", "assign_trip", "cancel",        NULL};

bool dapp_status_parse(const char *s, enum dapp_status *out)
{
    for (int i = 0; s && i < DAPP_STATUS_COUNT; i++)
        if (!strcmp(dapp_status_names[i], s)) {
            *out = (enum dapp_status)i;
            return true;
        }
    return false;
}

bool dapp_action_parse(const char *s, enum dapp_action *out)
{
    for (int i = 0; s && i < DAPP_ACTION_COUNT; i++)
        if (!strcmp(dapp_action_names[i], s)) {
            *out = (enum dapp_action)i;
            return true;
        }
    return false;
}

const char *dapp_status_name(enum dapp_status s)
{
    return (unsigned)s < DAPP_STATUS_COUNT ? dapp_status_names[s] : "?";
}

struct dapp_row {
    enum dapp_status from;
    enum dapp_action action;
    enum dapp_status to;
    bool dealer; /* the dealer's own account may (after-sales always may) */
};

/* RULE WF-11 T3/T4 (answer), T6 (not supported), T8 (agreement), T9 (the dealer's
 * confirmation; after-sales may record a faxed one), the trip linked before departure, and
 * withdrawal before dispatch. */
static const struct dapp_row table[] = {
    {DAS_SUBMITTED, DAA_APPROVE, DAS_APPROVED, false},
    {DAS_SUBMITTED, DAA_REFUSE, DAS_REFUSED, false},
    {DAS_SUBMITTED, DAA_CANCEL, DAS_CANCELLED, true},
    {DAS_APPROVED, DAA_NOT_SUPPORTED, DAS_NOT_SUPPORTED, false},
    {DAS_APPROVED, DAA_SEND_AGREEMENT, DAS_AGREEMENT_SENT, false},
    {DAS_APPROVED, DAA_ASSIGN_TRIP, DAS_APPROVED, false},
    {DAS_APPROVED, DAA_CANCEL, DAS_CANCELLED, true},
    {DAS_AGREEMENT_SENT, DAA_SEND_AGREEMENT, DAS_AGREEMENT_SENT, false},
    {DAS_AGREEMENT_SENT, DAA_CONFIRM, DAS_CONFIRMED, true},
    {DAS_AGREEMENT_SENT, DAA_ASSIGN_TRIP, DAS_AGREEMENT_SENT, false},
    {DAS_AGREEMENT_SENT, DAA_CANCEL, DAS_CANCELLED, true},
    {DAS_CONFIRMED, DAA_ASSIGN_TRIP, DAS_CONFIRMED, false},
    {DAS_CONFIRMED, DAA_CANCEL, DAS_CANCELLED, true},
};

enum sh_code dapp_transition(enum dapp_status st, enum dapp_action a, unsigned roles,
                             enum dapp_status *to, struct sh_err *err)
{
    bool staff = (roles & DAPP_R_STAFF) != 0, dealer = (roles & RB(DEALER)) != 0;
    const char *sn = dapp_status_name(st),
               *an = (unsigned)a < DAPP_ACTION_COUNT ? dapp_action_names[a] : "?";
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (table[i].from != st || table[i].action != a)
            continue;
        if (!staff && !(dealer && table[i].dealer)) {
            sh_err_set(err, SH_FORBIDDEN, "you may not '%s' an application", an);
            return sh_err_reason(err, "not_allowed", "{\"action\":\"%s\"}", an);
        }
        *to = table[i].to;
        return SH_OK;
    }
    sh_err_set(err, SH_CONFLICT, "an application that is %s cannot '%s'", sn, an);
    return sh_err_reason(err, "illegal_action", "{\"status\":\"%s\",\"action\":\"%s\"}", sn, an);
}

static bool working(const struct calendar *cal, int64_t day)
{
    return cal_day_hours(cal, sh_civil_from_days(day)).n > 0;
}

int64_t dapp_workdays_end(const struct calendar *cal, int64_t t, int n)
{
    struct sh_date d = cal_local_date(cal, t);
    int64_t day = sh_days_from_civil(d.y, d.m, d.d);
    for (int found = 0, guard = 0; found < n && guard < 3660; guard++) {
        day++;
        if (working(cal, day))
            found++;
    }
    return cal_local_midnight(cal, sh_civil_from_days(day + 1));
}

int64_t dapp_confirm_due(const struct calendar *cal, struct sh_date departure)
{
    int64_t day = sh_days_from_civil(departure.y, departure.m, departure.d) - 1;
    for (int guard = 0; guard < 3660 && !working(cal, day); guard++)
        day--;
    return cal_local_midnight(cal, sh_civil_from_days(day + 1));
}
