/* SPDX-License-Identifier: MIT */
/* Software versions and upgrades (issue 18 item 3, WF-17, R-094; docs/versions.md): the
 * ledger of each unit's installed versions (never edited: the latest entry of a component is
 * its current version), the version rules per model (版本使用规范) and the unit's compliance
 * with them, the upgrade entitlement (domain/upgrade.h) priced by the fee rules, and upgrade
 * campaigns that open one upgrade ticket per unit on a withdrawn version in one transaction. */
#ifndef SH_APP_VERSIONS_H
#define SH_APP_VERSIONS_H

#include "app/entity.h"
#include "app/uc.h"
#include "domain/upgrade.h"

extern const struct entity ent_version_rules, ent_upgrade_campaigns;

#define VERSION_COMPONENT_MAX 40
#define VERSION_TEXT_MAX      60

/* ---- the ledger (app/versions.c) ---- */
struct unit_version_in {
    int64_t unit_id;
    const char *component, *sw_version, *note;     /* note may be NULL */
    int64_t ticket_id, work_order_id, campaign_id; /* 0: none */
};
/* Appends one entry (audited as unit_version create); *id gets its id. */
SH_WUR enum sh_code uc_unit_version_add(const struct uc *u, const struct unit_version_in *in,
                                        int64_t *id, struct sh_err *e);

struct unit_versions_view {
    int64_t unit_id, model_id;
    struct db_rows current;              /* the latest entry per component */
    enum version_compliance *compliance; /* one per current row */
    struct db_rows history;              /* every entry, newest first */
    struct db_rows rules;                /* the model's rules */
    enum version_compliance overall;
};
/* The unit's versions, history and compliance; a customer or dealer account sees only its
 * own units (404 otherwise). */
SH_WUR enum sh_code uc_unit_versions(const struct uc *u, int64_t unit_id,
                                     struct unit_versions_view *out, struct sh_err *e);

/* ---- entitlement (app/versions.c) ---- */
struct upgrade_entitlement_view {
    const char *warranty; /* in, out, unknown */
    enum upgrade_kind kind;
    struct upgrade_out out;
    const char *rule_set; /* the code of the rule set that priced it (NULL: none) */
};
/* The entitlement of unit_id to an upgrade of kind, today; cost_fen < 0: no cost given. */
SH_WUR enum sh_code uc_upgrade_entitlement(const struct uc *u, int64_t unit_id,
                                           enum upgrade_kind kind, int64_t cost_fen,
                                           struct upgrade_entitlement_view *out, struct sh_err *e);

/* ---- campaigns (app/upgrade_campaigns.c) ---- */
/* Units of the campaign's model whose current version of its component is one of its
 * withdrawn versions: id, serial_no, customer_id, customer_name, sw_version. */
SH_WUR enum sh_code uc_campaign_candidates(const struct uc *u, int64_t id, struct db_rows *out,
                                           struct sh_err *e);
/* Opens one upgrade ticket per candidate through the intake use case, all in the caller's
 * transaction: any failure fails the launch (422 reason unit_failed naming the unit), a
 * launched campaign 409 (illegal_action), none to upgrade 422 (guard). */
SH_WUR enum sh_code uc_campaign_launch(const struct uc *u, int64_t id, int *created,
                                       struct sh_err *e);
/* The campaign's tickets (ticket, unit, state, entitlement, recorded_at) and their counts by
 * state. */
struct campaign_progress {
    struct db_rows tickets, counts;
    int64_t recorded;
};
SH_WUR enum sh_code uc_campaign_progress(const struct uc *u, int64_t id,
                                         struct campaign_progress *out, struct sh_err *e);
/* Records the upgrade done on a campaign ticket: the unit's new version (default: the
 * target) in its ledger, against the ticket and campaign. */
SH_WUR enum sh_code uc_campaign_record(const struct uc *u, int64_t id, int64_t ticket_id,
                                       const char *sw_version, const char *note, int64_t *entry_id,
                                       struct sh_err *e);

#endif
