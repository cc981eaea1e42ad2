/* SPDX-License-Identifier: MIT */
/* Trips: create, load in scope, list, the overlap refusal and the technicians away. */
#include "app/trips.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/trip_int.h"
#include "base/date.h"
#include "store/tickets.h"

const char *trip_ts(const struct uc *u, int64_t t)
{
    char *s = sh_arena_alloc(u->a, 21);
    sh_ts_format(t, s);
    return s;
}

enum sh_code trip_report_interval(const struct uc *u, int64_t *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT value FROM settings WHERE key = $1",
                               DB_P(DB_TEXT(SETTING_TRIP_REPORT)), &r, e);
    if (rc)
        return rc;
    const char *v = r.nrows ? db_get(&r, 0, "value") : NULL;
    long h = v ? strtol(v, NULL, 10) : 24;
    *out = (int64_t)h * 3600;
    return SH_OK;
}

static bool parse_ts(const char *s, int64_t *t)
{
    *t = 0;
    return s && sh_ts_parse(s, t);
}

bool trip_overdue_now(const struct uc *u, const struct trip_row *r, int64_t interval)
{
    enum trip_status st;
    int64_t dep, last;
    if (!trip_status_parse(r->status, &st) || !parse_ts(r->departed_at, &dep))
        return false;
    parse_ts(r->last_report_at, &last);
    return trip_report_overdue(st, dep, last, u->now, interval);
}

enum sh_code uc_trip_load(const struct uc *u, int64_t id, struct trip_view *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    enum sh_code rc;
    int64_t interval;
    if ((rc = trips_get(u->tx, u->a, id, &out->row, e)) ||
        (rc = trips_members_of(u->tx, u->a, id, &out->members, &out->nmembers, e)))
        return rc;
    for (int i = 0; i < out->nmembers; i++)
        out->member |= out->members[i].user_id == u->who->user_id;
    if (principal_technician_only(u->who) && !out->member)
        return sh_err_set(e, SH_NOT_FOUND, "trip %" PRId64 " not found", id);
    if ((rc = trips_wos_of(u->tx, u->a, id, &out->wo_ids, &out->nwo, e)) ||
        (rc = trips_reports_of(u->tx, u->a, id, &out->reports, &out->nreports, e)) ||
        (rc = trips_photos_of(u->tx, u->a, id, &out->photos, &out->nphotos, e)) ||
        (rc = trip_report_interval(u, &interval, e)))
        return rc;
    out->report_overdue = trip_overdue_now(u, &out->row, interval);
    int64_t dep, ret;
    out->actual_days = parse_ts(out->row.departed_at, &dep) && parse_ts(out->row.returned_at, &ret)
                           ? trip_actual_days(dep, ret)
                           : -1;
    enum trip_status st;
    if (trip_status_parse(out->row.status, &st))
        out->nactions = trip_allowed_actions(st, u->who->roles, out->member, out->actions);
    return SH_OK;
}

enum sh_code uc_trip_list(const struct uc *u, const struct trip_list_in *in,
                          struct trip_list_item **out, int *n, struct sh_err *e)
{
    int64_t interval;
    enum sh_code rc = trip_report_interval(u, &interval, e);
    if (rc)
        return rc;
    struct trip_filter f = {.status = in->status,
                            .member = in->technician,
                            .ticket_id = in->ticket_id,
                            .project_id = in->project_id,
                            .limit = in->limit};
    /* a technician sees only their own trips */
    if (principal_technician_only(u->who))
        f.member = u->who->user_id;
    if (in->overdue)
        f.report_before = interval > 0 ? trip_ts(u, u->now - interval) : "";
    struct trip_row *rows;
    if ((rc = trips_list(u->tx, u->a, &f, &rows, n, e)))
        return rc;
    *out = sh_arena_alloc(u->a, sizeof(**out) * (size_t)(*n + 1));
    for (int i = 0; i < *n; i++)
        (*out)[i] = (struct trip_list_item){
            .row = rows[i], .report_overdue = trip_overdue_now(u, &rows[i], interval)};
    return SH_OK;
}

