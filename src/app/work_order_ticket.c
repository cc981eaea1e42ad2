/* SPDX-License-Identifier: MIT */
#include "app/work_order_ticket.h"

#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/work_order_int.h"
#include "base/date.h"

static enum sh_code on_schedule(const struct uc *u, const struct ticket_row *t,
                                const struct ticket_action_in *in, int64_t assignee,
                                struct sh_err *e)
{
    struct wo_row w;
    bool found = false;
    enum sh_code rc = wo_open_of_ticket(u->tx, u->a, t->id, &w, &found, e);
    if (rc)
        return rc;
    if (found && !strcmp(w.status, "on_site")) {
        sh_err_set(e, SH_CONFLICT,
                   "work order %s is on site: finish it (not_fixed) before booking a second visit",
                   w.number);
        return sh_err_reason(e, "illegal_action",
                             "{\"status\":\"on_site\",\"action\":\"schedule_visit\"}");
    }
    if (found)
        return wo_rebook(u, &w, in->visit_at, assignee, in->note, e);
    /* RULE R-061: a visit after one that did not fix it is a new work order, linked */
    struct wo_booking b = {.lead_id = assignee ? assignee : t->assignee_id,
                           .appointment_at = in->visit_at,
                           .tolerance_min = -1,
                           .early_target_min = -1,
                           .note = in->note};
    int64_t id;
    return wo_book(u, t, &b, &id, e);
}

static enum sh_code on_arrive(const struct uc *u, const struct ticket_row *t, struct sh_err *e)
{
    struct wo_row w;
    bool found = false;
    enum sh_code rc = wo_open_of_ticket(u->tx, u->a, t->id, &w, &found, e);
    if (rc || !found || !strcmp(w.status, "on_site"))
        return rc;
    const char *from = w.status;
    wo_apply_arrival(u, &w, false, 0, 0);
    char now[21];
    sh_ts_format(u->now, now);
    if ((rc = wo_store(u->tx, &w, now, e)))
        return rc;
    return wo_event(u, &w, "arrive", from, w.status, NULL, NULL,
                    sh_arena_printf(u->a, ",\"lateness_min\":%d,\"late_notice\":\"%s\"",
                                    w.lateness_min, w.late_notice ? w.late_notice : ""),
                    e);
}

/* From on site to the factory: the visit ended needing the factory. */
static enum sh_code on_factory(const struct uc *u, const struct ticket_row *t, const char *note,
                               struct sh_err *e)
{
    struct wo_row w;
    bool found = false;
    enum sh_code rc = wo_open_of_ticket(u->tx, u->a, t->id, &w, &found, e);
    if (rc || !found || strcmp(w.status, "on_site"))
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    w.status = "needs_factory";
    w.finished_at = now;
    w.result_note = note ? note : "";
    if ((rc = wo_store(u->tx, &w, now, e)))
        return rc;
    return wo_event(u, &w, "finish", "on_site", w.status, NULL, note, NULL, e);
}

static enum sh_code on_cancel(const struct uc *u, const struct ticket_row *t, const char *note,
                              struct sh_err *e)
{
    struct wo_row w;
    bool found = false;
    enum sh_code rc = wo_open_of_ticket(u->tx, u->a, t->id, &w, &found, e);
    if (rc || !found)
        return rc;
    const char *from = w.status;
    w.status = "cancelled";
    w.result_note = note ? note : "";
    char now[21];
    sh_ts_format(u->now, now);
    if ((rc = wo_store(u->tx, &w, now, e)))
        return rc;
    return wo_event(u, &w, "cancel", from, w.status, NULL, note, NULL, e);
}

/* RULE review 71 #1: the ticket's new assignee leads its open work order when the visit has
 * not started (planned, confirmed): same transaction, a "rebook" event with the new lead. A
 * departed or on-site one keeps its crew (the technician is on the way or there). */
static enum sh_code on_assign(const struct uc *u, const struct ticket_row *t, int64_t assignee,
                              const char *note, struct sh_err *e)
{
    struct wo_row w;
    bool found = false;
    enum sh_code rc = wo_open_of_ticket(u->tx, u->a, t->id, &w, &found, e);
    if (rc || !found || !assignee || w.lead_id == assignee ||
        (strcmp(w.status, "planned") && strcmp(w.status, "confirmed")))
        return rc;
    struct wo_view v;
    if ((rc = wo_view_fill(u, &w, &v, e)))
        return rc;
    const char *before = work_order_json(u->a, &v);
    if ((rc = wo_rebook(u, &w, NULL, assignee, note, e)) || (rc = wo_view_fill(u, &w, &v, e)))
        return rc;
    return uc_audit(u, "work_order", w.id, "rebook", before, work_order_json(u->a, &v), e);
}

enum sh_code uc_work_order_on_ticket(const struct uc *u, const struct ticket_row *t,
                                     const struct ticket_action_in *in, int64_t assignee,
                                     struct sh_err *e)
{
    switch (in->act) {
    case TA_SCHEDULE_VISIT:
        return on_schedule(u, t, in, assignee, e);
    case TA_ASSIGN:
        return on_assign(u, t, assignee, in->note, e);
    case TA_ARRIVE:
        return on_arrive(u, t, e);
    case TA_CANCEL:
        return on_cancel(u, t, in->note, e);
    case TA_SEND_TO_FACTORY:
        return on_factory(u, t, in->note, e);
    default:
        return SH_OK;
    }
}
