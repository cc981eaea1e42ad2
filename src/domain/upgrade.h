/* SPDX-License-Identifier: MIT */
/* Software versions and upgrades (WF-17, R-094; docs/versions.md): the compliance of an
 * installed version with the model's version rules (版本使用规范) and the upgrade
 * entitlement, decided like warranty: display-management and playback upgrades are free in
 * warranty; functional upgrades (extra equipment or software) are charged at cost, priced by
 * the fee rules when a rule set prices upgrades. Pure: no I/O, no clock. */
#ifndef SH_DOMAIN_UPGRADE_H
#define SH_DOMAIN_UPGRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- version rules and compliance ---- */
enum version_status { VS_CURRENT, VS_ALLOWED, VS_WITHDRAWN, VS_COUNT_ };
extern const char *const version_status_names[VS_COUNT_ + 1];

enum version_compliance { VC_OK, VC_OUTDATED, VC_WITHDRAWN, VC_UNKNOWN, VC_COUNT_ };
extern const char *const version_compliance_names[VC_COUNT_ + 1];

/* One rule of a model's component. */
struct version_rule {
    const char *version;
    enum version_status status;
};

/* The installed version against the rules of its model and component: current → ok,
 * allowed → outdated, withdrawn → withdrawn; no version, no rule naming it → unknown. */
enum version_compliance version_comply(const char *installed, const struct version_rule *rules,
                                       size_t n);
/* The unit's overall compliance: the worst of its components (withdrawn, outdated, unknown,
 * ok); unknown when it has none. */
enum version_compliance version_worst(const enum version_compliance *c, size_t n);

/* ---- entitlement ---- */
enum upgrade_kind { UK_DISPLAY, UK_PLAYBACK, UK_FUNCTIONAL, UK_COUNT_ };
extern const char *const upgrade_kind_names[UK_COUNT_ + 1];

enum upgrade_warranty { UW_IN, UW_OUT, UW_UNKNOWN };

enum upgrade_billing { UB_FREE, UB_CHARGEABLE, UB_UNDECIDED, UB_COUNT_ };
extern const char *const upgrade_billing_names[UB_COUNT_ + 1];

/* How a chargeable upgrade is priced. */
enum upgrade_price {
    UP_NONE,    /* not chargeable: nothing to price */
    UP_PRICED,  /* the fee rules' upgrade component priced the cost */
    UP_NO_RULE, /* no fee rule set has an upgrade component: chargeable without amount */
    UP_NO_COST, /* the rule exists but the upgrade's cost was not given */
    UP_COUNT_
};
extern const char *const upgrade_price_names[UP_COUNT_ + 1];

struct upgrade_in {
    enum upgrade_kind kind;
    enum upgrade_warranty warranty;
    bool rule_found;  /* a fee rule set has an upgrade (at cost) component */
    bool cost_given;  /* the upgrade's cost was given */
    int64_t rule_fen; /* what the rule made of the cost (when both) */
};

struct upgrade_out {
    enum upgrade_billing billing;
    /* free_in_warranty, functional_at_cost, out_of_warranty, warranty_unknown */
    const char *reason;
    enum upgrade_price price;
    bool has_amount;
    int64_t amount_fen;
};

struct upgrade_out upgrade_entitlement(const struct upgrade_in *in);

/* Looks a name up in a NULL-terminated table; -1 when absent. */
int upgrade_name_index(const char *const *names, const char *s);

#endif
