/* SPDX-License-Identifier: MIT */
#include "app/public_report.h"

#include <string.h>

#include "app/audit_row.h"
#include "app/entity.h"
#include "app/notify_senders.h"
#include "app/passwords.h"
#include "app/ticket_entities.h"
#include "app/ticket_events.h"
#include "app/ticket_intake.h"
#include "app/ticket_warranty.h"
#include "base/date.h"
#include "domain/phone.h"

enum sh_code uc_public_unit(const struct uc *u, const char *serial, struct public_unit *out,
                            struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT u.id, u.serial_no, u.warranty_end, m.code AS model_code, "
                               "m.name AS model_name FROM units u JOIN product_models m ON m.id = "
                               "u.model_id WHERE u.serial_no = $1 ORDER BY u.id LIMIT 2",
                               DB_P(DB_TEXT(serial)), &r, e);
    if (rc)
        return rc;
    if (r.nrows != 1)
        return sh_err_set(e, SH_NOT_FOUND, "no such unit");
    const char *end = db_get(&r, 0, "warranty_end");
    char today[11];
    sh_date_format(ticket_local_date(u->now), today);
    *out = (struct public_unit){
        .id = db_get_int(&r, 0, "id", 0),
        .serial_no = db_get(&r, 0, "serial_no"),
        .model_code = db_get(&r, 0, "model_code"),
        .model_name = db_get(&r, 0, "model_name"),
        .warranty_end = end,
        .warranty_status = !end                      ? "unknown"
                           : strcmp(today, end) <= 0 ? "in"
                                                     : "out",
    };
    return SH_OK;
}

/* 429: the unit, its open ticket or the address is past its durable daily or hourly limit. */
static enum sh_code too_many_reports(struct sh_err *e)
{
    return sh_err_set(e, SH_THROTTLED,
                      "this unit or address has reported several faults "
                      "already: we will call you back");
}

/* An open ticket of the unit reported from the same phone within the merge window: the
 * report becomes a customer-visible event of that ticket (out->id set, out->token NULL). The
 * status link goes to the ticket's phone (uc_notify_report_link), never in the answer: the
 * caller knows only the serial on the label and a phone number, which does not make them the
 * reporter. out->id stays 0 when there is none. */
static enum sh_code join_open(const struct uc *u, const struct public_report_in *in, int64_t unit,
                              struct public_report_out *out, struct sh_err *e)
{
    int hours = u->app->public_report_merge_hours;
    if (hours <= 0)
        return SH_OK;
    char since[21], key[PHONE_KEY_MAX], sp[PHONE_SPELLINGS][PHONE_KEY_MAX + 4];
    sh_ts_format(u->now - (int64_t)hours * 3600, since);
    /* the same number however it was typed (domain/phone.h) */
    phone_cn_spellings(phone_cn_key(in->phone, key), sp);
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT id, number FROM tickets WHERE unit_id = $1 AND REPLACE(REPLACE(caller_phone, "
        "' ', ''), '-', '') IN ($2, $4, $5, $6) AND status NOT IN ('resolved', 'closed', "
        "'cancelled') AND merged_into IS NULL AND received_at > $3 ORDER BY id DESC LIMIT 1",
        DB_P(DB_INT(unit), DB_TEXT(sp[0]), DB_TEXT(since), DB_TEXT(sp[1]), DB_TEXT(sp[2]),
             DB_TEXT(sp[3])),
        &r, e);
    if (rc || r.nrows == 0)
        return rc;
    int64_t id = db_get_int(&r, 0, "id", 0);
    /* repeats count against the unit's daily limit too: one ticket takes no more reports a
     * day than the unit would tickets (a repeat is a customer-visible entry) */
    char day[21];
    sh_ts_format(u->now - 86400, day);
    struct db_rows n;
    if ((rc = db_query(u->tx, u->a,
                       "SELECT count(*) AS n FROM ticket_events WHERE ticket_id = $1 AND kind = "
                       "'report' AND at > $2",
                       DB_P(DB_INT(id), DB_TEXT(day)), &n, e)))
        return rc;
    if (db_get_int(&n, 0, "n", 0) >= u->app->public_reports_per_unit_day)
        return too_many_reports(e);
    const char *data = in->name ? "{\"source\":\"qr\",\"named\":true}" : "{\"source\":\"qr\"}";
    if ((rc = uc_ticket_event(u, id, "report", "customer", in->description, data, NULL, e)) ||
        (rc = uc_notify_report_link(u, id, e)))
        return rc;
    *out = (struct public_report_out){.id = id, .number = db_get(&r, 0, "number"), .repeat = true};
    return SH_OK;
}

/* The durable abuse limits: reports per unit per day, per address per hour. */
static enum sh_code within_limits(const struct uc *u, int64_t unit, const char *ip,
                                  struct sh_err *e)
{
    char day[21], hour[21];
    sh_ts_format(u->now - 86400, day);
    sh_ts_format(u->now - 3600, hour);
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a,
                 "SELECT (SELECT count(*) FROM tickets WHERE unit_id = $1 AND channel = 'qr' AND "
                 "received_at > $2) AS by_unit, (SELECT count(*) FROM tickets WHERE source_ip = "
                 "$3 AND received_at > $4) AS by_ip",
                 DB_P(DB_INT(unit), DB_TEXT(day), DB_TEXT(ip), DB_TEXT(hour)), &r, e);
    if (rc)
        return rc;
    if (db_get_int(&r, 0, "by_unit", 0) >= u->app->public_reports_per_unit_day ||
        db_get_int(&r, 0, "by_ip", 0) >= u->app->public_reports_per_hour)
        return too_many_reports(e);
    return SH_OK;
}

