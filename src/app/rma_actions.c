/* SPDX-License-Identifier: MIT */
/* POST /api/v1/rmas/{id}/actions: the explicit actions of domain/rma.c with what each
 * records (R-063 both QC inspections, the cause analysis, the charge when out of warranty),
 * the ship-back through a shipment (WF-01, app/shipments.h), the unit's status and the
 * ticket resolved when the RMA closes. */
#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/i18n.h"
#include "app/rma_consent.h"
#include "app/rmas.h"
#include "app/shipments.h"
#include "app/sla.h"
#include "app/tasks.h"
#include "app/surveys.h"
#include "app/ticket_actions.h"
#include "app/ticket_warranty.h"
#include "base/date.h"
#include "store/db_set.h"
#include "store/rmas.h"
#include "store/shipments.h"
#include "store/tickets.h"

static enum sh_code need(const char *v, const char *field, struct sh_err *e)
{
    if (v && *v)
        return SH_OK;
    sh_err_field(e, SH_INVALID, field, "'%s' is required for this action", field);
    return sh_err_reason(e, "required", NULL);
}

static enum sh_code guard(struct sh_err *e, const char *params, const char *msg)
{
    sh_err_set(e, SH_CONFLICT, "%s", msg);
    return sh_err_reason(e, "guard", "%s", params);
}

/* Who did it and when, under the columns' prefix. */
static void stamp(const struct uc *u, struct db_set *c, const char *by, const char *at,
                  const char *now)
{
    db_set_put(c, by, DB_INT(u->who->user_id));
    db_set_put(c, at, DB_TEXT(now));
}

/* The analysis: a cause category of the technical department, its text, the charge. */
static enum sh_code analyse(const struct uc *u, const struct db_rows *row,
                            const struct rma_action_in *in, struct db_set *c, const char *now,
                            struct sh_err *e)
{
    enum rma_cause cause;
    enum sh_code rc;
    if ((rc = need(in->cause_category, "cause_category", e)) ||
        (rc = need(in->cause_analysis, "cause_analysis", e)))
        return rc;
    if (!rma_cause_parse(in->cause_category, &cause)) {
        sh_err_field(e, SH_INVALID, "cause_category", "unknown cause category");
        return sh_err_reason(e, "unknown_value", NULL);
    }
    db_set_put(c, "cause_category", DB_TEXT(in->cause_category));
    db_set_put(c, "cause_analysis", DB_TEXT(in->cause_analysis));
    stamp(u, c, "analysed_by", "analysed_at", now);
    /* RULE WF-05 S9, WF-20 S3-S4: out of warranty the repair is charged; the amount is
     * proposed here and told to the customer, and billed once they accept it (rma_consent) */
    if (in->charge_fen >= 0) {
        if (!db_get_int(row, 0, "chargeable", 0) && in->charge_fen > 0)
            return guard(e, "{\"guard\":\"in_warranty\"}",
                         "the unit is in warranty: its return to the factory is free");
        db_set_put(c, "charge_fen", DB_INT(in->charge_fen));
    }
    return in->charge_fen > 0 ? rma_charge_propose(u, row, in, e) : SH_OK;
}

/* RULE WF-20 S7: a charged repair ships back once finance has confirmed its payment: the
 * charge the customer accepted (rmas_get) is paid, all of it (pay_state paid, as the ticket's
 * charges card shows it). A waiver is finance's change of that charge (a lower amount, an
 * offset payment, or the deletion of a charge nothing was paid on); another credit line pays
 * no charge. */
