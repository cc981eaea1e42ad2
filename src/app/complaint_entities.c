/* SPDX-License-Identifier: MIT */
/* The complaint/return notice on the entity engine (F-11; docs/complaints.md): GET and POST
 * /api/v1/complaints, PATCH /{id} while it is open. The F-11 fields are written by the desk;
 * the state, the analysis, the decision and the verification only by the actions of
 * app/complaints.c (read-only here). A customer account sees its own notices without the
 * internal columns. A notice that is (or becomes) serious is escalated once to the general
 * manager in the same transaction. */
#include <inttypes.h>
#include <string.h>

#include "app/complaints.h"
#include "app/entity.h"
#include "app/resources.h"
#include "app/ticket_entities.h"
#include "app/ticket_warranty.h"
#include "base/date.h"
#include "domain/rma.h"
#include "domain/roles.h"

#define RO    COL_READONLY
#define STAFF (COL_READONLY | COL_STAFF)
#define DER   (COL_READONLY | COL_DERIVED)

static const struct col complaint_cols[] = {
    COMMON_COLS,
    {"number", F_STR, DER | COL_SORT | COL_FILTER, 40, NULL, 0, 0, NULL},
    {"state", F_ENUM, DER | COL_FILTER | COL_SORT, 0, complaint_state_names, 0, 0, NULL},
    {"channel", F_ENUM, COL_REQUIRED | COL_FILTER, 0, complaint_channel_names, 0, 0, NULL},
    {"category", F_ENUM, COL_FILTER, 0, complaint_category_names, 0, 0, NULL},
    {"source", F_ENUM, COL_FILTER | COL_STAFF, 0, complaint_source_names, 0, 0, NULL},
    {"customer_id", F_ID, COL_REQUIRED | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"ticket_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_tickets},
    {"unit_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_units},
    {"model_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_models},
    {"product", F_STR, COL_SEARCH, 200, NULL, 0, 0, NULL},
    {"batch", F_STR, COL_FILTER | COL_SEARCH, 60, NULL, 0, 0, NULL},
    {"quantity", F_INT, 0, 0, NULL, 1, 1e6, NULL},
    {"description", F_TEXT, COL_REQUIRED | COL_SEARCH, 4000, NULL, 0, 0, NULL},
    {"request", F_ENUM, COL_REQUIRED | COL_FILTER, 0, complaint_request_names, 0, 0, NULL},
    {"sample_received", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"sample_received_on", F_DATE, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"received_on", F_DATE, COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"defect", F_ENUM, COL_NULLABLE | COL_FILTER | COL_STAFF, 0, complaint_defect_names, 0, 0,
     NULL},
    {"serious", F_BOOL, COL_FILTER | COL_STAFF, 0, NULL, 0, 0, NULL},
    {"escalated_at", F_TS, DER | COL_STAFF | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"bought_in", F_BOOL, COL_FILTER | COL_STAFF, 0, NULL, 0, 0, NULL},
    {"staff_user_id", F_ID, COL_NULLABLE | COL_FILTER | COL_STAFF, 0, NULL, 0, 0, &ent_users},
    {"department_id", F_ID, COL_NULLABLE | COL_FILTER | COL_STAFF, 0, NULL, 0, 0, &ent_departments},
    {"cause_category", F_ENUM, STAFF | COL_FILTER | COL_NULLABLE, 0, rma_cause_names, 0, 0, NULL},
    {"cause_analysis", F_TEXT, STAFF, 4000, NULL, 0, 0, NULL},
    {"corrective_action", F_TEXT, STAFF, 4000, NULL, 0, 0, NULL},
    {"analysed_by", F_ID, STAFF | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"analysed_at", F_TS, STAFF | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"decision", F_ENUM, RO | COL_FILTER | COL_NULLABLE, 0, complaint_decision_names, 0, 0, NULL},
    {"action_note", F_TEXT, RO, 4000, NULL, 0, 0, NULL},
    {"charge_fen", F_MONEY, RO | COL_NULLABLE, 0, NULL, 0, 1e12, NULL},
    {"credit_fen", F_MONEY, RO | COL_NULLABLE, 0, NULL, 0, 1e12, NULL},
    {"charge_id", F_ID, STAFF | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"acted_by", F_ID, STAFF | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"acted_at", F_TS, STAFF | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"verification", F_TEXT, STAFF, 4000, NULL, 0, 0, NULL},
    {"verified_by", F_ID, STAFF | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"verified_at", F_TS, STAFF | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"closed_at", F_TS, RO | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"created_by", F_ID, DER | COL_STAFF | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
};

static const struct list_view complaint_views[] = {
    {"open", "true", "t.state NOT IN ('closed', 'refused')"},
    {"routed_to", "mine",
     "EXISTS (SELECT 1 FROM complaint_routes r WHERE r.complaint_id = t.id AND r.department_id = "
     "{dept})"},
    {NULL, NULL, NULL},
};

static void set(struct ent_write *w, const char *name, const char *text)
{
    struct fval *v = ent_slot(w, name);
    v->present = true;
    v->is_null = text == NULL;
    v->text = text;
}

static const char *old(const struct ent_write *w, const char *name)
{
    int i = ent_colidx(w->ent, name);
    return w->old && i >= 0 ? w->old[i] : NULL;
}

static enum sh_code bad_ref(struct sh_err *e, const char *field, const char *msg)
{
    sh_err_field(e, SH_UNPROCESSABLE, field, "%s", msg);
    return sh_err_reason(e, "unknown_reference", NULL);
}

/* RULE review 72 #9: who the complaint is about does not change once its money is booked: with
 * a charge or credit (its charge_id, or a charge it owns) customer_id and ticket_id are 409
 * guard charged, as a charge's payer after a payment (payer_paid): the complaint moved to
 * another customer while its credit stayed on the first one's account. */
static enum sh_code charged(struct ent_write *w, struct sh_err *e)
{
    const char *f = ent_changed(w, "customer_id") ? "customer_id"
                    : ent_changed(w, "ticket_id") ? "ticket_id"
                                                  : NULL;
    if (w->creating || !f)
        return SH_OK;
    const char *ch = old(w, "charge_id");
    struct db_rows r;
    enum sh_code rc = db_query(w->u->tx, w->u->a,
                               "SELECT id FROM charges WHERE id = $2 OR (owner_kind = 'complaint' "
                               "AND owner_id = $1) ORDER BY id LIMIT 1",
                               DB_P(DB_INT(w->id), DB_INT(ch ? strtoll(ch, NULL, 10) : 0)), &r, e);
    if (rc || !r.nrows)
        return rc;
    sh_err_field(e, SH_CONFLICT, f, "the complaint's money is booked (charge %s): '%s' stays",
                 db_get(&r, 0, "id"), f);
    return sh_err_reason(e, "guard", "{\"guard\":\"charged\",\"charge_id\":%s}",
                         db_get(&r, 0, "id"));
}

/* RULE: the linked ticket and unit are the customer's (checked again when the customer
 * changes); the unit and product follow from the ticket. */
static enum sh_code link_ticket(struct ent_write *w, struct sh_err *e)
{
    const char *tid = ent_val(w, "ticket_id"), *cust = ent_val(w, "customer_id");
    bool moved = ent_changed(w, "customer_id");
    struct db_rows r;
    enum sh_code rc;
    if ((rc = charged(w, e)))
        return rc;
    if (tid && (moved || ent_changed(w, "ticket_id"))) {
        if ((rc = db_query(w->u->tx, w->u->a,
                           "SELECT customer_id, unit_id, model_id FROM tickets WHERE id = $1",
                           DB_P(DB_TEXT(tid)), &r, e)))
            return rc;
        if (!r.nrows || (cust && strcmp(cust, db_get(&r, 0, "customer_id"))))
            return bad_ref(e, "ticket_id", "the ticket is not one of the customer's");
        if (!ent_val(w, "unit_id") && db_get(&r, 0, "unit_id"))
            set(w, "unit_id", db_get(&r, 0, "unit_id"));
        if (!ent_val(w, "model_id") && db_get(&r, 0, "model_id"))
            set(w, "model_id", db_get(&r, 0, "model_id"));
    }
    const char *unit = ent_val(w, "unit_id");
    if (unit && (moved || ent_changed(w, "unit_id"))) {
        if ((rc = db_query(w->u->tx, w->u->a,
                           "SELECT customer_id, model_id FROM units WHERE id = $1",
                           DB_P(DB_TEXT(unit)), &r, e)))
            return rc;
        if (r.nrows && cust && db_get(&r, 0, "customer_id") &&
            strcmp(cust, db_get(&r, 0, "customer_id")))
            return bad_ref(e, "unit_id", "the unit is not one of the customer's");
        if (r.nrows && !ent_val(w, "model_id"))
            set(w, "model_id", db_get(&r, 0, "model_id"));
    }
    return SH_OK;
}

static enum sh_code complaint_before(struct ent_write *w, struct sh_err *e)
{
    const struct uc *u = w->u;
    char *now = sh_arena_alloc(u->a, 21);
    sh_ts_format(u->now, now);
    if (w->creating) {
        const char *number;
        enum sh_code rc = complaint_next_number(u, &number, e);
        if (rc)
            return rc;
        set(w, "number", number);
        set(w, "state", "received");
        set(w, "created_by",
            u->who->user_id ? sh_arena_printf(u->a, "%" PRId64, u->who->user_id) : NULL);
        if (!ent_val(w, "received_on")) {
            struct sh_date d = ticket_local_date(u->now);
            set(w, "received_on", sh_arena_printf(u->a, "%04d-%02d-%02d", d.y, d.m, d.d));
        }
    } else {
        enum complaint_state st = CPS_RECEIVED;
        complaint_state_parse(old(w, "state"), &st);
        if (complaint_state_terminal(st)) {
            sh_err_set(e, SH_CONFLICT, "a %s complaint is not edited", complaint_state_name(st));
            return sh_err_reason(e, "guard", "{\"guard\":\"finished\",\"state\":\"%s\"}",
                                 complaint_state_name(st));
        }
    }
    /* RULE FUR 2.4.8, GEN 三.9: serious by the flag or by the defect, escalated once */
    const char *flag = ent_val(w, "serious");
    bool serious = complaint_serious(flag && !strcmp(flag, "1"), ent_val(w, "defect"));
    set(w, "serious", serious ? "1" : "0");
    const char *was = old(w, "escalated_at");
    if (serious && (!was || !*was))
        set(w, "escalated_at", now);
    const char *smp = ent_val(w, "sample_received");
    if (smp && !strcmp(smp, "1") && !ent_val(w, "sample_received_on"))
        set(w, "sample_received_on", ent_val(w, "received_on"));
    return link_ticket(w, e);
}

static enum sh_code complaint_after(struct ent_write *w, struct sh_err *e)
{
    const char *esc = ent_val(w, "escalated_at"), *was = old(w, "escalated_at");
    if (!esc || (was && *was))
        return SH_OK;
    return uc_complaint_escalate(w->u, w->id, e);
}

const struct entity ent_complaints = {
    .name = "complaint",
    .table = "complaints",
    .cols = complaint_cols,
    .ncols = NCOLS(complaint_cols),
    .scope_col = "customer_id",
    /* RULE R-164: a misconduct complaint (about a staff member's conduct) is read by the
     * department's heads only, as conduct complaints are (docs/discipline.md); the customer
     * who filed it still sees its own notice (scope_col) */
    .staff_scope = "t.category IS NULL OR t.category <> 'misconduct'",
    .staff_all = ROLES_HEADS,
    .views = complaint_views,
    .label_col = "number",
    .ext_label_col = "number",
    .default_sort = "-id",
    .before_write = complaint_before,
    .after_write = complaint_after,
};
