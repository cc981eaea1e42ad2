/* SPDX-License-Identifier: MIT */
/* Dealers' installation applications on the entity engine (app/dealer_apps.h): the columns
 * of F-15 and F-16, the overdue views, and the filing hook (a dealer's own, the series the
 * fee rule set knows, the wanted dates, the answer's working-day deadline). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/dealer_apps.h"
#include "app/fees.h"
#include "app/resources.h"
#include "app/sla.h"
#include "base/date.h"

static const struct col dapp_cols[] = {
    COMMON_COLS,
    {"dealer_id", F_ID, COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0, &ent_customers},
    {"project_name", F_STR, COL_REQUIRED, 200, NULL, 0, 0, NULL},
    {"project_ref", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"install_flagged", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"sets", F_INT, COL_REQUIRED | COL_SORT, 0, NULL, 1, 100000, NULL},
    {"sample_order", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"series", F_STR, COL_REQUIRED | COL_FILTER, 40, NULL, 0, 0, NULL},
    {"site_address", F_STR, COL_REQUIRED, 300, NULL, 0, 0, NULL},
    {"site_contact", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"site_phone", F_STR, COL_PHONE, 40, NULL, 0, 0, NULL},
    {"wanted_from", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"wanted_to", F_DATE, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"notes", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"status", F_ENUM, COL_READONLY | COL_DERIVED | COL_FILTER | COL_SORT, 0, dapp_status_names, 0,
     0, NULL},
    {"submitted_by", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"submitted_at", F_TS, COL_READONLY | COL_DERIVED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"answer_due_at", F_TS, COL_READONLY | COL_DERIVED | COL_SORT, 0, NULL, 0, 0, NULL},
    {"answered_by", F_ID, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"answered_at", F_TS, COL_READONLY | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"answer_note", F_TEXT, COL_READONLY, 2000, NULL, 0, 0, NULL},
    {"out_of_order", F_BOOL, COL_READONLY | COL_FILTER | COL_STAFF, 0, NULL, 0, 0, NULL},
    {"queue_note", F_TEXT, COL_READONLY | COL_STAFF, 500, NULL, 0, 0, NULL},
    {"agreement_due_at", F_TS, COL_READONLY | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"agreement_sent_at", F_TS, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"agreement_by", F_ID, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"order_no", F_STR, COL_READONLY, 60, NULL, 0, 0, NULL},
    {"price_fen", F_MONEY, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"appliances", F_INT, COL_READONLY, 0, NULL, 0, 0, NULL},
    {"accessories", F_INT, COL_READONLY, 0, NULL, 0, 0, NULL},
    {"departure_date", F_DATE, COL_READONLY | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"install_fee_fen", F_MONEY, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"management_fee_fen", F_MONEY, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"fee_fen", F_MONEY, COL_READONLY | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"fee_version_id", F_INT, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"fee_lines", F_TEXT, COL_READONLY, 100000, NULL, 0, 0, NULL},
    {"confirm_due_at", F_TS, COL_READONLY | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"confirmed_at", F_TS, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"confirmed_by", F_ID, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"trip_id", F_INT, COL_READONLY | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, NULL},
    {"dispatched_at", F_TS, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, NULL},
};

#define OVERDUE_ANSWER       "(t.status = 'submitted' AND t.answer_due_at < {now})"
#define OVERDUE_AGREEMENT    "(t.status = 'approved' AND t.agreement_due_at < {now})"
#define OVERDUE_CONFIRMATION "(t.status = 'agreement_sent' AND t.confirm_due_at < {now})"

/* R-123…R-125: overdue now, by deadline or any; open: not answered, refused, cancelled or
 * dispatched yet. */
static const struct list_view dapp_views[] = {
    {"overdue", "answer", OVERDUE_ANSWER},
    {"overdue", "agreement", OVERDUE_AGREEMENT},
    {"overdue", "confirmation", OVERDUE_CONFIRMATION},
    {"overdue", "any", "(" OVERDUE_ANSWER " OR " OVERDUE_AGREEMENT " OR " OVERDUE_CONFIRMATION ")"},
    {"state", "open", "t.status IN ('submitted', 'approved', 'agreement_sent', 'confirmed')"},
    {"state", "closed", "t.status IN ('refused', 'not_supported', 'dispatched', 'cancelled')"},
    {NULL, NULL, NULL},
};

