/* SPDX-License-Identifier: MIT */
/* Charges, payments and cost lines on the entity engine (app/charges.h, docs/charges.md). */
#include "app/charges.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/resources.h"
#include "app/ticket_warranty.h"
#include "base/date.h"
#include "domain/fees.h"

static const char *const owner_kinds[] = {
    "ticket",     "work_order", "install_project", "trip", "dealer_application", "complaint",
    "secondment", NULL};
static const char *const charge_categories[] = {
    "installation_fee", "management_fee", "secondment_fee", "waiting_fee", "repair", "parts",
    "travel",           "training",       "upgrade",        "other",       "credit", NULL};
static const char *const charge_sources[] = {"manual",    "fee", "quote", "parts",
                                             "complaint", "rma", NULL};
static const char *const pay_states[] = {"unpaid", "part_paid", "paid", NULL};
static const char *const payers[] = {"customer", "dealer", "sales", NULL};
static const char *const pay_methods[] = {"transfer", "cash", "cheque", "offset", "other", NULL};
static const char *const cost_owner_kinds[] = {"trip", "ticket", NULL};
static const char *const cost_categories[] = {"travel", "lodging", "allowance",
                                              "parts",  "other",   NULL};

#define DERIVED(name, flags)                                                                       \
    {                                                                                              \
        name, F_MONEY, COL_READONLY | COL_DERIVED | (flags), 0, NULL, 0, 0, NULL                   \
    }
#define SHARE(name)                                                                                \
    {                                                                                              \
        name, F_INT, COL_STAFF, 0, NULL, 0, CHARGE_SHARE_WHOLE, NULL                               \
    }

/* RULE A-09 (docs/charges.md "Who sees what"): a customer account sees its own part of a
 * charge (customer_fen) and what it paid on it (paid_customer_fen), and what the charge is;
 * the whole amount, the shares, the dealer's and the sales person's parts, where the charge
 * came from and the whole's pay state are the company's internal split: staff-only. */
