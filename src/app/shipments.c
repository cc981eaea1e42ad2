/* SPDX-License-Identifier: MIT */
/* Shipments: the shipping request behind the payment gate, the shipment page, the
 * unit lines the warehouse records and the timeline (app/shipments.h). */
#include "app/shipments.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/ticket_warranty.h"
#include "base/date.h"
#include "store/master_data.h"
#include "store/shipments.h"

static enum sh_code field_err(struct sh_err *e, enum sh_code code, const char *field,
                              const char *reason, const char *msg)
{
    sh_err_field(e, code, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

enum sh_code shipment_log(const struct uc *u, int64_t id, const char *action, const char *from,
                          const char *to, const char *note, struct sh_err *e)
{
    char now[21];
    sh_ts_format(u->now, now);
    return shipment_event_add(u->tx, id, action, from, to, note, u->who ? u->who->user_id : 0, now,
                              e);
}

enum sh_code shipment_date_past(const struct uc *u, const char *field, const char *date,
                                struct sh_err *e)
{
    char today[11];
    sh_date_format(ticket_local_date(u->now), today);
    if (!date || strcmp(date, today) <= 0)
        return SH_OK;
    sh_err_field(e, SH_INVALID, field, "'%s' is after today (%s)", field, today);
    return sh_err_reason(e, "out_of_range", "{\"max\":\"%s\"}", today);
}

/* The customer, contract and payment of a sale; the customer of a replacement's ticket. */
static enum sh_code resolve_parties(const struct uc *u, const struct shipment_create_in *in,
                                    enum shp_kind kind, struct shipment_new *s, struct sh_err *e)
{
    struct shipment_refs ref;
    enum sh_code rc;
    if (kind == SHK_SALE) {
        if (!(u->who->roles & SHP_R_REQUEST))
            return sh_err_set(e, SH_FORBIDDEN, "only sales files a shipping request (R-027)");
        if (!in->contract_id)
            return field_err(e, SH_INVALID, "contract_id", "required",
                             "a sale ships on a contract");
        if ((rc = shipment_contract_ref(u->tx, u->a, in->contract_id, &ref, e)))
            return rc;
        if (!ref.found)
            return field_err(e, SH_INVALID, "contract_id", "unknown_reference", "no such contract");
        s->customer_id = ref.customer_id;
        s->contract_id = in->contract_id;
        s->includes_installation =
            in->includes_installation < 0 ? ref.flag : in->includes_installation != 0;
        if ((rc = payments_latest(u->tx, u->a, in->contract_id, &s->payment_id, e)))
            return rc;
        /* RULE R-027: nothing ships before finance confirmed the payment */
        if (!s->payment_id) {
            sh_err_set(e, SH_CONFLICT,
                       "finance has not confirmed a payment on this contract yet (货款到账)");
            return sh_err_reason(e, "guard", "{\"guard\":\"payment\"}");
        }
        return SH_OK;
    }
    if (!in->ticket_id)
        return field_err(e, SH_INVALID, "ticket_id", "required",
                         "a replacement ships for a ticket");
    if ((rc = shipment_ticket_ref(u->tx, u->a, in->ticket_id, &ref, e)))
        return rc;
    if (!ref.found || !ref.customer_id)
        return field_err(e, SH_INVALID, "ticket_id", "unknown_reference",
                         "no such ticket with a customer");
    s->customer_id = ref.customer_id;
    s->ticket_id = in->ticket_id;
    s->includes_installation = in->includes_installation > 0;
    return SH_OK;
}

static enum sh_code check_lines(const struct uc *u, const struct shipment_create_in *in,
                                struct sh_err *e)
{
    if (in->nlines < 1)
        return field_err(e, SH_INVALID, "lines", "required", "a shipment has at least one line");
    int total = 0;
    for (int i = 0; i < in->nlines; i++) {
        bool found;
        enum sh_code rc = shipment_model_exists(u->tx, u->a, in->lines[i].model_id, &found, e);
        if (rc)
            return rc;
        if (!found)
            return field_err(e, SH_INVALID, "lines", "unknown_reference", "no such product model");
        total += in->lines[i].quantity;
    }
    if (total > SHIPMENT_MAX_UNITS) {
        sh_err_field(e, SH_INVALID, "lines", "at most %d units per shipment", SHIPMENT_MAX_UNITS);
        return sh_err_reason(e, "out_of_range", "{\"max\":%d}", SHIPMENT_MAX_UNITS);
    }
    return SH_OK;
}

static enum sh_code check_site(const struct uc *u, int64_t site, int64_t customer, struct sh_err *e)
{
    if (!site)
        return SH_OK;
    bool found;
    const char *owner;
    enum sh_code rc =
        md_site_customer(u->tx, u->a, sh_arena_printf(u->a, "%" PRId64, site), &found, &owner, e);
    if (rc)
        return rc;
    if (!found)
        return field_err(e, SH_INVALID, "site_id", "unknown_reference", "no such site");
    if (strcmp(owner, sh_arena_printf(u->a, "%" PRId64, customer)))
        return field_err(e, SH_INVALID, "site_id", "other_customer",
                         "the site belongs to another customer");
    return SH_OK;
}

/* SHyyyymmdd-nnn, by the local day of the request. */
static enum sh_code next_number(const struct uc *u, const char **number, struct sh_err *e)
{
    struct sh_date d = ticket_local_date(u->now);
    const char *prefix = sh_arena_printf(u->a, "SH%04d%02d%02d-", d.y, d.m, d.d);
    int64_t n;
    enum sh_code rc = shipments_count_prefix(u->tx, u->a, prefix, &n, e);
    if (!rc)
        *number = sh_arena_printf(u->a, "%s%03" PRId64, prefix, n + 1);
    return rc;
}

enum sh_code uc_shipment_create(const struct uc *u, const struct shipment_create_in *in,
                                int64_t *id, struct sh_err *e)
{
    enum shp_kind kind = SHK_SALE;
    if (in->kind && !shp_kind_parse(in->kind, &kind))
        return field_err(e, SH_INVALID, "kind", "invalid_format", "kind is sale or replacement");
    char now[21];
    sh_ts_format(u->now, now);
    struct shipment_new s = {.kind = shp_kind_names[kind],
                             .state = "requested",
                             .ship_to = in->ship_to ? in->ship_to : "",
                             .packaging = in->packaging ? in->packaging : "",
                             .note = in->note ? in->note : "",
                             .at = now,
                             .site_id = in->site_id,
                             .requested_by = u->who->user_id};
    enum sh_code rc;
    if ((rc = resolve_parties(u, in, kind, &s, e)) ||
        (rc = check_site(u, in->site_id, s.customer_id, e)) || (rc = check_lines(u, in, e)) ||
        (rc = next_number(u, &s.number, e)) || (rc = shipments_insert(u->tx, u->a, &s, id, e)))
        return rc;
    int line_no = 0;
    for (int i = 0; i < in->nlines; i++)
        for (int q = 0; q < in->lines[i].quantity; q++)
            if ((rc = shipment_line_insert(u->tx, *id, ++line_no, in->lines[i].model_id, e)))
                return rc;
    if ((rc = shipment_log(u, *id, "request", "", "requested", s.note, e)))
        return rc;
    return uc_audit(u, "shipment", *id, "create", NULL,
                    sh_arena_printf(u->a,
                                    "{\"number\":\"%s\",\"kind\":\"%s\",\"units\":%d,"
                                    "\"customer_id\":%" PRId64 "}",
                                    s.number, s.kind, line_no, s.customer_id),
                    e);
}

enum sh_code uc_shipment_get(const struct uc *u, int64_t id, struct shipment_view *out,
                             struct sh_err *e)
{
    enum sh_code rc;
    if ((rc = shipments_get(u->tx, u->a, id, &out->row, e)) ||
        (rc = shipment_lines(u->tx, u->a, id, &out->lines, e)) ||
        (rc = shipment_events(u->tx, u->a, id, &out->events, e)) ||
        (rc = shipment_tasks(u->tx, u->a, id, &out->tasks, e)))
        return rc;
    enum shp_state st = SHS_REQUESTED;
    shp_state_parse(db_get(&out->row, 0, "state"), &st);
    out->nallowed = shp_allowed_actions(st, u->who->roles, out->allowed);
    char today[11];
    sh_date_format(ticket_local_date(u->now), today);
    const char *due = db_get(&out->row, 0, "arrival_due_on");
    out->overdue = st == SHS_IN_TRANSIT && due && strcmp(due, today) < 0;
    return SH_OK;
}

static enum sh_code duplicate_serial(const struct uc *u, const struct db_rows *lines, int self,
                                     const char *serial, struct sh_err *e)
{
    const char *model = db_get(lines, self, "model_id");
    for (int i = 0; i < lines->nrows; i++) {
        const char *s = db_get(lines, i, "serial_no");
        if (i != self && s && !strcmp(s, serial) && !strcmp(db_get(lines, i, "model_id"), model))
            return field_err(e, SH_CONFLICT, "serial_no", "duplicate",
                             "another line of this shipment has this serial number");
    }
    (void)u;
    return SH_OK;
}

enum sh_code uc_shipment_line_set(const struct uc *u, const struct shipment_line_set_in *in,
                                  struct sh_err *e)
{
    struct db_rows row, lines;
    enum sh_code rc;
    if ((rc = shipments_get(u->tx, u->a, in->id, &row, e)) ||
        (rc = shipment_lines(u->tx, u->a, in->id, &lines, e)))
        return rc;
    enum shp_state st = SHS_REQUESTED;
    shp_state_parse(db_get(&row, 0, "state"), &st);
    if (!shp_lines_editable(st)) {
        sh_err_set(e, SH_CONFLICT,
                   "units are recorded while the shipment is handed over or on hold");
        return sh_err_reason(e, "guard", "{\"guard\":\"state\",\"status\":\"%s\"}",
                             shp_state_name(st));
    }
    int self = -1;
    for (int i = 0; i < lines.nrows; i++)
        if (db_get_int(&lines, i, "id", 0) == in->line_id)
            self = i;
    if (self < 0)
        return sh_err_set(e, SH_NOT_FOUND,
                          "no line with id %" PRId64
                          " on this shipment (the URL takes the line's id, not its line_no)",
                          in->line_id);
    if ((rc = shipment_date_past(u, "production_date", in->production_date, e)) ||
        (rc = shipment_date_past(u, "ship_date", in->ship_date, e)))
        return rc;
    if (in->production_date && in->ship_date && strcmp(in->ship_date, in->production_date) < 0) {
        sh_err_field(e, SH_INVALID, "ship_date", "'ship_date' is before 'production_date'");
        return sh_err_reason(e, "date_order", "{\"after\":\"production_date\"}");
    }
    int64_t unit_id;
    if ((rc = duplicate_serial(u, &lines, self, in->serial_no, e)) ||
        (rc = shipment_serial_check(u, in->id, db_get_int(&row, 0, "customer_id", 0),
                                    db_get_int(&lines, self, "model_id", 0), in->serial_no,
                                    db_get_int(&lines, self, "line_no", 0), &unit_id, e)) ||
        (rc = shipment_line_set(u->tx, in->id, in->line_id, in->serial_no, in->production_date,
                                in->ship_date, e)))
        return rc;
    const char *note =
        sh_arena_printf(u->a, "#%s %s", db_get(&lines, self, "line_no"), in->serial_no);
    return shipment_log(u, in->id, "line", "", "", note, e);
}
