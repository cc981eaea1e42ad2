/* SPDX-License-Identifier: MIT */
#include "domain/discipline.h"

#include <stdio.h>
#include <string.h>

const char *const ca_state_names[CA_STATE_COUNT + 1] = {"open", "in_progress", "done", "verified",
                                                        NULL};
const char *const ca_action_names[CA_ACTION_COUNT + 1] = {"start", "finish", "verify", "reopen",
                                                          NULL};
const char *const spot_check_kind_names[3] = {"spot_check", "patrol", NULL};
const char *const spot_check_subject_names[6] = {"work_order", "ticket", "technician",
                                                 "site",       "other",  NULL};
const char *const training_category_names[5] = {"ethics", "technical", "safety_civilised", "other",
                                                NULL};
const char *const training_result_names[4] = {"none", "passed", "failed", NULL};
const char *const conduct_category_names[5] = {"arguing", "asking_money", "unreasonable_demand",
                                               "other", NULL};
const char *const conduct_source_names[5] = {"customer_call", "survey", "spot_check", "other",
                                             NULL};
const char *const conduct_status_names[4] = {"open", "investigating", "closed", NULL};
const char *const conduct_outcome_names[6] = {"unfounded", "warning",   "training",
                                              "penalty",   "dismissal", NULL};
const char *const suggestion_status_names[5] = {"submitted", "accepted", "rejected", "noted", NULL};

/* who may take a step: the action's owner, the heads, or both */
enum ca_who { W_OWNER = 1, W_HEAD = 2 };

struct ca_row {
    enum ca_state from;
    enum ca_action action;
    enum ca_state to;
    unsigned who;
};

static const struct ca_row TABLE[] = {
    {CA_OPEN, CA_START, CA_IN_PROGRESS, W_OWNER | W_HEAD},
    {CA_OPEN, CA_FINISH, CA_DONE, W_OWNER | W_HEAD},
    {CA_IN_PROGRESS, CA_FINISH, CA_DONE, W_OWNER | W_HEAD},
    /* the head checks the correction: verified, or back to work */
    {CA_DONE, CA_VERIFY, CA_VERIFIED, W_HEAD},
    {CA_DONE, CA_REOPEN, CA_IN_PROGRESS, W_HEAD},
};
#define NROWS (sizeof(TABLE) / sizeof(TABLE[0]))

static bool parse(const char *const *names, int n, const char *s, int *out)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(names[i], s)) {
            *out = i;
            return true;
        }
    return false;
}

bool ca_state_parse(const char *s, enum ca_state *out)
{
    int i;
    if (!parse(ca_state_names, CA_STATE_COUNT, s, &i))
        return false;
    *out = (enum ca_state)i;
    return true;
}

bool ca_action_parse(const char *s, enum ca_action *out)
{
    int i;
    if (!parse(ca_action_names, CA_ACTION_COUNT, s, &i))
        return false;
    *out = (enum ca_action)i;
    return true;
}

static enum sh_code illegal(enum ca_state st, enum ca_action action, struct sh_err *err)
{
    char list[120] = "", params[160] = "";
    size_t len = 0, plen = 0;
    for (size_t i = 0; i < NROWS; i++) {
        if (TABLE[i].from != st)
            continue;
        const char *n = ca_action_names[TABLE[i].action];
        int w = snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "", n);
        int pw = snprintf(params + plen, sizeof(params) - plen, "%s\"%s\"", plen ? "," : "", n);
        if (w < 0 || (size_t)w >= sizeof(list) - len || pw < 0 ||
            (size_t)pw >= sizeof(params) - plen)
            break;
        len += (size_t)w;
        plen += (size_t)pw;
    }
    sh_err_set(err, SH_CONFLICT, "a corrective action in state '%s' cannot '%s'; allowed: %s",
               ca_state_names[st], ca_action_names[action], len ? list : "none");
    return sh_err_reason(err, "illegal_action",
                         "{\"status\":\"%s\",\"action\":\"%s\",\"allowed\":[%s]}",
                         ca_state_names[st], ca_action_names[action], params);
}

enum sh_code ca_transition(enum ca_state st, enum ca_action action, unsigned roles, bool is_owner,
                           enum ca_state *to, struct sh_err *err)
{
    if ((unsigned)st >= CA_STATE_COUNT || (unsigned)action >= CA_ACTION_COUNT)
        return sh_err_set(err, SH_INVALID, "unknown corrective action state or action");
    for (size_t i = 0; i < NROWS; i++) {
        if (TABLE[i].from != st || TABLE[i].action != action)
            continue;
        bool head = (roles & DISC_HEADS) != 0;
        if (!((TABLE[i].who & W_HEAD && head) || (TABLE[i].who & W_OWNER && is_owner)))
            return sh_err_set(err, SH_FORBIDDEN, "only %s may '%s' a corrective action",
                              TABLE[i].who & W_OWNER ? "its owner or the department head"
                                                     : "the department head",
                              ca_action_names[action]);
        *to = TABLE[i].to;
        return SH_OK;
    }
    return illegal(st, action, err);
}

bool ca_overdue(enum ca_state st, const char *due_date, const char *today)
{
    if (st != CA_OPEN && st != CA_IN_PROGRESS)
        return false;
    return due_date && today && strcmp(due_date, today) < 0;
}

bool suggestion_decision_ok(const char *status)
{
    return status &&
           (!strcmp(status, "accepted") || !strcmp(status, "rejected") || !strcmp(status, "noted"));
}
