/* SPDX-License-Identifier: MIT */
/* Quotes: sending (with the approval matrix above the company's amount), the customer's
 * no-login link, revisions, the decisions, the charge told, and the guards' facts
 * (app/quotes.h; docs/quotes.md). */
#include <inttypes.h>
#include <string.h>

#include "app/approvals.h"
#include "app/audit_row.h"
#include "app/i18n.h"
#include "app/notify_events.h"
#include "app/passwords.h"
#include "app/quote_int.h"
#include "app/ticket_actions.h"
#include "app/ticket_events.h"
#include "base/date.h"
#include "domain/fees.h"
#include "store/settings.h"
#include "store/tickets.h"

static enum sh_code illegal(struct sh_err *e, const struct quote_row *q, const char *action)
{
    sh_err_set(e, SH_CONFLICT, "quote %s is %s: it cannot be %s", q->number, q->status, action);
    return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\",\"action\":\"%s\"}", q->status,
                         action);
}

static enum sh_code set_status(const struct uc *u, struct quote_row *q, const char *status,
                               struct sh_err *e)
{
    enum sh_code rc = db_exec(u->tx,
                              "UPDATE quotes SET status = $1, updated_at = $2, version = version "
                              "+ 1 WHERE id = $3",
                              DB_P(DB_TEXT(status), DB_TEXT(quote_now(u)), DB_INT(q->id)), NULL, e);
    q->status = status;
    return rc;
}

static enum sh_code event(const struct uc *u, const struct quote_row *q, const char *what,
                          const char *body, struct sh_err *e)
{
    const char *data = sh_arena_printf(u->a,
                                       "{\"event\":\"%s\",\"quote_id\":%" PRId64
                                       ",\"number\":\"%s\",\"total_fen\":%" PRId64 "}",
                                       what, q->id, q->number, q->total_fen);
    return uc_ticket_event(u, q->ticket_id, "quote", "internal", body ? body : "", data, NULL, e);
}

/* A quote's ticket held until COMMIT (tickets_lock) before the quote is read: sending,
 * revising, the approval's answer and the decisions on one ticket's quotes run one after the
 * other, each reading what the one before committed (two accepts of two quotes of a ticket
 * cannot both find no other accepted). Nothing when there is no such quote (the read that
 * follows answers 404). */
static enum sh_code hold(const struct uc *u, int64_t quote_id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT ticket_id FROM quotes WHERE id = $1",
                               DB_P(DB_INT(quote_id)), &r, e);
    if (rc || !r.nrows)
        return rc;
    return tickets_lock(u->tx, db_get_int(&r, 0, "ticket_id", 0), e);
}

enum sh_code quote_none_accepted(const struct uc *u, int64_t ticket_id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT id, number FROM quotes WHERE ticket_id = $1 AND status = "
                               "'accepted' ORDER BY id LIMIT 1",
                               DB_P(DB_INT(ticket_id)), &r, e);
    if (rc || !r.nrows)
        return rc;
    const char *number = db_get(&r, 0, "number");
    sh_err_set(e, SH_CONFLICT,
               "quote %s of this ticket is accepted: a ticket has one accepted quote (more work "
               "is charged as a charge line)",
               number);
    return sh_err_reason(
        e, "guard", "{\"guard\":\"quote_accepted\",\"quote_id\":%" PRId64 ",\"number\":\"%s\"}",
        db_get_int(&r, 0, "id", 0), number);
}

enum sh_code quote_billing_allows(const char *billing, struct sh_err *e)
{
    if (quote_billing_paid(billing))
        return SH_OK;
    billing = billing ? billing : "unknown";
    sh_err_set(e, SH_CONFLICT,
               "the ticket's billing is %s: a quote prices work the customer pays for (billing "
               "chargeable or negotiated)",
               billing);
    return sh_err_reason(e, "guard", "{\"guard\":\"billing\",\"billing\":\"%s\"}", billing);
}

