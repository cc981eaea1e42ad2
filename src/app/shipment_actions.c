/* SPDX-License-Identifier: MIT */
/* POST /api/v1/shipments/{id}/actions: the explicit actions of domain/shipment.c with what
 * each records and the guards of WF-01 (R-028 copies acknowledged, R-047 units recorded,
 * waybill and quality certificate, R-048 receipt). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/notify_senders.h"
#include "app/audit_row.h"
#include "app/i18n.h"
#include "app/shipments.h"
#include "app/tasks.h"
#include "app/ticket_warranty.h"
#include "base/date.h"
#include "store/db_set.h"
#include "store/shipments.h"

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

static const char *today(const struct uc *u)
{
    char *d = sh_arena_alloc(u->a, 11);
    sh_date_format(ticket_local_date(u->now), d);
    return d;
}

static const char *now_ts(const struct uc *u)
{
    char *t = sh_arena_alloc(u->a, 21);
    sh_ts_format(u->now, t);
    return t;
}

/* one copy of the shipping order each for logistics and the warehouse. */
static enum sh_code hand_over(const struct uc *u, const struct db_rows *row, struct sh_err *e)
{
    static const char *const roles[2] = {"logistics", "warehouse"};
    int64_t id = db_get_int(row, 0, "id", 0);
    const char *title = sh_arena_printf(
        u->a, "[%s] %s", db_get(row, 0, "number"),
        i18n_label(u->app, "zh-CN", "task.kind.shipment_copy", "shipping order copy"));
    for (int i = 0; i < 2; i++) {
        struct task_in t = {.kind = "shipment_copy",
                            .title = title,
                            .body = db_get(row, 0, "order_no"),
                            .role = roles[i],
                            .ticket_id = db_get_int(row, 0, "ticket_id", 0),
                            .source = "shipment",
                            .source_id = id};
        int64_t tid;
        enum sh_code rc = uc_task_create(u, &t, &tid, e);
        if (rc)
            return rc;
    }
    return SH_OK;
}

/* The copy of `role` was acknowledged (its task done). */
static enum sh_code acknowledged(const struct uc *u, int64_t id, const char *role, struct sh_err *e)
{
    struct db_rows t;
    enum sh_code rc = shipment_tasks(u->tx, u->a, id, &t, e);
    if (rc)
        return rc;
    for (int i = 0; i < t.nrows; i++)
        if (!strcmp(db_get(&t, i, "role"), role) && !strcmp(db_get(&t, i, "status"), "done"))
            return SH_OK;
    return guard(e, sh_arena_printf(u->a, "{\"guard\":\"acknowledged\",\"role\":\"%s\"}", role),
                 "the shipping order copy has not been acknowledged yet");
}

/* RULE R-047: no release until every line has its serial number and dates. */
static enum sh_code release(const struct uc *u, int64_t id, struct db_set *c, struct sh_err *e)
{
    struct db_rows l;
    enum sh_code rc = shipment_lines(u->tx, u->a, id, &l, e);
    if (rc)
        return rc;
    struct shp_line_facts *f = sh_arena_alloc(u->a, sizeof(*f) * (size_t)(l.nrows + 1));
    for (int i = 0; i < l.nrows; i++) {
        const char *s = db_get(&l, i, "serial_no");
        f[i] = (struct shp_line_facts){s && *s, db_get(&l, i, "production_date") != NULL,
                                       db_get(&l, i, "ship_date") != NULL};
    }
    int missing = shp_lines_missing(f, l.nrows);
    if (missing)
        return guard(e, sh_arena_printf(u->a, "{\"guard\":\"serials\",\"missing\":%d}", missing),
                     "every unit needs its serial number, production date and ship date");
    if ((rc = acknowledged(u, id, "warehouse", e)))
        return rc;
    db_set_put(c, "released_at", DB_TEXT(now_ts(u)));
    return shipment_units_upsert(u, id, e);
}

static enum sh_code dispatch(const struct uc *u, int64_t id, const struct shipment_action_in *in,
                             struct db_set *c, struct sh_err *e)
{
    enum sh_code rc;
    if ((rc = need(in->carrier, "carrier", e)) || (rc = need(in->waybill_no, "waybill_no", e)))
        return rc;
    if (in->certificate_sent < 0) {
        sh_err_field(e, SH_INVALID, "certificate_sent",
                     "say whether the quality certificate "
                     "went with the goods (R-030)");
        return sh_err_reason(e, "required", NULL);
    }
    if ((rc = acknowledged(u, id, "logistics", e)))
        return rc;
    const char *dflt, *table;
    if ((rc = shipment_setting(u->tx, u->a, "shipment_arrival_days", "7", &dflt, e)) ||
        (rc = shipment_setting(u->tx, u->a, "shipment_carrier_days", "", &table, e)))
        return rc;
    int days = shp_carrier_days(table, in->carrier, (int)strtol(dflt, NULL, 10));
    struct sh_date d = ticket_local_date(u->now);
    struct sh_date due = sh_civil_from_days(sh_days_from_civil(d.y, d.m, d.d) + days);
    char *dt = sh_arena_alloc(u->a, 11);
    sh_date_format(due, dt);
    db_set_put(c, "carrier", DB_TEXT(in->carrier));
    db_set_put(c, "waybill_no", DB_TEXT(in->waybill_no));
    db_set_put(c, "certificate_sent", DB_INT(in->certificate_sent ? 1 : 0));
    db_set_put(c, "dispatched_at", DB_TEXT(now_ts(u)));
    db_set_put(c, "arrival_due_on", DB_TEXT(dt));
    return SH_OK;
}

/* RULE: the goods arrive, and are received, no earlier than the company's day they left
 * (dispatched_at), and are received no earlier than they arrived (arrived_on): 400 date_order
 * on `date` with params {"after": the earlier step's column}. */