static enum sh_code payment_guard(const struct uc *u, const struct db_rows *row, struct sh_err *e)
{
    const char *ps = db_get(row, 0, "charge_pay_state");
    if (!db_get(row, 0, "charge_id") || (ps && !strcmp(ps, "paid")))
        return SH_OK;
    int64_t amount = db_get_int(row, 0, "charge_amount_fen", 0);
    int64_t open = amount - db_get_int(row, 0, "charge_paid_fen", 0);
    return guard(e,
                 sh_arena_printf(u->a,
                                 "{\"guard\":\"payment\",\"charge_id\":%s,\"amount_fen\":%" PRId64
                                 ",\"open_fen\":%" PRId64 ",\"pay_state\":\"%s\"}",
                                 db_get(row, 0, "charge_id"), amount, open, ps ? ps : ""),
                 sh_arena_printf(u->a,
                                 "the repair's charge is not paid yet (%" PRId64
                                 " fen open): it ships back once finance has recorded the payment",
                                 open));
}

/* Review 68 L3: the ship-back of the RMA's own unit (a repair, or unrepaired after a decline)
 * carries that unit, whose serial and dates are known: its line is recorded here from the
 * unit (a date the unit lacks stays empty for the warehouse to record), so the warehouse
 * only checks it and releases. A replacement's ship-back carries a new unit (WF-06 S4): its
 * line waits for the new serial. */
static enum sh_code own_unit_line(const struct uc *u, const struct db_rows *row, int64_t sid,
                                  struct sh_err *e)
{
    if (db_get(row, 0, "old_unit_handling"))
        return SH_OK;
    struct db_rows un, l;
    enum sh_code rc;
    if ((rc = db_query(u->tx, u->a,
                       "SELECT serial_no, production_date, ship_date FROM units WHERE id = $1",
                       DB_P(DB_INT(db_get_int(row, 0, "unit_id", 0))), &un, e)) ||
        (rc = shipment_lines(u->tx, u->a, sid, &l, e)))
        return rc;
    if (!un.nrows || l.nrows != 1)
        return SH_OK;
    const char *serial = db_get(&un, 0, "serial_no");
    if ((rc = shipment_line_set(u->tx, sid, db_get_int(&l, 0, "id", 0), serial,
                                db_get(&un, 0, "production_date"), db_get(&un, 0, "ship_date"), e)))
        return rc;
    return shipment_log(u, sid, "line", "", "",
                        sh_arena_printf(u->a, "#%s %s (RMA %s)", db_get(&l, 0, "line_no"), serial,
                                        db_get(row, 0, "number")),
                        e);
}

/* WF-05 S8 via WF-01: a replacement-kind shipment for the ticket (no payment gate of its own:
 * the RMA's is payment_guard) of one unit of the RMA's model; the warehouse records the
 * serial (prefilled for the RMA's own unit when own: own_unit_line) and releases it as
 * usual. */
static enum sh_code ship_unit(const struct uc *u, const struct db_rows *row,
                              const struct rma_action_in *in, bool own, struct db_set *c,
                              struct sh_err *e)
{
    struct shipment_line_in line = {db_get_int(row, 0, "model_id", 0), 1};
    struct shipment_create_in s = {
        .kind = "replacement",
        .ticket_id = db_get_int(row, 0, "ticket_id", 0),
        .site_id = db_get_int(row, 0, "site_id", 0),
        .includes_installation = 0,
        .ship_to = in->ship_to,
        .packaging = in->packaging,
        .note =
            sh_arena_printf(u->a, "RMA %s: %s", db_get(row, 0, "number"), in->note ? in->note : ""),
        .lines = &line,
        .nlines = 1};
    int64_t sid;
    enum sh_code rc = uc_shipment_create(u, &s, &sid, e);
    if (!rc && own)
        rc = own_unit_line(u, row, sid, e);
    if (!rc)
        db_set_put(c, "shipment_id", DB_INT(sid));
    return rc;
}

static enum sh_code ship_back(const struct uc *u, const struct db_rows *row,
                              const struct rma_action_in *in, struct db_set *c, struct sh_err *e)
{
    enum sh_code rc = payment_guard(u, row, e);
    return rc ? rc : ship_unit(u, row, in, true, c, e);
}

/* An approved request of kind replacement linked to the ticket (decided by the approver the
 * matrix names, never its requester: docs/approvals.md). */