enum sh_code quote_billing_guard(const struct uc *u, int64_t ticket_id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT billing FROM tickets WHERE id = $1",
                               DB_P(DB_INT(ticket_id)), &r, e);
    if (rc)
        return rc;
    return quote_billing_allows(r.nrows ? db_get(&r, 0, "billing") : NULL, e);
}

/* RULE WF-20: withdrawn, because another quote of its ticket was accepted or the ticket is no
 * longer chargeable (quote_charges.c): its link answers 410 withdrawn from now on. */
enum sh_code quote_withdraw(const struct uc *u, struct quote_row *q, struct sh_err *e)
{
    enum sh_code rc = set_status(u, q, quote_status_names[QS_WITHDRAWN], e);
    if (rc || (rc = event(u, q, "withdrawn", NULL, e)))
        return rc;
    return quote_audit(u, q, "withdraw", e);
}

/* RULE WF-20: the acceptance of `acc` withdraws the ticket's other open quotes (the domain's
 * quote_withdrawn_by_acceptance, on the stored status: a stored sent quote past its validity
 * too). */
static enum sh_code withdraw_others(const struct uc *u, const struct quote_row *acc,
                                    struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT id, status FROM quotes WHERE ticket_id = $1 AND id <> $2 "
                               "ORDER BY id",
                               DB_P(DB_INT(acc->ticket_id), DB_INT(acc->id)), &r, e);
    for (int i = 0; !rc && i < r.nrows; i++) {
        enum quote_status st;
        struct quote_row q;
        if (!quote_status_parse(db_get(&r, i, "status"), &st) || !quote_withdrawn_by_acceptance(st))
            continue;
        if (!(rc = quote_load(u, db_get_int(&r, i, "id", 0), &q, e)))
            rc = quote_withdraw(u, &q, e);
    }
    return rc;
}

/* A fresh token: its hash stored, valid until the quote's last day; the message queued. */
static enum sh_code new_link(const struct uc *u, struct quote_row *q, struct quote_link *l,
                             struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT COALESCE(NULLIF(t.caller_phone, ''), c.phone, '') AS phone "
                               "FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id "
                               "WHERE t.id = $1",
                               DB_P(DB_INT(q->ticket_id)), &r, e);
    if (rc)
        return rc;
    char hash[65], *exp = sh_arena_alloc(u->a, 21);
    pw_random_hex(l->token, 24);
    pw_token_hash(l->token, hash);
    sh_ts_format(quote_day_end(q->valid_until), exp);
    const char *base = u->app && u->app->public_url ? u->app->public_url : "";
    l->url = sh_arena_printf(u->a, "%s/r/quote/%s", base, l->token);
    l->expires_at = exp;
    l->recipient = r.nrows ? db_get(&r, 0, "phone") : "";
    const char *now = quote_now(u);
    if ((rc = db_exec(u->tx,
                      "UPDATE quotes SET status = 'sent', token_hash = $1, link_expires_at = $2, "
                      "sent_at = COALESCE(sent_at, $3), updated_at = $3, version = version + 1 "
                      "WHERE id = $4",
                      DB_P(DB_TEXT(hash), DB_TEXT(exp), DB_TEXT(now), DB_INT(q->id)), NULL, e)))
        return rc;
    q->status = "sent";
    /* the customer's message with the link: the company's template of quote_ready */
    if ((rc = uc_notify_quote_ready(u, q->ticket_id, q->number, q->total_fen, l->url, e)))
        return rc;
    return event(u, q, "sent", NULL, e);
}

/* Files the request of the approval matrix's kind "quote" (entity approval, its hook names the
 * approver). */