/* RULE issue 12 item 4: one technician is never on two trips at once. */
enum sh_code trip_check_overlap(const struct uc *u, const struct trip_row *t, const int64_t *users,
                                int n, struct sh_err *e)
{
    int64_t from, to;
    if (!parse_ts(t->start_at, &from) || !parse_ts(t->end_at, &to))
        return sh_err_set(e, SH_INTERNAL, "trip without its times");
    for (int k = 0; k < n; k++) {
        struct db_rows r;
        enum sh_code rc = trips_of_user(u->tx, u->a, users[k], t->id, t->end_at, &r, e);
        for (int i = 0; !rc && i < r.nrows; i++) {
            enum trip_status st;
            int64_t s, en, f2, t2;
            if (!trip_status_parse(db_get(&r, i, "status"), &st) ||
                !parse_ts(db_get(&r, i, "start_at"), &s) ||
                !parse_ts(db_get(&r, i, "end_at"), &en) ||
                !trip_away(st, s, en, u->now, &f2, &t2) || !trip_overlap(from, to, f2, t2))
                continue;
            int64_t other = db_get_int(&r, i, "id", 0);
            sh_err_field(e, SH_CONFLICT, k ? "other_ids" : "lead_id",
                         "technician %" PRId64 " is on trip %" PRId64 " at that time", users[k],
                         other);
            return sh_err_reason(e, "trip_overlap",
                                 "{\"user_id\":%" PRId64 ",\"trip_id\":%" PRId64 "}", users[k],
                                 other);
        }
        if (rc)
            return rc;
    }
    return SH_OK;
}

enum sh_code uc_trips_away_users(const struct uc *u, int64_t from, int64_t to, int64_t **out,
                                 int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = trips_open_members(u->tx, u->a, trip_ts(u, to), &r, e);
    if (rc)
        return rc;
    *n = 0;
    *out = sh_arena_alloc(u->a, sizeof(int64_t) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++) {
        enum trip_status st;
        int64_t s, en, f2, t2;
        if (trip_status_parse(db_get(&r, i, "status"), &st) &&
            parse_ts(db_get(&r, i, "start_at"), &s) && parse_ts(db_get(&r, i, "end_at"), &en) &&
            trip_away(st, s, en, u->now, &f2, &t2) && trip_overlap(from, to, f2, t2))
            (*out)[(*n)++] = db_get_int(&r, i, "user_id", 0);
    }
    return SH_OK;
}

/* ---- create ---- */

static enum sh_code exists(const struct uc *u, const char *table, int64_t id, const char *field,
                           struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, sh_arena_printf(u->a, "SELECT 1 AS x FROM %s WHERE id = $1", table),
                 DB_P(DB_INT(id)), &r, e);
    if (rc || r.nrows)
        return rc;
    sh_err_field(e, SH_INVALID, field, "no such record %" PRId64, id);
    return sh_err_reason(e, "unknown_reference", NULL);
}

static enum sh_code staff(const struct uc *u, int64_t user, const char *field, struct sh_err *e)
{
    bool ok = false;
    enum sh_code rc = tickets_staff_user(u->tx, u->a, user, &ok, e);
    if (rc || ok)
        return rc;
    sh_err_field(e, SH_INVALID, field, "no such active staff user %" PRId64, user);
    return sh_err_reason(e, "unknown_reference", NULL);
}

enum sh_code trip_check_refs(const struct uc *u, const struct trip_in *in, struct sh_err *e)
{
    enum sh_code rc = SH_OK;
    if (in->purpose && !*in->purpose) {
        sh_err_field(e, SH_INVALID, "purpose", "a trip has a purpose");
        return sh_err_reason(e, "required", NULL);
    }
    if (in->has_customer && in->customer_id)
        rc = exists(u, "customers", in->customer_id, "customer_id", e);
    if (!rc && in->has_site && in->site_id)
        rc = exists(u, "sites", in->site_id, "site_id", e);
    if (!rc && in->has_ticket && in->ticket_id)
        rc = exists(u, "tickets", in->ticket_id, "ticket_id", e);
    for (int i = 0; !rc && i < in->nwo; i++)
        rc = exists(u, "work_orders", in->wo_ids[i], "work_order_ids", e);
    return rc;
}

/* The lead and the others: active staff, nobody twice. */
static enum sh_code check_people(const struct uc *u, const struct trip_in *in, struct sh_err *e)
{
    enum sh_code rc = staff(u, in->lead_id, "lead_id", e);
    for (int i = 0; !rc && i < in->nothers; i++) {
        rc = staff(u, in->others[i], "other_ids", e);
        for (int k = 0; !rc && k < i + 1; k++) {
            if (in->others[i] != (k < i ? in->others[k] : in->lead_id))
                continue;
            sh_err_field(e, SH_INVALID, "other_ids", "user %" PRId64 " is named twice",
                         in->others[i]);
            return sh_err_reason(e, "duplicate", NULL);
        }
    }
    return rc;
}

