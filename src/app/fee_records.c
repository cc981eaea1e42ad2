/* SPDX-License-Identifier: MIT */
/* Secondments (人员借调, WF-12, F-17, R-078, R-141) and waiting on site (待工, WF-15 S6w,
 * R-142) declared on the entity engine; on every write a hook computes the record's fee
 * with the fee engine (rule sets "secondment" and "led_waiting", the version in effect on
 * the record's first day) and stores the amount, the version and the lines. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/fee_bill.h"
#include "app/fees.h"
#include "app/resources.h"
#include "app/ticket_warranty.h"
#include "app/work_orders.h"
#include "base/date.h"

/* ---- shared ---- */

static struct fval *slot(struct ent_write *w, const char *name)
{
    int i = ent_colidx(w->ent, name);
    return i >= 0 ? &w->vals[i] : NULL;
}

static const char *val(struct ent_write *w, const char *name)
{
    const struct fval *v = slot(w, name);
    return v && v->present && !v->is_null ? v->text : NULL;
}

static enum sh_code bad(struct sh_err *e, const char *field, const char *reason, const char *params,
                        const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return params ? sh_err_reason(e, reason, "%s", params) : sh_err_reason(e, reason, NULL);
}

static void set(struct ent_write *w, const char *name, const char *text)
{
    struct fval *v = slot(w, name);
    if (!v)
        return;
    v->present = true;
    v->is_null = text == NULL;
    v->text = text;
}

/* a decimal day count: at most two decimals */
static enum sh_code days_ok(struct ent_write *w, const char *name, bool required, struct sh_err *e)
{
    const char *s = val(w, name);
    int64_t c;
    if (!s || !*s)
        return required ? bad(e, name, "required", NULL, "a number of days is required") : SH_OK;
    if (!fee_centi_parse(s, &c) || c > FEE_DAYS_MAX)
        return bad(e, name, "invalid_format", "{\"format\":\"decimal\"}",
                   "days: a decimal with at most two decimals");
    return SH_OK;
}

/* The day count in column `field` fits the period of columns from..to (both days counted; to
 * NULL or empty: up to today): 400 out_of_range on field with the max otherwise. Review 69 L3
 * (a waiting record's days), review 72 #8 (a secondment's working and travel days). */
static enum sh_code days_fit(struct ent_write *w, const char *field, const char *from,
                             const char *to, struct sh_err *e)
{
    const char *s = val(w, from), *end = to ? val(w, to) : NULL, *n = val(w, field);
    struct sh_date a, b = ticket_local_date(w->u->now);
    int64_t c;
    if (!s || !n || !*n || !sh_date_parse(s, &a) || (end && !sh_date_parse(end, &b)) ||
        !fee_centi_parse(n, &c))
        return SH_OK;
    int64_t max = sh_days_from_civil(b.y, b.m, b.d) - sh_days_from_civil(a.y, a.m, a.d) + 1;
    if (max < 0)
        max = 0;
    if (c <= max * 100)
        return SH_OK;
    sh_err_field(e, SH_INVALID, field, "%s days do not fit in %" PRId64 " days from %s to %s", n,
                 max, s, end ? end : "today");
    return sh_err_reason(e, "out_of_range", "{\"max\":%" PRId64 "}", max);
}

/* Computes the fee of rule set `code` over inputs; an input's error names the record's
 * column (map[i][0] input → map[i][1] column). */
static enum sh_code compute(struct ent_write *w, const char *code, json_t *inputs, const char *on,
                            const char *const (*map)[2], int nmap, struct sh_err *e)
{
    struct fee_calc_out out;
    struct fee_calc_in in = {.code = code, .inputs = inputs, .on = on};
    enum sh_code rc = uc_fee_calculate(w->u, &in, &out, e);
    json_decref(inputs);
    if (rc) {
        for (int i = 0; i < nmap; i++) {
            char f[64];
            snprintf(f, sizeof f, "inputs.%s", map[i][0]);
            if (!strcmp(e->field, f))
                snprintf(e->field, sizeof e->field, "%s", map[i][1]);
        }
        return rc;
    }
    set(w, "fee_fen", sh_arena_printf(w->u->a, "%" PRId64, out.result.total));
    set(w, "fee_version_id", sh_arena_printf(w->u->a, "%" PRId64, out.version.id));
    const char *js = fee_calc_json(w->u->a, &out);
    set(w, "fee_lines", js ? js : "");
    return SH_OK;
}