static const struct col charge_cols[] = {
    COMMON_COLS,
    {"owner_kind", F_ENUM, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, owner_kinds, 0, 0, NULL},
    {"owner_id", F_INT, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 1, 9e15, NULL},
    {"customer_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"dealer_id", F_ID, COL_NULLABLE | COL_FILTER | COL_STAFF, 0, NULL, 0, 0, &ent_customers},
    {"sales_user_id", F_ID, COL_NULLABLE | COL_FILTER | COL_STAFF, 0, NULL, 0, 0, &ent_users},
    {"technician_user_id", F_INT, COL_READONLY | COL_DERIVED | COL_STAFF | COL_NULLABLE, 0, NULL, 0,
     0, NULL},
    /* the ticket of an owner ticket or work order: the ticket page lists both */
    {"ticket_id", F_INT, COL_READONLY | COL_DERIVED | COL_FILTER | COL_NULLABLE, 0, NULL, 0, 0,
     NULL},
    {"category", F_ENUM, COL_FILTER | COL_SORT, 0, charge_categories, 0, 0, NULL},
    {"series", F_STR, COL_FILTER, 60, NULL, 0, 0, NULL},
    {"description", F_STR, COL_REQUIRED | COL_SEARCH, 500, NULL, 0, 0, NULL},
    {"amount_fen", F_MONEY, COL_REQUIRED | COL_SORT | COL_STAFF, 0, NULL, -1e12, 1e12, NULL},
    {"source", F_ENUM, COL_FILTER | COL_CREATE_ONLY | COL_STAFF, 0, charge_sources, 0, 0, NULL},
    {"fee_version_id", F_INT, COL_NULLABLE | COL_CREATE_ONLY | COL_STAFF, 0, NULL, 1, 9e15, NULL},
    {"quote_id", F_INT, COL_NULLABLE | COL_CREATE_ONLY | COL_STAFF, 0, NULL, 1, 9e15, NULL},
    {"charged_on", F_DATE, COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"invoice_no", F_STR, COL_FILTER, 60, NULL, 0, 0, NULL},
    SHARE("customer_share_bp"),
    SHARE("dealer_share_bp"),
    SHARE("sales_share_bp"),
    DERIVED("customer_fen", 0),
    DERIVED("dealer_fen", COL_STAFF),
    DERIVED("sales_fen", COL_STAFF),
    DERIVED("paid_customer_fen", 0),
    DERIVED("paid_dealer_fen", COL_STAFF),
    DERIVED("paid_sales_fen", COL_STAFF),
    DERIVED("paid_fen", COL_STAFF),
    {"pay_state", F_ENUM, COL_READONLY | COL_DERIVED | COL_FILTER | COL_SORT | COL_STAFF, 0,
     pay_states, 0, 0, NULL},
    {"notes", F_TEXT, COL_STAFF, 2000, NULL, 0, 0, NULL},
};

static enum sh_code bad(struct sh_err *e, enum sh_code code, const char *field, const char *reason,
                        const char *params, const char *msg)
{
    sh_err_field(e, code, field, "%s", msg);
    return params ? sh_err_reason(e, reason, "%s", params) : sh_err_reason(e, reason, NULL);
}

static void put(struct ent_write *w, const char *name, const char *text)
{
    struct fval *v = ent_slot(w, name);
    if (!v)
        return;
    v->present = true;
    v->is_null = text == NULL;
    v->text = text;
}

static void put_int(struct ent_write *w, const char *name, int64_t n)
{
    put(w, name, sh_arena_printf(w->u->a, "%" PRId64, n));
}

static int64_t num(const struct ent_write *w, const char *name)
{
    const char *s = ent_val(w, name);
    return s ? strtoll(s, NULL, 10) : 0;
}

static const char *today(const struct uc *u)
{
    char ts[21];
    sh_ts_format(u->now + 8 * 3600, ts);
    return sh_arena_printf(u->a, "%.10s", ts);
}

/* The owner's table and the query of its customer, (a trip's) lead and (a ticket's or a work
 * order's) ticket. */
static const char *owner_sql(const char *kind)
{
    if (!strcmp(kind, "ticket"))
        return "SELECT customer_id, NULL AS lead_id, id AS ticket_id FROM tickets WHERE id = $1";
    if (!strcmp(kind, "work_order"))
        return "SELECT t.customer_id, NULL AS lead_id, t.id AS ticket_id FROM work_orders w "
               "JOIN tickets t ON t.id = w.ticket_id WHERE w.id = $1";
    if (!strcmp(kind, "complaint"))
        return "SELECT customer_id, NULL AS lead_id, NULL AS ticket_id FROM complaints WHERE id = "
               "$1";
    if (!strcmp(kind, "install_project"))
        return "SELECT customer_id, NULL AS lead_id, NULL AS ticket_id FROM installation_projects "
               "WHERE id = $1";
    if (!strcmp(kind, "trip"))
        return "SELECT customer_id, lead_id, NULL AS ticket_id FROM trips WHERE id = $1";
    if (!strcmp(kind, "secondment")) /* the dealer it is lent to pays */
        return "SELECT dealer_id AS customer_id, NULL AS lead_id, NULL AS ticket_id FROM "
               "secondments WHERE id = $1";
    return "SELECT dealer_id AS customer_id, NULL AS lead_id, NULL AS ticket_id FROM "
           "dealer_applications WHERE id = $1";
}

/* dealer applications come with issue 13 item 2 (built in parallel): the table may be absent */
static enum sh_code table_present(const struct uc *u, const char *table, bool *yes,
                                  struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               db_tx_dialect(u->tx) == DB_PG
                                   ? "SELECT COUNT(*) AS n FROM information_schema.tables WHERE "
                                     "table_name = $1"
                                   : "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = "
                                     "'table' AND name = $1",
                               DB_P(DB_TEXT(table)), &r, e);
    *yes = !rc && r.nrows && db_get_int(&r, 0, "n", 0) > 0;
    return rc;
}

