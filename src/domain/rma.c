/* SPDX-License-Identifier: MIT */
/* Return to factory: the action table, the photo phases, the charge flag and the
 * replacement's eligibility (rma.h). */
#include "domain/rma.h"

#include <stdio.h>
#include <string.h>

#include "domain/fsm.h"

const char *const rma_state_names[RMA_STATE_COUNT + 1] = {
    [RMS_AWAITING_RETURN] = "awaiting_return",
    [RMS_RECEIVED] = "received",
    [RMS_INSPECTED] = "inspected",
    [RMS_ANALYSED] = "analysed",
    [RMS_REPAIRED] = "repaired",
    [RMS_REPLACED] = "replaced",
    [RMS_QC_PASSED] = "qc_passed",
    [RMS_SHIPPED_BACK] = "shipped_back",
    [RMS_CLOSED] = "closed",
    [RMS_CANCELLED] = "cancelled",
};

const char *const rma_action_names[RMA_ACTION_COUNT + 1] = {
    [RMA_RECEIVE] = "receive", [RMA_INSPECT_IN] = "inspect_in", [RMA_ANALYSE] = "analyse",
    [RMA_REPAIR] = "repair",   [RMA_REPLACE] = "replace",       [RMA_INSPECT_OUT] = "inspect_out",
    [RMA_REWORK] = "rework",   [RMA_SHIP_BACK] = "ship_back",   [RMA_CLOSE] = "close",
    [RMA_CANCEL] = "cancel",   [RMA_CONSENT] = "consent",       [RMA_ADVANCE] = "advance_exchange",
};

const char *const rma_cause_names[RMA_CAUSE_COUNT + 1] = {
    [RMC_MANUFACTURING] = "manufacturing", [RMC_ASSEMBLY] = "assembly",
    [RMC_MATERIAL] = "material",           [RMC_DESIGN] = "design",
    [RMC_INSTALLATION] = "installation",   [RMC_USE] = "use",
};

const char *const rma_photo_phase_names[3] = {"incoming", "outgoing", NULL};

const char *const rma_consent_names[3] = {"accept", "decline", NULL};

const char *const rma_old_unit_names[4] = {"returned", "scrapped", "kept", NULL};

const char *rma_old_unit_status(const char *handling)
{
    /* RULE WF-06 S5: the old serial is retired from the installed base */
    if (!handling)
        return NULL;
    if (!strcmp(handling, "returned"))
        return "returned";
    if (!strcmp(handling, "scrapped") || !strcmp(handling, "kept"))
        return "scrapped";
    return NULL;
}

const char *rma_state_name(enum rma_state s)
{
    return (unsigned)s < RMA_STATE_COUNT ? rma_state_names[s] : "?";
}

const char *rma_action_name(enum rma_action a)
{
    return (unsigned)a < RMA_ACTION_COUNT ? rma_action_names[a] : "?";
}

bool rma_state_parse(const char *s, enum rma_state *out)
{
    int i;
    if (!fsm_parse(rma_state_names, RMA_STATE_COUNT, s, &i))
        return false;
    *out = (enum rma_state)i;
    return true;
}

bool rma_action_parse(const char *s, enum rma_action *out)
{
    int i;
    if (!fsm_parse(rma_action_names, RMA_ACTION_COUNT, s, &i))
        return false;
    *out = (enum rma_action)i;
    return true;
}

bool rma_cause_parse(const char *s, enum rma_cause *out)
{
    int i;
    if (!fsm_parse(rma_cause_names, RMA_CAUSE_COUNT, s, &i))
        return false;
    *out = (enum rma_cause)i;
    return true;
}

/* RULE WF-05 S2…S9, R-063: after-sales (or the warehouse) records the unit's arrival, QC
 * inspects it, the technical department analyses the cause, the factory repairs or replaces,
 * QC inspects it again before it leaves (a failed outgoing inspection goes back for rework),
 * after-sales ships it back through a shipment and closes once the customer received it. */
