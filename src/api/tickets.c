/* SPDX-License-Identifier: MIT */
/* Service requests (来电来函登记, R-055…R-059): intake from every channel, the
 * lifecycle through explicit actions checked by the state machine of
 * domain/ticket.c, the timeline (comments, call records, state changes, SLA
 * events, attachments), the warranty decision, repeat-repair detection
 * and merging duplicates. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/handlers.h"
#include "api/policy.h"
#include "api/tickets.h"
#include "base/date.h"
#include "base/log.h"
#include "domain/sla.h"
#include "domain/ticket.h"
#include "domain/warranty.h"

extern const struct entity ent_customers, ent_units, ent_models, ent_users, ent_departments,
    ent_contracts;

static const char *const channels[] = {"phone",  "letter", "fax", "email", "walk_in",
                                       "portal", "qr",     "api", NULL};
static const char *const types[] = {"consultation", "installation", "repair", "replacement",
                                    "return",       "complaint",    "doa",    "visit",
                                    "training",     "upgrade",      NULL};
static const char *const priorities[] = {"low", "normal", "high", "urgent", NULL};
static const char *const statuses[] = {
    "new",     "assigned",   "in_progress", "waiting_customer", "visit_scheduled",
    "on_site", "at_factory", "resolved",    "closed",           "cancelled",
    NULL};
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

enum sh_code calendar_hours_check(const char *kind, const char *hours, struct sh_err *e);

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
    api_now(now);
    char sql[400];
    snprintf(sql, sizeof(sql),
             "UPDATE tickets SET next_check_at = $2 WHERE %s AND status NOT IN ('closed', "
             "'cancelled')",
             where);
    return db_exec(w->tx, sh_arena_strdup(w->c->a, sql), DB_P(DB_INT(w->id), DB_TEXT(now)), NULL,
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
    {"ticket_type", F_ENUM, COL_NULLABLE | COL_FILTER, 0, types, 0, 0, NULL},
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
    {"channel", F_ENUM, COL_READONLY | COL_FILTER, 0, channels, 0, 0, NULL},
    {"type", F_ENUM, COL_READONLY | COL_FILTER, 0, types, 0, 0, NULL},
    {"status", F_ENUM, COL_READONLY | COL_FILTER | COL_SORT, 0, statuses, 0, 0, NULL},
    {"priority", F_ENUM, COL_FILTER | COL_SORT, 0, priorities, 0, 0, NULL},
    {"customer_id", F_ID, COL_READONLY | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"unit_id", F_ID, COL_FILTER, 0, NULL, 0, 0, &ent_units}, /* editable: ticket_edit.c */
    {"model_id", F_ID, COL_READONLY | COL_FILTER, 0, NULL, 0, 0, &ent_models},
    {"region", F_STR, COL_READONLY | COL_FILTER, 0, NULL, 0, 0, NULL},
    {"caller_name", F_STR, COL_READONLY, 0, NULL, 0, 0, NULL},
    {"caller_phone", F_STR, COL_READONLY | COL_FILTER, 0, NULL, 0, 0, NULL},
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
    const char *data = sh_arena_printf(w->c->a, "{\"version\":%d}", 0);
    enum sh_code rc = ticket_edit_after(w, e);
    if (!rc)
        rc = ticket_event(w->c, w->tx, w->id, "update", "internal", "", data, NULL, e);
    if (rc)
        return rc;
    return ticket_sla_refresh(w->c, w->tx, w->id, sh_now(), NULL, e);
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
        enum sh_code rc = db_query(w->tx, w->c->a,
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
    .default_sort = "-id",
    .search = true,
    .views = ticket_views,
    .before_write = ticket_patch_before,
    .after_write = ticket_patch_after,
};

/* ---- shared helpers ---- */

enum sh_code ticket_events_add(struct api_ctx *c, struct db_tx *tx, int64_t ticket_id,
                               const struct ticket_ev *ev, int n, int64_t *event_id,
                               struct sh_err *e)
{
    if (n < 1 || n > TICKET_EVENTS_MAX || (event_id && n != 1))
        return sh_err_set(e, SH_INTERNAL, "ticket_events_add: %d events", n);
    char now[21];
    api_now(now);
    struct db_val p[4 + 4 * TICKET_EVENTS_MAX];
    p[0] = DB_INT(ticket_id);
    p[1] = DB_TEXT(now);
    p[2] = c->who.user_id ? DB_INT(c->who.user_id) : DB_NULL;
    p[3] = DB_TEXT(c->who.username ? c->who.username : "system");
    char sql[512];
    int len = snprintf(sql, sizeof(sql),
                       "INSERT INTO ticket_events (ticket_id, at, actor_id, actor, kind, "
                       "visibility, body, data) VALUES ");
    for (int i = 0; i < n; i++) {
        int k = 4 + 4 * i;
        p[k] = DB_TEXT(ev[i].kind);
        p[k + 1] = DB_TEXT(ev[i].visibility);
        p[k + 2] = DB_TEXT(ev[i].body ? ev[i].body : "");
        p[k + 3] = DB_TEXT(ev[i].data);
        len +=
            snprintf(sql + len, sizeof(sql) - (size_t)len, "%s($1, $2, $3, $4, $%d, $%d, $%d, $%d)",
                     i ? ", " : "", k + 1, k + 2, k + 3, k + 4);
    }
    if (!event_id)
        return db_exec(tx, sql, p, 4 + 4 * n, NULL, e);
    snprintf(sql + len, sizeof(sql) - (size_t)len, " RETURNING id");
    struct db_rows r;
    enum sh_code rc = db_query(tx, c->a, sql, p, 4 + 4 * n, &r, e);
    if (!rc)
        *event_id = db_get_int(&r, 0, "id", 0);
    return rc;
}

enum sh_code ticket_event(struct api_ctx *c, struct db_tx *tx, int64_t ticket_id, const char *kind,
                          const char *visibility, const char *body, const char *data,
                          int64_t *event_id, struct sh_err *e)
{
    const struct ticket_ev ev = {kind, visibility, body, data};
    return ticket_events_add(c, tx, ticket_id, &ev, 1, event_id, e);
}

/* Loads a ticket for the caller: 404 outside their scope. */
static enum sh_code load_ticket(struct api_ctx *c, struct db_tx *tx, int64_t id,
                                struct db_rows *out, struct sh_err *e)
{
    enum sh_code rc = ent_load(tx, c->a, &ent_tickets, id, out, e);
    if (rc)
        return rc;
    if (!ent_row_in_scope(c, &ent_tickets, out, 0))
        return sh_err_set(e, SH_NOT_FOUND, "ticket %" PRId64 " not found", id);
    return SH_OK;
}

static enum sh_code append_search(struct api_ctx *c, struct db_tx *tx, int64_t id, const char *text,
                                  struct sh_err *e)
{
    if (!text || !*text)
        return SH_OK;
    return db_exec(tx,
                   "UPDATE tickets SET search = substr(search || ' ' || $2, 1, 20000), "
                   "search_bi = substr(search_bi || ' ' || $3, 1, 40000) WHERE id = $1",
                   DB_P(DB_INT(id), DB_TEXT(text), DB_TEXT(pair_text(c->a, text))), NULL, e);
}

/* The warranty decision of a unit at a report date, as JSON and billing. */
struct warranty_decision {
    const char *status;  /* in, out, unknown */
    const char *billing; /* warranty, chargeable, contract */
    const char *json;
};

static enum sh_code decide_warranty(struct api_ctx *c, struct db_tx *tx, int64_t unit_id,
                                    struct sh_date report, enum ticket_cause cause,
                                    struct warranty_decision *out, struct sh_err *e)
{
    out->status = "unknown";
    out->billing = "unknown"; /* no unit or no warranty dates: who pays is not known either */
    out->json = NULL;
    if (!unit_id)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, c->a,
        "SELECT u.ship_date, u.install_date, u.warranty_end_override, m.warranty_months AS mm, "
        "k.warranty_months AS cm, k.end_date AS contract_end, k.number AS contract_number "
        "FROM units u JOIN product_models m ON m.id = u.model_id "
        "LEFT JOIN contracts k ON k.id = u.contract_id WHERE u.id = $1",
        DB_P(DB_INT(unit_id)), &r, e);
    if (rc || r.nrows == 0)
        return rc;
    struct ticket_billing_in in = {
        .unit = {.contract_months = -1, .model_months = 12}, .reported = report, .cause = cause};
    const char *s;
    if ((s = db_get(&r, 0, "install_date")))
        in.unit.has_install = sh_date_parse(s, &in.unit.install);
    if ((s = db_get(&r, 0, "ship_date")))
        in.unit.has_ship = sh_date_parse(s, &in.unit.ship);
    if ((s = db_get(&r, 0, "warranty_end_override")))
        in.unit.has_override = sh_date_parse(s, &in.unit.override_end);
    in.unit.model_months = (int)db_get_int(&r, 0, "mm", 12);
    if (db_get(&r, 0, "cm"))
        in.unit.contract_months = (int)db_get_int(&r, 0, "cm", -1);
    struct sh_date cend;
    const char *ce = db_get(&r, 0, "contract_end");
    in.service_contract = db_get(&r, 0, "contract_number") &&
                          (!ce || (sh_date_parse(ce, &cend) && sh_date_cmp(report, cend) <= 0));
    struct ticket_billing_out bo;
    struct sh_err de;
    sh_err_clear(&de);
    rc = ticket_billing_decide(&in, &bo, &de);
    if (rc == SH_UNPROCESSABLE) {
        out->json = sh_arena_printf(c->a, "{\"in_warranty\":null,\"basis\":\"none\",\"reason\":"
                                          "\"no install or ship date: warranty unknown\"}");
        return SH_OK;
    }
    if (rc)
        return sh_err_set(e, rc, "%s", de.msg);
    out->status = bo.in_warranty ? "in" : "out";
    out->billing = ticket_billing_name(bo.billing);
    char start[11] = "", end[11] = "";
    if (bo.warranty.basis == WB_INSTALL || bo.warranty.basis == WB_SHIP)
        sh_date_format(bo.warranty.start, start);
    sh_date_format(bo.warranty.end, end);
    struct sh_buf b = SH_BUF_INIT(4096);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kbool(&w, "in_warranty", bo.in_warranty);
    jw_kstr(&w, "basis", warranty_basis_name(bo.warranty.basis));
    jw_kstr(&w, "start", *start ? start : NULL);
    jw_kstr(&w, "end", end);
    jw_kint(&w, "months", bo.warranty.months);
    jw_kstr(&w, "months_from", bo.warranty.months_from_contract ? "contract" : "model");
    jw_kstr(&w, "contract", db_get(&r, 0, "contract_number"));
    char rep[11];
    sh_date_format(report, rep);
    jw_kstr(&w, "report_date", rep);
    jw_kstr(&w, "cause", ticket_cause_name(cause));
    jw_kstr(&w, "billing", out->billing);
    jw_kstr(&w, "reason", bo.reason);
    jw_obj_end(&w);
    if (jw_finish(&w) == SH_OK)
        out->json = sh_arena_strdup(c->a, b.buf);
    sh_buf_release(&b);
    return SH_OK;
}