/* charge_id: the charge the record was billed as (app/fee_bill.c; NULL: not billed). RULE
 * review 70 H2: the fee is the server's computation, never input (400 read_only): a PATCH of
 * fee_fen on a billed record was stored, and billed again after its charge was deleted */
#define FEE_COLS                                                                                   \
    {"fee_fen", F_MONEY, COL_READONLY | COL_DERIVED | COL_SORT, 0, NULL, 0, 0, NULL},              \
        {"fee_version_id", F_INT, COL_READONLY | COL_DERIVED, 0, NULL, 0, 0, NULL},                \
        {"fee_lines", F_TEXT, COL_READONLY | COL_DERIVED, 100000, NULL, 0, 0, NULL},               \
    {                                                                                              \
        "charge_id", F_INT, COL_READONLY | COL_FILTER | COL_NULLABLE, 0, NULL, 0, 0, NULL          \
    }

/* RULE review 68 M1: a billed record keeps what its charge was computed from: only its status
 * and notes change (409 guard billed otherwise), and its fee is not computed again. */
static enum sh_code billed_write(struct ent_write *w, bool *billed, struct sh_err *e)
{
    int k = ent_colidx(w->ent, "charge_id");
    *billed = !w->creating && w->old && k >= 0 && w->old[k];
    for (int i = 0; *billed && i < w->ent->ncols; i++) {
        const struct col *c = &w->ent->cols[i];
        if ((c->flags & (COL_READONLY | COL_DERIVED)) || !strcmp(c->name, "status") ||
            !strcmp(c->name, "notes"))
            continue;
        if (ent_changed(w, c->name))
            return fee_billed(e, c->name, w->old[k]);
    }
    return SH_OK;
}

/* a billed record is not deleted: its charge would lose what it was computed from */
static enum sh_code billed_delete(const struct uc *u, const struct db_rows *old, struct sh_err *e)
{
    (void)u;
    const char *charge = db_get(old, 0, "charge_id");
    return charge ? fee_billed(e, "charge_id", charge) : SH_OK;
}

/* ---- secondments ---- */

static const char *const secondment_states[] = {"requested", "approved",      "agreement_signed",
                                                "filed",     "on_secondment", "ended",
                                                "billed",    "closed",        NULL};