/* RULE: the owner exists; the customer defaults to the owner's, a trip's lead sees it */
static enum sh_code check_owner(struct ent_write *w, struct sh_err *e)
{
    const char *kind = ent_val(w, "owner_kind"), *id = ent_val(w, "owner_id");
    if (!kind || !id)
        return SH_OK;
    bool present = true;
    enum sh_code rc = SH_OK;
    if (!strcmp(kind, "dealer_application") &&
        (rc = table_present(w->u, "dealer_applications", &present, e)))
        return rc;
    struct db_rows r = {0};
    if (present && (rc = db_query(w->u->tx, w->u->a, owner_sql(kind), DB_P(DB_TEXT(id)), &r, e)))
        return rc;
    if (!present || !r.nrows)
        return bad(e, SH_UNPROCESSABLE, "owner_id", "unknown_reference",
                   sh_arena_printf(w->u->a, "{\"kind\":\"%s\"}", kind),
                   "the charge's owner does not exist");
    const char *cust = db_get(&r, 0, "customer_id");
    if (!ent_val(w, "customer_id") && cust && w->creating)
        put(w, "customer_id", cust);
    put(w, "technician_user_id", db_get(&r, 0, "lead_id"));
    put(w, "ticket_id", db_get(&r, 0, "ticket_id"));
    return SH_OK;
}

const struct charge_payer charge_payers[3] = {
    {"customer", "customer_id", "customer_share_bp", "customer_fen", "paid_customer_fen"},
    {"dealer", "dealer_id", "dealer_share_bp", "dealer_fen", "paid_dealer_fen"},
    {"sales", "sales_user_id", "sales_share_bp", "sales_fen", "paid_sales_fen"},
};

int charge_payer_index(const char *name)
{
    for (int i = 0; i < 3; i++) {
        if (name && !strcmp(name, charge_payers[i].name))
            return i;
    }
    return 0;
}

/* RULE a credit line (category credit) is money owed to the payers: its amount is below
 * zero, and only a credit's is; zero is no line at all (docs/charges.md) */
static enum sh_code credit_sign(struct ent_write *w, struct sh_err *e)
{
    int64_t amount = num(w, "amount_fen");
    const char *cat = ent_val(w, "category");
    bool credit = cat && !strcmp(cat, "credit");
    if (amount == 0 || (amount < 0) != credit)
        return bad(e, SH_INVALID, "amount_fen", "out_of_range",
                   credit ? "{\"max\":-1}" : "{\"min\":1}",
                   credit ? "a credit's amount is below zero"
                          : "a charge's amount is above zero (a credit is the category credit)");
    return SH_OK;
}

/* RULE R-143: the shares add up to the whole; a payer with a share is named; the parts
 * from fee_split add up to the amount (a credit's parts: of its magnitude, negated); no
 * part falls below what that payer has paid (a credit's: used or refunded, below zero,
 * app/charge_receipts.c); the state compares magnitudes */
static enum sh_code split(struct ent_write *w, struct sh_err *e)
{
    int64_t shares[3], parts[3], total = 0, amount = num(w, "amount_fen");
    int64_t sign = amount < 0 ? -1 : 1;
    for (int i = 0; i < 3; i++) {
        shares[i] = num(w, charge_payers[i].share_col);
        total += shares[i];
        if (shares[i] > 0 && !ent_val(w, charge_payers[i].party_col))
            return bad(e, SH_UNPROCESSABLE, charge_payers[i].party_col, "required", NULL,
                       "a payer with a share must be named");
    }
    if (total != CHARGE_SHARE_WHOLE)
        return bad(e, SH_UNPROCESSABLE, "customer_share_bp", "split_total",
                   sh_arena_printf(w->u->a, "{\"total\":%" PRId64 ",\"whole\":%d}", total,
                                   CHARGE_SHARE_WHOLE),
                   "the payers' shares must add up to 10000 (100 %)");
    if (!fee_split(sign * amount, shares, 3, parts))
        return bad(e, SH_UNPROCESSABLE, "amount_fen", "out_of_range", NULL,
                   "the amount cannot be split");
    int64_t paid = 0;
    for (int i = 0; i < 3; i++) {
        int64_t p = num(w, charge_payers[i].paid_col);
        parts[i] *= sign;
        paid += p;
        /* RULE review 70 M3: who paid does not change: a payer's payments stay theirs (moved
         * with the charge, they showed on another customer's statement as its own) */
        if (!w->creating && p != 0 && ent_changed(w, charge_payers[i].party_col))
            return bad(e, SH_CONFLICT, charge_payers[i].party_col, "payer_paid",
                       sh_arena_printf(w->u->a, "{\"paid_fen\":%" PRId64 "}", p),
                       "the payer has paid on the charge: it cannot change");
        if (sign * parts[i] < sign * p && sign * p > 0)
            return bad(e, SH_CONFLICT, charge_payers[i].share_col, "below_paid",
                       sh_arena_printf(w->u->a, "{\"paid_fen\":%" PRId64 "}", p),
                       "a payer's part would fall below what it has paid");
        put_int(w, charge_payers[i].part_col, parts[i]);
    }
    put(w, "pay_state", paid == 0 ? "unpaid" : sign * paid < sign * amount ? "part_paid" : "paid");
    return SH_OK;
}

