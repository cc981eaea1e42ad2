/* SPDX-License-Identifier: MIT */
#include "domain/upgrade.h"

#include <string.h>

const char *const version_status_names[VS_COUNT_ + 1] = {"current", "allowed", "withdrawn", NULL};
const char *const version_compliance_names[VC_COUNT_ + 1] = {"ok", "outdated", "withdrawn",
                                                             "unknown", NULL};
const char *const upgrade_kind_names[UK_COUNT_ + 1] = {"display", "playback", "functional", NULL};
const char *const upgrade_billing_names[UB_COUNT_ + 1] = {"free", "chargeable", "undecided", NULL};
const char *const upgrade_price_names[UP_COUNT_ + 1] = {"none", "priced", "no_rule", "no_cost",
                                                        NULL};

int upgrade_name_index(const char *const *names, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], s))
            return i;
    return -1;
}

enum version_compliance version_comply(const char *installed, const struct version_rule *rules,
                                       size_t n)
{
    if (!installed || !*installed)
        return VC_UNKNOWN;
    for (size_t i = 0; i < n; i++) {
        if (!rules[i].version || strcmp(rules[i].version, installed))
            continue;
        switch (rules[i].status) {
        case VS_CURRENT:
            return VC_OK;
        case VS_ALLOWED:
            return VC_OUTDATED;
        case VS_WITHDRAWN:
        case VS_COUNT_:
            return VC_WITHDRAWN;
        }
    }
    return VC_UNKNOWN;
}

/* higher is worse */
static int severity(enum version_compliance c)
{
    switch (c) {
    case VC_WITHDRAWN:
        return 3;
    case VC_OUTDATED:
        return 2;
    case VC_UNKNOWN:
        return 1;
    case VC_OK:
    case VC_COUNT_:
        return 0;
    }
    return 0;
}

enum version_compliance version_worst(const enum version_compliance *c, size_t n)
{
    if (n == 0)
        return VC_UNKNOWN;
    enum version_compliance w = VC_OK;
    for (size_t i = 0; i < n; i++)
        if (severity(c[i]) > severity(w))
            w = c[i];
    return w;
}

/* A chargeable upgrade priced by the fee rules when it can be. */
static void price(const struct upgrade_in *in, struct upgrade_out *o)
{
    o->billing = UB_CHARGEABLE;
    if (!in->rule_found) {
        o->price = UP_NO_RULE;
    } else if (!in->cost_given) {
        o->price = UP_NO_COST;
    } else {
        o->price = UP_PRICED;
        o->has_amount = true;
        o->amount_fen = in->rule_fen;
    }
}

struct upgrade_out upgrade_entitlement(const struct upgrade_in *in)
{
    struct upgrade_out o = {.billing = UB_UNDECIDED, .price = UP_NONE};
    if (in->kind == UK_FUNCTIONAL) { /* WF-17 S2: 收取成本费, in warranty or not */
        o.reason = "functional_at_cost";
        price(in, &o);
    } else if (in->warranty == UW_IN) {
        o.reason = "free_in_warranty";
        o.billing = UB_FREE;
    } else if (in->warranty == UW_OUT) {
        o.reason = "out_of_warranty";
        price(in, &o);
    } else {
        o.reason = "warranty_unknown";
    }
    return o;
}
