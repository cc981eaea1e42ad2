/* SPDX-License-Identifier: MIT */
/* The customer's consent to an RMA's charge (app/rma_consent.h, docs/rma.md "Charges"). */
#include "app/rma_consent.h"

#include <inttypes.h>
#include <string.h>

#include "app/charges.h"
#include "app/notify_events.h"
#include "domain/fees.h"
#include "domain/quote.h"

static enum sh_code consent_err(struct sh_err *e, const char *field, const char *reason,
                                const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

enum sh_code rma_charge_propose(const struct uc *u, const struct db_rows *row,
                                const struct rma_action_in *in, struct sh_err *e)
{
    /* RULE WF-20 S4: the customer is told the charge (告知用户应承担的维修费用) */
    char amount[32];
    fee_fen_format(in->charge_fen, amount);
    const struct notify_var v[] = {{"number", db_get(row, 0, "number")},
                                   {"model", db_get(row, 0, "model_name")},
                                   {"serial", db_get(row, 0, "serial_no")},
                                   {"amount", amount}};
    struct notify_to to = {.ticket_customer = true,
                           .ticket_id = db_get_int(row, 0, "ticket_id", 0),
                           .dedupe = sh_arena_printf(u->a, "rma_charge:%s", db_get(row, 0, "id"))};
    return uc_notify_event(u, "rma_charge", &to, v, 4, NULL, e);
}

enum sh_code rma_consent_check(const struct uc *u, const struct db_rows *row,
                               const struct rma_action_in *in, struct sh_err *e)
{
    enum rma_state st = RMS_AWAITING_RETURN;
    rma_state_parse(db_get(row, 0, "state"), &st);
    int64_t proposed = db_get_int(row, 0, "charge_fen", 0);
    const char *d = db_get(row, 0, "consent_decision");
    if (!rma_consent_guard(st, in->action, proposed, d))
        return SH_OK;
    sh_err_set(e, SH_CONFLICT, "%s",
               in->action == RMA_CONSENT ? "no charge waits for the customer's decision"
               : in->action == RMA_SHIP_BACK
                   ? "an analysed unit ships back unrepaired only once the customer declined "
                     "the proposed charge"
                   : "the customer has not accepted the proposed charge: the repair waits for "
                     "the accept (a declined repair ships back unrepaired)");
    return sh_err_reason(e, "guard",
                         "{\"guard\":\"consent\",\"proposed_fen\":%" PRId64 ",\"decision\":%s}",
                         proposed, d ? sh_arena_printf(u->a, "\"%s\"", d) : "null");
}

/* The accepted charge billed: a charge line of the ticket (source rma), the customer paying
 * the whole, in the accept's transaction; a decision is recorded once per RMA, so once. It is
 * the customer's receivable and shows on the ticket's charges. */
static enum sh_code bill(const struct uc *u, const struct db_rows *row, struct sh_err *e)
{
    struct charge_in ch = {
        .owner_kind = "ticket",
        .owner_id = db_get_int(row, 0, "ticket_id", 0),
        .customer_id = db_get_int(row, 0, "customer_id", 0),
        .category = "repair",
        .source = "rma",
        .description = sh_arena_printf(u->a, "返厂维修 %s：%s", db_get(row, 0, "number"),
                                       db_get(row, 0, "cause_analysis")),
        .amount_fen = db_get_int(row, 0, "charge_fen", 0),
        .customer_bp = CHARGE_SHARE_WHOLE,
    };
    int64_t id;
    return uc_charge_add(u, &ch, &id, e);
}

enum sh_code rma_consent(const struct uc *u, const struct db_rows *row,
                         const struct rma_action_in *in, struct db_set *c, const char *now,
                         struct sh_err *e)
{
    const char *channel = in->channel;
    bool customer = principal_external(u->who);
    if (!in->decision)
        return consent_err(e, "decision", "required", "'decision' is accept or decline");
    if (customer)
        channel = "portal";
    else if (!channel || !quote_channel_recordable(channel))
        return consent_err(e, "channel", channel ? "unknown_value" : "required",
                           "how the customer said it: phone, wechat, letter, email or in_person");
    if (!customer && (!in->note || !*in->note))
        return consent_err(e, "note", "required",
                           "note who said it and when (the customer's words)");
    db_set_put(c, "consent_decision", DB_TEXT(in->decision));
    db_set_put(c, "consent_channel", DB_TEXT(channel));
    db_set_put(c, "consent_note", DB_TEXT(in->note ? in->note : ""));
    db_set_put(c, "consent_by", DB_INT(u->who->user_id));
    db_set_put(c, "consent_at", DB_TEXT(now));
    /* RULE WF-20 S5-S7: the accepted charge is billed (the ship-back then waits for its
     * payment); a declined one bills nothing */
    return strcmp(in->decision, "accept") ? SH_OK : bill(u, row, e);
}