/* the rule-set version a fee charge was computed with exists (no foreign key in 0027) */
static enum sh_code check_version(struct ent_write *w, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(w->u->tx, w->u->a, "SELECT id FROM fee_rule_versions WHERE id = $1",
                               DB_P(DB_TEXT(ent_val(w, "fee_version_id"))), &r, e);
    if (rc || r.nrows)
        return rc;
    return bad(e, SH_UNPROCESSABLE, "fee_version_id", "unknown_reference", NULL,
               "no such fee rule-set version");
}

/* RULE a fee charge a waiting record or a secondment was billed as keeps that record's fee:
 * its amount does not change (409 guard fee_record); its shares may (R-143, A-12: a waiting
 * fee split between the customer and the responsible sales person). Any other fee charge (the
 * calculator's, POST /fees/bill) is what the rules computed, payer included: neither its
 * amount nor its shares change (409 guard fee_calc; review 70 M7) */
static enum sh_code fee_kept(struct ent_write *w, const char *col, bool share, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(w->u->tx, w->u->a,
                               "SELECT 'waiting_record' AS kind, id FROM waiting_records WHERE "
                               "charge_id = $1 UNION ALL SELECT 'secondment', id FROM secondments "
                               "WHERE charge_id = $1",
                               DB_P(DB_INT(w->id)), &r, e);
    if (rc || (r.nrows && share))
        return rc;
    if (!r.nrows) {
        const char *v = ent_val(w, "fee_version_id");
        sh_err_field(e, SH_CONFLICT, col,
                     "the charge is a fee the rules computed: its amount and who pays it are "
                     "the calculation's (delete this unpaid charge and bill it again)");
        return sh_err_reason(e, "guard", "{\"guard\":\"fee_calc\",\"fee_version_id\":%s}",
                             v ? v : "null");
    }
    sh_err_field(e, SH_CONFLICT, col,
                 "the charge is the fee of %s %s: its amount is that record's fee (delete this "
                 "unpaid charge, correct the record and bill it again)",
                 db_get(&r, 0, "kind"), db_get(&r, 0, "id"));
    return sh_err_reason(e, "guard",
                         "{\"guard\":\"fee_record\",\"record\":\"%s\",\"record_id\":%s}",
                         db_get(&r, 0, "kind"), db_get(&r, 0, "id"));
}

/* RULE review 70 M7: a quote's charge is the line the customer accepted: its amount does
 * not change (409 guard quote_line; a new price is a revised quote the customer accepts) */
static enum sh_code quote_kept(struct ent_write *w, const char *col, bool share, struct sh_err *e)
{
    const char *q = ent_val(w, "quote_id");
    if (share || !q)
        return SH_OK;
    sh_err_field(e, SH_CONFLICT, col,
                 "the charge is a line of accepted quote %s: its amount is what the customer "
                 "accepted (revise the quote instead)",
                 q);
    return sh_err_reason(e, "guard", "{\"guard\":\"quote_line\",\"quote_id\":%s}", q);
}

/* A charge billed from a source keeps what the source says: for each source, the judge of a
 * change to the amount or a share (SH_OK: it may change; else the 409 guard). */
static const struct {
    const char *source;
    enum sh_code (*kept)(struct ent_write *w, const char *col, bool share, struct sh_err *e);
} source_kept[] = {
    {"fee", fee_kept},
    {"quote", quote_kept},
};

static enum sh_code source_amount_kept(struct ent_write *w, struct sh_err *e)
{
    static const char *const cols[] = {"amount_fen", "customer_share_bp", "dealer_share_bp",
                                       "sales_share_bp"};
    const char *src = ent_val(w, "source");
    if (w->creating || !src)
        return SH_OK;
    for (size_t k = 0; k < sizeof source_kept / sizeof source_kept[0]; k++) {
        if (strcmp(src, source_kept[k].source))
            continue;
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
            enum sh_code rc =
                ent_changed(w, cols[i]) ? source_kept[k].kept(w, cols[i], i > 0, e) : SH_OK;
            if (rc)
                return rc;
        }
    }
    return SH_OK;
}

