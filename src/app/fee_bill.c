/* SPDX-License-Identifier: MIT */
/* Billing computed fees as charge lines (app/fee_bill.h, docs/fees.md "Billing"). */
#include "app/fee_bill.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/charges.h"
#include "base/date.h"

enum sh_code fee_billed(struct sh_err *e, const char *field, const char *charge_id)
{
    sh_err_field(e, SH_CONFLICT, field,
                 "the record is billed as charge %s: what its fee was computed from no longer "
                 "changes (delete that unpaid charge first)",
                 charge_id);
    return sh_err_reason(e, "guard", "{\"guard\":\"billed\",\"charge_id\":%s}", charge_id);
}

static enum sh_code guard(struct sh_err *e, const char *params, const char *msg)
{
    sh_err_set(e, SH_CONFLICT, "%s", msg);
    return sh_err_reason(e, "guard", "%s", params);
}

/* the charge as stored, as JSON in the arena */
static enum sh_code charge_json(const struct uc *u, int64_t id, const char **out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = ent_load(u->tx, u->a, &ent_charges, id, &r, e);
    *out = rc ? NULL : ent_json(u->a, &ent_charges, &r, 0);
    return rc;
}

/* RULE R-142 (LED 1.3): the waiting fee is the customer's only when its fault is confirmed
 * (at_fault customer, a confirmer named); R-141: the secondment fee is the dealer's. The
 * owner: the waiting's work order, else its installation project; the secondment itself. */
static enum sh_code record_charge(const struct uc *u, bool waiting, int64_t id,
                                  const struct db_rows *r, struct charge_in *c, struct sh_err *e)
{
    const char *fault = waiting ? db_get(r, 0, "at_fault") : NULL;
    const char *by = waiting ? db_get(r, 0, "confirmed_by") : NULL;
    if (waiting && (!fault || strcmp(fault, "customer") || !by || !*by))
        return guard(e, "{\"guard\":\"not_customer_fault\"}",
                     "only waiting confirmed as the customer's fault is billed (at_fault customer "
                     "and confirmed_by)");
    c->amount_fen = db_get_int(r, 0, "fee_fen", 0);
    c->fee_version_id = db_get_int(r, 0, "fee_version_id", 0);
    if (c->amount_fen <= 0 || !c->fee_version_id)
        return guard(e, "{\"guard\":\"fee_zero\"}", "the record's fee is zero: nothing to bill");
    c->source = "fee";
    if (waiting) {
        int64_t wo = db_get_int(r, 0, "work_order_id", 0);
        c->owner_kind = wo ? "work_order" : "install_project";
        c->owner_id = wo ? wo : db_get_int(r, 0, "project_id", 0);
        c->category = "waiting_fee";
        c->customer_bp = CHARGE_SHARE_WHOLE;
        c->description = sh_arena_printf(u->a, "待工服务费 待工记录 #%" PRId64 "（%s 起 %s 天）",
                                         id, db_get(r, 0, "started_on"), db_get(r, 0, "days"));
    } else {
        c->owner_kind = "secondment";
        c->owner_id = id;
        c->dealer_id = db_get_int(r, 0, "dealer_id", 0);
        c->category = "secondment_fee";
        c->dealer_bp = CHARGE_SHARE_WHOLE;
        c->description = sh_arena_printf(u->a, "劳务派遣费 人员借调 #%" PRId64 " %s（%s 至 %s）",
                                         id, utf8_prefix(u->a, db_get(r, 0, "staff"), 120),
                                         db_get(r, 0, "start_date"), db_get(r, 0, "end_date"));
    }
    return SH_OK;
}

enum sh_code uc_fee_record_bill(const struct uc *u, const struct entity *ent, int64_t id,
                                struct fee_bill_out *out, struct sh_err *e)
{
    memset(out, 0, sizeof *out);
    bool waiting = ent == &ent_waiting_records;
    char ts[21];
    sh_ts_format(u->now, ts);
    /* the row held until COMMIT first: a second bill waits, then sees the charge */
    enum sh_code rc = db_lock_row(u->tx, ent->table, id, e);
    struct db_rows old, now;
    if (rc || (rc = uc_ent_load_visible(u, ent, id, &old, e)))
        return rc;
    const char *billed = db_get(&old, 0, "charge_id");
    if (billed)
        return fee_billed(e, "charge_id", billed);
    struct charge_in c = {0};
    if ((rc = record_charge(u, waiting, id, &old, &c, e)) ||
        (rc = uc_charge_add(u, &c, &out->charge_id, e)))
        return rc;
    const char *status = waiting ? NULL : db_get(&old, 0, "status");
    rc = db_exec(u->tx,
                 sh_arena_printf(u->a,
                                 "UPDATE %s SET charge_id = $1, updated_at = $2, version = "
                                 "version + 1%s WHERE id = $3",
                                 ent->table,
                                 status && strcmp(status, "closed") ? ", status = 'billed'" : ""),
                 DB_P(DB_INT(out->charge_id), DB_TEXT(ts), DB_INT(id)), NULL, e);
    if (rc || (rc = ent_load(u->tx, u->a, ent, id, &now, e)) ||
        (rc = charge_json(u, out->charge_id, &out->charge_json, e)))
        return rc;
    out->record_json = ent_json(u->a, ent, &now, 0);
    return uc_audit(u, ent->name, id, "bill", ent_json(u->a, ent, &old, 0), out->record_json, e);
}