static enum sh_code file_approval(const struct uc *u, struct quote_row *q, struct sh_err *e)
{
    struct fval *v = sh_arena_alloc(u->a, sizeof(struct fval) * (size_t)ent_approvals.ncols);
    char total[40];
    fee_fen_format_grouped(q->total_fen, total);
    const char *purpose = sh_arena_printf(
        u->a, "%s %s ¥%s", i18n_label(u->app, "zh-CN", "quote.approval_purpose", "Quote"),
        q->number, total);
    const struct {
        const char *col, *val;
        int64_t i;
    } set[] = {{"kind", "quote", 0},
               {"purpose", purpose, 0},
               {"customer_id", sh_arena_printf(u->a, "%" PRId64, q->customer_id), q->customer_id},
               {"cost_fen", sh_arena_printf(u->a, "%" PRId64, q->total_fen), q->total_fen},
               {"ticket_id", sh_arena_printf(u->a, "%" PRId64, q->ticket_id), q->ticket_id}};
    for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
        int k = ent_colidx(&ent_approvals, set[i].col);
        v[k].present = true;
        v[k].text = set[i].val;
        v[k].i = set[i].i;
    }
    int64_t id = 0;
    enum sh_code rc = uc_ent_insert(u, &ent_approvals, v, &id, NULL, e);
    if (rc)
        return rc;
    q->approval_id = id;
    if ((rc = db_exec(u->tx, "UPDATE quotes SET approval_id = $1 WHERE id = $2",
                      DB_P(DB_INT(id), DB_INT(q->id)), NULL, e)) ||
        (rc = set_status(u, q, "pending_approval", e)))
        return rc;
    return event(u, q, "submitted", NULL, e);
}

enum sh_code uc_quote_send(const struct uc *u, int64_t id, struct quote_row *out,
                           struct quote_link *link, struct sh_err *e)
{
    memset(link, 0, sizeof *link);
    enum sh_code rc = hold(u, id, e);
    if (rc || (rc = uc_quote_get(u, id, out, e)))
        return rc;
    if (strcmp(out->status, "draft"))
        return illegal(e, out, "sent");
    if ((rc = quote_none_accepted(u, out->ticket_id, e)) ||
        (rc = quote_billing_guard(u, out->ticket_id, e)))
        return rc;
    if (!out->nlines)
        return quote_err(e, SH_UNPROCESSABLE, "lines", "required", "a quote needs lines");
    if (!out->customer_id)
        return quote_err(e, SH_UNPROCESSABLE, "customer_id", "required",
                         "the ticket has no customer to send the quote to");
    if (quote_day_end(out->valid_until) <= u->now)
        return quote_err(e, SH_UNPROCESSABLE, "valid_until", "date_order",
                         "the quote's validity has passed: change valid_until");
    int64_t above = 1000000;
    if ((rc = settings_int(u->tx, u->a, "quote_approval_above_fen", 1000000, &above, e)))
        return rc;
    bool approved = out->approval_id && !strcmp(out->approval_status, "approved");
    if (quote_needs_approval(out->total_fen, above) && !approved)
        rc = file_approval(u, out, e);
    else
        rc = new_link(u, out, link, e);
    if (rc || (rc = quote_load(u, id, out, e)))
        return rc;
    return quote_audit(u, out, link->url ? "send" : "submit", e);
}

enum sh_code uc_quote_relink(const struct uc *u, int64_t id, struct quote_row *out,
                             struct quote_link *link, struct sh_err *e)
{
    memset(link, 0, sizeof *link);
    enum sh_code rc = uc_quote_get(u, id, out, e);
    if (rc)
        return rc;
    if (strcmp(out->status, "sent"))
        return illegal(e, out, "sent again");
    if ((rc = new_link(u, out, link, e)) || (rc = quote_load(u, id, out, e)))
        return rc;
    return quote_audit(u, out, "link", e);
}

