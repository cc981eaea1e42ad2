/* SPDX-License-Identifier: MIT */
/* The complaint/return notice: the action table, the serious-defect rule and the decision's
 * money (complaint.h). */
#include "domain/complaint.h"

#include <stdio.h>
#include <string.h>

#include "domain/fsm.h"

const char *const complaint_state_names[COMPLAINT_STATE_COUNT + 1] = {
    [CPS_RECEIVED] = "received",         [CPS_ROUTED] = "routed",     [CPS_ANALYSED] = "analysed",
    [CPS_ACTION_TAKEN] = "action_taken", [CPS_VERIFIED] = "verified", [CPS_CLOSED] = "closed",
    [CPS_REFUSED] = "refused",
};

const char *const complaint_action_names[COMPLAINT_ACTION_COUNT + 1] = {
    [CPA_ROUTE] = "route",   [CPA_ANALYSE] = "analyse", [CPA_ACT] = "act",
    [CPA_VERIFY] = "verify", [CPA_REOPEN] = "reopen",   [CPA_CLOSE] = "close",
    [CPA_REFUSE] = "refuse",
};

const char *const complaint_channel_names[] = {"letter", "fax", "visit", "sample", "phone", NULL};
const char *const complaint_request_names[] = {"repair", "replace", "return", "compensation", NULL};
const char *const complaint_category_names[] = {"quality", "misconduct", "service", "other", NULL};
const char *const complaint_source_names[] = {"customer", "installation", "visit", "picking", NULL};
const char *const complaint_decision_names[] = {"repair", "replace", "refuse", "credit", NULL};
const char *const complaint_defect_names[] = {
    "cracking",       "deformation", "paint_loss", "colour_difference",
    "cannot_install", "function",    "appearance", "packaging",
    "other",          NULL};
#define SERIOUS_DEFECTS 5

const char *complaint_state_name(enum complaint_state s)
{
    return (unsigned)s < COMPLAINT_STATE_COUNT ? complaint_state_names[s] : "?";
}

const char *complaint_action_name(enum complaint_action a)
{
    return (unsigned)a < COMPLAINT_ACTION_COUNT ? complaint_action_names[a] : "?";
}

bool complaint_state_parse(const char *s, enum complaint_state *out)
{
    int i;
    if (!fsm_parse(complaint_state_names, COMPLAINT_STATE_COUNT, s, &i))
        return false;
    *out = (enum complaint_state)i;
    return true;
}

bool complaint_action_parse(const char *s, enum complaint_action *out)
{
    int i;
    if (!fsm_parse(complaint_action_names, COMPLAINT_ACTION_COUNT, s, &i))
        return false;
    *out = (enum complaint_action)i;
    return true;
}

/* RULE WF-09 S1…S7, WF-07, R-037: the desk files the notice and routes it to the responsible
 * departments (more may be added while routed), the department analyses the cause and the
 * corrective action, the decision is carried out (repair, replace, credit) with its charge or
 * credit, QA verifies the corrective action (or sends it back to analysis) and the desk
 * closes it once the customer is informed. An unjustified complaint is refused before any
 * action is taken. */
static const struct fsm_row TABLE[] = {
    {CPS_RECEIVED, CPA_ROUTE, CPS_ROUTED, CMP_R_DESK},
    {CPS_ROUTED, CPA_ROUTE, CPS_ROUTED, CMP_R_DESK},
    {CPS_ROUTED, CPA_ANALYSE, CPS_ANALYSED, CMP_R_ANALYSE},
    {CPS_ANALYSED, CPA_ACT, CPS_ACTION_TAKEN, CMP_R_DECIDE},
    {CPS_ACTION_TAKEN, CPA_VERIFY, CPS_VERIFIED, CMP_R_QA},
    {CPS_ACTION_TAKEN, CPA_REOPEN, CPS_ANALYSED, CMP_R_QA},
    {CPS_VERIFIED, CPA_CLOSE, CPS_CLOSED, CMP_R_DESK},
    {CPS_RECEIVED, CPA_REFUSE, CPS_REFUSED, CMP_R_DECIDE},
    {CPS_ROUTED, CPA_REFUSE, CPS_REFUSED, CMP_R_DECIDE},
    {CPS_ANALYSED, CPA_REFUSE, CPS_REFUSED, CMP_R_DECIDE},
};
#define NROWS (sizeof(TABLE) / sizeof(TABLE[0]))

static const struct fsm MACHINE = {"a complaint",
                                   TABLE,
                                   NROWS,
                                   complaint_state_names,
                                   COMPLAINT_STATE_COUNT,
                                   complaint_action_names,
                                   COMPLAINT_ACTION_COUNT};

enum sh_code complaint_transition(enum complaint_state st, enum complaint_action action,
                                  unsigned roles, enum complaint_state *to, struct sh_err *err)
{
    int t;
    enum sh_code rc = fsm_transition(&MACHINE, (int)st, (int)action, roles, &t, err);
    if (!rc)
        *to = (enum complaint_state)t;
    return rc;
}

int complaint_allowed_actions(enum complaint_state st, unsigned roles,
                              enum complaint_action out[COMPLAINT_ACTION_COUNT])
{
    int a[COMPLAINT_ACTION_COUNT];
    int n = fsm_allowed(&MACHINE, (int)st, roles, a);
    for (int i = 0; i < n; i++)
        out[i] = (enum complaint_action)a[i];
    return n;
}

bool complaint_state_terminal(enum complaint_state st)
{
    return st == CPS_CLOSED || st == CPS_REFUSED;
}

bool complaint_serious(bool flagged, const char *defect)
{
    int i;
    if (flagged)
        return true;
    return fsm_parse(complaint_defect_names, SERIOUS_DEFECTS, defect, &i);
}

bool complaint_decision_money(const char *decision, bool has_charge, bool has_credit,
                              const char **field, const char **reason)
{
    *field = *reason = NULL;
    if (!decision || !*decision) {
        *field = "decision";
        *reason = "required";
    } else if (!strcmp(decision, "credit")) {
        if (!has_credit)
            *field = "credit_fen", *reason = "required";
        else if (has_charge)
            *field = "charge_fen", *reason = "not_allowed";
    } else if (!strcmp(decision, "refuse")) {
        if (has_charge || has_credit)
            *field = has_charge ? "charge_fen" : "credit_fen", *reason = "not_allowed";
    } else if (has_credit) {
        *field = "credit_fen";
        *reason = "not_allowed";
    }
    return *field == NULL;
}