static const struct fsm_row TABLE[] = {
    {RMS_AWAITING_RETURN, RMA_RECEIVE, RMS_RECEIVED, RMA_R_AFTER_SALES | RB(WAREHOUSE) | RMA_R_QC},
    {RMS_RECEIVED, RMA_INSPECT_IN, RMS_INSPECTED, RMA_R_QC},
    {RMS_INSPECTED, RMA_ANALYSE, RMS_ANALYSED, RMA_R_TECH},
    {RMS_ANALYSED, RMA_REPAIR, RMS_REPAIRED, RMA_R_REPAIR},
    {RMS_ANALYSED, RMA_REPLACE, RMS_REPLACED, RMA_R_REPAIR},
    /* WF-20 S4-S5: the customer's decision on a proposed charge; a declined repair goes back
     * unrepaired (rma_consent_guard) */
    {RMS_ANALYSED, RMA_CONSENT, RMS_ANALYSED, RMA_R_CONSENT},
    {RMS_ANALYSED, RMA_SHIP_BACK, RMS_SHIPPED_BACK, RMA_R_AFTER_SALES | RB(SALES)},
    {RMS_REPAIRED, RMA_INSPECT_OUT, RMS_QC_PASSED, RMA_R_QC},
    {RMS_REPLACED, RMA_INSPECT_OUT, RMS_QC_PASSED, RMA_R_QC},
    {RMS_REPAIRED, RMA_REWORK, RMS_ANALYSED, RMA_R_QC},
    {RMS_REPLACED, RMA_REWORK, RMS_ANALYSED, RMA_R_QC},
    {RMS_QC_PASSED, RMA_SHIP_BACK, RMS_SHIPPED_BACK, RMA_R_AFTER_SALES | RB(SALES)},
    {RMS_SHIPPED_BACK, RMA_CLOSE, RMS_CLOSED, RMA_R_AFTER_SALES},
    {RMS_AWAITING_RETURN, RMA_CANCEL, RMS_CANCELLED, RMA_R_AFTER_SALES},
    {RMS_RECEIVED, RMA_CANCEL, RMS_CANCELLED, RMA_R_AFTER_SALES},
    /* WF-08 S3: a DOA unit's replacement ships first (rma_advance_guard); the RMA then follows
     * the ADVANCE table */
    {RMS_AWAITING_RETURN, RMA_ADVANCE, RMS_AWAITING_RETURN, RMA_R_AFTER_SALES | RB(SALES)},
};
#define NROWS (sizeof(TABLE) / sizeof(TABLE[0]))

/* RULE WF-08 S4-S5: after an advance exchange the old unit comes back, is inspected and its
 * cause analysed (the quality statistics); the replacement already shipped, so nothing is
 * repaired, replaced or shipped back: after-sales closes once the analysis is recorded (the
 * close waits for the replacement's receipt). */
static const struct fsm_row ADVANCE[] = {
    {RMS_AWAITING_RETURN, RMA_RECEIVE, RMS_RECEIVED, RMA_R_AFTER_SALES | RB(WAREHOUSE) | RMA_R_QC},
    {RMS_RECEIVED, RMA_INSPECT_IN, RMS_INSPECTED, RMA_R_QC},
    {RMS_INSPECTED, RMA_ANALYSE, RMS_ANALYSED, RMA_R_TECH},
    {RMS_ANALYSED, RMA_CLOSE, RMS_CLOSED, RMA_R_AFTER_SALES},
    {RMS_AWAITING_RETURN, RMA_CANCEL, RMS_CANCELLED, RMA_R_AFTER_SALES},
    {RMS_RECEIVED, RMA_CANCEL, RMS_CANCELLED, RMA_R_AFTER_SALES},
};

static const struct fsm MACHINE = {
    "an RMA", TABLE, NROWS, rma_state_names, RMA_STATE_COUNT, rma_action_names, RMA_ACTION_COUNT};
static const struct fsm MACHINE_ADVANCE = {
    "an advance exchange", ADVANCE,         sizeof(ADVANCE) / sizeof(ADVANCE[0]),
    rma_state_names,       RMA_STATE_COUNT, rma_action_names,
    RMA_ACTION_COUNT};

enum sh_code rma_transition(enum rma_state st, enum rma_action action, unsigned roles, bool advance,
                            enum rma_state *to, struct sh_err *err)
{
    int t;
    enum sh_code rc =
        fsm_transition(advance ? &MACHINE_ADVANCE : &MACHINE, (int)st, (int)action, roles, &t, err);
    if (!rc)
        *to = (enum rma_state)t;
    return rc;
}