enum sh_code uc_quote_revise(const struct uc *u, int64_t id, struct quote_row *out,
                             struct sh_err *e)
{
    struct quote_row old;
    enum sh_code rc = hold(u, id, e);
    enum quote_status st = QS_DRAFT, to;
    if (rc || (rc = uc_quote_get(u, id, &old, e)))
        return rc;
    (void)quote_status_parse(old.status, &st);
    if (!quote_transition(st, QA_REVISE, &to))
        return illegal(e, &old, "revised");
    struct ticket_row t;
    if ((rc = quote_none_accepted(u, old.ticket_id, e)) ||
        (rc = uc_ticket_load(u, old.ticket_id, &t, e)) || (rc = quote_billing_allows(t.billing, e)))
        return rc;
    const char *base = old.number;
    const char *dash = strstr(base, "-R");
    int64_t rev = old.revision + 1, nid = 0;
    const char *number = sh_arena_printf(u->a, "%.*s-R%" PRId64,
                                         (int)(dash ? dash - base : (long)strlen(base)), base, rev);
    if ((rc = quote_insert(u, &t, number, rev, old.id, &nid, e)) ||
        (rc = db_exec(u->tx,
                      "INSERT INTO quote_lines (quote_id, pos, kind, code, name, qty_centi, "
                      "rate_fen, extra_fen, amount_fen, price_source, fee_version_id, detail) "
                      "SELECT $1, pos, kind, code, name, qty_centi, rate_fen, extra_fen, "
                      "amount_fen, price_source, fee_version_id, detail FROM quote_lines WHERE "
                      "quote_id = $2",
                      DB_P(DB_INT(nid), DB_INT(old.id)), NULL, e)) ||
        (rc = db_exec(u->tx,
                      "UPDATE quotes SET work_order_id = $1, valid_until = $2, note = $3, "
                      "total_fen = $4 WHERE id = $5",
                      DB_P(old.work_order_id ? DB_INT(old.work_order_id) : DB_NULL,
                           DB_TEXT(old.valid_until), DB_TEXT(old.note), DB_INT(old.total_fen),
                           DB_INT(nid)),
                      NULL, e)) ||
        (rc = set_status(u, &old, "superseded", e)) || (rc = quote_load(u, nid, out, e)))
        return rc;
    return quote_audit(u, out, "revise", e);
}

/* ---- decisions ---- */

/* Stores the decision on a sent quote (read after hold()): accepted or rejected, how, by
 * whom. RULE WF-20: accepted only while no other quote of the ticket is, and then the others
 * still open are withdrawn, in this transaction (docs/quotes.md). */
static enum sh_code decide(const struct uc *u, struct quote_row *q, bool accept,
                           const char *channel, const char *note, struct sh_err *e)
{
    enum quote_status st = QS_DRAFT, to;
    (void)quote_status_parse(q->status, &st);
    if (!quote_transition(st, accept ? QA_ACCEPT : QA_REJECT, &to))
        return illegal(e, q, accept ? "accepted" : "rejected");
    if (note && utf8_len(note) > 2000) {
        sh_err_field(e, SH_INVALID, "note", "too long");
        return sh_err_reason(e, "too_long", "{\"max\":2000}");
    }
    enum sh_code rc;
    if (accept && ((rc = quote_none_accepted(u, q->ticket_id, e)) ||
                   (rc = quote_billing_guard(u, q->ticket_id, e))))
        return rc;
    const char *now = quote_now(u);
    int64_t by = u->who && u->who->user_id ? u->who->user_id : 0, changed = 0;
    rc = db_exec(
        u->tx,
        "UPDATE quotes SET status = $1, decided_at = $2, decision_channel = $3, decision_note = "
        "$4, decided_by = $5, updated_at = $2, version = version + 1 WHERE "
        "id = $6 AND status = 'sent'",
        DB_P(DB_TEXT(quote_status_names[to]), DB_TEXT(now), DB_TEXT(channel),
             DB_TEXT(note ? note : ""), by ? DB_INT(by) : DB_NULL, DB_INT(q->id)),
        &changed, e);
    if (!rc && changed != 1) /* not read under hold(): a bug, never a second decision */
        return sh_err_set(e, SH_INTERNAL, "quote %s changed while it was decided", q->number);
    if (rc || (rc = quote_load(u, q->id, q, e)) ||
        (rc = event(u, q, accept ? "accepted" : "rejected", note, e)))
        return rc;
    if (accept && ((rc = quote_to_charges(u, q, e)) || (rc = withdraw_others(u, q, e))))
        return rc;
    return quote_audit(u, q, accept ? "accept" : "reject", e);
}