static enum sh_code approval_guard(const struct uc *u, const struct db_rows *row, struct sh_err *e)
{
    struct db_rows a;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT count(*) AS n FROM approvals WHERE ticket_id = $1 AND kind "
                               "= 'replacement' AND status = 'approved'",
                               DB_P(DB_INT(db_get_int(row, 0, "ticket_id", 0))), &a, e);
    if (rc || db_get_int(&a, 0, "n", 0) > 0)
        return rc;
    return guard(e, "{\"guard\":\"approval\",\"kind\":\"replacement\"}",
                 "the replacement needs an approved request of kind replacement linked to the "
                 "ticket (POST /api/v1/approvals)");
}

/* The follow-up of the old unit's return: a task of after-sales (role agent) due at the end of
 * the local return date (Asia/Shanghai, as ticket_local_date), so the task list shows it
 * overdue the day after, as GET /rmas?overdue=true does; done when the unit is received or
 * the RMA cancelled (return_task_done). */
static enum sh_code return_task(const struct uc *u, const struct db_rows *row, const char *due,
                                struct sh_err *e)
{
    struct sh_date d;
    if (!sh_date_parse(due, &d))
        return sh_err_set(e, SH_INTERNAL, "bad return date");
    char at[21];
    sh_ts_format((sh_days_from_civil(d.y, d.m, d.d) + 1) * 86400 - 8 * 3600, at);
    struct task_in t = {.kind = "rma_return",
                        .title = sh_arena_printf(
                            u->a, "%s %s",
                            i18n_label(u->app, "zh-CN", "task.kind.rma_return", "old unit return"),
                            db_get(row, 0, "number")),
                        .body = sh_arena_printf(u->a, "%s %s → %s", db_get(row, 0, "model_name"),
                                                db_get(row, 0, "serial_no"), due),
                        .role = "agent",
                        .ticket_id = db_get_int(row, 0, "ticket_id", 0),
                        .source = "rma",
                        .source_id = db_get_int(row, 0, "id", 0),
                        .due_at = sh_arena_printf(u->a, "%s", at)};
    int64_t id;
    return uc_task_create(u, &t, &id, e);
}

static enum sh_code return_task_done(const struct uc *u, const struct db_rows *row,
                                     enum rma_state to, struct sh_err *e)
{
    char now[21];
    sh_ts_format(u->now, now);
    return db_exec(u->tx,
                   "UPDATE tasks SET status = 'done', reply = $2, done_at = $3, done_by = $4, "
                   "updated_at = $3, version = version + 1 WHERE source = 'rma' AND source_id = "
                   "$1 AND kind = 'rma_return' AND status = 'open'",
                   DB_P(DB_INT(db_get_int(row, 0, "id", 0)), DB_TEXT(rma_state_name(to)),
                        DB_TEXT(now), u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL),
                   NULL, e);
}

/* RULE WF-08 S3 (review 68 M9): a dead-on-arrival unit's replacement ships before the unit
 * comes back (先换后返): the ticket is a DOA, the replacement approved; the new unit's
 * shipment is the RMA's (its line refuses the old serial: serial_replaced), the old unit is
 * to be returned by return_due. */
static enum sh_code advance_exchange(const struct uc *u, const struct db_rows *row,
                                     const struct rma_action_in *in, struct db_set *c,
                                     struct sh_err *e)
{
    if (rma_advance_guard(db_get(row, 0, "ticket_type")))
        return guard(e, "{\"guard\":\"doa\"}",
                     "an advance exchange is for a dead-on-arrival unit (a ticket of type doa)");
    /* RULE review 72 #4: no replacement ships ahead, unpaid, for a unit out of warranty */
    const char *ws = db_get(row, 0, "warranty_status");
    if (ws && !strcmp(ws, "out"))
        return guard(e, "{\"guard\":\"eligibility\",\"why\":\"warranty\"}",
                     "the unit is out of warranty: no advance exchange (a paid replacement is "
                     "replace after the analysis)");
    enum sh_code rc = approval_guard(u, row, e);
    if (rc || (rc = ship_unit(u, row, in, false, c, e)))
        return rc;
    char due[11];
    rma_return_due(ticket_local_date(u->now), due);
    db_set_put(c, "advance", DB_INT(1));
    db_set_put(c, "return_due", DB_TEXT(sh_arena_printf(u->a, "%s", due)));
    db_set_put(c, "old_unit_handling", DB_TEXT("returned"));
    return return_task(u, row, due, e);
}