static struct sh_date local_date(int64_t t)
{
    return sh_civil_from_days((t + 8 * 3600) / 86400);
}

/* ---- rendering a ticket with its SLA targets and allowed actions ---- */

/* view: the SLA evaluation when the caller just made one (NULL: evaluate now). */
static enum sh_code render_ticket(struct api_ctx *c, struct db_tx *tx, int64_t id,
                                  const struct ticket_sla_view *view, struct sh_buf *out,
                                  const char **version, struct sh_err *e)
{
    struct db_rows t, sla;
    enum sh_code rc = load_ticket(c, tx, id, &t, e);
    if (rc)
        return rc;
    /* the escalation levels: from the refresh that just stored them, or as stored */
    sla.nrows = 0;
    if (!(view && view->has_levels) &&
        (rc = db_query(tx, c->a,
                       "SELECT target, escalation_level FROM ticket_sla WHERE ticket_id = $1",
                       DB_P(DB_INT(id)), &sla, e)))
        return rc;
    const char *obj = ent_json(c->a, &ent_tickets, &t, 0);
    if (!obj)
        return sh_err_set(e, SH_TOO_BIG, "ticket too large");
    sh_buf_reset(out);
    struct jw w;
    jw_init(&w, out);
    /* the row's fields, then the computed parts */
    size_t n = strlen(obj);
    if (sh_buf_add(out, obj, n - 1) != SH_OK)
        return sh_err_set(e, SH_TOO_BIG, "ticket too large");
    w.depth = 1;
    w.first[1] = false;
    jw_key(&w, "warranty");
    const char *wjs = db_get(&t, 0, "warranty_json"); /* t.* has it */
    if (wjs)
        jw_raw(&w, wjs);
    else
        jw_null(&w);
    /* per target: live due, time used and state from the same evaluation the scanner uses */
    jw_key(&w, "sla");
    jw_arr_begin(&w);
    int64_t now = sh_now();
    const struct ticket_sla_view *v = view;
    if (!v) {
        struct ticket_sla_view *nv = sh_arena_alloc(c->a, sizeof(*nv));
        if ((rc = ticket_sla_eval(c, tx, id, now, nv, e)))
            return rc;
        v = nv;
    }
    for (int k = 0; v->has_policy && k < SLA_CLOCK_COUNT; k++) {
        const struct sla_clock_state *cs = &v->result.clock[k];
        if (cs->status == SLA_OFF)
            continue;
        const char *target = sla_clock_name((enum sla_clock)k);
        char ts[21];
        jw_obj_begin(&w);
        jw_kstr(&w, "target", target);
        jw_kstr(&w, "state", sla_status_name(cs->status));
        if (cs->start != SLA_NO_TIME) {
            sh_ts_format(cs->start, ts);
            jw_kstr(&w, "started_at", ts);
        } else {
            jw_knull(&w, "started_at");
        }
        if (cs->due != SLA_NO_TIME) {
            sh_ts_format(cs->due, ts);
            jw_kstr(&w, "due_at", ts);
        } else {
            jw_knull(&w, "due_at");
        }
        if (cs->stop != SLA_NO_TIME) {
            sh_ts_format(cs->stop, ts);
            jw_kstr(&w, "done_at", ts);
        } else {
            jw_knull(&w, "done_at");
        }
        jw_kint(&w, "budget_seconds", cs->budget);
        jw_kint(&w, "used_seconds", cs->used);
        if (!cs->completed && cs->due != SLA_NO_TIME)
            jw_kint(&w, "seconds_left", cs->due - now);
        jw_kbool(&w, "met", cs->status == SLA_MET);
        jw_kbool(&w, "breached", cs->status == SLA_BREACHED);
        int64_t level = view && view->has_levels ? view->level[k] : 0;
        for (int i = 0; i < sla.nrows; i++)
            if (!strcmp(db_get(&sla, i, "target"), target))
                level = db_get_int(&sla, i, "escalation_level", 0);
        jw_kint(&w, "escalation_level", level);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "allowed_actions");
    jw_arr_begin(&w);
    enum ticket_type ty;
    enum ticket_state st;
    if (ticket_type_parse(db_get(&t, 0, "type"), &ty) &&
        ticket_state_parse(db_get(&t, 0, "status"), &st) && !db_get(&t, 0, "merged_into")) {
        enum ticket_action acts[TICKET_ACTION_COUNT];
        size_t na = ticket_allowed_actions(ty, st, c->who.roles, acts);
        for (size_t i = 0; i < na; i++)
            jw_str(&w, ticket_action_name(acts[i]));
    }
    jw_arr_end(&w);
    w.depth = 0;
    if (sh_buf_addc(out, '}') != SH_OK || jw_finish(&w) != SH_OK)
        return sh_err_set(e, SH_TOO_BIG, "ticket too large");
    if (version)
        *version = db_get(&t, 0, "version");
    return SH_OK;
}

struct tget {
    struct api_ctx *c;
    int64_t id;
    struct sh_buf out;
    const char *version;
};

static enum sh_code tget_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct tget *g = arg;
    return render_ticket(g->c, tx, g->id, NULL, &g->out, &g->version, e);
}

void h_ticket_get(struct api_ctx *c)
{
    struct tget g = {.c = c};
    sh_buf_init(&g.out, 4 << 20);
    struct sh_err e;
    sh_err_clear(&e);
    if (api_param_id(c, 0, &g.id)) {
        if (db_read(c->app->db, tget_run, &g, &e)) {
            api_reply_err(c, &e);
        } else {
            http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%s\"", g.version));
            api_reply_json(c, 200, &g.out);
        }
    }
    sh_buf_release(&g.out);
}

/* ---- intake ---- */

static const struct col intake_cols[] = {
    {"channel", F_ENUM, COL_REQUIRED, 0, channels, 0, 0, NULL},
    {"type", F_ENUM, COL_REQUIRED, 0, types, 0, 0, NULL},
    {"customer_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"unit_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"serial_no", F_STR, COL_NULLABLE, 60, NULL, 0, 0, NULL},
    {"caller_name", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"caller_phone", F_STR, 0, 40, NULL, 0, 0, NULL},
    {"customer_name", F_STR, 0, 100, NULL, 0, 0, NULL},
    {"customer_address", F_STR, 0, 200, NULL, 0, 0, NULL},
    {"fault_category", F_STR, COL_NULLABLE, 40, NULL, 0, 0, NULL},
    {"description", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"priority", F_ENUM, 0, 0, priorities, 0, 0, NULL},
    {"required_arrival_at", F_TS, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"received_at", F_TS, 0, 0, NULL, 0, 0, NULL},
    {"answer", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"close", F_BOOL, 0, 0, NULL, 0, 0, NULL},
    {"assignee_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"department_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
};
enum {
    I_CHANNEL,
    I_TYPE,
    I_CUSTOMER,
    I_UNIT,
    I_SERIAL,
    I_CALLER,
    I_PHONE,
    I_CNAME,
    I_CADDR,
    I_FAULT,
    I_DESC,
    I_PRIO,
    I_REQUIRED,
    I_RECEIVED,
    I_ANSWER,
    I_CLOSE,
    I_ASSIGNEE,
    I_DEPT,
    I_COUNT
};

struct intake {
    struct api_ctx *c;
    struct fval v[I_COUNT];
    const char *idem_key;
    struct sh_buf out;
    int status;
    bool replayed;
    int64_t id;
    const char *version;
};

static const char *fv(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}

static enum sh_code find_customer(struct intake *x, struct db_tx *tx, int64_t *cust, int64_t *unit,
                                  struct sh_err *e)
{
    struct api_ctx *c = x->c;
    struct db_rows r;
    enum sh_code rc;
    *cust = x->v[I_CUSTOMER].present && !x->v[I_CUSTOMER].is_null ? x->v[I_CUSTOMER].i : 0;
    *unit = x->v[I_UNIT].present && !x->v[I_UNIT].is_null ? x->v[I_UNIT].i : 0;
    const char *serial = fv(&x->v[I_SERIAL]);
    if (!*unit && serial && *serial) {
        if ((rc = db_query(tx, c->a, "SELECT id FROM units WHERE serial_no = $1 LIMIT 3",
                           DB_P(DB_TEXT(serial)), &r, e)))
            return rc;
        if (r.nrows == 0)
            return sh_err_field(e, SH_INVALID, "serial_no", "no unit with serial number '%s'",
                                serial);
        if (r.nrows > 1)
            return sh_err_field(e, SH_CONFLICT, "serial_no",
                                "serial number '%s' belongs to several models: send unit_id",
                                serial);
        *unit = db_get_int(&r, 0, "id", 0);
    }
    if (*unit) {
        if ((rc = db_query(tx, c->a, "SELECT customer_id FROM units WHERE id = $1",
                           DB_P(DB_INT(*unit)), &r, e)))
            return rc;
        if (r.nrows == 0)
            return sh_err_field(e, SH_INVALID, "unit_id", "no unit %" PRId64, *unit);
        int64_t owner = db_get_int(&r, 0, "customer_id", 0);
        if (api_is_external(c) && owner != c->who.customer_id)
            return sh_err_field(e, SH_INVALID, "serial_no", "no such unit");
        if (*cust && owner && owner != *cust)
            return sh_err_field(e, SH_INVALID, "customer_id",
                                "the unit belongs to another customer");
        if (!*cust)
            *cust = owner;
    }
    if (api_is_external(c))
        *cust = c->who.customer_id;
    if (*cust) {
        if ((rc = db_query(tx, c->a, "SELECT id FROM customers WHERE id = $1", DB_P(DB_INT(*cust)),
                           &r, e)))
            return rc;
        if (r.nrows == 0)
            return sh_err_field(e, SH_INVALID, "customer_id", "no customer %" PRId64, *cust);
        return SH_OK;
    }
    /* match by the caller's phone: customers first, then their contacts */
    const char *phone = fv(&x->v[I_PHONE]);
    if (phone && *phone) {
        if ((rc = db_query(tx, c->a,
                           "SELECT id FROM customers WHERE phone = $1 UNION ALL SELECT customer_id "
                           "FROM contacts WHERE phone = $1 LIMIT 1",
                           DB_P(DB_TEXT(phone)), &r, e)))
            return rc;
        if (r.nrows) {
            *cust = db_get_int(&r, 0, "id", 0);
            return SH_OK;
        }
    }
    /* a first contact (初次往来客户, R-018): name, address and phone are mandatory */
    const char *name = fv(&x->v[I_CNAME]) ? fv(&x->v[I_CNAME]) : fv(&x->v[I_CALLER]);
    if (!name || !*name)
        return sh_err_field(e, SH_INVALID, "customer_name",
                            "unknown caller: send customer_id, serial_no, a known phone, or "
                            "customer_name with customer_address and caller_phone");
    const char *addr = fv(&x->v[I_CADDR]);
    if (!addr || !*addr)
        return sh_err_field(e, SH_INVALID, "customer_address",
                            "a first-contact customer needs an address (R-018)");
    if (!phone || !*phone)
        return sh_err_field(e, SH_INVALID, "caller_phone",
                            "a first-contact customer needs a phone number (R-018)");
    extern const struct entity ent_customers;
    struct fval *cv = sh_arena_alloc(c->a, sizeof(struct fval) * (size_t)ent_customers.ncols);
    struct {
        const char *col, *val;
    } set[] = {
        {"name", name},
        {"type", "individual"},
        {"address", addr},
        {"phone", phone},
        {"first_contact_note", sh_arena_printf(c->a, "首次来电登记 (%s)", x->v[I_CHANNEL].text)}};
    for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
        int k = ent_colidx(&ent_customers, set[i].col);
        cv[k].present = true;
        cv[k].text = set[i].val;
    }
    return ent_insert(c, tx, &ent_customers, cv, cust, NULL, e);
}