enum sh_code uc_quote_decide(const struct uc *u, int64_t id, const struct quote_decision_in *in,
                             struct quote_row *out, struct sh_err *e)
{
    enum sh_code rc = hold(u, id, e);
    if (rc || (rc = uc_quote_get(u, id, out, e)))
        return rc;
    const char *channel = in->channel;
    if (principal_external(u->who))
        channel = "portal";
    else if (!channel || !quote_channel_recordable(channel))
        return quote_err(e, SH_INVALID, "channel", channel ? "unknown_value" : "required",
                         "how the customer said it: phone, wechat, letter, email or in_person");
    if (!principal_external(u->who) && (!in->note || !*in->note))
        return quote_err(e, SH_INVALID, "note", "required",
                         "note who said it and when (the customer's words)");
    return decide(u, out, in->accept, channel, in->note, e);
}

/* The quote behind a link in a state it can be viewed in; to decide on it, read after its
 * ticket is held (hold()). */
static enum sh_code by_token(const struct uc *u, const char *token, bool to_decide,
                             struct quote_row *q, struct sh_err *e)
{
    struct db_rows r = {0};
    enum sh_code rc = SH_OK;
    if (pw_random_hex_ok(token, 24)) {
        char hash[65];
        pw_token_hash(token, hash);
        rc = db_query(u->tx, u->a, "SELECT id, ticket_id FROM quotes WHERE token_hash = $1",
                      DB_P(DB_TEXT(hash)), &r, e);
    }
    if (rc)
        return rc;
    if (!r.nrows)
        return quote_err(e, SH_NOT_FOUND, NULL, "not_found", "no such quote");
    if ((to_decide && (rc = tickets_lock(u->tx, db_get_int(&r, 0, "ticket_id", 0), e))) ||
        (rc = quote_load(u, db_get_int(&r, 0, "id", 0), q, e)))
        return rc;
    if (!strcmp(q->status, "expired"))
        return quote_err(e, SH_GONE, NULL, "expired", "this quote has expired");
    if (!strcmp(q->status, quote_status_names[QS_WITHDRAWN]))
        return quote_err(e, SH_GONE, NULL, "withdrawn",
                         "this quote was withdrawn: another quote of the ticket was accepted, "
                         "or the work is no longer charged");
    /* RULE WF-20: once decided, the link still shows the quote read-only with its status,
     * until the link's own end (the customer sees what they said yes or no to); a second
     * decision, or a superseded quote, is 410 used */
    int64_t until = 0;
    bool decided = !strcmp(q->status, "accepted") || !strcmp(q->status, "rejected");
    if (decided && !to_decide && sh_ts_parse(q->link_expires_at, &until) && u->now < until)
        return SH_OK;
    if (strcmp(q->status, "sent"))
        return quote_err(e, SH_GONE, NULL, "used", "this quote was decided already");
    return SH_OK;
}

enum sh_code uc_quote_public_get(const struct uc *u, const char *token, struct quote_row *out,
                                 struct sh_err *e)
{
    return by_token(u, token, false, out, e);
}

enum sh_code uc_quote_public_decide(const struct uc *u, const char *token, bool accept,
                                    const char *note, struct quote_row *out, struct sh_err *e)
{
    enum sh_code rc = by_token(u, token, true, out, e);
    return rc ? rc : decide(u, out, accept, "link", note, e);
}

/* ---- the approval matrix decided ---- */

