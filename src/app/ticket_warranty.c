/* SPDX-License-Identifier: MIT */
#include "app/ticket_warranty.h"

#include <string.h>

#include "app/quotes.h"
#include "app/ticket_actions.h"
#include "app/ticket_events.h"
#include "base/jw.h"
#include "store/tickets.h"

struct sh_date ticket_local_date(int64_t t)
{
    return sh_civil_from_days((t + 8 * 3600) / 86400);
}

enum ticket_cause ticket_cause_of(const char *s)
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

/* The unit's dates and terms as the domain's billing input. */
static void billing_in(const struct db_rows *r, struct sh_date report, enum ticket_cause cause,
                       struct ticket_billing_in *in)
{
    *in = (struct ticket_billing_in){
        .unit = {.contract_months = -1, .model_months = 12}, .reported = report, .cause = cause};
    const char *s;
    if ((s = db_get(r, 0, "install_date")))
        in->unit.has_install = sh_date_parse(s, &in->unit.install);
    if ((s = db_get(r, 0, "ship_date")))
        in->unit.has_ship = sh_date_parse(s, &in->unit.ship);
    if ((s = db_get(r, 0, "warranty_end_override")))
        in->unit.has_override = sh_date_parse(s, &in->unit.override_end);
    in->unit.model_months = (int)db_get_int(r, 0, "mm", 12);
    if (db_get(r, 0, "cm"))
        in->unit.contract_months = (int)db_get_int(r, 0, "cm", -1);
    struct sh_date cend;
    const char *ce = db_get(r, 0, "contract_end");
    in->service_contract = db_get(r, 0, "contract_number") &&
                           (!ce || (sh_date_parse(ce, &cend) && sh_date_cmp(report, cend) <= 0));
}

static const char *decision_json(struct sh_arena *a, const struct ticket_billing_out *bo,
                                 const char *contract, struct sh_date report,
                                 enum ticket_cause cause, const char *billing)
{
    char start[11] = "", end[11] = "";
    if (bo->warranty.basis == WB_INSTALL || bo->warranty.basis == WB_SHIP)
        sh_date_format(bo->warranty.start, start);
    sh_date_format(bo->warranty.end, end);
    struct sh_buf b = SH_BUF_INIT(4096);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kbool(&w, "in_warranty", bo->in_warranty);
    jw_kstr(&w, "basis", warranty_basis_name(bo->warranty.basis));
    jw_kstr(&w, "start", *start ? start : NULL);
    jw_kstr(&w, "end", end);
    jw_kint(&w, "months", bo->warranty.months);
    jw_kstr(&w, "months_from", bo->warranty.months_from_contract ? "contract" : "model");
    jw_kstr(&w, "contract", contract);
    char rep[11];
    sh_date_format(report, rep);
    jw_kstr(&w, "report_date", rep);
    jw_kstr(&w, "cause", ticket_cause_name(cause));
    jw_kstr(&w, "billing", billing);
    jw_kstr(&w, "reason", bo->reason);
    jw_obj_end(&w);
    const char *out = jw_finish(&w) == SH_OK ? sh_arena_strdup(a, b.buf) : NULL;
    sh_buf_release(&b);
    return out;
}

enum sh_code uc_warranty_decide(const struct uc *u, int64_t unit_id, struct sh_date report,
                                enum ticket_cause cause, struct warranty_decision *out,
                                struct sh_err *e)
{
    out->status = "unknown";
    out->billing = "unknown"; /* issue 10 item 19: not warranty before anyone knows */
    out->json = NULL;
    if (!unit_id)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT u.ship_date, u.install_date, u.warranty_end_override, m.warranty_months AS mm, "
        "k.warranty_months AS cm, k.end_date AS contract_end, k.number AS contract_number "
        "FROM units u JOIN product_models m ON m.id = u.model_id "
        "LEFT JOIN contracts k ON k.id = u.contract_id WHERE u.id = $1",
        DB_P(DB_INT(unit_id)), &r, e);
    if (rc || r.nrows == 0)
        return rc;
    struct ticket_billing_in in;
    billing_in(&r, report, cause, &in);
    struct ticket_billing_out bo;
    struct sh_err de;
    sh_err_clear(&de);
    rc = ticket_billing_decide(&in, &bo, &de);
    if (rc == SH_UNPROCESSABLE) {
        out->json = "{\"in_warranty\":null,\"basis\":\"none\",\"reason\":"
                    "\"no install or ship date: warranty unknown\"}";
        return SH_OK;
    }
    if (rc)
        return sh_err_set(e, rc, "%s", de.msg);
    out->status = bo.in_warranty ? "in" : "out";
    out->billing = ticket_billing_name(bo.billing);
    out->json =
        decision_json(u->a, &bo, db_get(&r, 0, "contract_number"), report, cause, out->billing);
    return SH_OK;
}

/* The ticket's unit and report date decided with cause (NULL: the recorded exclusion). */
static enum sh_code decide_for(const struct uc *u, int64_t id, const char *cause,
                               struct ticket_row *t, struct warranty_decision *out,
                               struct sh_err *e)
{
    enum sh_code rc = uc_ticket_load(u, id, t, e);
    if (rc)
        return rc;
    int64_t received = 0;
    sh_ts_parse(t->received_at, &received);
    return uc_warranty_decide(u, t->unit_id, ticket_local_date(received),
                              ticket_cause_of(cause ? cause : t->exclusion), out, e);
}

enum sh_code uc_ticket_warranty(const struct uc *u, int64_t id, struct warranty_decision *out,
                                struct sh_err *e)
{
    struct ticket_row t;
    return decide_for(u, id, NULL, &t, out, e);
}

enum sh_code uc_ticket_exclusion(const struct uc *u, int64_t id, const char *cause,
                                 const char *reason, struct warranty_decision *out,
                                 struct sh_err *e)
{
    struct ticket_row t;
    enum sh_code rc = decide_for(u, id, cause, &t, out, e);
    if (rc ||
        (rc = tickets_set_exclusion(u->tx, id, cause, reason, out->billing, out->status, out->json,
                                    e)) ||
        (rc = uc_quote_on_billing(u, id, t.billing, out->billing, e)))
        return rc;
    return uc_ticket_event(u, id, "warranty", "customer", reason, out->json, NULL, e);
}

enum sh_code uc_ticket_warranty_redecide(const struct uc *u, int64_t id, int64_t unit,
                                         int64_t received, const char *exclusion, struct sh_err *e)
{
    struct warranty_decision wd;
    struct db_rows was;
    enum sh_code rc = uc_warranty_decide(u, unit, ticket_local_date(received),
                                         ticket_cause_of(exclusion), &wd, e);
    if (rc || (rc = db_query(u->tx, u->a, "SELECT billing FROM tickets WHERE id = $1",
                             DB_P(DB_INT(id)), &was, e)))
        return rc;
    /* an accepted quote stops charging a ticket that became free (docs/quotes.md) */
    if ((rc = uc_quote_on_billing(u, id, was.nrows ? db_get(&was, 0, "billing") : NULL, wd.billing,
                                  e)))
        return rc;
    return db_exec(u->tx,
                   "UPDATE tickets SET customer_id = COALESCE(customer_id, (SELECT customer_id "
                   "FROM units WHERE id = $2)), model_id = (SELECT model_id FROM units WHERE id = "
                   "$2), billing = $3, warranty_status = $4, warranty_json = $5 WHERE id = $1",
                   DB_P(DB_INT(id), unit ? DB_INT(unit) : DB_NULL, DB_TEXT(wd.billing),
                        DB_TEXT(wd.status), DB_TEXT(wd.json)),
                   NULL, e);
}