/* RULE WF-06 S2-S3, R-065: the factory replaces a unit only when the replacement is
 * eligible (in warranty and a quality cause, or out of warranty with the charge accepted: a
 * paid replacement) and approved by the approver the matrix names for kind replacement (an
 * approved request linked to the ticket). */
static enum sh_code replace_guard(const struct uc *u, const struct db_rows *row, struct sh_err *e)
{
    const char *why;
    if (!rma_replacement_eligible(db_get(row, 0, "warranty_status"),
                                  db_get(row, 0, "cause_category"),
                                  rma_accepted_fen(db_get_int(row, 0, "charge_fen", 0),
                                                   db_get(row, 0, "consent_decision")),
                                  &why))
        return guard(e, sh_arena_printf(u->a, "{\"guard\":\"eligibility\",\"why\":\"%s\"}", why),
                     "the replacement is not eligible: it needs the unit in warranty and a "
                     "quality cause (manufacturing, assembly, material, design), or, out of "
                     "warranty, the customer's acceptance of the charge");
    return approval_guard(u, row, e);
}

/* RULE WF-05 S9: closed once the customer received the shipment back. */
static enum sh_code close_rma(const struct uc *u, const struct db_rows *row, struct db_set *c,
                              const char *now, struct sh_err *e)
{
    const char *ss = db_get(row, 0, "shipment_state");
    if (!ss || strcmp(ss, "received"))
        return guard(
            e, sh_arena_printf(u->a, "{\"guard\":\"shipment\",\"state\":\"%s\"}", ss ? ss : ""),
            "the customer has not received the shipment back yet");
    db_set_put(c, "closed_at", DB_TEXT(now));
    return SH_OK;
}

/* RULE review 72 #5: an advance exchange's cancel takes its replacement back while the
 * shipping module can still cancel it (requested, ordered, handed over, on hold: the
 * shipment's own cancel, in this transaction); once released or on its way (released,
 * in_transit, arrived, received) the RMA stays open to track the old unit's return: 409
 * guard shipment with the shipment's state. */
static enum sh_code cancel_rma(const struct uc *u, const struct db_rows *row,
                               const struct rma_action_in *in, struct sh_err *e)
{
    enum sh_code rc = need(in->note, "note", e);
    const char *ss = db_get(row, 0, "shipment_state");
    if (rc || !db_get_int(row, 0, "advance", 0) || !ss || !strcmp(ss, "cancelled"))
        return rc;
    enum shp_state st = SHS_REQUESTED;
    shp_state_parse(ss, &st);
    if (st == SHS_RELEASED || st == SHS_IN_TRANSIT || st == SHS_ARRIVED || st == SHS_RECEIVED)
        return guard(e,
                     sh_arena_printf(u->a,
                                     "{\"guard\":\"shipment\",\"shipment_id\":%s,\"state\":\"%s\"}",
                                     db_get(row, 0, "shipment_id"), ss),
                     "the replacement has left the warehouse: the old unit is still owed back, "
                     "so the advance exchange cannot be cancelled");
    struct shipment_action_in sa = {
        .id = db_get_int(row, 0, "shipment_id", 0),
        .if_match = -1,
        .action = SHA_CANCEL,
        .note = sh_arena_printf(u->a, "RMA %s: %s", db_get(row, 0, "number"), in->note),
        .certificate_sent = -1};
    return uc_shipment_action(u, &sa, e);
}