/* Chooses the SLA policy (R-117: contract, then customer tier, then ticket type, then default). */
static enum sh_code choose_policy(struct api_ctx *c, struct db_tx *tx, int64_t cust, int64_t unit,
                                  enum ticket_type type, int64_t *policy, struct sh_err *e)
{
    struct db_rows p, s;
    enum sh_code rc = db_query(tx, c->a,
                               "SELECT id, contract_id, customer_tier, ticket_type FROM "
                               "sla_policies WHERE active = 1 ORDER BY id",
                               DB_NOP, &p, e);
    if (rc)
        return rc;
    if ((rc = db_query(tx, c->a,
                       "SELECT (SELECT is_key FROM customers WHERE id = $1) AS is_key, "
                       "(SELECT contract_id FROM units WHERE id = $2) AS contract_id",
                       DB_P(DB_INT(cust), DB_INT(unit)), &s, e)))
        return rc;
    struct sla_candidate *cand = sh_arena_alloc(c->a, sizeof(*cand) * (size_t)(p.nrows + 1));
    /* selection needs only each candidate's scope: its policy is identified by id */
    struct sla_policy *pols = sh_arena_alloc(c->a, sizeof(*pols) * (size_t)(p.nrows + 1));
    for (int i = 0; i < p.nrows; i++) {
        pols[i].id = db_get_int(&p, i, "id", 0);
        cand[i].policy = &pols[i];
        const char *ctr = db_get(&p, i, "contract_id"), *tier = db_get(&p, i, "customer_tier"),
                   *tt = db_get(&p, i, "ticket_type");
        if (ctr) {
            cand[i].scope = SLA_SCOPE_CONTRACT;
            cand[i].contract_id = strtoll(ctr, NULL, 10);
        } else if (tier) {
            cand[i].scope = SLA_SCOPE_TIER;
            cand[i].tier = !strcmp(tier, "key") ? SLA_TIER_KEY : SLA_TIER_STANDARD;
        } else if (tt) {
            cand[i].scope = SLA_SCOPE_TICKET_TYPE;
            ticket_type_parse(tt, &cand[i].type);
        } else {
            cand[i].scope = SLA_SCOPE_DEFAULT;
        }
    }
    struct sla_subject subj = {.contract_id = db_get_int(&s, 0, "contract_id", 0),
                               .tier = db_get_int(&s, 0, "is_key", 0) ? SLA_TIER_KEY
                                                                      : SLA_TIER_STANDARD,
                               .type = type};
    size_t idx;
    struct sh_err se;
    sh_err_clear(&se);
    rc = sla_select(cand, (size_t)p.nrows, &subj, &idx, &se);
    if (rc == SH_NOT_FOUND) {
        *policy = 0; /* no policy configured: no clocks */
        return SH_OK;
    }
    if (rc)
        return sh_err_set(e, SH_UNPROCESSABLE, "SLA configuration: %s", se.msg);
    *policy = db_get_int(&p, (int)idx, "id", 0);
    return SH_OK;
}

/* link a repair to the unit's earlier repair of the same fault and tell the heads. */
static enum sh_code detect_repeat(struct api_ctx *c, struct db_tx *tx, int64_t id, int64_t unit,
                                  const char *fault, int64_t received, int64_t *repeat_of,
                                  struct sh_err *e)
{
    *repeat_of = 0;
    if (!unit || !fault || !*fault)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(tx, c->a,
                               "SELECT id, fault_category, received_at, resolved_at FROM tickets "
                               "WHERE unit_id = $1 AND type = 'repair' AND resolved_at IS NOT NULL "
                               "AND id <> $2 AND merged_into IS NULL ORDER BY resolved_at DESC "
                               "LIMIT 50",
                               DB_P(DB_INT(unit), DB_INT(id)), &r, e);
    if (rc || r.nrows == 0)
        return rc;
    struct ticket_repair now = {
        .ticket_id = id, .unit_id = unit, .fault_code = fault, .reported = local_date(received)};
    struct ticket_repair *prev = sh_arena_alloc(c->a, sizeof(*prev) * (size_t)r.nrows);
    for (int i = 0; i < r.nrows; i++) {
        int64_t t1 = 0, t2 = 0;
        sh_ts_parse(db_get(&r, i, "received_at"), &t1);
        sh_ts_parse(db_get(&r, i, "resolved_at"), &t2);
        prev[i] = (struct ticket_repair){.ticket_id = db_get_int(&r, i, "id", 0),
                                         .unit_id = unit,
                                         .fault_code = db_get(&r, i, "fault_category"),
                                         .reported = local_date(t1),
                                         .resolved = local_date(t2)};
    }
    size_t idx;
    if (!ticket_find_repeat(&now, prev, (size_t)r.nrows, TICKET_REPEAT_WINDOW_DAYS, &idx))
        return SH_OK;
    *repeat_of = prev[idx].ticket_id;
    struct db_rows heads;
    if ((rc = db_query(tx, c->a,
                       "SELECT id FROM users WHERE active = 1 AND (',' || roles || ',') LIKE "
                       "'%,dept_head,%' ORDER BY id LIMIT 20",
                       DB_NOP, &heads, e)))
        return rc;
    for (int i = 0; i < heads.nrows; i++) {
        int64_t uid = db_get_int(&heads, i, "id", 0);
        if ((rc = outbox_add(c, tx, "repeat_repair", uid, id,
                             sh_arena_printf(c->a, "repeat repair of ticket %" PRId64, *repeat_of),
                             fault, sh_now(),
                             sh_arena_printf(c->a, "repeat:%" PRId64 ":%" PRId64, id, uid), e)))
            return rc;
    }
    return SH_OK;
}

/* Applies an action's effects on the stored ticket (status and SLA event columns). */
static enum sh_code apply_action(struct api_ctx *c, struct db_tx *tx, int64_t id,
                                 enum ticket_action act, enum ticket_state to, const char *now,
                                 struct sh_err *e);

