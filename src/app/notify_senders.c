/* SPDX-License-Identifier: MIT */
/* The events' senders (issue 15 item 2): each looks up what its template's variables need
 * and calls uc_notify_event; the use cases that cause the events call these. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/notify_events.h"
#include "app/notify_senders.h"
#include "base/date.h"
#include "notify/notify.h"

const char *uc_public_token_new(struct sh_arena *a)
{
    unsigned char rnd[24];
    randombytes_buf(rnd, sizeof(rnd));
    return nt_hex(a, rnd, sizeof(rnd));
}

/* The status page's address of a ticket with public token tok. */
static const char *status_link(const struct uc *u, const char *tok)
{
    const char *base = u->app && u->app->public_url ? u->app->public_url : "";
    return sh_arena_printf(u->a, "%s/r/s/%s", base, tok);
}

/* The public status page of a ticket (/r/s/<token>), giving the ticket a token if needed. */
SH_WUR static enum sh_code status_url(const struct uc *u, int64_t ticket_id, const char **url,
                                      const char **number, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, "SELECT number, public_token FROM tickets WHERE id = $1",
                 DB_P(DB_INT(ticket_id)), &r, e);
    if (rc || !r.nrows)
        return rc ? rc : sh_err_set(e, SH_NOT_FOUND, "no ticket %" PRId64, ticket_id);
    *number = db_get(&r, 0, "number");
    const char *tok = db_get(&r, 0, "public_token");
    if (!tok || !*tok) {
        tok = uc_public_token_new(u->a);
        if ((rc = db_exec_nowait(u->tx, "UPDATE tickets SET public_token = $2 WHERE id = $1",
                                 DB_P(DB_INT(ticket_id), DB_TEXT(tok)), e)))
            return rc;
    }
    *url = status_link(u, tok);
    return SH_OK;
}

static enum sh_code received(const struct uc *u, int64_t ticket_id, const char *number,
                             const char *url, const struct db_rows *rcpt, struct sh_err *e);

enum sh_code uc_notify_ticket_received(const struct uc *u, int64_t ticket_id, struct sh_err *e)
{
    const char *url = "", *number = "";
    enum sh_code rc = status_url(u, ticket_id, &url, &number, e);
    if (rc)
        return rc;
    return received(u, ticket_id, number, url, NULL, e);
}

enum sh_code uc_notify_ticket_received_as(const struct uc *u, int64_t ticket_id, const char *number,
                                          const char *token, const struct db_rows *rcpt,
                                          struct sh_err *e)
{
    return received(u, ticket_id, number, status_link(u, token), rcpt, e);
}

enum sh_code uc_notify_ticket_received_ahead(const struct uc *u, int64_t customer_id,
                                             const char *caller_phone, const char *caller_name,
                                             int64_t assignee_id, struct db_rows *out,
                                             struct sh_err *e)
{
    return uc_notify_caller_ahead(u, "ticket_received", customer_id, caller_phone, caller_name,
                                  assignee_id, out, e);
}

static enum sh_code received(const struct uc *u, int64_t ticket_id, const char *number,
                             const char *url, const struct db_rows *rcpt, struct sh_err *e)
{
    const struct notify_var v[] = {{"number", number}, {"status_url", url}};
    struct notify_to to = {.ticket_customer = true,
                           .ticket_id = ticket_id,
                           .dedupe = sh_arena_printf(u->a, "received:%" PRId64, ticket_id),
                           .rcpt = rcpt};
    return uc_notify_event(u, "ticket_received", &to, v, 2, NULL, e);
}

enum sh_code uc_notify_report_link(const struct uc *u, int64_t ticket_id, struct sh_err *e)
{
    const char *url = "", *number = "";
    enum sh_code rc = status_url(u, ticket_id, &url, &number, e);
    if (rc)
        return rc;
    const struct notify_var v[] = {{"number", number}, {"status_url", url}};
    /* the caller's phone comes first (ticket_customer); by SMS whatever the customer's
     * channel, since the link is the reporter's; once a day at most, against a flood of
     * repeats sending texts to someone's phone */
    struct notify_to to = {.ticket_customer = true,
                           .ticket_id = ticket_id,
                           .channel = "sms",
                           .dedupe = sh_arena_printf(u->a, "report_link:%" PRId64 ":%.10s",
                                                     ticket_id, notify_local_time(u->a, u->now))};
    return uc_notify_event(u, "ticket_received", &to, v, 2, NULL, e);
}

enum sh_code uc_notify_assigned(const struct uc *u, int64_t ticket_id, int64_t user_id,
                                struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT t.number, COALESCE(NULLIF(s.display_name, ''), s.username) "
                               "AS name, s.phone FROM tickets t, users s WHERE t.id = $1 AND "
                               "s.id = $2",
                               DB_P(DB_INT(ticket_id), DB_INT(user_id)), &r, e);
    if (rc || !r.nrows)
        return rc;
    const struct notify_var v[] = {{"number", db_get(&r, 0, "number")},
                                   {"technician", db_get(&r, 0, "name")},
                                   {"technician_phone", db_get(&r, 0, "phone")}};
    struct notify_to to = {.ticket_customer = true, .ticket_id = ticket_id};
    return uc_notify_event(u, "technician_assigned", &to, v, 3, NULL, e);
}

SH_WUR static enum sh_code ticket_number(const struct uc *u, int64_t ticket_id, const char **number,
                                         struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT number FROM tickets WHERE id = $1",
                               DB_P(DB_INT(ticket_id)), &r, e);
    *number = !rc && r.nrows ? db_get(&r, 0, "number") : "";
    return rc;
}