static const struct col secondment_cols[] = {
    COMMON_COLS,
    {"dealer_id", F_ID, COL_REQUIRED | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"staff", F_STR, COL_REQUIRED, 200, NULL, 0, 0, NULL},
    {"persons", F_INT, 0, 0, NULL, 1, 100, NULL},
    {"start_date", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"end_date", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"work_days", F_STR, COL_REQUIRED, 10, NULL, 0, 0, NULL},
    {"travel_days", F_STR, 0, 10, NULL, 0, 0, NULL},
    {"status", F_ENUM, COL_FILTER | COL_SORT, 0, secondment_states, 0, 0, NULL},
    {"agreement_ref", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"wage_note", F_STR, 0, 200, NULL, 0, 0, NULL},
    {"notes", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    FEE_COLS,
};

/* status billed is what billing sets with the charge (POST …/bill): a write setting it on a
 * record without a charge is 409 guard no_charge */
static enum sh_code billed_status(struct ent_write *w, struct sh_err *e)
{
    int k = ent_colidx(w->ent, "charge_id");
    const char *st = val(w, "status");
    if (!st || strcmp(st, "billed") || !ent_changed(w, "status") || (w->old && k >= 0 && w->old[k]))
        return SH_OK;
    sh_err_field(e, SH_CONFLICT, "status",
                 "a secondment becomes billed by billing it (POST /secondments/{id}/bill), "
                 "which makes its charge: this one has no charge");
    return sh_err_reason(e, "guard", "{\"guard\":\"no_charge\"}");
}

/* the period covers at least 5 days; the dealer is a dealer; working and travel days
 * each fit the period (review 72 #8); the fee from the engine */
static enum sh_code secondment_before(struct ent_write *w, struct sh_err *e)
{
    bool billed;
    enum sh_code rc = billed_status(w, e);
    if (rc || (rc = billed_write(w, &billed, e)) || billed)
        return rc;
    const char *s = val(w, "start_date"), *end = val(w, "end_date");
    struct sh_date a, b;
    if (s && end && sh_date_parse(s, &a) && sh_date_parse(end, &b)) {
        int64_t days = sh_days_from_civil(b.y, b.m, b.d) - sh_days_from_civil(a.y, a.m, a.d) + 1;
        if (days < 1)
            return bad(e, "end_date", "date_order", "{\"after\":\"start_date\"}",
                       "'end_date' is before 'start_date'");
        if (days < 5)
            return bad(e, "end_date", "below_minimum", "{\"min\":\"5\"}",
                       "a secondment lasts at least 5 days");
    }
    struct db_rows r;
    rc = db_query(w->u->tx, w->u->a, "SELECT type FROM customers WHERE id = $1",
                  DB_P(DB_TEXT(val(w, "dealer_id"))), &r, e);
    if (rc)
        return rc;
    if (r.nrows && strcmp(db_get(&r, 0, "type"), "dealer") != 0)
        return bad(e, "dealer_id", "not_dealer", NULL, "the customer is not a dealer");
    if ((rc = days_ok(w, "work_days", true, e)) || (rc = days_ok(w, "travel_days", false, e)) ||
        (rc = days_fit(w, "work_days", "start_date", "end_date", e)) ||
        (rc = days_fit(w, "travel_days", "start_date", "end_date", e)))
        return rc;
    const char *p = val(w, "persons"), *t = val(w, "travel_days");
    json_t *in = json_pack("{s:I, s:s, s:s}", "persons", (json_int_t)(p ? strtoll(p, NULL, 10) : 1),
                           "work_days", val(w, "work_days"), "travel_days", t && *t ? t : "0");
    static const char *const map[][2] = {
        {"work_days", "work_days"}, {"travel_days", "travel_days"}, {"persons", "persons"}};
    return compute(w, "secondment", in, s, map, 3, e);
}

const struct entity ent_secondments = {
    .name = "secondment",
    .table = "secondments",
    .cols = secondment_cols,
    .ncols = NCOLS(secondment_cols),
    .label_col = "staff",
    .default_sort = "-id",
    .before_write = secondment_before,
    .before_delete = billed_delete,
};

/* ---- waiting on site ---- */

static const char *const waiting_causes[] = {"steel_structure_unfinished",
                                             "site_not_ready",
                                             "power_not_ready",
                                             "goods_not_arrived",
                                             "customer_staff_absent",
                                             "weather",
                                             "company_side",
                                             "other",
                                             NULL};
static const char *const fault_sides[] = {"customer", "company", "undetermined", NULL};

static const struct col waiting_cols[] = {
    COMMON_COLS,
    {"work_order_id", F_INT, COL_NULLABLE | COL_FILTER, 0, NULL, 1, 9e15, NULL},
    {"project_id", F_INT, COL_NULLABLE | COL_FILTER, 0, NULL, 1, 9e15, NULL},
    {"started_on", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"ended_on", F_DATE, COL_NULLABLE | COL_SORT | COL_PAST, 0, NULL, 0, 0, NULL},
    {"days", F_STR, COL_REQUIRED, 10, NULL, 0, 0, NULL},
    {"cause", F_ENUM, COL_REQUIRED | COL_FILTER, 0, waiting_causes, 0, 0, NULL},
    {"cause_note", F_STR, 0, 500, NULL, 0, 0, NULL},
    {"at_fault", F_ENUM, COL_FILTER, 0, fault_sides, 0, 0, NULL},
    {"confirmed_by", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"confirmed_on", F_DATE, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"notes", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    FEE_COLS,
};

/* RULE review 72 #7: waiting is recorded on a work order the crew has reached: on site or
 * finished after it (done, not_fixed, needs_factory), 409 guard arrival otherwise; it starts
 * no earlier than the day of the arrival (the day the work order was made when it has no
 * arrival time): 400 out_of_range on started_on with the min. Checked on a create and when
 * the work order or the start changes. */
static enum sh_code waiting_on_site(struct ent_write *w, struct sh_err *e)
{
    const char *wo = val(w, "work_order_id"), *s = val(w, "started_on");
    if (!wo || !s ||
        (!w->creating && !ent_changed(w, "work_order_id") && !ent_changed(w, "started_on")))
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(w->u->tx, w->u->a,
                               "SELECT status, COALESCE(arrived_at, created_at) AS since FROM "
                               "work_orders WHERE id = $1",
                               DB_P(DB_TEXT(wo)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return bad(e, "work_order_id", "unknown_reference", "{\"entity\":\"work_order\"}",
                   "no such work order");
    static const char *const reached[] = {"on_site", "done", "not_fixed", "needs_factory"};
    const char *st = db_get(&r, 0, "status");
    bool ok = false;
    for (size_t i = 0; i < sizeof reached / sizeof reached[0]; i++)
        ok = ok || !strcmp(st, reached[i]);
    if (!ok) {
        sh_err_field(e, SH_CONFLICT, "work_order_id",
                     "work order %s is %s: waiting is recorded once the crew has arrived", wo, st);
        return sh_err_reason(e, "guard", "{\"guard\":\"arrival\",\"status\":\"%s\"}", st);
    }
    int64_t t;
    char min[11];
    if (!sh_ts_parse(db_get(&r, 0, "since"), &t))
        return SH_OK;
    sh_date_format(ticket_local_date(t), min);
    if (strcmp(s, min) >= 0)
        return SH_OK;
    sh_err_field(e, SH_INVALID, "started_on", "waiting on work order %s starts on %s or later", wo,
                 min);
    return sh_err_reason(e, "out_of_range", "{\"min\":\"%s\"}", min);
}

/* On a work order or a project; the fee follows only when the customer's fault is
 * confirmed (确认为客户方原因, LED 1.3): at_fault customer and a confirmer named. */
static enum sh_code waiting_before(struct ent_write *w, struct sh_err *e)
{
    bool billed;
    enum sh_code rc = billed_write(w, &billed, e);
    if (rc || billed)
        return rc;
    if (!val(w, "work_order_id") && !val(w, "project_id"))
        return bad(e, "work_order_id", "required", NULL,
                   "a waiting record belongs to a work order or a project");
    /* a technician records the waiting on a work order of theirs */
    if (principal_technician_only(w->u->who) && !val(w, "work_order_id"))
        return bad(e, "work_order_id", "required", NULL,
                   "a technician records waiting on one of their work orders");
    if ((rc = uc_work_order_crew_write(w, e)) || (rc = waiting_on_site(w, e)))
        return rc;
    const char *s = val(w, "started_on"), *end = val(w, "ended_on");
    if (s && end && strcmp(end, s) < 0)
        return bad(e, "ended_on", "date_order", "{\"after\":\"started_on\"}",
                   "'ended_on' is before 'started_on'");
    if ((rc = days_ok(w, "days", true, e)) ||
        (rc = days_fit(w, "days", "started_on", "ended_on", e)))
        return rc;
    const char *fault = val(w, "at_fault"), *by = val(w, "confirmed_by");
    bool customer = fault && !strcmp(fault, "customer") && by && *by;
    json_t *in =
        json_pack("{s:s, s:b}", "waiting_days", val(w, "days"), "customer_at_fault", customer);
    static const char *const map[][2] = {{"waiting_days", "days"}};
    return compute(w, "led_waiting", in, s, map, 1, e);
}

const struct entity ent_waiting_records = {
    .name = "waiting_record",
    .table = "waiting_records",
    .cols = waiting_cols,
    .ncols = NCOLS(waiting_cols),
    .label_col = "cause",
    /* a technician reads the waiting on their own work orders (as they write it) */
    .tech_scope = WO_CREW_SCOPE,
    .default_sort = "-id",
    .before_write = waiting_before,
    .before_delete = billed_delete,
};
