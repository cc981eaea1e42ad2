/* SPDX-License-Identifier: MIT */
/* Version rules per model (版本使用规范) and upgrade campaigns, declared on the entity
 * engine (list, filters, export, audit, /meta). docs/versions.md. */
#include <string.h>

#include "app/resources.h"
#include "app/versions.h"
#include "domain/upgrade.h"

static const char *const campaign_statuses[] = {"draft", "launched", NULL};

static const struct col rule_cols[] = {
    COMMON_COLS,
    {"model_id", F_ID, COL_REQUIRED | COL_FILTER | COL_SORT, 0, NULL, 0, 0, &ent_models},
    {"component", F_STR, COL_REQUIRED | COL_FILTER | COL_SORT | COL_SEARCH, VERSION_COMPONENT_MAX,
     NULL, 0, 0, NULL},
    {"sw_version", F_STR, COL_REQUIRED | COL_FILTER | COL_SORT | COL_SEARCH, VERSION_TEXT_MAX, NULL,
     0, 0, NULL},
    {"status", F_ENUM, COL_REQUIRED | COL_FILTER | COL_SORT, 0, version_status_names, 0, 0, NULL},
    {"reason", F_TEXT, COL_SEARCH, 500, NULL, 0, 0, NULL},
    {"withdrawn_on", F_DATE, COL_NULLABLE | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
};

static enum sh_code bad(struct sh_err *e, const char *field, const char *reason, const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            return false;
    return true;
}

/* A withdrawn version says why. */
static enum sh_code rule_before(struct ent_write *w, struct sh_err *e)
{
    const char *st = ent_val(w, "status");
    if (blank(ent_val(w, "component")))
        return bad(e, "component", "required", "'component' is blank");
    if (blank(ent_val(w, "sw_version")))
        return bad(e, "sw_version", "required", "'sw_version' is blank");
    if (st && !strcmp(st, "withdrawn") && blank(ent_val(w, "reason")))
        return bad(e, "reason", "required", "a withdrawn version needs its reason");
    return SH_OK;
}

/* The names of the records it refers to are searchable with it. */
static const char *version_rule_search_extra(struct ent_write *w)
{
    static const char *const refs[] = {"model_id", NULL};
    return ent_ref_labels(w, refs);
}

const struct entity ent_version_rules = {
    .name = "version_rule",
    .table = "version_rules",
    .cols = rule_cols,
    .ncols = NCOLS(rule_cols),
    .label_col = "sw_version",
    .default_sort = "id",
    .before_write = rule_before,
    .search = true,
    .search_extra = version_rule_search_extra,
};

static const struct col campaign_cols[] = {
    COMMON_COLS,
    {"name", F_STR, COL_REQUIRED | COL_SORT | COL_SEARCH, 100, NULL, 0, 0, NULL},
    {"model_id", F_ID, COL_REQUIRED | COL_FILTER, 0, NULL, 0, 0, &ent_models},
    {"component", F_STR, COL_REQUIRED | COL_FILTER | COL_SEARCH, VERSION_COMPONENT_MAX, NULL, 0, 0,
     NULL},
    {"target_version", F_STR, COL_REQUIRED | COL_SEARCH, VERSION_TEXT_MAX, NULL, 0, 0, NULL},
    {"withdrawn_versions", F_STR, COL_REQUIRED | COL_SEARCH, 300, NULL, 0, 0, NULL},
    {"upgrade_kind", F_ENUM, COL_FILTER, 0, upgrade_kind_names, 0, 0, NULL},
    {"cost_fen", F_MONEY, COL_NULLABLE, 0, NULL, 0, 1e12, NULL},
    {"status", F_ENUM, COL_READONLY | COL_FILTER | COL_SORT, 0, campaign_statuses, 0, 0, NULL},
    {"launched_at", F_TS, COL_READONLY | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"launched_by", F_ID, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"notes", F_TEXT, COL_SEARCH, 2000, NULL, 0, 0, NULL},
};

/* Each withdrawn version named once, none the target; a launched campaign is not edited. */
static enum sh_code campaign_before(struct ent_write *w, struct sh_err *e)
{
    if (!w->creating && w->old) {
        int k = ent_colidx(&ent_upgrade_campaigns, "status");
        if (k >= 0 && w->old[k] && !strcmp(w->old[k], "launched")) {
            sh_err_set(e, SH_CONFLICT, "a launched campaign is not edited");
            return sh_err_reason(e, "illegal_action", NULL);
        }
    }
    const char *list = ent_val(w, "withdrawn_versions"), *target = ent_val(w, "target_version");
    if (blank(ent_val(w, "component")))
        return bad(e, "component", "required", "'component' is blank");
    if (blank(target))
        return bad(e, "target_version", "required", "'target_version' is blank");
    if (blank(list))
        return bad(e, "withdrawn_versions", "required", "name the withdrawn version(s)");
    const char *p = list;
    while (*p) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        while (n && *p == ' ')
            p++, n--;
        while (n && p[n - 1] == ' ')
            n--;
        if (n == 0)
            return bad(e, "withdrawn_versions", "invalid_format", "an empty version in the list");
        if (target && strlen(target) == n && !strncmp(p, target, n))
            return bad(e, "withdrawn_versions", "invalid_format",
                       "the target version cannot be a withdrawn one");
        if (!c)
            break;
        p = c + 1;
    }
    return SH_OK;
}

/* The names of the records it refers to are searchable with it. */
static const char *upgrade_campaign_search_extra(struct ent_write *w)
{
    static const char *const refs[] = {"model_id", NULL};
    return ent_ref_labels(w, refs);
}

const struct entity ent_upgrade_campaigns = {
    .name = "upgrade_campaign",
    .table = "upgrade_campaigns",
    .cols = campaign_cols,
    .ncols = NCOLS(campaign_cols),
    .default_sort = "-id",
    .before_write = campaign_before,
    .search = true,
    .search_extra = upgrade_campaign_search_extra,
};
