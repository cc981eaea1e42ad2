/* SPDX-License-Identifier: MIT */
/* Booking, re-booking and arrival of a work order, its timeline events and its view
 * (work_order_int.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/contract_reqs.h"
#include "app/ticket_events.h"
#include "app/ticket_warranty.h"
#include "app/work_order_int.h"
#include "base/date.h"

bool wo_is_planner(const struct uc *u)
{
    return (u->who->roles & WO_R_PLAN) != 0;
}

enum sh_code wo_check_staff(const struct uc *u, int64_t user, const char *field, struct sh_err *e)
{
    bool ok = false;
    enum sh_code rc = tickets_staff_user(u->tx, u->a, user, &ok, e);
    if (rc || ok)
        return rc;
    sh_err_field(e, SH_INVALID, field, "no such active staff user %" PRId64, user);
    return sh_err_reason(e, "unknown_reference", NULL);
}

enum sh_code wo_set_window(const struct uc *u, struct wo_row *w, struct sh_err *e)
{
    struct wo_policy pol;
    enum sh_code rc = wo_policy_load(u->tx, u->a, &pol, e);
    if (rc)
        return rc;
    int64_t at = 0;
    if (!w->appointment_at || !sh_ts_parse(w->appointment_at, &at)) {
        w->appointment_day = w->latest_notice_at = NULL;
        return SH_OK;
    }
    struct wo_window win =
        wo_window(at, w->tolerance_min, w->early_target_min, pol.notice_lead_min);
    char *ln = sh_arena_alloc(u->a, 21), *day = sh_arena_alloc(u->a, 11);
    sh_ts_format(win.latest_notice, ln);
    sh_date_format(ticket_local_date(at), day);
    w->latest_notice_at = ln;
    w->appointment_day = day;
    return SH_OK;
}

enum sh_code wo_event(const struct uc *u, const struct wo_row *w, const char *action,
                      const char *from, const char *to, const char *vis, const char *note,
                      const char *extra, struct sh_err *e)
{
    const char *data = sh_arena_printf(
        u->a,
        "{\"work_order_id\":%" PRId64 ",\"number\":\"%s\",\"action\":\"%s\",\"from\":\"%s\","
        "\"to\":\"%s\"%s}",
        w->id, w->number, action, from ? from : "", to ? to : "", extra ? extra : "");
    return uc_ticket_event(u, w->ticket_id, "work_order", vis ? vis : "internal", note ? note : "",
                           data, NULL, e);
}

static const char *now_text(const struct uc *u)
{
    char *s = sh_arena_alloc(u->a, 21);
    sh_ts_format(u->now, s);
    return s;
}

enum sh_code wo_book(const struct uc *u, const struct ticket_row *t, const struct wo_booking *b,
                     int64_t *id, struct sh_err *e)
{
    struct wo_policy pol;
    int64_t n = 0, prev = 0;
    enum sh_code rc;
    if ((rc = wo_policy_load(u->tx, u->a, &pol, e)) ||
        (rc = wo_count_of_ticket(u->tx, u->a, t->id, &n, e)) ||
        (rc = wo_previous_of_ticket(u->tx, u->a, t->id, &prev, e)))
        return rc;
    enum ticket_type type = TICKET_REPAIR;
    ticket_type_parse(t->type, &type);
    struct wo_row w = {
        .ticket_id = t->id,
        .number = sh_arena_printf(u->a, "%s-W%" PRId64, t->number, n + 1),
        .kind = b->kind ? b->kind : wo_kind_name(wo_kind_for_ticket(type)),
        .status = "planned",
        .lead_id = b->lead_id,
        .appointment_at = b->appointment_at,
        .tolerance_min = b->tolerance_min >= 0 ? b->tolerance_min : pol.tolerance_min,
        .early_target_min = b->early_target_min >= 0 ? b->early_target_min : pol.early_target_min,
        .duration_min = b->duration_min > 0 ? b->duration_min : pol.duration_min,
        .previous_id = prev,
        .override_reason = b->override_reason,
        .note = b->note,
        .created_by = u->who ? u->who->user_id : 0,
        .created_at = now_text(u),
    };
    if ((rc = wo_set_window(u, &w, e)) || (rc = wo_insert(u->tx, &w, id, e)))
        return rc;
    w.id = *id;
    const char *extra =
        sh_arena_printf(u->a, ",\"lead_id\":%" PRId64 ",\"appointment_at\":%s%s%s%s", w.lead_id,
                        w.appointment_at ? "\"" : "", w.appointment_at ? w.appointment_at : "null",
                        w.appointment_at ? "\"" : "",
                        prev ? sh_arena_printf(u->a, ",\"previous_id\":%" PRId64, prev) : "");
    return wo_event(u, &w, "create", "", "planned", NULL, b->note, extra, e);
}

enum sh_code wo_rebook(const struct uc *u, struct wo_row *w, const char *appointment_at,
                       int64_t lead, const char *note, struct sh_err *e)
{
    bool same_time =
        appointment_at && w->appointment_at && !strcmp(appointment_at, w->appointment_at);
    if ((same_time || !appointment_at) && (!lead || lead == w->lead_id))
        return SH_OK;
    if (!strcmp(w->status, "on_site")) {
        sh_err_set(e, SH_CONFLICT, "work order %s is on site: finish it before a new visit",
                   w->number);
        return sh_err_reason(e, "illegal_action", "{\"status\":\"on_site\",\"action\":\"rebook\"}");
    }
    const char *from = w->status;
    if (appointment_at && !same_time) {
        w->appointment_at = appointment_at;
        w->eta_at = w->late_notice_at = NULL;
        w->late_notice = "";
        w->status = "planned";
    }
    if (lead)
        w->lead_id = lead;
    enum sh_code rc;
    if ((rc = wo_set_window(u, w, e)) || (rc = wo_store(u->tx, w, now_text(u), e)))
        return rc;
    w->version++;
    const char *extra = sh_arena_printf(u->a, ",\"lead_id\":%" PRId64 ",\"appointment_at\":\"%s\"",
                                        w->lead_id, w->appointment_at ? w->appointment_at : "");
    return wo_event(u, w, "rebook", from, w->status, NULL, note, extra, e);
}

void wo_apply_arrival(const struct uc *u, struct wo_row *w, bool has_pos, double lat, double lon)
{
    w->status = "on_site";
    w->arrived_at = now_text(u);
    if (has_pos) {
        w->has_position = true;
        w->arrived_lat = lat;
        w->arrived_lon = lon;
    }
    int64_t at = 0;
    enum wo_late_notice cur = WLN_NONE;
    wo_late_notice_parse(w->late_notice ? w->late_notice : "", &cur);
    if (w->appointment_at && sh_ts_parse(w->appointment_at, &at)) {
        w->lateness_min = wo_lateness_min(at, u->now);
        w->late_notice = wo_late_notice_name(wo_arrival_flag(cur, at, w->tolerance_min, u->now));
    }
}

enum sh_code wo_view_fill(const struct uc *u, const struct wo_row *w, struct wo_view *v,
                          struct sh_err *e)
{
    memset(v, 0, sizeof(*v));
    v->row = *w;
    enum sh_code rc;
    if ((rc = wo_helpers(u->tx, u->a, w->id, &v->helpers, &v->nhelpers, e)) ||
        (rc = wo_parts(u->tx, u->a, w->id, &v->parts, &v->nparts, e)) ||
        (rc = contract_reqs_of_ticket(u, w->ticket_id, &v->contract_reqs, e)) ||
        (rc = wo_accepted_quote(u->tx, u->a, w->ticket_id, &v->quote, &v->quote_parts, e)))
        return rc;
    int64_t me = u->who ? u->who->user_id : 0;
    v->crew = me && w->lead_id == me;
    for (int i = 0; i < v->nhelpers; i++)
        v->crew |= me && v->helpers[i].user_id == me;
    enum wo_status st;
    if (wo_status_parse(w->status, &st))
        v->nactions = wo_allowed_actions(st, u->who ? u->who->roles : 0, v->crew, v->actions);
    int64_t at;
    if (w->appointment_at && sh_ts_parse(w->appointment_at, &at)) {
        struct wo_policy pol;
        if ((rc = wo_policy_load(u->tx, u->a, &pol, e)))
            return rc;
        v->has_window = true;
        v->window = wo_window(at, w->tolerance_min, w->early_target_min, pol.notice_lead_min);
        v->precall_from = at - 60LL * pol.precall_min;
    }
    return SH_OK;
}