static enum sh_code apply(const struct uc *u, const struct db_rows *row,
                          const struct rma_action_in *in, struct db_set *c, const char *now,
                          struct sh_err *e)
{
    enum sh_code rc = SH_OK;
    switch (in->action) {
    case RMA_RECEIVE:
        db_set_put(c, "received_at", DB_TEXT(now));
        return SH_OK;
    case RMA_INSPECT_IN:
        if (!(rc = need(in->findings, "findings", e))) {
            db_set_put(c, "incoming_findings", DB_TEXT(in->findings));
            stamp(u, c, "incoming_by", "incoming_at", now);
        }
        return rc;
    case RMA_ANALYSE:
        return analyse(u, row, in, c, now, e);
    case RMA_REPAIR:
    case RMA_REPLACE:
        if (in->action == RMA_REPLACE &&
            ((rc = replace_guard(u, row, e)) ||
             (rc = need(in->old_unit_handling, "old_unit_handling", e))))
            return rc;
        /* the outcome: a repair after a rework of a replacement ships the unit itself back */
        db_set_put(c, "old_unit_handling",
                   in->action == RMA_REPLACE ? DB_TEXT(in->old_unit_handling) : DB_NULL);
        if (!(rc = need(in->note, "note", e))) {
            db_set_put(c, "work_note", DB_TEXT(in->note));
            stamp(u, c, "worked_by", "worked_at", now);
        }
        return rc;
    case RMA_INSPECT_OUT:
    case RMA_REWORK:
        if (!(rc = need(in->findings, "findings", e))) {
            db_set_put(c, "outgoing_findings", DB_TEXT(in->findings));
            stamp(u, c, "outgoing_by", "outgoing_at", now);
        }
        return rc;
    case RMA_SHIP_BACK:
        return ship_back(u, row, in, c, e);
    case RMA_CLOSE:
        return close_rma(u, row, c, now, e);
    case RMA_CANCEL:
        return cancel_rma(u, row, in, e);
    case RMA_CONSENT:
        return rma_consent(u, row, in, c, now, e);
    case RMA_ADVANCE:
        return advance_exchange(u, row, in, c, e);
    case RMA_ACTION_COUNT:
        break;
    }
    return sh_err_set(e, SH_INVALID, "unknown action");
}

/* The ticket at the factory is resolved by the RMA's close (docs/rma.md). */
static enum sh_code resolve_ticket(const struct uc *u, const struct db_rows *row, struct sh_err *e)
{
    int64_t tid = db_get_int(row, 0, "ticket_id", 0);
    const char *ts = db_get(row, 0, "ticket_status");
    if (!ts || strcmp(ts, "at_factory"))
        return SH_OK;
    return uc_ticket_resolve_by(
        u, tid, sh_arena_printf(u->a, "RMA %s closed", db_get(row, 0, "number")), e);
}

/* RULE WF-06 S4-S5: a replaced unit's shipment carried a new serial: the new one takes the
 * old one's place (customer, site, installed on the receipt's date when the old one was
 * installed: rma_unit_replaces), the old unit is retired as its handling says, and the RMA
 * links both. */
static enum sh_code swap_units(const struct uc *u, const struct db_rows *row, int64_t *unit,
                               struct sh_err *e)
{
    struct db_rows l;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT l.unit_id, s.received_on FROM shipment_lines l JOIN "
                               "shipments s ON s.id = l.shipment_id WHERE l.shipment_id = $1 AND "
                               "l.unit_id IS NOT NULL ORDER BY l.line_no LIMIT 1",
                               DB_P(DB_INT(db_get_int(row, 0, "shipment_id", 0))), &l, e);
    int64_t fresh = rc || !l.nrows ? 0 : db_get_int(&l, 0, "unit_id", 0);
    if (rc || !fresh || fresh == *unit)
        return rc;
    const char *st = rma_old_unit_status(db_get(row, 0, "old_unit_handling"));
    if ((rc = rma_unit_replaces(u, *unit, fresh, db_get(&l, 0, "received_on"), e)) ||
        (st && (rc = rma_unit_status(u, *unit, st, e))) ||
        (rc = db_exec(u->tx, "UPDATE rmas SET new_unit_id = $1 WHERE id = $2",
                      DB_P(DB_INT(fresh), DB_INT(db_get_int(row, 0, "id", 0))), NULL, e)))
        return rc;
    *unit = fresh;
    return SH_OK;
}