static enum sh_code date_in_order(const struct db_rows *row, const char *date, struct sh_err *e)
{
    const char *ts = db_get(row, 0, "dispatched_at"), *after = NULL;
    const char *arrived = db_get(row, 0, "arrived_on");
    int64_t t;
    char left[11];
    if (ts && sh_ts_parse(ts, &t)) {
        sh_date_format(ticket_local_date(t), left);
        if (strcmp(date, left) < 0)
            after = "dispatched_at";
    }
    if (!after && arrived && strcmp(date, arrived) < 0)
        after = "arrived_on";
    if (!after)
        return SH_OK;
    sh_err_field(e, SH_INVALID, "date", "'date' is before '%s'", after);
    return sh_err_reason(e, "date_order", "{\"after\":\"%s\"}", after);
}

static enum sh_code receive(const struct uc *u, const struct db_rows *row,
                            const struct shipment_action_in *in, struct db_set *c, struct sh_err *e)
{
    enum sh_code rc = need(in->signer, "signer", e);
    if (rc)
        return rc;
    const char *d = in->date ? in->date : today(u);
    if ((rc = shipment_date_past(u, "date", d, e)) || (rc = date_in_order(row, d, e)))
        return rc;
    db_set_put(c, "received_on", DB_TEXT(d));
    db_set_put(c, "received_signer", DB_TEXT(in->signer));
    if (!db_get(row, 0, "arrived_on"))
        db_set_put(c, "arrived_on", DB_TEXT(d));
    return SH_OK;
}

/* The action's own records and guards (the state is set by the caller). */
static enum sh_code apply(const struct uc *u, const struct db_rows *row,
                          const struct shipment_action_in *in, struct db_set *c, struct sh_err *e)
{
    int64_t id = in->id;
    enum sh_code rc;
    switch (in->action) {
    case SHA_ISSUE_ORDER:
        db_set_put(c, "order_no",
                   DB_TEXT(sh_arena_printf(u->a, "FH%s", db_get(row, 0, "number") + 2)));
        db_set_put(c, "order_issued_at", DB_TEXT(now_ts(u)));
        return SH_OK;
    case SHA_HAND_OVER:
        db_set_put(c, "handed_over_at", DB_TEXT(now_ts(u)));
        return hand_over(u, row, e);
    case SHA_HOLD:
        if ((rc = need(in->hold_reason, "hold_reason", e)) || (rc = need(in->note, "note", e)))
            return rc;
        db_set_put(c, "hold_reason", DB_TEXT(in->hold_reason));
        db_set_put(c, "hold_note", DB_TEXT(in->note));
        return SH_OK;
    case SHA_INSTRUCT:
        if ((rc = need(in->note, "note", e)))
            return rc;
        db_set_put(c, "instruction", DB_TEXT(in->note));
        return SH_OK;
    case SHA_RELEASE:
        return release(u, id, c, e);
    case SHA_DISPATCH:
        return dispatch(u, id, in, c, e);
    case SHA_ARRIVE:
        if ((rc = shipment_date_past(u, "date", in->date, e)) ||
            (in->date && (rc = date_in_order(row, in->date, e))))
            return rc;
        db_set_put(c, "arrived_on", DB_TEXT(in->date ? in->date : today(u)));
        return SH_OK;
    case SHA_RECEIVE:
        return receive(u, row, in, c, e);
    case SHA_CANCEL:
        return need(in->note, "note", e);
    case SHP_ACTION_COUNT:
        break;
    }
    return sh_err_set(e, SH_INVALID, "unknown action");
}

enum sh_code uc_shipment_action(const struct uc *u, const struct shipment_action_in *in,
                                struct sh_err *e)
{
    struct db_rows row;
    /* review 72 #1: taken before it is read, so a parallel action checks the committed state */
    enum sh_code rc = db_lock_row(u->tx, "shipments", in->id, e);
    if (rc || (rc = shipments_get(u->tx, u->a, in->id, &row, e)))
        return rc;
    int64_t version = db_get_int(&row, 0, "version", 1);
    if (in->if_match >= 0 && in->if_match != version) {
        sh_err_set(e, SH_PRECONDITION, "the shipment changed since you read it");
        return sh_err_reason(e, "stale", "{\"version\":%" PRId64 "}", version);
    }
    enum shp_state st = SHS_REQUESTED, to;
    shp_state_parse(db_get(&row, 0, "state"), &st);
    if ((rc = shp_transition(st, in->action, u->who->roles, &to, e)))
        return rc;
    struct db_set c = {.n = 0};
    db_set_put(&c, "state", DB_TEXT(shp_state_name(to)));
    if ((rc = apply(u, &row, in, &c, e)) ||
        (rc = db_set_apply(u->tx, "shipments", in->id, &c, now_ts(u), e)) ||
        (rc = shipment_log(u, in->id, shp_action_name(in->action), shp_state_name(st),
                           shp_state_name(to), in->note, e)))
        return rc;
    if ((rc = uc_audit(u, "shipment", in->id, shp_action_name(in->action),
                       sh_arena_printf(u->a, "{\"state\":\"%s\"}", shp_state_name(st)),
                       sh_arena_printf(u->a, "{\"state\":\"%s\"}", shp_state_name(to)), e)))
        return rc;
    if (in->action == SHA_DISPATCH && (rc = uc_notify_shipment_sent(u, in->id, e)))
        return rc;
    /* WF-01 T9 → WF-02: the receipt of a contract with installation opens the project */
    if (to == SHS_RECEIVED && db_get_int(&row, 0, "includes_installation", 0))
        return shipment_on_received(u, in->id, e);
    return SH_OK;
}