static enum sh_code intake_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct intake *x = arg;
    struct api_ctx *c = x->c;
    enum sh_code rc;
    if (x->idem_key) {
        rc = api_idem_replay(c, tx, x->idem_key, &x->out, &x->status, &x->replayed, e);
        if (rc || x->replayed)
            return rc;
    }
    enum ticket_type type;
    ticket_type_parse(x->v[I_TYPE].text, &type);
    int64_t cust = 0, unit = 0;
    if ((rc = find_customer(x, tx, &cust, &unit, e)))
        return rc;
    const char *fault = fv(&x->v[I_FAULT]);
    if (fault && *fault) {
        struct db_rows r;
        if ((rc = db_query(tx, c->a,
                           "SELECT id FROM fault_categories WHERE code = $1 AND active = 1",
                           DB_P(DB_TEXT(fault)), &r, e)))
            return rc;
        if (r.nrows == 0)
            return sh_err_field(e, SH_INVALID, "fault_category", "no fault category '%s'", fault);
    }
    for (int k = I_ASSIGNEE; k <= I_DEPT; k++) {
        if (!x->v[k].present || x->v[k].is_null)
            continue;
        struct db_rows r;
        if ((rc = db_query(tx, c->a,
                           k == I_ASSIGNEE ? "SELECT id FROM users WHERE id = $1 AND active = 1"
                                           : "SELECT id FROM departments WHERE id = $1",
                           DB_P(DB_INT(x->v[k].i)), &r, e)))
            return rc;
        if (r.nrows == 0)
            return sh_err_field(e, SH_INVALID, intake_cols[k].name, "no such %s",
                                k == I_ASSIGNEE ? "user" : "department");
    }
    int64_t now_t = sh_now(), received = now_t;
    if (x->v[I_RECEIVED].present) {
        received = x->v[I_RECEIVED].i;
        if (received > now_t + 300)
            return sh_err_field(e, SH_INVALID, "received_at", "'received_at' is in the future");
    }
    char now[21], recv[21];
    sh_ts_format(now_t, now);
    sh_ts_format(received, recv);

    /* number SH-YYYYMMDD-NNNN, per local day of receipt */
    struct sh_date day = local_date(received);
    char dtext[11];
    sh_date_format(day, dtext);
    struct db_rows r;
    if ((rc = db_query(tx, c->a,
                       "INSERT INTO ticket_counters (day, n) VALUES ($1, 1) ON CONFLICT (day) DO "
                       "UPDATE SET n = ticket_counters.n + 1 RETURNING n",
                       DB_P(DB_TEXT(dtext)), &r, e)))
        return rc;
    char number[TICKET_NUMBER_SIZE];
    if ((rc = ticket_number_format(day, (unsigned)db_get_int(&r, 0, "n", 1), number, e)))
        return rc;

    struct warranty_decision wd;
    if ((rc = decide_warranty(c, tx, unit, day, TC_UNKNOWN, &wd, e)))
        return rc;
    int64_t policy = 0;
    if ((rc = choose_policy(c, tx, cust, unit, type, &policy, e)))
        return rc;
    struct db_rows info;
    if ((rc = db_query(tx, c->a,
                       "SELECT (SELECT model_id FROM units WHERE id = $1) AS model_id, "
                       "(SELECT COALESCE(NULLIF(region, ''), province) FROM customers WHERE id = "
                       "$2) AS region, (SELECT name FROM customers WHERE id = $2) AS cname, "
                       "(SELECT serial_no FROM units WHERE id = $1) AS serial",
                       DB_P(DB_INT(unit), DB_INT(cust)), &info, e)))
        return rc;
    const char *desc = fv(&x->v[I_DESC]) ? fv(&x->v[I_DESC]) : "";
    const char *search = sh_arena_printf(
        c->a, "%s %s %s %s %s %s", number, fv(&x->v[I_CALLER]) ? fv(&x->v[I_CALLER]) : "",
        fv(&x->v[I_PHONE]) ? fv(&x->v[I_PHONE]) : "",
        db_get(&info, 0, "cname") ? db_get(&info, 0, "cname") : "",
        db_get(&info, 0, "serial") ? db_get(&info, 0, "serial") : "", desc);
    int64_t assignee =
        x->v[I_ASSIGNEE].present && !x->v[I_ASSIGNEE].is_null ? x->v[I_ASSIGNEE].i : 0;
    int64_t dept = x->v[I_DEPT].present && !x->v[I_DEPT].is_null ? x->v[I_DEPT].i : 0;
    /* a technician who registers a call (e.g. on site) owns it: it stays in their scope */
    if (!assignee && api_is_technician_only(c))
        assignee = c->who.user_id;
    rc = db_query(
        tx, c->a,
        "INSERT INTO tickets (number, channel, type, status, priority, customer_id, unit_id, "
        "model_id, region, caller_name, caller_phone, fault_category, description, "
        "required_arrival_at, received_at, assignee_id, department_id, sla_policy_id, billing, "
        "warranty_status, warranty_json, search, created_by, created_at, updated_at, search_bi) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
        "$18, $19, $20, $21, $22, $23, $24, $24, $25) RETURNING id",
        DB_P(DB_TEXT(number), DB_TEXT(x->v[I_CHANNEL].text), DB_TEXT(x->v[I_TYPE].text),
             DB_TEXT(assignee ? "assigned" : "new"),
             DB_TEXT(fv(&x->v[I_PRIO]) ? fv(&x->v[I_PRIO]) : "normal"),
             cust ? DB_INT(cust) : DB_NULL, unit ? DB_INT(unit) : DB_NULL,
             DB_TEXT(db_get(&info, 0, "model_id")),
             DB_TEXT(db_get(&info, 0, "region") ? db_get(&info, 0, "region") : ""),
             DB_TEXT(fv(&x->v[I_CALLER]) ? fv(&x->v[I_CALLER]) : ""),
             DB_TEXT(fv(&x->v[I_PHONE]) ? fv(&x->v[I_PHONE]) : ""), DB_TEXT(fault ? fault : ""),
             DB_TEXT(desc), DB_TEXT(fv(&x->v[I_REQUIRED])), DB_TEXT(recv),
             assignee ? DB_INT(assignee) : DB_NULL, dept ? DB_INT(dept) : DB_NULL,
             policy ? DB_INT(policy) : DB_NULL, DB_TEXT(wd.billing), DB_TEXT(wd.status),
             DB_TEXT(wd.json), DB_TEXT(search), c->who.user_id ? DB_INT(c->who.user_id) : DB_NULL,
             DB_TEXT(now), DB_TEXT(pair_text(c->a, search))),
        &r, e);
    if (rc)
        return rc;
    x->id = db_get_int(&r, 0, "id", 0);
    /* the timeline's first entries, in one statement */
    struct ticket_ev evs[3];
    int nev = 0;
    evs[nev++] = (struct ticket_ev){"created", "customer", number,
                                    sh_arena_printf(c->a, "{\"channel\":\"%s\",\"type\":\"%s\"}",
                                                    x->v[I_CHANNEL].text, x->v[I_TYPE].text)};
    if (!strcmp(x->v[I_CHANNEL].text, "phone"))
        evs[nev++] = (struct ticket_ev){"call", "internal", desc, "{\"direction\":\"inbound\"}"};
    if (assignee)
        evs[nev++] =
            (struct ticket_ev){"assign", "internal", "",
                               sh_arena_printf(c->a, "{\"assignee_id\":%" PRId64 "}", assignee)};
    if ((rc = ticket_events_add(c, tx, x->id, evs, nev, NULL, e)))
        return rc;
    int64_t repeat = 0;
    if (type == TICKET_REPAIR &&
        (rc = detect_repeat(c, tx, x->id, unit, fault, received, &repeat, e)))
        return rc;
    if (repeat) {
        if ((rc = db_exec(tx, "UPDATE tickets SET repeat_of = $2 WHERE id = $1",
                          DB_P(DB_INT(x->id), DB_INT(repeat)), NULL, e)))
            return rc;
        if ((rc = ticket_event(c, tx, x->id, "repeat", "internal", "",
                               sh_arena_printf(c->a, "{\"repeat_of\":%" PRId64 "}", repeat), NULL,
                               e)))
            return rc;
    }
    /* a consultation answered during the call: registered and closed in one request */
    const char *answer = fv(&x->v[I_ANSWER]);
    bool close = x->v[I_CLOSE].present && x->v[I_CLOSE].i;
    if (close) {
        if (!answer || !*answer)
            return sh_err_field(e, SH_INVALID, "answer", "closing at intake needs the 'answer'");
        static const enum ticket_action steps[] = {TA_REPLY, TA_RESOLVE_REMOTE, TA_CLOSE};
        enum ticket_state st = assignee ? TS_ASSIGNED : TS_NEW;
        for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
            enum ticket_state to;
            if ((rc = ticket_transition(type, st, steps[i], c->who.roles, &to, e)))
                return rc;
            if ((rc = apply_action(c, tx, x->id, steps[i], to, now, e)))
                return rc;
            if ((rc = ticket_event(c, tx, x->id, "state", "customer", i == 0 ? answer : "",
                                   sh_arena_printf(c->a,
                                                   "{\"action\":\"%s\",\"from\":\"%s\",\"to\":"
                                                   "\"%s\"}",
                                                   ticket_action_name(steps[i]),
                                                   ticket_state_name(st), ticket_state_name(to)),
                                   NULL, e)))
                return rc;
            st = to;
        }
        if ((rc = append_search(c, tx, x->id, answer, e)))
            return rc;
    }
    const struct ticket_sla_view *view = NULL;
    /* a call only registered has no pauses or stored clocks yet: nothing to read back */
    if ((rc = close ? ticket_sla_refresh(c, tx, x->id, now_t, &view, e)
                    : ticket_sla_start(c, tx, x->id, now_t, &view, e)))
        return rc;
    sh_buf_reset(&x->out);
    if ((rc = render_ticket(c, tx, x->id, view, &x->out, &x->version, e)))
        return rc;
    if ((rc = audit_write(tx, &c->who, "ticket", x->id, "create", NULL, x->out.buf, e)))
        return rc;
    x->status = 201;
    if (x->idem_key)
        rc = api_idem_store(c, tx, x->idem_key, x->status, x->out.buf, e);
    return rc;
}

enum sh_code ticket_intake(struct api_ctx *c, struct db_tx *tx, const char *json, size_t len,
                           int64_t *id, struct sh_err *e)
{
    struct intake x = {.c = c};
    sh_buf_init(&x.out, 4 << 20);
    enum sh_code rc = api_parse_object(c->a, json, len, intake_cols, I_COUNT, false, x.v, NULL, e);
    if (!rc)
        rc = intake_run(tx, &x, e);
    *id = x.id;
    sh_buf_release(&x.out);
    return rc;
}

void h_ticket_create(struct api_ctx *c)
{
    struct intake x = {.c = c};
    sh_buf_init(&x.out, 4 << 20);
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_idem_key(c, &x.idem_key))
        goto out;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, intake_cols, I_COUNT, false, x.v,
                         NULL, &e)) {
        api_reply_err(c, &e);
        goto out;
    }
    if (api_is_external(c) && (x.v[I_ASSIGNEE].present || x.v[I_DEPT].present ||
                               x.v[I_CLOSE].present || x.v[I_RECEIVED].present)) {
        api_reply_error(c, SH_FORBIDDEN, NULL,
                        "customers cannot assign, close or back-date their requests");
        goto out;
    }
    enum sh_code rc = db_write(c->app->db, intake_run, &x, &e);
    if (rc == SH_CONFLICT && x.idem_key) {
        struct sh_err e2;
        sh_err_clear(&e2);
        /* a concurrent request with the same key won */
        rc = SH_CONFLICT;
        (void)e2;
    }
    if (rc) {
        api_reply_err(c, &e);
        goto out;
    }
    if (x.replayed)
        http_add_header(c->req, "Idempotent-Replayed", "true");
    else
        http_add_header(c->req, "Location",
                        sh_arena_printf(c->a, "/api/v1/tickets/%" PRId64, x.id));
    if (x.version)
        http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%s\"", x.version));
    api_reply_json(c, x.status, &x.out);