/* The unit follows: in repair once received (an advance exchange's old unit is returned: its
 * replacement already shipped), back at the customer when closed. */
static enum sh_code follow(const struct uc *u, const struct db_rows *row, enum rma_state to,
                           struct sh_err *e)
{
    int64_t unit = db_get_int(row, 0, "unit_id", 0);
    enum sh_code rc = SH_OK;
    if (to == RMS_RECEIVED)
        rc = rma_unit_status(u, unit, db_get_int(row, 0, "advance", 0) ? "returned" : "in_repair",
                             e);
    if (!rc && (to == RMS_RECEIVED || to == RMS_CANCELLED) && db_get_int(row, 0, "advance", 0))
        rc = return_task_done(u, row, to, e);
    if (!rc && to == RMS_CLOSED && db_get(row, 0, "old_unit_handling"))
        rc = swap_units(u, row, &unit, e);
    if (!rc && to == RMS_CLOSED && !(rc = rma_unit_status(u, unit, NULL, e)))
        rc = resolve_ticket(u, row, e);
    return rc;
}

/* The timeline's name of the action: the consent names its decision (consent_accept,
 * consent_decline). */
static const char *rma_event_name(const struct uc *u, const struct rma_action_in *in)
{
    if (in->action == RMA_CONSENT && in->decision)
        return sh_arena_printf(u->a, "consent_%s", in->decision);
    return rma_action_name(in->action);
}

enum sh_code uc_rma_action(const struct uc *u, const struct rma_action_in *in, struct sh_err *e)
{
    struct db_rows row;
    /* RULE review 72 #1: the row taken before it is read: a second action at the same time
     * (PostgreSQL) waits here and checks the state the first committed, so two advance
     * exchanges cannot both see the RMA without one */
    enum sh_code rc = db_lock_row(u->tx, "rmas", in->id, e);
    if (rc || (rc = rmas_get(u->tx, u->a, in->id, &row, e)))
        return rc;
    /* a customer account acts on its own RMAs only (the consent, domain/rma.c) */
    if (principal_external(u->who) && db_get_int(&row, 0, "customer_id", 0) != u->who->customer_id)
        return sh_err_set(e, SH_NOT_FOUND, "RMA not found");
    int64_t version = db_get_int(&row, 0, "version", 1);
    if (in->if_match >= 0 && in->if_match != version) {
        sh_err_set(e, SH_PRECONDITION, "the RMA changed since you read it");
        return sh_err_reason(e, "stale", "{\"version\":%" PRId64 "}", version);
    }
    enum rma_state st = RMS_AWAITING_RETURN, to;
    rma_state_parse(db_get(&row, 0, "state"), &st);
    if ((rc = rma_transition(st, in->action, u->who->roles, db_get_int(&row, 0, "advance", 0) != 0,
                             &to, e)) ||
        (rc = rma_consent_check(u, &row, in, e)))
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    struct db_set c = {.n = 0};
    db_set_put(&c, "state", DB_TEXT(rma_state_name(to)));
    const char *note = in->findings && *in->findings ? in->findings : in->note;
    if ((rc = apply(u, &row, in, &c, now, e)) ||
        (rc = db_set_apply(u->tx, "rmas", in->id, &c, now, e)) ||
        (rc = rma_event_add(u->tx, in->id, rma_event_name(u, in), rma_state_name(st),
                            rma_state_name(to), note, u->who->user_id, now, e)) ||
        (rc = uc_audit(u, "rma", in->id, rma_action_name(in->action),
                       sh_arena_printf(u->a, "{\"state\":\"%s\"}", rma_state_name(st)),
                       sh_arena_printf(u->a, "{\"state\":\"%s\"}", rma_state_name(to)), e)))
        return rc;
    return follow(u, &row, to, e);
}