/* RULE docs/fees.md "Billing": the category of a calculated line: a percent_of line is a
 * management fee (CAB 3.1.7); else the one asked, else the rule set's own */
static const char *line_category(const struct fee_bill_in *in, const struct fee_calc_out *o,
                                 const struct fee_comp *comp)
{
    static const char *const by_set[][2] = {{"cabinet_install", "installation_fee"},
                                            {"secondment", "secondment_fee"},
                                            {"led_waiting", "waiting_fee"},
                                            {"led_training", "training"}};
    if (comp->kind == FK_PERCENT_OF)
        return "management_fee";
    if (in->category)
        return in->category;
    for (size_t i = 0; i < sizeof by_set / sizeof by_set[0]; i++) {
        if (!strcmp(o->set.code, by_set[i][0]))
            return by_set[i][1];
    }
    return "other";
}

/* the payer of a line pays it all: its share and its name (the dealer, the sales person) */
static void line_payer(const struct fee_bill_in *in, const struct fee_comp *comp,
                       struct charge_in *c)
{
    const char *p = comp->payer ? comp->payer : "";
    c->customer_bp = c->dealer_bp = c->sales_bp = 0;
    if (!strcmp(p, "dealer"))
        c->dealer_bp = CHARGE_SHARE_WHOLE;
    else if (!strcmp(p, "sales"))
        c->sales_bp = CHARGE_SHARE_WHOLE;
    else
        c->customer_bp = CHARGE_SHARE_WHOLE;
    c->dealer_id = in->dealer_id;
    c->sales_user_id = in->sales_user_id;
}

/* the cabinet series when the rule set reads a text input "series" */
static const char *series_of(const struct fee_bill_in *in, const struct fee_calc_out *o)
{
    for (int i = 0; i < o->rules.ninputs; i++) {
        const struct fee_input_decl *d = &o->rules.inputs[i];
        json_t *v = json_object_get(in->calc.inputs, d->name);
        if (d->type == FIT_TEXT && !strcmp(d->name, "series") && json_is_string(v))
            return json_string_value(v);
    }
    return NULL;
}

/* a value the charge takes as text (owner_kind, category, charged_on) checked as the charge's
 * column checks it, the error naming the field */
static enum sh_code charge_value(const struct uc *u, const char *name, const char *s,
                                 struct sh_err *e)
{
    int k = ent_colidx(&ent_charges, name);
    if (!s || k < 0)
        return SH_OK;
    struct fval v;
    json_t *j = json_string(s);
    enum sh_code rc = ent_parse_value(u->a, &ent_charges.cols[k], j, &v, e);
    json_decref(j);
    return rc;
}

enum sh_code uc_fee_calc_bill(const struct uc *u, const struct fee_bill_in *in,
                              struct fee_bill_calc_out *out, struct sh_err *e)
{
    memset(out, 0, sizeof *out);
    struct fee_calc_out *o = &out->calc;
    enum sh_code rc;
    if (!in->owner_kind || !*in->owner_kind) {
        sh_err_field(e, SH_INVALID, "owner_kind", "owner_kind is required");
        return sh_err_reason(e, "required", NULL);
    }
    if ((rc = charge_value(u, "owner_kind", in->owner_kind, e)) ||
        (rc = charge_value(u, "category", in->category, e)) ||
        (rc = charge_value(u, "charged_on", in->charged_on, e)) ||
        (rc = uc_fee_calculate(u, &in->calc, o, e)))
        return rc;
    out->ids = sh_arena_alloc(u->a, sizeof(int64_t) * (size_t)(o->result.nlines + 1));
    out->json = sh_arena_alloc(u->a, sizeof(char *) * (size_t)(o->result.nlines + 1));
    const char *series = series_of(in, o);
    for (int i = 0; i < o->result.nlines; i++) {
        const struct fee_line *l = &o->result.lines[i];
        const struct fee_comp *comp = &o->rules.comps[l->comp];
        if (!l->applied || l->info || l->amount <= 0)
            continue;
        struct charge_in c = {.owner_kind = in->owner_kind,
                              .owner_id = in->owner_id,
                              .customer_id = in->customer_id,
                              .category = line_category(in, o, comp),
                              .series = series,
                              .amount_fen = l->amount,
                              .source = "fee",
                              .fee_version_id = o->version.id,
                              .charged_on = in->charged_on};
        /* RULE review 70 M4: cut by characters, never inside one (PostgreSQL refused the
         * bill, SQLite stored broken text) */
        c.description =
            sh_arena_printf(u->a, "%s：%s%s%s",
                            utf8_prefix(u->a, in->description ? in->description : o->set.name, 200),
                            utf8_prefix(u->a, comp->label ? comp->label : comp->code, 200),
                            l->key ? " · " : "", utf8_prefix(u->a, l->key, 60));
        line_payer(in, comp, &c);
        if ((rc = uc_charge_add(u, &c, &out->ids[out->n], e)) ||
            (rc = charge_json(u, out->ids[out->n], &out->json[out->n], e)))
            return rc;
        out->n++;
    }
    if (!out->n)
        return guard(e, "{\"guard\":\"fee_zero\"}", "the calculation bills nothing");
    return SH_OK;
}