out:
    sh_buf_release(&x.out);
}

/* ---- actions ---- */

static enum sh_code apply_action(struct api_ctx *c, struct db_tx *tx, int64_t id,
                                 enum ticket_action act, enum ticket_state to, const char *now,
                                 struct sh_err *e)
{
    (void)c;
    enum sh_code rc =
        db_exec(tx,
                "UPDATE tickets SET status = $2, updated_at = $3, version = version "
                "+ 1 WHERE id = $1",
                DB_P(DB_INT(id), DB_TEXT(ticket_state_name(to)), DB_TEXT(now)), NULL, e);
    if (rc)
        return rc;
    /* the first instant of each SLA event is kept */
    const char *sql = NULL;
    switch (act) {
    case TA_REPLY:
        sql = "UPDATE tickets SET replied_at = COALESCE(replied_at, $2) WHERE id = $1";
        break;
    case TA_RESOLVE_REMOTE:
        sql = "UPDATE tickets SET replied_at = COALESCE(replied_at, $2), remote_solved_at = "
              "COALESCE(remote_solved_at, $2), resolved_at = COALESCE(resolved_at, $2) WHERE id = "
              "$1";
        break;
    case TA_SCHEDULE_VISIT:
        sql = "UPDATE tickets SET not_remote_at = COALESCE(not_remote_at, $2), "
              "visit_scheduled_at = COALESCE(visit_scheduled_at, $2) WHERE id = $1";
        break;
    case TA_ARRIVE:
        sql = "UPDATE tickets SET arrived_at = COALESCE(arrived_at, $2) WHERE id = $1";
        break;
    case TA_SEND_TO_FACTORY:
    case TA_ESCALATE:
        sql = "UPDATE tickets SET not_remote_at = COALESCE(not_remote_at, $2) WHERE id = $1";
        break;
    case TA_WAIT_CUSTOMER:
        sql = "INSERT INTO ticket_pauses (ticket_id, started_at) VALUES ($1, $2)";
        break;
    case TA_RESUME:
        sql = "UPDATE ticket_pauses SET ended_at = $2 WHERE ticket_id = $1 AND ended_at IS NULL";
        break;
    case TA_RESOLVE:
        sql = "UPDATE tickets SET resolved_at = COALESCE(resolved_at, $2) WHERE id = $1";
        break;
    case TA_CLOSE:
    case TA_CANCEL:
        sql = "UPDATE tickets SET closed_at = $2 WHERE id = $1";
        break;
    case TA_REOPEN:
        sql = "UPDATE tickets SET resolved_at = NULL, closed_at = NULL WHERE id = $1 AND $2 <> ''";
        break;
    case TA_ASSIGN:
    case TA_ACCEPT:
    case TICKET_ACTION_COUNT:
        break;
    }
    if (sql && (rc = db_exec(tx, sql, DB_P(DB_INT(id), DB_TEXT(now)), NULL, e)))
        return rc;
    /* a pause still open when the ticket leaves "waiting" by another action ends now */
    if (act != TA_WAIT_CUSTOMER && to != TS_WAITING_CUSTOMER)
        rc = db_exec(tx,
                     "UPDATE ticket_pauses SET ended_at = $2 WHERE ticket_id = $1 AND ended_at IS "
                     "NULL",
                     DB_P(DB_INT(id), DB_TEXT(now)), NULL, e);
    return rc;
}

static const struct col action_cols[] = {
    {"note", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"assignee_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"department_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"visit_at", F_TS, 0, 0, NULL, 0, 0, NULL},
    {"promised_arrival_at", F_TS, 0, 0, NULL, 0, 0, NULL},
    {"visibility", F_ENUM, 0, 0, (const char *const[]){"internal", "customer", NULL}, 0, 0, NULL},
};
enum { A_NOTE, A_ASSIGNEE, A_DEPT, A_VISIT, A_PROMISED, A_VIS, A_COUNT };

struct action_ctx {
    struct api_ctx *c;
    int64_t id;
    enum ticket_action act;
    struct fval v[A_COUNT];
    int64_t if_match;
    struct sh_buf out;
    const char *version;
};

static enum sh_code action_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct action_ctx *x = arg;
    struct api_ctx *c = x->c;
    struct db_rows t;
    enum sh_code rc = load_ticket(c, tx, x->id, &t, e);
    if (rc)
        return rc;
    if (db_get(&t, 0, "merged_into"))
        return sh_err_set(e, SH_CONFLICT, "ticket was merged into ticket %s",
                          db_get(&t, 0, "merged_into"));
    if (x->if_match >= 0 && x->if_match != db_get_int(&t, 0, "version", 0))
        return sh_err_set(e, SH_PRECONDITION, "the ticket was changed by someone else: reload");
    enum ticket_type type;
    enum ticket_state from, to;
    if (!ticket_type_parse(db_get(&t, 0, "type"), &type) ||
        !ticket_state_parse(db_get(&t, 0, "status"), &from))
        return sh_err_set(e, SH_INTERNAL, "stored ticket has an unknown type or state");
    if ((rc = ticket_transition(type, from, x->act, c->who.roles, &to, e)))
        return rc;
    const char *note = fv(&x->v[A_NOTE]);
    unsigned guards = ticket_guards(type, from, x->act);
    if ((guards & TG_NOTE) && (!note || !*note))
        return sh_err_field(e, SH_INVALID, "note",
                            "'%s' needs a note (the answer, solution or "
                            "reason)",
                            ticket_action_name(x->act));
    char now[21];
    api_now(now);
    int64_t assignee =
        x->v[A_ASSIGNEE].present && !x->v[A_ASSIGNEE].is_null ? x->v[A_ASSIGNEE].i : 0;
    int64_t dept = x->v[A_DEPT].present && !x->v[A_DEPT].is_null ? x->v[A_DEPT].i : 0;
    if (x->act == TA_ASSIGN && !assignee && !dept)
        return sh_err_field(e, SH_INVALID, "assignee_id",
                            "'assign' needs assignee_id or department_id");
    if (x->act == TA_ACCEPT && !db_get(&t, 0, "assignee_id"))
        assignee = c->who.user_id;
    if (x->act == TA_SCHEDULE_VISIT && !x->v[A_VISIT].present)
        return sh_err_field(e, SH_INVALID, "visit_at", "'schedule_visit' needs visit_at");
    if (assignee || dept) {
        struct db_rows r;
        if (assignee && ((rc = db_query(tx, c->a,
                                        "SELECT id FROM users WHERE id = $1 AND active = 1 AND "
                                        "customer_id IS NULL",
                                        DB_P(DB_INT(assignee)), &r, e)) ||
                         r.nrows == 0))
            return rc ? rc : sh_err_field(e, SH_INVALID, "assignee_id", "no such staff user");
        if (dept && ((rc = db_query(tx, c->a, "SELECT id FROM departments WHERE id = $1",
                                    DB_P(DB_INT(dept)), &r, e)) ||
                     r.nrows == 0))
            return rc ? rc : sh_err_field(e, SH_INVALID, "department_id", "no such department");
        if ((rc = db_exec(tx,
                          "UPDATE tickets SET assignee_id = COALESCE($2, assignee_id), "
                          "department_id = COALESCE($3, department_id) WHERE id = $1",
                          DB_P(DB_INT(x->id), assignee ? DB_INT(assignee) : DB_NULL,
                               dept ? DB_INT(dept) : DB_NULL),
                          NULL, e)))
            return rc;
    }
    if (x->v[A_VISIT].present &&
        (rc = db_exec(tx, "UPDATE tickets SET visit_at = $2 WHERE id = $1",
                      DB_P(DB_INT(x->id), DB_TEXT(x->v[A_VISIT].text)), NULL, e)))
        return rc;
    if (x->v[A_PROMISED].present &&
        (rc = db_exec(tx, "UPDATE tickets SET promised_arrival_at = $2 WHERE id = $1",
                      DB_P(DB_INT(x->id), DB_TEXT(x->v[A_PROMISED].text)), NULL, e)))
        return rc;
    const char *before = ent_json(c->a, &ent_tickets, &t, 0);
    if ((rc = apply_action(c, tx, x->id, x->act, to, now, e)))
        return rc;
    const char *vis = fv(&x->v[A_VIS]) ? fv(&x->v[A_VIS]) : "internal";
    const char *data = sh_arena_printf(
        c->a, "{\"action\":\"%s\",\"from\":\"%s\",\"to\":\"%s\"%s}", ticket_action_name(x->act),
        ticket_state_name(from), ticket_state_name(to),
        assignee ? sh_arena_printf(c->a, ",\"assignee_id\":%" PRId64, assignee) : "");
    if ((rc = ticket_event(c, tx, x->id, "state", vis, note ? note : "", data, NULL, e)))
        return rc;
    if ((rc = append_search(c, tx, x->id, note, e)))
        return rc;
    if (x->act == TA_ESCALATE) {
        /* escalation is recorded and the department heads are told */
        struct db_rows heads;
        if ((rc = db_query(tx, c->a,
                           "SELECT id FROM users WHERE active = 1 AND (',' || roles || ',') LIKE "
                           "'%,dept_head,%' ORDER BY id LIMIT 20",
                           DB_NOP, &heads, e)))
            return rc;
        for (int i = 0; i < heads.nrows; i++)
            if ((rc = outbox_add(c, tx, "escalation", db_get_int(&heads, i, "id", 0), x->id,
                                 sh_arena_printf(c->a, "[%s] escalated", db_get(&t, 0, "number")),
                                 note ? note : "", sh_now(), NULL, e)))
                return rc;
    }
    const struct ticket_sla_view *view = NULL;
    if ((rc = ticket_sla_refresh(c, tx, x->id, sh_now(), &view, e)))
        return rc;
    if ((rc = render_ticket(c, tx, x->id, view, &x->out, &x->version, e)))
        return rc;
    return audit_write(tx, &c->who, "ticket", x->id, ticket_action_name(x->act), before, x->out.buf,
                       e);
}