/* A new ticket of channel qr, through the intake every channel uses; its status token is
 * the one the intake gave it (and sent to the customer with the registration notice). */
static enum sh_code open_ticket(const struct uc *u, const struct public_report_in *in, int64_t unit,
                                struct public_report_out *out, struct sh_err *e)
{
    struct ticket_intake_in ti = {
        .channel = "qr",
        .type = "repair",
        .unit_id = unit,
        .caller_phone = in->phone,
        .caller_name = in->name,
        .description = in->description,
    };
    struct ticket_intake_out to = {0};
    enum sh_code rc = uc_ticket_intake(u, &ti, &to, e);
    if (rc)
        return rc;
    struct db_rows r;
    if ((rc = db_query(u->tx, u->a, "UPDATE tickets SET source_ip = $2 WHERE id = $1 RETURNING *",
                       DB_P(DB_INT(to.id), DB_TEXT(in->source_ip)), &r, e)))
        return rc;
    const char *after = r.nrows ? ent_json(u->a, &ent_tickets, &r, 0) : NULL;
    if ((rc = uc_audit(u, "ticket", to.id, "create", NULL, after, e)))
        return rc;
    *out = (struct public_report_out){.id = to.id, .number = to.number, .token = to.public_token};
    return SH_OK;
}

enum sh_code uc_public_report(const struct uc *u, const struct public_report_in *in,
                              struct public_report_out *out, struct sh_err *e)
{
    /* what a run found or made: none yet (a run again starts afresh: store/db.h) */
    memset(out, 0, sizeof(*out));
    struct public_unit unit;
    enum sh_code rc = uc_public_unit(u, in->serial, &unit, e);
    /* the same fault reported again from the same phone: added to the open ticket */
    if (rc || (rc = join_open(u, in, unit.id, out, e)) || out->id ||
        (rc = within_limits(u, unit.id, in->source_ip, e)))
        return rc;
    return open_ticket(u, in, unit.id, out, e);
}

/* The progress a customer may see, from the timeline's real events: dispatched (first
 * assignment or acceptance), departed (the engineer set off). */
static const char progress_sql[] =
    "SELECT MIN(CASE WHEN kind = 'assign' OR (kind = 'state' AND (data LIKE "
    "'%\"action\":\"assign\"%' OR data LIKE '%\"action\":\"accept\"%')) THEN at END) AS "
    "dispatched, MAX(CASE WHEN kind = 'state' AND data LIKE '%\"action\":\"depart\"%' THEN at "
    "END) AS departed FROM ticket_events WHERE ticket_id = $1";

