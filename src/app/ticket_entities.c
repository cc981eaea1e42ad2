/* SPDX-License-Identifier: MIT */
/* The ticket entities declared on the entity engine (app/entity.h): the configuration
 * (fault categories, calendars and their days, SLA policies) and the ticket itself, whose
 * PATCH edits the fields the columns allow (the unit and the receipt time through
 * app/ticket_edit.c); its lifecycle runs through explicit actions (app/ticket_actions.c). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/sla.h"
#include "app/ticket_entities.h"
#include "app/ticket_events.h"
#include "base/date.h"
#include "domain/ticket.h"
#include "store/tickets.h"

extern const struct entity ent_customers, ent_units, ent_models, ent_users, ent_departments,
    ent_contracts;

static const char *const billings[] = {"warranty",   "chargeable", "contract",
                                       "negotiated", "unknown",    NULL};
static const char *const sla_states[] = {"ok", "at_risk", "breached", NULL};

/* ---- configuration entities ---- */

static const struct col fault_cols[] = {
    COMMON_COLS,
    {"code", F_STR, COL_REQUIRED | COL_SORT | COL_FILTER | COL_CREATE_ONLY, 40, NULL, 0, 0, NULL},
    {"name", F_STR, COL_REQUIRED | COL_SORT, 60, NULL, 0, 0, NULL},
    {"name_en", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"product_category", F_STR, COL_FILTER, 20, NULL, 0, 0, NULL},
    {"active", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
};

const struct entity ent_fault_categories = {
    .name = "fault_category",
    .table = "fault_categories",
    .cols = fault_cols,
    .ncols = NCOLS(fault_cols),
    .default_sort = "id",
};

static const char *const cal_kinds[] = {"24x7", "6x24", "hours", NULL};

static const struct col calendar_cols[] = {
    COMMON_COLS,
    {"code", F_STR, COL_REQUIRED | COL_SORT | COL_FILTER, 40, NULL, 0, 0, NULL},
    {"name", F_STR, COL_REQUIRED | COL_SORT, 60, NULL, 0, 0, NULL},
    {"kind", F_ENUM, COL_REQUIRED | COL_FILTER, 0, cal_kinds, 0, 0, NULL},
    {"utc_offset_minutes", F_INT, 0, 0, NULL, -720, 840, NULL},
    {"hours", F_STR, 0, 200, NULL, 0, 0, NULL},
    {"use_cn_holidays", F_BOOL, 0, 0, NULL, 0, 0, NULL},
};

static enum sh_code calendar_before(struct ent_write *w, struct sh_err *e)
{
    int ki = ent_colidx(w->ent, "kind"), hi = ent_colidx(w->ent, "hours");
    return calendar_hours_check(w->vals[ki].text ? w->vals[ki].text : "24x7",
                                w->vals[hi].present ? w->vals[hi].text : NULL, e);
}

/* Changing a calendar or a policy re-evaluates the open tickets under it at the next scan. */
static enum sh_code recheck_open(struct ent_write *w, const char *where, struct sh_err *e)
{
    if (w->creating)
        return SH_OK;
    char now[21];
    sh_ts_format(sh_now(), now);
    char sql[400];
    snprintf(sql, sizeof(sql),
             "UPDATE tickets SET next_check_at = $2 WHERE %s AND status NOT IN ('closed', "
             "'cancelled')",
             where);
    return db_exec(w->u->tx, sh_arena_strdup(w->u->a, sql), DB_P(DB_INT(w->id), DB_TEXT(now)), NULL,
                   e);
}

static enum sh_code calendar_after(struct ent_write *w, struct sh_err *e)
{
    return recheck_open(w, "sla_policy_id IN (SELECT id FROM sla_policies WHERE calendar_id = $1)",
                        e);
}

const struct entity ent_calendars = {
    .name = "calendar",
    .table = "calendars",
    .cols = calendar_cols,
    .ncols = NCOLS(calendar_cols),
    .default_sort = "id",
    .before_write = calendar_before,
    .after_write = calendar_after,
};

static const char *const day_kinds[] = {"holiday", "workday", NULL};

static const struct col calendar_day_cols[] = {
    COMMON_COLS,
    {"day", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"kind", F_ENUM, COL_REQUIRED | COL_FILTER, 0, day_kinds, 0, 0, NULL},
    {"name", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"calendar_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_calendars},
};

const struct entity ent_calendar_days = {
    .name = "calendar_day",
    .table = "calendar_days",
    .cols = calendar_day_cols,
    .ncols = NCOLS(calendar_day_cols),
    .default_sort = "day",
};

static const char *const tiers[] = {"key", "normal", NULL};
static const char *const onsite_starts[] = {"received", "not_remote_fixable", "visit_scheduled",
                                            NULL};

static const struct col policy_cols[] = {
    COMMON_COLS,
    {"code", F_STR, COL_REQUIRED | COL_SORT | COL_FILTER, 40, NULL, 0, 0, NULL},
    {"name", F_STR, COL_REQUIRED | COL_SORT, 100, NULL, 0, 0, NULL},
    {"calendar_id", F_ID, COL_REQUIRED | COL_FILTER, 0, NULL, 0, 0, &ent_calendars},
    {"contract_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_contracts},
    {"customer_tier", F_ENUM, COL_NULLABLE | COL_FILTER, 0, tiers, 0, 0, NULL},
    {"ticket_type", F_ENUM, COL_NULLABLE | COL_FILTER, 0, ticket_type_names, 0, 0, NULL},
    {"reply_minutes", F_INT, 0, 0, NULL, 1, 525600, NULL},
    {"remote_minutes", F_INT, 0, 0, NULL, 1, 525600, NULL},
    {"onsite_minutes", F_INT, 0, 0, NULL, 1, 525600, NULL},
    {"onsite_start", F_ENUM, 0, 0, onsite_starts, 0, 0, NULL},
    {"resolve_minutes", F_INT, COL_NULLABLE, 0, NULL, 1, 5256000, NULL},
    {"at_risk_percent", F_INT, 0, 0, NULL, 1, 99, NULL},
    {"notify_around_clock", F_BOOL, 0, 0, NULL, 0, 0, NULL},
    {"escalate_dept_head_minutes", F_INT, 0, 0, NULL, 0, 525600, NULL},
    {"escalate_gm_minutes", F_INT, 0, 0, NULL, 0, 525600, NULL},
    {"at_risk_notify", F_BOOL, 0, 0, NULL, 0, 0, NULL},
    {"active", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
};

/* The general manager hears of a breach no earlier than the department head. */
static enum sh_code policy_before(struct ent_write *w, struct sh_err *e)
{
    int d = ent_colidx(w->ent, "escalate_dept_head_minutes"),
        g = ent_colidx(w->ent, "escalate_gm_minutes");
    if (w->vals[d].present && w->vals[g].present && w->vals[d].text && w->vals[g].text &&
        strtoll(w->vals[g].text, NULL, 10) < strtoll(w->vals[d].text, NULL, 10))
        return sh_err_field(e, SH_INVALID, "escalate_gm_minutes",
                            "'escalate_gm_minutes' is before 'escalate_dept_head_minutes'");
    return SH_OK;
}

static enum sh_code policy_after(struct ent_write *w, struct sh_err *e)
{
    return recheck_open(w, "sla_policy_id = $1", e);
}

const struct entity ent_sla_policies = {
    .name = "sla_policy",
    .table = "sla_policies",
    .cols = policy_cols,
    .ncols = NCOLS(policy_cols),
    .default_sort = "id",
    .before_write = policy_before,
    .after_write = policy_after,
};

/* ---- tickets ---- */

static const struct col ticket_cols[] = {
    COMMON_COLS,
    {"number", F_STR, COL_READONLY | COL_SORT | COL_FILTER, 0, NULL, 0, 0, NULL},
    {"channel", F_ENUM, COL_READONLY | COL_FILTER, 0, ticket_channel_names, 0, 0, NULL},
    {"type", F_ENUM, COL_READONLY | COL_FILTER, 0, ticket_type_names, 0, 0, NULL},
    {"status", F_ENUM, COL_READONLY | COL_FILTER | COL_SORT, 0, ticket_state_names, 0, 0, NULL},
    {"priority", F_ENUM, COL_FILTER | COL_SORT, 0, ticket_priority_names, 0, 0, NULL},
    /* editable once, on a ticket without a customer: ticket_edit.c */
    {"customer_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"unit_id", F_ID, COL_FILTER, 0, NULL, 0, 0, &ent_units}, /* editable: ticket_edit.c */
    {"model_id", F_ID, COL_READONLY | COL_FILTER, 0, NULL, 0, 0, &ent_models},
    {"region", F_STR, COL_READONLY | COL_FILTER, 0, NULL, 0, 0, NULL},
    {"caller_name", F_STR, COL_READONLY, 0, NULL, 0, 0, NULL},
    {"caller_phone", F_STR, COL_READONLY | COL_FILTER | COL_PHONE, 0, NULL, 0, 0, NULL},
    {"fault_category", F_STR, COL_FILTER, 40, NULL, 0, 0, NULL},
    {"description", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"required_arrival_at", F_TS, COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"promised_arrival_at", F_TS, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"received_at", F_TS, COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL}, /* letters: ticket_edit.c */
    {"assignee_id", F_ID, COL_READONLY | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"department_id", F_ID, COL_READONLY | COL_FILTER, 0, NULL, 0, 0, &ent_departments},
    {"sla_policy_id", F_ID, COL_FILTER, 0, NULL, 0, 0, &ent_sla_policies},
    {"sla_state", F_ENUM, COL_READONLY | COL_FILTER, 0, sla_states, 0, 0, NULL},
    {"next_due_at", F_TS, COL_READONLY | COL_SORT | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"billing", F_ENUM, COL_READONLY | COL_FILTER, 0, billings, 0, 0, NULL},
    {"warranty_status", F_STR, COL_READONLY | COL_FILTER, 0, NULL, 0, 0, NULL},
    {"exclusion", F_STR, COL_READONLY, 0, NULL, 0, 0, NULL},
    {"exclusion_reason", F_STR, COL_READONLY, 0, NULL, 0, 0, NULL},
    {"repeat_of", F_ID, COL_READONLY | COL_FILTER, 0, NULL, 0, 0, NULL},
    {"merged_into", F_ID, COL_READONLY | COL_FILTER, 0, NULL, 0, 0, NULL},
    {"replied_at", F_TS, COL_READONLY, 0, NULL, 0, 0, NULL},
    {"remote_solved_at", F_TS, COL_READONLY, 0, NULL, 0, 0, NULL},
    {"not_remote_at", F_TS, COL_READONLY, 0, NULL, 0, 0, NULL},
    {"factory_at", F_TS, COL_READONLY, 0, NULL, 0, 0, NULL},
    {"visit_scheduled_at", F_TS, COL_READONLY, 0, NULL, 0, 0, NULL},
    {"visit_at", F_TS, COL_READONLY, 0, NULL, 0, 0, NULL},
    {"arrived_at", F_TS, COL_READONLY, 0, NULL, 0, 0, NULL},
    {"resolved_at", F_TS, COL_READONLY | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"closed_at", F_TS, COL_READONLY | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"created_by", F_ID, COL_READONLY, 0, NULL, 0, 0, NULL},
};

static const struct list_view ticket_views[] = {
    {"queue", "mine", "t.assignee_id = {me} AND t.status NOT IN ('closed', 'cancelled')"},
    {"queue", "unassigned",
     "t.assignee_id IS NULL AND t.status NOT IN ('resolved', 'closed', 'cancelled')"},
    {"queue", "at_risk", "t.sla_state = 'at_risk' AND t.status NOT IN ('closed', 'cancelled')"},
    {"queue", "breached", "t.sla_state = 'breached' AND t.status NOT IN ('closed', 'cancelled')"},
    {"queue", "department", "t.department_id = {dept} AND t.status NOT IN ('closed', 'cancelled')"},
    {"queue", "open", "t.status NOT IN ('resolved', 'closed', 'cancelled')"},
    {"repeat", "true", "t.repeat_of IS NOT NULL"},
    {NULL, NULL, NULL},
};

static enum sh_code ticket_patch_after(struct ent_write *w, struct sh_err *e)
{
    /* priority, policy or promised time changed: the clocks are recomputed from history */
    const char *data = sh_arena_printf(w->u->a, "{\"version\":%d}", 0);
    enum sh_code rc = ticket_edit_after(w, e);
    if (!rc)
        rc = uc_ticket_event(w->u, w->id, "update", "internal", "", data, NULL, e);
    if (rc)
        return rc;
    /* the engine wrote no search text (tickets have no COL_SEARCH column): rebuild both */
    if ((rc = tickets_search_rebuild(w->u->tx, w->u->a, w->id, e)))
        return rc;
    return uc_ticket_sla_refresh(w->u, w->id, sh_now(), NULL, e);
}

static enum sh_code ticket_patch_before(struct ent_write *w, struct sh_err *e)
{
    enum sh_code rc0 = ticket_edit_check(w, e);
    if (rc0)
        return rc0;
    int fi = ent_colidx(w->ent, "fault_category");
    const char *fc = w->vals[fi].text;
    if (fc && *fc && (!w->old || !w->old[fi] || strcmp(w->old[fi], fc))) {
        struct db_rows r;
        enum sh_code rc = db_query(w->u->tx, w->u->a,
                                   "SELECT id FROM fault_categories WHERE code = $1 AND active = 1",
                                   DB_P(DB_TEXT(fc)), &r, e);
        if (rc)
            return rc;
        if (r.nrows == 0)
            return sh_err_field(e, SH_INVALID, "fault_category", "no fault category '%s'", fc);
    }
    return SH_OK;
}

const struct entity ent_tickets = {
    .name = "ticket",
    .table = "tickets",
    .cols = ticket_cols,
    .ncols = NCOLS(ticket_cols),
    .scope_col = "customer_id",
    .assignee_col = "assignee_id",
    .label_col = "number", /* expand= of a ticket_id (approvals, coordination) shows its number */
    .default_sort = "-id",
    .search = true,
    .search_external = true,
    .search_walk = true,
    .views = ticket_views,
    .before_write = ticket_patch_before,
    .after_write = ticket_patch_after,
};