int rma_allowed_actions(enum rma_state st, unsigned roles, bool advance,
                        enum rma_action out[RMA_ACTION_COUNT])
{
    int a[RMA_ACTION_COUNT];
    int n = fsm_allowed(advance ? &MACHINE_ADVANCE : &MACHINE, (int)st, roles, a);
    for (int i = 0; i < n; i++)
        out[i] = (enum rma_action)a[i];
    return n;
}

bool rma_photo_phase_open(enum rma_state st, const char *phase)
{
    if (!phase)
        return false;
    if (!strcmp(phase, "incoming"))
        return st == RMS_RECEIVED;
    if (!strcmp(phase, "outgoing"))
        return st == RMS_REPAIRED || st == RMS_REPLACED;
    return false;
}

bool rma_unit_at_factory(enum rma_state st)
{
    return st >= RMS_RECEIVED && st <= RMS_QC_PASSED;
}

bool rma_state_terminal(enum rma_state st)
{
    return st == RMS_CLOSED || st == RMS_CANCELLED;
}

bool rma_cause_is_quality(enum rma_cause c)
{
    /* RULE WF-06 S2: 制造、装配、材料、设计 are the company's fault; installation and use
     * are not (an installation by the company's own crew is judged by the analysis) */
    return c == RMC_MANUFACTURING || c == RMC_ASSEMBLY || c == RMC_MATERIAL || c == RMC_DESIGN;
}

bool rma_chargeable(const char *warranty_status)
{
    return warranty_status && !strcmp(warranty_status, "out");
}

int64_t rma_accepted_fen(int64_t charge_fen, const char *decision)
{
    return decision && !strcmp(decision, "accept") && charge_fen > 0 ? charge_fen : 0;
}

bool rma_replacement_eligible(const char *warranty_status, const char *cause, int64_t accepted_fen,
                              const char **reason)
{
    enum rma_cause c;
    *reason = NULL;
    if (rma_chargeable(warranty_status))
        *reason = accepted_fen > 0 ? NULL : "charge";
    else if (!warranty_status || strcmp(warranty_status, "in"))
        *reason = "warranty";
    else if (!cause || !*cause || !rma_cause_parse(cause, &c))
        *reason = "no_cause";
    else if (!rma_cause_is_quality(c))
        *reason = "cause";
    return *reason == NULL;
}

const char *rma_consent_guard(enum rma_state st, enum rma_action a, int64_t proposed_fen,
                              const char *decision)
{
    /* RULE WF-20 S4-S5: chargeable work is told to the customer and accepted before it is
     * done; declined, the unit goes back unrepaired */
    bool proposed = proposed_fen > 0;
    bool accepted = decision && !strcmp(decision, "accept");
    bool declined = decision && !strcmp(decision, "decline");
    if (st != RMS_ANALYSED)
        return NULL;
    if (a == RMA_CONSENT)
        return proposed && !decision ? NULL : "consent";
    if ((a == RMA_REPAIR || a == RMA_REPLACE) && proposed && !accepted)
        return "consent";
    if (a == RMA_SHIP_BACK && !(proposed && declined))
        return "consent";
    return NULL;
}

int rma_offered_actions(enum rma_state st, unsigned roles, bool advance, const char *ticket_type,
                        int64_t proposed_fen, const char *decision,
                        enum rma_action out[RMA_ACTION_COUNT])
{
    enum rma_action all[RMA_ACTION_COUNT];
    int n = rma_allowed_actions(st, roles, advance, all), k = 0;
    for (int i = 0; i < n; i++) {
        if (all[i] == RMA_ADVANCE && rma_advance_guard(ticket_type))
            continue;
        if ((all[i] != RMA_CONSENT && all[i] != RMA_SHIP_BACK) ||
            !rma_consent_guard(st, all[i], proposed_fen, decision))
            out[k++] = all[i];
    }
    return k;
}

void rma_return_due(struct sh_date today, char out[11])
{
    sh_date_format(
        sh_civil_from_days(sh_days_from_civil(today.y, today.m, today.d) + RMA_RETURN_DAYS), out);
}

bool rma_return_overdue(enum rma_state st, bool advance, const char *due, struct sh_date today)
{
    struct sh_date d;
    return advance && st == RMS_AWAITING_RETURN && due && sh_date_parse(due, &d) &&
           sh_date_cmp(d, today) < 0;
}

const char *rma_advance_guard(const char *ticket_type)
{
    return ticket_type && !strcmp(ticket_type, "doa") ? NULL : "doa";
}