void h_ticket_action(struct api_ctx *c)
{
    struct action_ctx x = {.c = c, .if_match = -1};
    sh_buf_init(&x.out, 4 << 20);
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        goto out;
    const char *name = c->req->nparams > 1 ? c->req->params[1] : "";
    if (!ticket_action_parse(name, &x.act)) {
        api_reply_error(c, SH_NOT_FOUND, "action", "no ticket action '%.40s'", name);
        goto out;
    }
    const char *im = http_header(c->req, "If-Match");
    if (im) {
        char *end;
        const char *p = im[0] == '"' ? im + 1 : im;
        x.if_match = strtoll(p, &end, 10);
    }
    bool empty = c->req->body.len == 0;
    if (!empty && api_parse_object(c->a, c->req->body.buf, c->req->body.len, action_cols, A_COUNT,
                                   true, x.v, NULL, &e)) {
        api_reply_err(c, &e);
        goto out;
    }
    if (db_write(c->app->db, action_run, &x, &e)) {
        api_reply_err(c, &e);
        goto out;
    }
    http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%s\"", x.version));
    api_reply_json(c, 200, &x.out);
out:
    sh_buf_release(&x.out);
}

/* ---- timeline ---- */

struct events_ctx {
    struct api_ctx *c;
    int64_t id;
    struct db_rows t, rows, att;
};

static enum sh_code events_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct events_ctx *x = arg;
    enum sh_code rc = load_ticket(x->c, tx, x->id, &x->t, e);
    if (rc)
        return rc;
    bool ext = api_is_external(x->c);
    if ((rc = db_query(tx, x->c->a,
                       "SELECT ev.id, ev.at, ev.actor_id, ev.actor, NULLIF(u.display_name, '') "
                       "AS actor_name, ev.kind, ev.visibility, ev.body, ev.data FROM "
                       "ticket_events ev LEFT JOIN users u ON u.id = ev.actor_id WHERE "
                       "ev.ticket_id = $1 AND ($2 = 0 OR ev.visibility = 'customer') ORDER BY "
                       "ev.id LIMIT 2000",
                       DB_P(DB_INT(x->id), DB_INT(ext)), &x->rows, e)))
        return rc;
    return db_query(tx, x->c->a,
                    "SELECT id, event_id, filename, mime, size FROM attachments WHERE ticket_id = "
                    "$1 ORDER BY id",
                    DB_P(DB_INT(x->id)), &x->att, e);
}

void h_ticket_events(struct api_ctx *c)
{
    struct events_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id))
        return;
    if (!api_read_or_reply(c, events_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_key(&w, "items");
    jw_arr_begin(&w);
    for (int i = 0; i < x.rows.nrows; i++) {
        jw_obj_begin(&w);
        jw_kintstr(&w, "id", db_get(&x.rows, i, "id"));
        jw_kstr(&w, "at", db_get(&x.rows, i, "at"));
        jw_kintstr(&w, "actor_id", db_get(&x.rows, i, "actor_id"));
        /* customers see staff by their display names, never by login names */
        const char *actor = db_get(&x.rows, i, "actor");
        jw_kstr(&w, "actor", api_is_external(c) && db_get(&x.rows, i, "actor_id") ? NULL : actor);
        jw_kstr(&w, "actor_name", db_get(&x.rows, i, "actor_name"));
        jw_kstr(&w, "kind", db_get(&x.rows, i, "kind"));
        jw_kstr(&w, "visibility", db_get(&x.rows, i, "visibility"));
        jw_kstr(&w, "body", db_get(&x.rows, i, "body"));
        jw_key(&w, "data");
        const char *d = db_get(&x.rows, i, "data");
        if (d)
            jw_raw(&w, d);
        else
            jw_null(&w);
        jw_key(&w, "attachments");
        jw_arr_begin(&w);
        for (int k = 0; k < x.att.nrows; k++) {
            const char *ev = db_get(&x.att, k, "event_id");
            if (!ev || strcmp(ev, db_get(&x.rows, i, "id")))
                continue;
            jw_obj_begin(&w);
            jw_kintstr(&w, "id", db_get(&x.att, k, "id"));
            jw_kstr(&w, "filename", db_get(&x.att, k, "filename"));
            jw_kstr(&w, "mime", db_get(&x.att, k, "mime"));
            jw_kintstr(&w, "size", db_get(&x.att, k, "size"));
            jw_kstr(&w, "url",
                    sh_arena_printf(c->a, "/api/v1/attachments/%s", db_get(&x.att, k, "id")));
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "total", x.rows.nrows);
    jw_knull(&w, "next_cursor");
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

/* Comments and call records. */
static const struct col comment_cols[] = {
    {"body", F_TEXT, COL_REQUIRED, 8000, NULL, 0, 0, NULL},
    {"visibility", F_ENUM, 0, 0, (const char *const[]){"internal", "customer", NULL}, 0, 0, NULL},
};

static const struct col call_cols[] = {
    {"direction", F_ENUM, COL_REQUIRED, 0, (const char *const[]){"inbound", "outbound", NULL}, 0, 0,
     NULL},
    {"phone", F_STR, 0, 40, NULL, 0, 0, NULL},
    {"duration_seconds", F_INT, 0, 0, NULL, 0, 86400, NULL},
    {"summary", F_TEXT, COL_REQUIRED, 8000, NULL, 0, 0, NULL},
    {"occurred_at", F_TS, 0, 0, NULL, 0, 0, NULL},
};

struct note_ctx {
    struct api_ctx *c;
    int64_t id, event_id;
    bool call;
    struct fval v[5];
};

static enum sh_code note_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct note_ctx *x = arg;
    struct api_ctx *c = x->c;
    struct db_rows t;
    enum sh_code rc = load_ticket(c, tx, x->id, &t, e);
    if (rc)
        return rc;
    const char *body, *vis, *data = NULL;
    if (x->call) {
        struct sh_buf b = SH_BUF_INIT(4096);
        struct jw w;
        jw_init(&w, &b);
        jw_obj_begin(&w);
        jw_kstr(&w, "direction", x->v[0].text);
        jw_kstr(&w, "phone", fv(&x->v[1]));
        if (x->v[2].present)
            jw_kint(&w, "duration_seconds", x->v[2].i);
        jw_kstr(&w, "occurred_at", fv(&x->v[4]));
        jw_obj_end(&w);
        if (jw_finish(&w) == SH_OK)
            data = sh_arena_strdup(c->a, b.buf);
        sh_buf_release(&b);
        body = x->v[3].text;
        vis = "internal";
    } else {
        body = x->v[0].text;
        vis = fv(&x->v[1]) ? fv(&x->v[1]) : "internal";
        if (api_is_external(c))
            vis = "customer";
    }
    if ((rc = ticket_event(c, tx, x->id, x->call ? "call" : "comment", vis, body, data,
                           &x->event_id, e)))
        return rc;
    if ((rc = append_search(c, tx, x->id, body, e)))
        return rc;
    return audit_write(tx, &c->who, "ticket", x->id, x->call ? "call" : "comment", NULL,
                       sh_arena_printf(c->a, "{\"event_id\":%" PRId64 "}", x->event_id), e);
}

static void note_common(struct api_ctx *c, bool call)
{
    struct note_ctx x = {.c = c, .call = call};
    if (!api_param_id(c, 0, &x.id))
        return;
    struct sh_err e;
    sh_err_clear(&e);
    if (call && api_is_external(c)) {
        api_reply_error(c, SH_FORBIDDEN, NULL, "call records are kept by staff");
        return;
    }
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, call ? call_cols : comment_cols,
                         call ? 5 : 2, false, x.v, NULL, &e) ||
        db_write(c->app->db, note_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "id", x.event_id);
    jw_kint(&w, "ticket_id", x.id);
    jw_kstr(&w, "kind", call ? "call" : "comment");
    jw_obj_end(&w);
    api_reply_jw(c, 201, &b, &w);
}

void h_ticket_comment(struct api_ctx *c)
{
    note_common(c, false);
}

void h_ticket_call(struct api_ctx *c)
{
    note_common(c, true);
}

/* ---- attachments: photos and PDFs, typed by content, stored by hash ---- */

#define ATTACH_MAX (20u << 20)

static const char *sniff(const unsigned char *p, size_t n, const char **ext)
{
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return *ext = "jpg", "image/jpeg";
    if (n >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8))
        return *ext = "png", "image/png";
    if (n >= 6 && (!memcmp(p, "GIF87a", 6) || !memcmp(p, "GIF89a", 6)))
        return *ext = "gif", "image/gif";
    if (n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4))
        return *ext = "webp", "image/webp";
    if (n >= 5 && !memcmp(p, "%PDF-", 5))
        return *ext = "pdf", "application/pdf";
    return NULL;
}

static bool filename_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 200)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == '/' || *p == '\\' || *p == '"' || *p == 0x7f)
            return false;
    return true;
}

struct attach_ctx {
    struct api_ctx *c;
    int64_t id, att_id;
    const char *filename, *mime, *sha;
    size_t size;
    int limit; /* at most this many attachments on the ticket; 0: no limit */
};

/* Counted inside the write transaction, after taking the ticket's row (PostgreSQL runs
 * READ COMMITTED): parallel uploads cannot all see room for one more. */
static enum sh_code attach_room(struct api_ctx *c, struct db_tx *tx, int64_t id, int limit,
                                struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_exec(tx, "UPDATE tickets SET version = version WHERE id = $1",
                              DB_P(DB_INT(id)), NULL, e);
    if (!rc)
        rc = db_query(tx, c->a, "SELECT count(*) AS n FROM attachments WHERE ticket_id = $1",
                      DB_P(DB_INT(id)), &r, e);
    if (!rc && db_get_int(&r, 0, "n", 0) >= limit)
        rc = sh_err_field(e, SH_UNPROCESSABLE, "file", "at most %d photos per report", limit);
    return rc;
}