static enum sh_code bad(struct sh_err *e, const char *field, const char *reason, const char *params,
                        const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return params ? sh_err_reason(e, reason, "%s", params) : sh_err_reason(e, reason, NULL);
}

static void set(struct ent_write *w, const char *name, const char *text)
{
    struct fval *v = ent_slot(w, name);
    if (!v)
        return;
    v->present = true;
    v->is_null = text == NULL;
    v->text = text;
}

/* The series must be one the cabinet_install rule set in effect knows (its calculation
 * refuses another with unknown_reference on inputs.series). */
static enum sh_code series_known(struct ent_write *w, struct sh_err *e)
{
    const char *sample = ent_val(w, "sample_order"), *sets = ent_val(w, "sets");
    const char *series = ent_val(w, "series");
    json_t *inputs =
        json_pack("{s:I, s:s, s:I, s:b}", "price_fen", (json_int_t)0, "series",
                  series ? series : "", "sets", (json_int_t)(sets ? strtoll(sets, NULL, 10) : 1),
                  "sample_order", sample && !strcmp(sample, "1"));
    struct fee_calc_out out;
    struct fee_calc_in in = {.code = DAPP_FEE_SET, .inputs = inputs};
    enum sh_code rc = uc_fee_calculate(w->u, &in, &out, e);
    json_decref(inputs);
    if (rc && !strcmp(e->field, "inputs.series"))
        snprintf(e->field, sizeof e->field, "series");
    return rc;
}

/* RULE F-15: the dealer is a dealer (a dealer account's own, set by the engine); the wanted dates
 * are not past and in order. */
static enum sh_code check_filing(struct ent_write *w, const char *today, struct sh_err *e)
{
    if (!ent_val(w, "dealer_id"))
        return bad(e, "dealer_id", "required", NULL, "name the dealer");
    struct db_rows r;
    enum sh_code rc = db_query(w->u->tx, w->u->a, "SELECT type FROM customers WHERE id = $1",
                               DB_P(DB_TEXT(ent_val(w, "dealer_id"))), &r, e);
    if (rc)
        return rc;
    if (r.nrows && strcmp(db_get(&r, 0, "type"), "dealer") != 0)
        return bad(e, "dealer_id", "not_dealer", NULL, "the customer is not a dealer");
    const char *from = ent_val(w, "wanted_from"), *to = ent_val(w, "wanted_to");
    if (from && strcmp(from, today) < 0)
        return bad(e, "wanted_from", "out_of_range",
                   sh_arena_printf(w->u->a, "{\"min\":\"%s\"}", today),
                   "the wanted date has passed");
    if (from && to && strcmp(to, from) < 0)
        return bad(e, "wanted_to", "date_order", "{\"after\":\"wanted_from\"}",
                   "'wanted_to' is before 'wanted_from'");
    return series_known(w, e);
}

/* A new application: submitted now by the caller, in the FIFO queue, answered by the end of
 * the next working day of the company calendar. Changed only by its actions. */
static enum sh_code dapp_before(struct ent_write *w, struct sh_err *e)
{
    const struct uc *u = w->u;
    if (!w->creating) {
        sh_err_set(e, SH_CONFLICT, "an application changes only by its actions");
        return sh_err_reason(e, "illegal_action", NULL);
    }
    struct calendar *cal = sh_arena_alloc(u->a, sizeof(*cal));
    enum sh_code rc = uc_company_calendar(u, cal, e);
    if (rc)
        return rc;
    char today[11], now[21], due[21];
    sh_date_format(cal_local_date(cal, u->now), today);
    if ((rc = check_filing(w, today, e)))
        return rc;
    sh_ts_format(u->now, now);
    sh_ts_format(dapp_workdays_end(cal, u->now, 1), due);
    set(w, "status", "submitted");
    set(w, "submitted_by",
        u->who->user_id ? sh_arena_printf(u->a, "%" PRId64, u->who->user_id) : NULL);
    set(w, "submitted_at", sh_arena_strdup(u->a, now));
    set(w, "answer_due_at", sh_arena_strdup(u->a, due));
    return SH_OK;
}

const struct entity ent_dealer_applications = {
    .name = "dealer_application",
    .table = "dealer_applications",
    .cols = dapp_cols,
    .ncols = NCOLS(dapp_cols),
    .scope_col = "dealer_id",
    .views = dapp_views,
    .label_col = "project_name",
    .default_sort = "-id",
    .before_write = dapp_before,
};