/* The site gives the customer and the address when they are left blank. */
static enum sh_code site_defaults(const struct uc *u, struct trip_row *t, struct sh_err *e)
{
    if (!t->site_id)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT customer_id, address FROM sites WHERE id = $1",
                               DB_P(DB_INT(t->site_id)), &r, e);
    if (rc || !r.nrows)
        return rc;
    int64_t cust = db_get_int(&r, 0, "customer_id", 0);
    if (t->customer_id && t->customer_id != cust) {
        sh_err_field(e, SH_INVALID, "site_id", "the site belongs to another customer");
        return sh_err_reason(e, "other_customer", NULL);
    }
    t->customer_id = cust;
    if (!t->address || !*t->address)
        t->address = db_get(&r, 0, "address");
    return SH_OK;
}

enum sh_code trip_set_times(const struct uc *u, struct trip_row *t, struct sh_err *e)
{
    int64_t dep;
    if (!parse_ts(t->planned_departure_at, &dep)) {
        sh_err_field(e, SH_INVALID, "planned_departure_at", "a date and time is required");
        return sh_err_reason(e, "required", NULL);
    }
    if (t->est_days < 1 || t->est_days > TRIP_EST_DAYS_MAX) {
        sh_err_field(e, SH_INVALID, "est_days", "est_days is 1 to %d", TRIP_EST_DAYS_MAX);
        return sh_err_reason(e, "out_of_range", "{\"min\":1,\"max\":%d}", TRIP_EST_DAYS_MAX);
    }
    t->start_at = t->planned_departure_at;
    t->end_at = trip_ts(u, dep + (int64_t)t->est_days * 86400);
    return SH_OK;
}

static enum sh_code add_links(const struct uc *u, const struct trip_in *in, int64_t id,
                              struct sh_err *e)
{
    enum sh_code rc = trips_member_add(u->tx, id, in->lead_id, true, e);
    for (int i = 0; !rc && i < in->nothers; i++)
        rc = trips_member_add(u->tx, id, in->others[i], false, e);
    for (int i = 0; !rc && i < in->nwo; i++) {
        bool twice = false;
        for (int k = 0; k < i; k++)
            twice |= in->wo_ids[k] == in->wo_ids[i];
        if (!twice)
            rc = trips_wo_add(u->tx, id, in->wo_ids[i], e);
    }
    return rc;
}

enum sh_code uc_trip_create(const struct uc *u, const struct trip_in *in, struct trip_view *out,
                            struct sh_err *e)
{
    const char *now = trip_ts(u, u->now);
    struct trip_row t = {.status = "planned",
                         .lead_id = in->lead_id,
                         .purpose = in->purpose,
                         .customer_id = in->customer_id,
                         .site_id = in->site_id,
                         .address = in->address,
                         .contact_name = in->contact_name,
                         .contact_phone = in->contact_phone,
                         .site_details = in->site_details,
                         .ticket_id = in->ticket_id,
                         .project_id = in->project_id,
                         .est_days = in->est_days,
                         .planned_departure_at = in->planned_departure_at,
                         .note = in->note,
                         .created_by = u->who->user_id,
                         .created_at = now};
    enum sh_code rc;
    if ((rc = check_people(u, in, e)) || (rc = trip_check_refs(u, in, e)) ||
        (rc = site_defaults(u, &t, e)) || (rc = trip_set_times(u, &t, e)))
        return rc;
    int64_t *people = sh_arena_alloc(u->a, sizeof(int64_t) * (size_t)(in->nothers + 1));
    people[0] = in->lead_id;
    if (in->nothers > 0)
        memcpy(people + 1, in->others, sizeof(int64_t) * (size_t)in->nothers);
    int64_t id;
    if ((rc = trip_check_overlap(u, &t, people, in->nothers + 1, e)) ||
        (rc = trips_insert(u->tx, &t, &id, e)) || (rc = add_links(u, in, id, e)) ||
        (rc = uc_trip_load(u, id, out, e)))
        return rc;
    return uc_audit(u, "trip", id, "create", NULL, trip_json(u->a, out), e);
}