enum sh_code uc_quote_on_approval(const struct uc *u, int64_t approval_id, bool approved,
                                  struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT id FROM quotes WHERE approval_id = $1",
                               DB_P(DB_INT(approval_id)), &r, e);
    if (rc || !r.nrows)
        return rc;
    struct quote_row q;
    int64_t id = db_get_int(&r, 0, "id", 0);
    if ((rc = hold(u, id, e)) || (rc = quote_load(u, id, &q, e)) ||
        strcmp(q.status, "pending_approval")) /* e.g. withdrawn: another quote was accepted */
        return rc;
    if (approved && ((rc = quote_none_accepted(u, q.ticket_id, e)) == SH_CONFLICT ||
                     (!rc && (rc = quote_billing_guard(u, q.ticket_id, e)) == SH_CONFLICT))) {
        /* RULE WF-20: never sent beside an accepted quote, nor for work the customer does not
         * pay for (R-131) */
        sh_err_clear(e);
        return quote_withdraw(u, &q, e);
    }
    if (rc)
        return rc;
    if (!approved) { /* back to a draft the agent changes and sends again */
        if ((rc = db_exec(u->tx, "UPDATE quotes SET approval_id = NULL WHERE id = $1",
                          DB_P(DB_INT(q.id)), NULL, e)) ||
            (rc = set_status(u, &q, "draft", e)) || (rc = event(u, &q, "returned", NULL, e)))
            return rc;
        return quote_audit(u, &q, "return", e);
    }
    struct quote_link l;
    if ((rc = new_link(u, &q, &l, e)))
        return rc;
    return quote_audit(u, &q, "send", e);
}

/* ---- R-060: told without a quote ---- */

enum sh_code uc_charge_told_record(const struct uc *u, int64_t ticket_id, const char *channel,
                                   const char *note, struct sh_err *e)
{
    struct ticket_row t;
    enum sh_code rc = uc_ticket_load(u, ticket_id, &t, e);
    if (rc)
        return rc;
    if (!channel || !quote_channel_recordable(channel))
        return quote_err(e, SH_INVALID, "channel", channel ? "unknown_value" : "required",
                         "how the customer was told: phone, wechat, letter, email or in_person");
    if (!note || !*note)
        return quote_err(e, SH_INVALID, "note", "required", "what the customer was told");
    if (utf8_len(note) > 2000) {
        sh_err_field(e, SH_INVALID, "note", "too long");
        return sh_err_reason(e, "too_long", "{\"max\":2000}");
    }
    const char *data = sh_arena_printf(u->a, "{\"channel\":\"%s\"}", channel);
    int64_t ev = 0;
    if ((rc = uc_ticket_event(u, ticket_id, "charge_told", "internal", note, data, &ev, e)))
        return rc;
    return uc_audit(
        u, "ticket", ticket_id, "charge_told", NULL,
        sh_arena_printf(u->a, "{\"event_id\":%" PRId64 ",\"channel\":\"%s\"}", ev, channel), e);
}

enum sh_code uc_quote_facts(const struct uc *u, int64_t ticket_id, bool *chargeable, bool *accepted,
                            bool *told, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT t.billing, (SELECT COUNT(*) FROM quotes q WHERE q.ticket_id = t.id AND q.status "
        "= 'accepted') AS accepted, (SELECT COUNT(*) FROM ticket_events v WHERE v.ticket_id = "
        "t.id AND v.kind = 'charge_told') AS told FROM tickets t WHERE t.id = $1",
        DB_P(DB_INT(ticket_id)), &r, e);
    if (rc || !r.nrows)
        return rc;
    const char *billing = db_get(&r, 0, "billing");
    *chargeable = billing && !strcmp(billing, "chargeable");
    *accepted = db_get_int(&r, 0, "accepted", 0) > 0;
    *told = *accepted || db_get_int(&r, 0, "told", 0) > 0;
    return SH_OK;
}