static enum sh_code attach_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct attach_ctx *x = arg;
    struct api_ctx *c = x->c;
    struct db_rows t, r;
    enum sh_code rc = load_ticket(c, tx, x->id, &t, e);
    if (!rc && x->limit)
        rc = attach_room(c, tx, x->id, x->limit, e);
    if (rc)
        return rc;
    int64_t ev;
    if ((rc = ticket_event(c, tx, x->id, "attachment",
                           api_is_external(c) || !c->who.user_id ? "customer" : "internal",
                           x->filename, NULL, &ev, e)))
        return rc;
    char now[21];
    api_now(now);
    if ((rc =
             db_query(tx, c->a,
                      "INSERT INTO attachments (ticket_id, event_id, sha256, filename, mime, size, "
                      "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING "
                      "id",
                      DB_P(DB_INT(x->id), DB_INT(ev), DB_TEXT(x->sha), DB_TEXT(x->filename),
                           DB_TEXT(x->mime), DB_INT((int64_t)x->size),
                           c->who.user_id ? DB_INT(c->who.user_id) : DB_NULL, DB_TEXT(now)),
                      &r, e)))
        return rc;
    x->att_id = db_get_int(&r, 0, "id", 0);
    return audit_write(tx, &c->who, "ticket", x->id, "attach", NULL,
                       sh_arena_printf(c->a, "{\"attachment_id\":%" PRId64 ",\"sha256\":\"%s\"}",
                                       x->att_id, x->sha),
                       e);
}

static enum sh_code store_blob(const char *dir, const char *sha, const void *p, size_t n,
                               char *path, size_t pathlen, struct sh_err *e)
{
    char d1[600];
    snprintf(d1, sizeof(d1), "%s/attachments/%.2s", dir, sha);
    char base[600];
    snprintf(base, sizeof(base), "%s/attachments", dir);
    mkdir(dir, 0750);
    mkdir(base, 0750);
    mkdir(d1, 0750);
    snprintf(path, pathlen, "%s/%s", d1, sha);
    struct stat st;
    if (stat(path, &st) == 0 && (size_t)st.st_size == n)
        return SH_OK; /* same content stored before */
    char tmp[900];
    snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return sh_err_set(e, SH_INTERNAL, "cannot write attachment under '%s'", d1);
    bool ok = fwrite(p, 1, n, f) == n && fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return sh_err_set(e, SH_INTERNAL, "cannot store attachment");
    }
    return SH_OK;
}

enum sh_code ticket_attach(struct api_ctx *c, int64_t ticket_id, const void *data, size_t n,
                           const char *filename, size_t max, struct sh_buf *out, struct sh_err *e)
{
    return ticket_attach_limited(c, ticket_id, data, n, filename, max, 0, out, e);
}

enum sh_code ticket_attach_limited(struct api_ctx *c, int64_t ticket_id, const void *data, size_t n,
                                   const char *filename, size_t max, int limit, struct sh_buf *out,
                                   struct sh_err *e)
{
    struct attach_ctx x = {.c = c, .id = ticket_id, .limit = limit};
    if (n == 0)
        return sh_err_field(e, SH_INVALID, "file", "send the file as the request body");
    if (n > max)
        return sh_err_field(e, SH_TOO_BIG, "file", "attachments are limited to %zu MB", max >> 20);
    const char *ext;
    x.mime = sniff(data, n, &ext);
    if (!x.mime)
        return sh_err_field(e, SH_INVALID, "file",
                            "only JPEG, PNG, GIF, WebP photos and PDF documents are accepted");
    if (filename && !filename_ok(filename))
        return sh_err_field(e, SH_INVALID, "filename", "'filename' has characters not allowed");
    x.filename = filename ? filename : sh_arena_printf(c->a, "attachment.%s", ext);
    x.size = n;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, n);
    char *hex = sh_arena_alloc(c->a, sizeof(h) * 2 + 1);
    sodium_bin2hex(hex, sizeof(h) * 2 + 1, h, sizeof(h));
    x.sha = hex;
    char path[800];
    /* the blob first: a row never points at a missing file; an orphan blob is harmless */
    enum sh_code rc = store_blob(c->app->data_dir, x.sha, data, n, path, sizeof(path), e);
    if (!rc)
        rc = db_write(c->app->db, attach_run, &x, e);
    if (rc)
        return rc;
    struct jw w;
    jw_init(&w, out);
    jw_obj_begin(&w);
    jw_kint(&w, "id", x.att_id);
    jw_kint(&w, "ticket_id", x.id);
    jw_kstr(&w, "filename", x.filename);
    jw_kstr(&w, "mime", x.mime);
    jw_kint(&w, "size", (int64_t)x.size);
    jw_kstr(&w, "sha256", x.sha);
    jw_kstr(&w, "url", sh_arena_printf(c->a, "/api/v1/attachments/%" PRId64, x.att_id));
    jw_obj_end(&w);
    return jw_finish(&w);
}

void h_ticket_attach(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    struct sh_err e;
    sh_err_clear(&e);
    if (ticket_attach(c, id, c->req->body.buf, c->req->body.len, http_query(c->req, "filename"),
                      ATTACH_MAX, &b, &e))
        api_reply_err(c, &e);
    else
        api_reply_json(c, 201, &b);
    sh_buf_release(&b);
}

struct att_get {
    struct api_ctx *c;
    int64_t id;
    struct db_rows a, t;
};

static enum sh_code att_get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct att_get *x = arg;
    enum sh_code rc = db_query(tx, x->c->a,
                               "SELECT a.ticket_id, a.sha256, a.filename, a.mime, a.size, "
                               "ev.visibility FROM attachments a LEFT JOIN ticket_events ev ON "
                               "ev.id = a.event_id WHERE a.id = $1",
                               DB_P(DB_INT(x->id)), &x->a, e);
    if (rc)
        return rc;
    if (x->a.nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "attachment %" PRId64 " not found", x->id);
    if ((rc = load_ticket(x->c, tx, db_get_int(&x->a, 0, "ticket_id", 0), &x->t, e)))
        return rc == SH_NOT_FOUND ? sh_err_set(e, SH_NOT_FOUND, "attachment not found") : rc;
    const char *vis = db_get(&x->a, 0, "visibility");
    if (api_is_external(x->c) && (!vis || strcmp(vis, "customer")))
        return sh_err_set(e, SH_NOT_FOUND, "attachment %" PRId64 " not found", x->id);
    return SH_OK;
}

void h_attachment_get(struct api_ctx *c)
{
    struct att_get x = {.c = c};
    if (!api_param_id(c, 0, &x.id))
        return;
    if (!api_read_or_reply(c, att_get_run, &x))
        return;
    const char *sha = db_get(&x.a, 0, "sha256");
    char rel[200];
    snprintf(rel, sizeof(rel), "attachments/%.2s/%s", sha, sha);
    http_serve_file(c->req, c->app->data_dir, rel);
    if (c->req->status == 200) {
        c->req->content_type = sh_arena_strdup(c->a, db_get(&x.a, 0, "mime"));
        const char *fn = db_get(&x.a, 0, "filename");
        /* RFC 6266: a plain fallback and the UTF-8 name */
        char *enc = sh_arena_alloc(c->a, strlen(fn) * 3 + 1), *q = enc;
        for (const unsigned char *p = (const unsigned char *)fn; *p; p++) {
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                *p == '.' || *p == '-' || *p == '_')
                *q++ = (char)*p;
            else {
                static const char hex[] = "0123456789ABCDEF";
                *q++ = '%';
                *q++ = hex[*p >> 4];
                *q++ = hex[*p & 15];
            }
        }
        *q = '\0';
        http_add_header(c->req, "Content-Disposition",
                        sh_arena_printf(c->a,
                                        "attachment; filename=\"attachment\"; "
                                        "filename*=UTF-8''%s",
                                        enc));
        http_add_header(c->req, "Cache-Control", "private, max-age=3600");
    }
}

/* ---- merging a duplicate into the first ticket (events, attachments and calls move) ---- */

static const struct col merge_cols[] = {
    {"into", F_ID, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
};

struct merge_ctx {
    struct api_ctx *c;
    int64_t id, into;
    struct fval v[2];
    struct sh_buf out;
    const char *version;
};

static enum sh_code merge_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct merge_ctx *x = arg;
    struct api_ctx *c = x->c;
    struct db_rows a, b;
    enum sh_code rc = load_ticket(c, tx, x->id, &a, e);
    if (rc)
        return rc;
    if ((rc = load_ticket(c, tx, x->into, &b, e)))
        return rc == SH_NOT_FOUND
                   ? sh_err_field(e, SH_INVALID, "into", "no ticket %" PRId64, x->into)
                   : rc;
    if (x->id == x->into)
        return sh_err_field(e, SH_INVALID, "into", "a ticket cannot be merged into itself");
    if (db_get(&a, 0, "merged_into"))
        return sh_err_set(e, SH_CONFLICT, "ticket %" PRId64 " was already merged", x->id);
    if (db_get(&b, 0, "merged_into"))
        return sh_err_field(e, SH_CONFLICT, "into", "ticket %" PRId64 " was itself merged",
                            x->into);
    const char *ca = db_get(&a, 0, "customer_id"), *cb = db_get(&b, 0, "customer_id");
    if (!ca || !cb || strcmp(ca, cb))
        return sh_err_field(e, SH_UNPROCESSABLE, "into",
                            "only tickets of the same customer can be merged");
    const char *before = ent_json(c->a, &ent_tickets, &a, 0);
    char now[21];
    api_now(now);
    static const char *const moves[] = {
        "UPDATE ticket_events SET ticket_id = $2 WHERE ticket_id = $1",
        "UPDATE attachments SET ticket_id = $2 WHERE ticket_id = $1",
    };
    for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
        if ((rc = db_exec(tx, moves[i], DB_P(DB_INT(x->id), DB_INT(x->into)), NULL, e)))
            return rc;
    if ((rc = db_exec(
             tx,
             "UPDATE tickets SET search = substr(search || ' ' || (SELECT search FROM tickets "
             "WHERE id = $1), 1, 20000), search_bi = substr(search_bi || ' ' || (SELECT "
             "search_bi FROM tickets WHERE id = $1), 1, 40000) WHERE id = $2",
             DB_P(DB_INT(x->id), DB_INT(x->into)), NULL, e)))
        return rc;
    if ((rc = db_exec(tx,
                      "UPDATE tickets SET merged_into = $2, status = 'cancelled', closed_at = $3, "
                      "next_check_at = NULL, updated_at = $3, version = version + 1 WHERE id = $1",
                      DB_P(DB_INT(x->id), DB_INT(x->into), DB_TEXT(now)), NULL, e)))
        return rc;
    if ((rc = db_exec(tx,
                      "UPDATE ticket_pauses SET ended_at = $2 WHERE ticket_id = $1 AND ended_at "
                      "IS NULL",
                      DB_P(DB_INT(x->id), DB_TEXT(now)), NULL, e)))
        return rc;
    const char *data = sh_arena_printf(c->a, "{\"merged\":%" PRId64 ",\"number\":\"%s\"}", x->id,
                                       db_get(&a, 0, "number"));
    if ((rc = ticket_event(c, tx, x->into, "merge", "internal", fv(&x->v[1]) ? fv(&x->v[1]) : "",
                           data, NULL, e)))
        return rc;
    if ((rc = ticket_event(c, tx, x->id, "merge", "internal", "",
                           sh_arena_printf(c->a, "{\"merged_into\":%" PRId64 "}", x->into), NULL,
                           e)))
        return rc;
    struct db_rows after;
    if ((rc = ent_load(tx, c->a, &ent_tickets, x->id, &after, e)))
        return rc;
    if ((rc = audit_write(tx, &c->who, "ticket", x->id, "merge", before,
                          ent_json(c->a, &ent_tickets, &after, 0), e)))
        return rc;
    const struct ticket_sla_view *view = NULL;
    if ((rc = ticket_sla_refresh(c, tx, x->into, sh_now(), &view, e)))
        return rc;
    return render_ticket(c, tx, x->into, view, &x->out, &x->version, e);
}