static enum sh_code charge_before(struct ent_write *w, struct sh_err *e)
{
    if (w->creating) {
        if (!ent_val(w, "charged_on"))
            put(w, "charged_on", today(w->u));
        if (!ent_val(w, "source"))
            put(w, "source", "manual");
        if (!ent_val(w, "category"))
            put(w, "category", "other");
        for (int i = 0; i < 3; i++) {
            if (!ent_val(w, charge_payers[i].paid_col))
                put(w, charge_payers[i].paid_col, "0");
        }
        put(w, "paid_fen", "0");
    }
    const char *src = ent_val(w, "source");
    if (w->creating && src && !strcmp(src, "fee") && !ent_val(w, "fee_version_id"))
        return bad(e, SH_UNPROCESSABLE, "fee_version_id", "required", NULL,
                   "a fee charge keeps the rule-set version it was computed with");
    if (w->creating && src && !strcmp(src, "quote") && !ent_val(w, "quote_id"))
        return bad(e, SH_UNPROCESSABLE, "quote_id", "required", NULL,
                   "a quote charge names its quote");
    enum sh_code rc = credit_sign(w, e);
    if (!rc)
        rc = source_amount_kept(w, e);
    if (!rc && w->creating)
        rc = check_owner(w, e);
    if (!rc && w->creating && ent_val(w, "fee_version_id"))
        rc = check_version(w, e);
    return rc ? rc : split(w, e);
}

static const struct list_view charge_views[] = {
    {"open", "true", "t.pay_state <> 'paid'"},
    {NULL, NULL, NULL},
};

const struct entity ent_charges = {
    .name = "charge",
    .table = "charges",
    .cols = charge_cols,
    .ncols = NCOLS(charge_cols),
    .scope_col = "customer_id",
    /* RULE A-09 (review 70 M6): a customer reads the charges it bears a part of, not those on
     * its tickets that the dealer or the sales person pays whole */
    .ext_scope = "t.customer_fen <> 0",
    .assignee_col = "technician_user_id",
    .views = charge_views,
    .label_col = "description",
    .default_sort = "-id",
    .before_write = charge_before,
};

/* ---- payments ---- */