enum sh_code uc_notify_appointment(const struct uc *u, int64_t ticket_id,
                                   const char *appointment_at, int tolerance_min, struct sh_err *e)
{
    const char *number;
    enum sh_code rc = ticket_number(u, ticket_id, &number, e);
    if (rc)
        return rc;
    const struct notify_var v[] = {{"number", number},
                                   {"arrival", notify_local_text(u->a, appointment_at)},
                                   {"tolerance_min", sh_arena_printf(u->a, "%d", tolerance_min)}};
    struct notify_to to = {.ticket_customer = true, .ticket_id = ticket_id};
    return uc_notify_event(u, "appointment_confirmed", &to, v, 3, NULL, e);
}

enum sh_code uc_notify_late(const struct uc *u, int64_t ticket_id, const char *eta_at,
                            int64_t lead_id, bool to_customer, struct sh_err *e)
{
    struct db_rows r;
    const char *number;
    enum sh_code rc = ticket_number(u, ticket_id, &number, e);
    if (!rc)
        rc = db_query(u->tx, u->a,
                      "SELECT COALESCE(NULLIF(display_name, ''), username) AS name FROM "
                      "users WHERE id = $1",
                      DB_P(DB_INT(lead_id)), &r, e);
    if (rc)
        return rc;
    const struct notify_var v[] = {{"number", number},
                                   {"new_arrival", notify_local_text(u->a, eta_at)},
                                   {"technician", r.nrows ? db_get(&r, 0, "name") : ""}};
    struct notify_to to = {.ticket_customer = true, .ticket_id = ticket_id};
    if (to_customer && (rc = uc_notify_event(u, "late_notice", &to, v, 3, NULL, e)))
        return rc;
    /* HW 1.1.5: the service managers are told too */
    return uc_notify_role(u, "late_notice", "dept_head", ticket_id, v, 3, NULL, e);
}

SH_WUR static enum sh_code approval_row(const struct uc *u, int64_t id, struct db_rows *r,
                                        struct sh_err *e)
{
    return db_query(u->tx, u->a,
                    "SELECT a.id, a.ticket_id, a.purpose, a.status, a.requested_by, "
                    "a.approver_role, a.approver_user_id, a.decided_by, COALESCE(t.number, '') "
                    "AS number, COALESCE(NULLIF(q.display_name, ''), q.username, '') AS "
                    "requester, COALESCE(NULLIF(d.display_name, ''), d.username, '') AS "
                    "approver FROM approvals a LEFT JOIN tickets t ON t.id = a.ticket_id LEFT "
                    "JOIN users q ON q.id = a.requested_by LEFT JOIN users d ON d.id = "
                    "a.decided_by WHERE a.id = $1",
                    DB_P(DB_INT(id)), r, e);
}

static const char *approval_number(const struct uc *u, const struct db_rows *r)
{
    const char *n = db_get(r, 0, "number");
    return *n ? n : sh_arena_printf(u->a, "#%" PRId64, db_get_int(r, 0, "id", 0));
}

enum sh_code uc_notify_approval_requested(const struct uc *u, int64_t approval_id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = approval_row(u, approval_id, &r, e);
    if (rc || !r.nrows)
        return rc;
    const struct notify_var v[] = {{"number", approval_number(u, &r)},
                                   {"requester", db_get(&r, 0, "requester")},
                                   {"what", db_get(&r, 0, "purpose")}};
    int64_t tid = db_get_int(&r, 0, "ticket_id", 0);
    int64_t who = db_get_int(&r, 0, "approver_user_id", 0);
    if (who) {
        struct notify_to to = {.user_id = who, .ticket_id = tid};
        return uc_notify_event(u, "approval_requested", &to, v, 3, NULL, e);
    }
    const char *role = db_get(&r, 0, "approver_role");
    return role && *role ? uc_notify_role(u, "approval_requested", role, tid, v, 3, NULL, e)
                         : SH_OK;
}

enum sh_code uc_notify_approval_decided(const struct uc *u, int64_t approval_id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = approval_row(u, approval_id, &r, e);
    int64_t who = rc || !r.nrows ? 0 : db_get_int(&r, 0, "requested_by", 0);
    if (rc || !who)
        return rc;
    const struct notify_var v[] = {{"number", approval_number(u, &r)},
                                   {"decision", db_get(&r, 0, "status")},
                                   {"approver", db_get(&r, 0, "approver")}};
    struct notify_to to = {.user_id = who, .ticket_id = db_get_int(&r, 0, "ticket_id", 0)};
    return uc_notify_event(u, "approval_decided", &to, v, 3, NULL, e);
}

enum sh_code uc_notify_shipment_sent(const struct uc *u, int64_t shipment_id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT number, customer_id, ticket_id, carrier, waybill_no FROM "
                               "shipments WHERE id = $1",
                               DB_P(DB_INT(shipment_id)), &r, e);
    if (rc || !r.nrows)
        return rc;
    const struct notify_var v[] = {{"number", db_get(&r, 0, "number")},
                                   {"carrier", db_get(&r, 0, "carrier")},
                                   {"waybill", db_get(&r, 0, "waybill_no")}};
    struct notify_to to = {.customer_id = db_get_int(&r, 0, "customer_id", 0),
                           .ticket_id = db_get_int(&r, 0, "ticket_id", 0),
                           .dedupe = sh_arena_printf(u->a, "shipped:%" PRId64, shipment_id)};
    return uc_notify_event(u, "shipment_sent", &to, v, 3, NULL, e);
}