void h_ticket_merge(struct api_ctx *c)
{
    struct merge_ctx x = {.c = c};
    sh_buf_init(&x.out, 4 << 20);
    struct sh_err e;
    sh_err_clear(&e);
    if (api_param_id(c, 0, &x.id)) {
        if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, merge_cols, 2, false, x.v,
                             NULL, &e) ||
            (x.into = x.v[0].i, db_write(c->app->db, merge_run, &x, &e)))
            api_reply_err(c, &e);
        else
            api_reply_json(c, 200, &x.out);
    }
    sh_buf_release(&x.out);
}

/* ---- warranty: on demand, and exclusions recorded by the technician ---- */

static const struct col exclusion_cols[] = {
    {"cause", F_ENUM, COL_REQUIRED, 0,
     (const char *const[]){"human", "force_majeure", "third_party", "quality", NULL}, 0, 0, NULL},
    {"reason", F_TEXT, COL_REQUIRED, 2000, NULL, 0, 0, NULL},
};

struct excl_ctx {
    struct api_ctx *c;
    int64_t id;
    struct fval v[2];
    struct sh_buf out;
    const char *version;
    bool write;
};

static enum ticket_cause cause_of(const char *s)
{
    if (!s)
        return TC_UNKNOWN;
    if (!strcmp(s, "human"))
        return TC_HUMAN;
    if (!strcmp(s, "force_majeure"))
        return TC_FORCE_MAJEURE;
    if (!strcmp(s, "third_party"))
        return TC_THIRD_PARTY;
    if (!strcmp(s, "quality"))
        return TC_QUALITY;
    return TC_UNKNOWN;
}

static enum sh_code excl_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct excl_ctx *x = arg;
    struct api_ctx *c = x->c;
    struct db_rows t;
    enum sh_code rc = load_ticket(c, tx, x->id, &t, e);
    if (rc)
        return rc;
    int64_t received = 0;
    sh_ts_parse(db_get(&t, 0, "received_at"), &received);
    const char *cause = x->write ? x->v[0].text : db_get(&t, 0, "exclusion");
    struct warranty_decision wd;
    if ((rc = decide_warranty(c, tx, db_get_int(&t, 0, "unit_id", 0), local_date(received),
                              cause_of(cause), &wd, e)))
        return rc;
    if (x->write) {
        const char *before = ent_json(c->a, &ent_tickets, &t, 0);
        if ((rc = db_exec(tx,
                          "UPDATE tickets SET exclusion = $2, exclusion_reason = $3, billing = $4, "
                          "warranty_status = $5, warranty_json = $6, version = version + 1 WHERE "
                          "id = $1",
                          DB_P(DB_INT(x->id), DB_TEXT(x->v[0].text), DB_TEXT(x->v[1].text),
                               DB_TEXT(wd.billing), DB_TEXT(wd.status), DB_TEXT(wd.json)),
                          NULL, e)))
            return rc;
        if ((rc = ticket_event(c, tx, x->id, "warranty", "customer", x->v[1].text, wd.json, NULL,
                               e)))
            return rc;
        struct db_rows after;
        if ((rc = ent_load(tx, c->a, &ent_tickets, x->id, &after, e)))
            return rc;
        if ((rc = audit_write(tx, &c->who, "ticket", x->id, "exclusion", before,
                              ent_json(c->a, &ent_tickets, &after, 0), e)))
            return rc;
        return render_ticket(c, tx, x->id, NULL, &x->out, &x->version, e);
    }
    sh_buf_reset(&x->out);
    return sh_buf_adds(&x->out, wd.json ? wd.json
                                        : "{\"in_warranty\":null,\"basis\":\"none\",\"reason\":"
                                          "\"no unit on this ticket\"}");
}

void h_ticket_exclusion(struct api_ctx *c)
{
    struct excl_ctx x = {.c = c, .write = true};
    sh_buf_init(&x.out, 4 << 20);
    struct sh_err e;
    sh_err_clear(&e);
    if (api_param_id(c, 0, &x.id)) {
        if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, exclusion_cols, 2, false,
                             x.v, NULL, &e) ||
            db_write(c->app->db, excl_run, &x, &e))
            api_reply_err(c, &e);
        else
            api_reply_json(c, 200, &x.out);
    }
    sh_buf_release(&x.out);
}

void h_ticket_warranty(struct api_ctx *c)
{
    struct excl_ctx x = {.c = c};
    sh_buf_init(&x.out, 1 << 16);
    struct sh_err e;
    sh_err_clear(&e);
    if (api_param_id(c, 0, &x.id)) {
        if (db_read(c->app->db, excl_run, &x, &e))
            api_reply_err(c, &e);
        else
            api_reply_json(c, 200, &x.out);
    }
    sh_buf_release(&x.out);
}

/* ---- report: repeat repairs grouped by model, technician and fault category ---- */

struct repeat_ctx {
    struct api_ctx *c;
    const char *from, *to;
    struct db_rows rows;
};

static enum sh_code repeat_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct repeat_ctx *x = arg;
    return db_query(tx, x->c->a,
                    "SELECT t.model_id, m.code AS model_code, m.name AS model_name, "
                    "p.assignee_id AS technician_id, u.username AS technician, t.fault_category, "
                    "count(*) AS repeats FROM tickets t JOIN tickets p ON p.id = t.repeat_of "
                    "LEFT JOIN product_models m ON m.id = t.model_id LEFT JOIN users u ON u.id = "
                    "p.assignee_id WHERE t.repeat_of IS NOT NULL AND t.received_at >= $1 AND "
                    "t.received_at <= $2 GROUP BY t.model_id, m.code, m.name, p.assignee_id, "
                    "u.username, t.fault_category ORDER BY repeats DESC, m.code LIMIT 1000",
                    DB_P(DB_TEXT(x->from), DB_TEXT(x->to)), &x->rows, e);
}

void h_report_repeat_repairs(struct api_ctx *c)
{
    struct repeat_ctx x = {.c = c, .from = "0000", .to = "9999"};
    static const char *const names[2] = {"from", "to"};
    for (int i = 0; i < 2; i++) {
        const char *v = http_query(c->req, names[i]);
        if (!v)
            continue;
        struct sh_date d;
        if (!sh_date_parse(v, &d)) {
            api_reply_error(c, SH_INVALID, names[i], "'%s' must be a date YYYY-MM-DD", names[i]);
            return;
        }
        const char *ts = sh_arena_printf(c->a, "%sT%s", v, i ? "23:59:59Z" : "00:00:00Z");
        if (i)
            x.to = ts;
        else
            x.from = ts;
    }
    if (!api_read_or_reply(c, repeat_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_key(&w, "items");
    jw_arr_begin(&w);
    int64_t total = 0;
    for (int i = 0; i < x.rows.nrows; i++) {
        jw_obj_begin(&w);
        jw_kintstr(&w, "model_id", db_get(&x.rows, i, "model_id"));
        jw_kstr(&w, "model_code", db_get(&x.rows, i, "model_code"));
        jw_kstr(&w, "model_name", db_get(&x.rows, i, "model_name"));
        jw_kintstr(&w, "technician_id", db_get(&x.rows, i, "technician_id"));
        jw_kstr(&w, "technician", db_get(&x.rows, i, "technician"));
        jw_kstr(&w, "fault_category", db_get(&x.rows, i, "fault_category"));
        jw_kintstr(&w, "repeats", db_get(&x.rows, i, "repeats"));
        total += db_get_int(&x.rows, i, "repeats", 0);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "total", total);
    jw_knull(&w, "next_cursor");
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

/* The warranty decision again after the unit or the receipt date changed (ticket_edit.c):
 * the unit's customer (when the ticket had none) and model, billing and warranty. */
enum sh_code ticket_warranty_redecide(struct api_ctx *c, struct db_tx *tx, int64_t id, int64_t unit,
                                      int64_t received, const char *exclusion, struct sh_err *e)
{
    struct warranty_decision wd;
    enum sh_code rc =
        decide_warranty(c, tx, unit, local_date(received), cause_of(exclusion), &wd, e);
    if (rc)
        return rc;
    return db_exec(tx,
                   "UPDATE tickets SET customer_id = COALESCE(customer_id, (SELECT customer_id "
                   "FROM units WHERE id = $2)), model_id = (SELECT model_id FROM units WHERE id = "
                   "$2), billing = $3, warranty_status = $4, warranty_json = $5 WHERE id = $1",
                   DB_P(DB_INT(id), unit ? DB_INT(unit) : DB_NULL, DB_TEXT(wd.billing),
                        DB_TEXT(wd.status), DB_TEXT(wd.json)),
                   NULL, e);
}
