/* SPDX-License-Identifier: MIT */
/* PATCH /api/v1/work-orders/{id}: re-booking (planners) and the work recorded (the crew and
 * planners). */
#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/work_order_int.h"
#include "base/date.h"

static bool booking_fields(const struct wo_update_in *in)
{
    return in->kind || in->appointment_at || in->note || in->override_reason || in->has_lead ||
           in->has_helpers || in->tolerance_min >= 0 || in->early_target_min >= 0 ||
           in->duration_min > 0;
}

static bool work_fields(const struct wo_update_in *in)
{
    return in->findings || in->work_done || in->customer_comment || in->result_note ||
           in->has_parts || in->labour_minutes >= 0;
}

static enum sh_code check_rights(const struct uc *u, const struct wo_view *v,
                                 const struct wo_update_in *in, struct sh_err *e)
{
    bool planner = wo_is_planner(u);
    if (booking_fields(in) && !planner)
        return sh_err_set(e, SH_FORBIDDEN,
                          "only a dispatcher, agent, department head or admin "
                          "may change the booking");
    if (work_fields(in) && !planner && !v->crew)
        return sh_err_set(e, SH_FORBIDDEN, "only the crew or a planner may record the work");
    if (!booking_fields(in) && !work_fields(in)) {
        sh_err_set(e, SH_INVALID, "send at least one field to change");
        return sh_err_reason(e, "required", NULL);
    }
    enum wo_status st = WOS_CANCELLED;
    wo_status_parse(v->row.status, &st);
    bool rebook = in->appointment_at || in->has_lead || in->has_helpers || in->kind;
    if (st == WOS_CANCELLED || (rebook && !wo_status_open(st)) ||
        (in->appointment_at && st == WOS_ON_SITE)) {
        sh_err_set(e, SH_CONFLICT, "a work order in status '%s' cannot be changed so",
                   v->row.status);
        return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\",\"action\":\"update\"}",
                             v->row.status);
    }
    enum sh_code rc = SH_OK;
    if (in->has_lead && in->lead_id && (rc = wo_check_staff(u, in->lead_id, "lead_id", e)))
        return rc;
    for (int i = 0; i < in->nhelpers && !rc; i++)
        rc = wo_check_staff(u, in->helpers[i], "helper_ids", e);
    return rc;
}

/* Applies the booking fields to w; true when the appointment or the lead changed. */
static bool apply_booking(struct wo_row *w, const struct wo_update_in *in)
{
    bool rebooked = false;
    if (in->appointment_at &&
        (!w->appointment_at || strcmp(in->appointment_at, w->appointment_at))) {
        w->appointment_at = in->appointment_at;
        w->eta_at = w->late_notice_at = NULL;
        w->late_notice = "";
        w->status = "planned";
        rebooked = true;
    }
    if (in->has_lead && in->lead_id != w->lead_id) {
        w->lead_id = in->lead_id;
        rebooked = true;
    }
    if (in->kind)
        w->kind = in->kind;
    if (in->tolerance_min >= 0)
        w->tolerance_min = in->tolerance_min;
    if (in->early_target_min >= 0)
        w->early_target_min = in->early_target_min;
    if (in->duration_min > 0)
        w->duration_min = in->duration_min;
    if (in->note)
        w->note = in->note;
    if (in->override_reason)
        w->override_reason = in->override_reason;
    return rebooked;
}

static void apply_work(struct wo_row *w, const struct wo_update_in *in)
{
    if (in->findings)
        w->findings = in->findings;
    if (in->work_done)
        w->work_done = in->work_done;
    if (in->customer_comment)
        w->customer_comment = in->customer_comment;
    if (in->result_note)
        w->result_note = in->result_note;
    if (in->labour_minutes >= 0)
        w->labour_minutes = in->labour_minutes;
}

/* The ticket follows a new appointment and lead while it waits for the visit. */
static enum sh_code follow_ticket(const struct uc *u, const struct wo_row *w, struct sh_err *e)
{
    if (!w->ticket_status || strcmp(w->ticket_status, "visit_scheduled"))
        return SH_OK;
    enum sh_code rc = tickets_set_times(u->tx, w->ticket_id, w->appointment_at, NULL, e);
    if (!rc && w->lead_id)
        rc = tickets_set_owner(u->tx, w->ticket_id, w->lead_id, 0, e);
    return rc;
}

enum sh_code uc_work_order_update(const struct uc *u, const struct wo_update_in *in,
                                  struct wo_view *out, struct sh_err *e)
{
    struct wo_view v;
    enum sh_code rc = uc_work_order_load(u, in->id, &v, e);
    if (rc)
        return rc;
    if (in->if_match >= 0 && in->if_match != v.row.version) {
        sh_err_set(e, SH_PRECONDITION, "the work order was changed by someone else: reload");
        return sh_err_reason(e, "stale", NULL);
    }
    if ((rc = check_rights(u, &v, in, e)))
        return rc;
    const char *before = work_order_json(u->a, &v);
    struct wo_row w = v.row;
    const char *from = w.status;
    bool rebooked = apply_booking(&w, in);
    apply_work(&w, in);
    char now[21];
    sh_ts_format(u->now, now);
    if ((rc = wo_set_window(u, &w, e)) || (rc = wo_store(u->tx, &w, now, e)) ||
        (in->has_helpers && (rc = wo_set_helpers(u->tx, w.id, in->helpers, in->nhelpers, e))) ||
        (in->has_parts && (rc = wo_set_parts(u->tx, w.id, in->parts, in->nparts, e))))
        return rc;
    const char *extra =
        rebooked ? sh_arena_printf(u->a, ",\"lead_id\":%" PRId64 ",\"appointment_at\":\"%s\"",
                                   w.lead_id, w.appointment_at ? w.appointment_at : "")
                 : NULL;
    if ((rc = wo_event(u, &w, rebooked ? "rebook" : "update", from, w.status, NULL, NULL, extra,
                       e)) ||
        (rebooked && (rc = follow_ticket(u, &w, e))) ||
        (rc = uc_work_order_load(u, in->id, out, e)))
        return rc;
    return uc_audit(u, "work_order", in->id, "update", before, work_order_json(u->a, out), e);
}