/* What the engineer wrote for the customer when resolving. */
static const char resolution_sql[] =
    "SELECT body FROM ticket_events WHERE ticket_id = $1 AND kind = 'state' AND visibility = "
    "'customer' AND (data LIKE '%\"action\":\"resolve\"%' OR data LIKE "
    "'%\"action\":\"resolve_remote\"%') ORDER BY id DESC LIMIT 1";

static enum sh_code progress_read(const struct uc *u, const struct db_rows *t,
                                  struct public_status *out, struct sh_err *e)
{
    struct db_rows ev, res;
    enum sh_code rc;
    if ((rc = db_query(u->tx, u->a, progress_sql, DB_P(DB_INT(out->id)), &ev, e)) ||
        (rc = db_query(u->tx, u->a, resolution_sql, DB_P(DB_INT(out->id)), &res, e)))
        return rc;
    struct progress_in pin = {
        .status = db_get(t, 0, "status"),
        .merged = db_get(t, 0, "merged_into") != NULL,
        .at = {db_get(t, 0, "received_at"), db_get(&ev, 0, "dispatched"),
               db_get(&ev, 0, "departed"), db_get(t, 0, "arrived_at"), db_get(t, 0, "resolved_at")},
        .visit_at = db_get(t, 0, "visit_at"),
    };
    bool adopted = db_get_int(t, 0, "adopted", 0) != 0;
    if (adopted)
        pin.visit_at = NULL;
    out->progress = progress_of(&pin);
    out->resolution = !adopted && out->progress.fixed && res.nrows ? db_get(&res, 0, "body") : NULL;
    return SH_OK;
}

enum sh_code uc_public_status(const struct uc *u, const char *token, bool full,
                              struct public_status *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    if (!pw_random_hex_ok(token, 24))
        return sh_err_set(e, SH_NOT_FOUND, "no such report");
    struct db_rows t, n;
    enum sh_code rc =
        db_query(u->tx, u->a,
                 "SELECT t.id, t.number, t.status, t.received_at, t.visit_at, t.arrived_at, "
                 "t.resolved_at, t.merged_into, NULLIF(a.display_name, '') AS engineer, "
                 "u.serial_no, m.name AS model_name, CASE WHEN t.customer_id IS NOT NULL AND "
                 "EXISTS (SELECT 1 FROM ticket_events c WHERE c.ticket_id = t.id AND c.kind = "
                 "'check_customer') THEN 1 ELSE 0 END AS adopted FROM tickets t LEFT JOIN units u "
                 "ON u.id = t.unit_id LEFT JOIN product_models m ON m.id = t.model_id "
                 "LEFT JOIN users a ON a.id = t.assignee_id WHERE t.public_token = $1",
                 DB_P(DB_TEXT(token)), &t, e);
    if (rc)
        return rc;
    if (t.nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "no such report");
    out->id = db_get_int(&t, 0, "id", 0);
    out->number = db_get(&t, 0, "number");
    out->serial_no = db_get(&t, 0, "serial_no");
    out->model_name = db_get(&t, 0, "model_name");
    /* RULE review 72 #2: a report filed without a customer and given one later (adopted,
     * ticket_edit.c) keeps showing the reporter its state and steps, but not the customer's
     * service: no engineer, no appointment, no resolution text (the customer's own portal
     * shows them). The typed phone is no proof of being that customer, so no exception. */
    out->engineer = db_get_int(&t, 0, "adopted", 0) ? NULL : db_get(&t, 0, "engineer");
    /* RULE review 69 I2: the reporter's photos (uploaded through the link, by nobody signed
     * in), not the staff's attachments */
    if ((rc = db_query(u->tx, u->a,
                       "SELECT count(*) AS n FROM attachments WHERE ticket_id = $1 AND "
                       "created_by IS NULL",
                       DB_P(DB_INT(out->id)), &n, e)))
        return rc;
    out->photos = db_get_int(&n, 0, "n", 0);
    return full ? progress_read(u, &t, out, e) : SH_OK;
}