static const struct col payment_cols[] = {
    COMMON_COLS,
    {"charge_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0, &ent_charges},
    {"payer", F_ENUM, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, payers, 0, 0, NULL},
    /* above zero; below zero only a credit line's consumed part, through a receipt */
    {"amount_fen", F_MONEY, COL_REQUIRED | COL_SORT | COL_CREATE_ONLY, 0, NULL, -1e12, 1e12, NULL},
    {"paid_on", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE | COL_PAST, 0, NULL, 0, 0, NULL},
    {"method", F_ENUM, COL_FILTER, 0, pay_methods, 0, 0, NULL},
    {"reference", F_STR, COL_FILTER, 60, NULL, 0, 0, NULL},
    {"customer_id", F_INT, COL_DERIVED | COL_FILTER | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    /* the receipt it is part of (app/charge_receipts.c): set by that use case only */
    {"receipt_id", F_INT, COL_READONLY | COL_DERIVED | COL_FILTER | COL_NULLABLE, 0, NULL, 0, 0,
     NULL},
    {"notes", F_TEXT, COL_STAFF, 1000, NULL, 0, 0, NULL},
};

/* RULE review 69 L5: a payment is not dated long before its charge existed: at the earliest
 * PAYMENT_ADVANCE_DAYS before the earlier of the charge's charged_on and the (Asia/Shanghai)
 * date it was recorded, so a backdated charge takes the payments it had, and a deposit
 * received a few weeks before the charge was entered can still be recorded. */
#define PAYMENT_ADVANCE_DAYS 31
static enum sh_code paid_on_floor(struct ent_write *w, const struct db_rows *r, struct sh_err *e)
{
    char made[11] = "", min[11];
    int64_t t;
    if (sh_ts_parse(db_get(r, 0, "created_at"), &t))
        sh_date_format(ticket_local_date(t), made);
    const char *on = db_get(r, 0, "charged_on"), *paid = ent_val(w, "paid_on");
    snprintf(min, sizeof(min), "%s", on && *on && (!*made || strcmp(on, made) < 0) ? on : made);
    struct sh_date d;
    if (!sh_date_parse(min, &d))
        return SH_OK;
    sh_date_format(sh_civil_from_days(sh_days_from_civil(d.y, d.m, d.d) - PAYMENT_ADVANCE_DAYS),
                   min);
    if (!paid || strcmp(paid, min) >= 0)
        return SH_OK;
    return bad(e, SH_INVALID, "paid_on", "out_of_range",
               sh_arena_printf(w->u->a, "{\"min\":\"%s\"}", min),
               "a payment is not dated more than a month before its charge");
}

/* RULE: a payment is against one payer's part; more than that part still open is refused */
static enum sh_code payment_before(struct ent_write *w, struct sh_err *e)
{
    if (!w->creating)
        return SH_OK;
    int k = charge_payer_index(ent_val(w, "payer"));
    struct db_rows r;
    /* RULE review 70 H1: the charge locked before its open part is read (PostgreSQL runs READ
     * COMMITTED: two payments at once both saw the same part open and overpaid it) */
    enum sh_code rc = db_lock_row(w->u->tx, "charges", num(w, "charge_id"), e);
    if (!rc)
        rc = db_query(
            w->u->tx, w->u->a,
            sh_arena_printf(w->u->a,
                            "SELECT customer_id, charged_on, created_at, %s AS part, %s AS "
                            "paid FROM charges WHERE id = $1",
                            charge_payers[k].part_col, charge_payers[k].paid_col),
            DB_P(DB_TEXT(ent_val(w, "charge_id"))), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return bad(e, SH_UNPROCESSABLE, "charge_id", "unknown_reference", NULL,
                   "the charge does not exist");
    if ((rc = paid_on_floor(w, &r, e)))
        return rc;
    int64_t open = db_get_int(&r, 0, "part", 0) - db_get_int(&r, 0, "paid", 0);
    /* a credit line's consumed part is a payment below zero, down to its open part: only as
     * part of a receipt (app/charge_receipts.c: a credit applied or refunded) */
    int64_t amount = num(w, "amount_fen");
    if (amount < 1 && !ent_val(w, "receipt_id"))
        return bad(e, SH_INVALID, "amount_fen", "out_of_range", "{\"min\":1}",
                   "a payment is above zero");
    if (amount > 0 ? amount > open : open >= 0 || amount < open)
        return bad(e, SH_CONFLICT, "amount_fen", "overpayment",
                   sh_arena_printf(w->u->a, "{\"open_fen\":%" PRId64 "}", open),
                   "the payment is more than the payer's part still open");
    put(w, "customer_id", db_get(&r, 0, "customer_id"));
    if (!ent_val(w, "method"))
        put(w, "method", "transfer");
    return SH_OK;
}

/* the charge's paid amounts and state, derived from its payments */
static enum sh_code payment_after(struct ent_write *w, struct sh_err *e)
{
    const char *cid = ent_val(w, "charge_id");
    char ts[21];
    sh_ts_format(w->u->now, ts);
    enum sh_code rc = db_exec(
        w->u->tx,
        "UPDATE charges SET paid_customer_fen = (SELECT COALESCE(SUM(amount_fen), 0) FROM "
        "charge_payments p WHERE p.charge_id = $1 AND p.payer = 'customer'), paid_dealer_fen = "
        "(SELECT COALESCE(SUM(amount_fen), 0) FROM charge_payments p WHERE p.charge_id = $1 AND "
        "p.payer = 'dealer'), paid_sales_fen = (SELECT COALESCE(SUM(amount_fen), 0) FROM "
        "charge_payments p WHERE p.charge_id = $1 AND p.payer = 'sales'), paid_fen = (SELECT "
        "COALESCE(SUM(amount_fen), 0) FROM charge_payments p WHERE p.charge_id = $1) WHERE id = $1",
        DB_P(DB_TEXT(cid)), NULL, e);
    if (rc)
        return rc;
    return db_exec(
        w->u->tx,
        "UPDATE charges SET pay_state = CASE WHEN paid_fen = 0 THEN 'unpaid' WHEN "
        "ABS(paid_fen) < ABS(amount_fen) THEN 'part_paid' ELSE 'paid' END, updated_at = $2, "
        "version = version + 1 WHERE id = $1",
        DB_P(DB_TEXT(cid), DB_TEXT(sh_arena_printf(w->u->a, "%s", ts))), NULL, e);
}

const struct entity ent_charge_payments = {
    .name = "charge_payment",
    .table = "charge_payments",
    .cols = payment_cols,
    .ncols = NCOLS(payment_cols),
    .scope_col = "customer_id",
    /* RULE A-09: a customer sees its own payments, not the dealer's or the sales person's
     * on its charges (their parts are the company's internal split) */
    .ext_scope = "t.payer = 'customer'",
    .label_col = "reference",
    .default_sort = "-id",
    .before_write = payment_before,
    .after_write = payment_after,
};

/* ---- cost lines ---- */

static const struct col cost_cols[] = {
    COMMON_COLS,
    {"owner_kind", F_ENUM, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, cost_owner_kinds, 0, 0,
     NULL},
    {"owner_id", F_INT, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 1, 9e15, NULL},
    {"category", F_ENUM, COL_REQUIRED | COL_FILTER, 0, cost_categories, 0, 0, NULL},
    {"amount_fen", F_MONEY, COL_REQUIRED | COL_SORT, 0, NULL, 1, 1e12, NULL},
    {"incurred_on", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"description", F_STR, 0, 500, NULL, 0, 0, NULL},
};

static enum sh_code cost_before(struct ent_write *w, struct sh_err *e)
{
    const char *kind = ent_val(w, "owner_kind"), *id = ent_val(w, "owner_id");
    if (!w->creating || !kind || !id)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(w->u->tx, w->u->a, owner_sql(kind), DB_P(DB_TEXT(id)), &r, e);
    if (rc)
        return rc;
    return r.nrows ? SH_OK
                   : bad(e, SH_UNPROCESSABLE, "owner_id", "unknown_reference",
                         sh_arena_printf(w->u->a, "{\"kind\":\"%s\"}", kind),
                         "the cost's owner does not exist");
}

const struct entity ent_cost_lines = {
    .name = "cost_line",
    .table = "cost_lines",
    .cols = cost_cols,
    .ncols = NCOLS(cost_cols),
    .label_col = "description",
    .default_sort = "-id",
    .before_write = cost_before,
};

/* ---- for other use cases ---- */

static void fv(struct fval *vals, const char *name, const char *text)
{
    int i = ent_colidx(&ent_charges, name);
    if (i < 0 || !text)
        return;
    vals[i].present = true;
    vals[i].is_null = false;
    vals[i].text = text;
    vals[i].i = strtoll(text, NULL, 10); /* ids and amounts: the engine reads .i too */
}

static void fv_int(const struct uc *u, struct fval *vals, const char *name, int64_t n, bool zero)
{
    if (n || zero)
        fv(vals, name, sh_arena_printf(u->a, "%" PRId64, n));
}

enum sh_code uc_charge_add(const struct uc *u, const struct charge_in *in, int64_t *id,
                           struct sh_err *e)
{
    struct fval *vals = sh_arena_alloc(u->a, sizeof(*vals) * (size_t)ent_charges.ncols);
    memset(vals, 0, sizeof(*vals) * (size_t)ent_charges.ncols);
    fv(vals, "owner_kind", in->owner_kind);
    fv_int(u, vals, "owner_id", in->owner_id, true);
    fv_int(u, vals, "customer_id", in->customer_id, false);
    fv_int(u, vals, "dealer_id", in->dealer_id, false);
    fv_int(u, vals, "sales_user_id", in->sales_user_id, false);
    fv(vals, "category", in->category);
    fv(vals, "series", in->series);
    fv(vals, "description", in->description);
    fv_int(u, vals, "amount_fen", in->amount_fen, true);
    fv(vals, "source", in->source);
    fv_int(u, vals, "fee_version_id", in->fee_version_id, false);
    fv_int(u, vals, "quote_id", in->quote_id, false);
    fv(vals, "charged_on", in->charged_on);
    fv_int(u, vals, "customer_share_bp", in->customer_bp, true);
    fv_int(u, vals, "dealer_share_bp", in->dealer_bp, true);
    fv_int(u, vals, "sales_share_bp", in->sales_bp, true);
    return uc_ent_insert(u, &ent_charges, vals, id, NULL, e);
}
