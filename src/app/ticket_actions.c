/* SPDX-License-Identifier: MIT */
#include "app/notify_senders.h"
#include "app/ticket_actions.h"

#include <inttypes.h>
#include <string.h>

#include "app/approvals.h"
#include "app/notify_events.h"
#include "app/quotes.h"
#include "app/rmas.h"
#include "app/service_reports.h"
#include "app/settings.h"
#include "app/shipments.h"
#include "app/surveys.h"
#include "app/ticket_events.h"
#include "app/ticket_warranty.h"
#include "app/work_order_ticket.h"
#include "base/date.h"
#include "store/settings.h"
#include "store/work_orders.h"

enum sh_code uc_ticket_load(const struct uc *u, int64_t id, struct ticket_row *out,
                            struct sh_err *e)
{
    enum sh_code rc = tickets_get(u->tx, u->a, id, out, e);
    if (rc)
        return rc;
    if ((principal_external(u->who) && out->customer_id != u->who->customer_id) ||
        (principal_technician_only(u->who) && out->assignee_id != u->who->user_id))
        return sh_err_set(e, SH_NOT_FOUND, "ticket %" PRId64 " not found", id);
    return SH_OK;
}

/* A warranty unknown at intake is decided again when a rule needs it: the unit may have
 * got its dates since. When it is decided now, the ticket keeps the decision. */
static enum sh_code redecide_warranty(const struct uc *u, const struct ticket_row *t, bool *decided,
                                      struct sh_err *e)
{
    int64_t received = 0;
    sh_ts_parse(t->received_at, &received);
    struct warranty_decision wd;
    enum sh_code rc = uc_warranty_decide(u, t->unit_id, ticket_local_date(received),
                                         ticket_cause_of(t->exclusion), &wd, e);
    if (rc || !strcmp(wd.status, "unknown"))
        return rc;
    *decided = true;
    if ((rc = tickets_set_warranty(u->tx, t->id, wd.billing, wd.status, wd.json, e)))
        return rc;
    return uc_ticket_event(u, t->id, "warranty", "customer", "", wd.json, NULL, e);
}

/* The ticket's latest work order when it is not finished as done (tickets booked before work
 * orders have none and pass). */
static enum sh_code work_order_fact(const struct uc *u, int64_t ticket,
                                    struct ticket_guard_facts *f, struct sh_err *e)
{
    struct wo_row w;
    bool found = false;
    enum sh_code rc = wo_latest_of_ticket(u->tx, u->a, ticket, &w, &found, e);
    if (!rc && found && strcmp(w.status, "done")) {
        f->wo_number = w.number;
        f->wo_status = w.status;
        f->wo_id = w.id;
    }
    return rc;
}

/* R-060 and WF-20: the company's switches, the ticket's billing and its quotes. */
static enum sh_code quote_facts(const struct uc *u, const struct ticket_row *t, unsigned g,
                                struct ticket_guard_facts *f, struct sh_err *e)
{
    bool close_on = false, visit_on = false, chargeable = false;
    enum sh_code rc = SH_OK;
    if ((g & TG_CHARGE_TOLD) &&
        (rc = settings_bool(u->tx, u->a, "charge_told_before_close", true, &close_on, e)))
        return rc;
    if ((g & TG_QUOTE) &&
        (rc = settings_bool(u->tx, u->a, "quote_before_visit", true, &visit_on, e)))
        return rc;
    if (!close_on && !visit_on)
        return SH_OK;
    if ((rc = uc_quote_facts(u, t->id, &chargeable, &f->quote_accepted, &f->charge_told, e)))
        return rc;
    f->charge_required = close_on && chargeable;
    f->quote_required = visit_on && chargeable;
    /* RULE: a split agreed after an exclusion (billing negotiated) charges the
     * customer their share: they are told it before the ticket closes, as for chargeable */
    if (close_on && t->billing && !strcmp(t->billing, "negotiated"))
        f->charge_required = true;
    return SH_OK;
}

/* Every guard of the transition, checked by the one domain function (issue 9 item 5) from
 * the ticket, the note and the company settings; the settings and the approval are read
 * only when the transition has a guard that needs them. */
static enum sh_code check_guards(const struct uc *u, const struct ticket_row *t,
                                 enum ticket_type type, enum ticket_state from,
                                 enum ticket_action act, const char *note, struct sh_err *e)
{
    const char *ws = t->warranty_status;
    struct ticket_guard_facts f = {.note = note, .warranty_decided = ws && strcmp(ws, "unknown")};
    unsigned g = ticket_guards(type, from, act);
    enum sh_code rc = SH_OK;
    if ((g & TG_WARRANTY) && !f.warranty_decided &&
        (rc = redecide_warranty(u, t, &f.warranty_decided, e)))
        return rc;
    if ((g & TG_APPROVAL) &&
        !(rc = settings_bool(u->tx, u->a, SETTING_APPROVAL_BEFORE_DISPATCH, false,
                             &f.approval_required, e)) &&
        f.approval_required)
        rc = uc_approval_granted(u, t->id, &f.approved, e);
    if (!rc && (g & TG_WORK_ORDER))
        rc = work_order_fact(u, t->id, &f, e);
    if (!rc && (g & TG_REPORT))
        rc = uc_report_guard_facts(u, t->id, &f.report_required, &f.report_signed, e);
    if (!rc && (g & TG_SURVEY) &&
        !(rc = settings_bool(u->tx, u->a, SETTING_SURVEY_BEFORE_CLOSE, false, &f.survey_required,
                             e)) &&
        f.survey_required)
        rc = uc_survey_done(u, t->id, &f.survey_done, e);
    if (!rc && (g & (TG_CHARGE_TOLD | TG_QUOTE)))
        rc = quote_facts(u, t, g, &f, e);
    if (!rc && (g & TG_REPLACEMENT))
        rc = uc_shipment_doa_facts(u, t->id, &f, e);
    return rc ? rc : ticket_guards_check(type, from, act, &f, e);
}

/* The owner an action names: checked and stored. */
static enum sh_code set_owner(const struct uc *u, int64_t id, int64_t assignee, int64_t dept,
                              struct sh_err *e)
{
    bool ok = true;
    enum sh_code rc = SH_OK;
    if (assignee && ((rc = tickets_staff_user(u->tx, u->a, assignee, &ok, e)) || !ok))
        return rc ? rc : sh_err_field(e, SH_INVALID, "assignee_id", "no such staff user");
    if (dept && ((rc = tickets_department(u->tx, u->a, dept, &ok, e)) || !ok))
        return rc ? rc : sh_err_field(e, SH_INVALID, "department_id", "no such department");
    return tickets_set_owner(u->tx, id, assignee, dept, e);
}

enum sh_code uc_ticket_step(const struct uc *u, int64_t id, enum ticket_action act,
                            enum ticket_state from, enum ticket_state to, const char *vis,
                            const char *note, int64_t assignee, struct sh_err *e)
{
    char now[21];
    sh_ts_format(u->now, now);
    enum sh_code rc = tickets_apply_action(u->tx, id, act, to, now, e);
    if (rc)
        return rc;
    const char *data = sh_arena_printf(
        u->a, "{\"action\":\"%s\",\"from\":\"%s\",\"to\":\"%s\"%s}", ticket_action_name(act),
        ticket_state_name(from), ticket_state_name(to),
        assignee ? sh_arena_printf(u->a, ",\"assignee_id\":%" PRId64, assignee) : "");
    return uc_ticket_event(u, id, "state", vis, note ? note : "", data, NULL, e);
}

/* What the action carries besides its step: owner, appointment, promised arrival. */
/* A field the action does not carry (ticket_action_carries): 400 unknown_field. */
static enum sh_code not_carried(const struct ticket_action_in *in, struct sh_err *e)
{
    const struct {
        unsigned bit;
        bool given;
        const char *field;
    } f[] = {{CARRY_ASSIGNEE, in->assignee_id != 0, "assignee_id"},
             {CARRY_DEPARTMENT, in->department_id != 0, "department_id"},
             {CARRY_VISIT_AT, in->visit_at != NULL, "visit_at"},
             {CARRY_PROMISED, in->promised_arrival_at != NULL, "promised_arrival_at"}};
    unsigned may = ticket_action_carries(in->act);
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        if (f[i].given && !(may & f[i].bit)) {
            sh_err_field(e, SH_INVALID, f[i].field, "'%s' does not take '%s'",
                         ticket_action_name(in->act), f[i].field);
            return sh_err_reason(e, "unknown_field", NULL);
        }
    }
    return SH_OK;
}

static enum sh_code carried(const struct uc *u, const struct ticket_action_in *in,
                            const struct ticket_row *t, int64_t *assignee, struct sh_err *e)
{
    enum sh_code rc = SH_OK;
    *assignee = in->assignee_id;
    int64_t dept = in->department_id;
    if (in->act == TA_ASSIGN && !*assignee && !dept)
        return sh_err_field(e, SH_INVALID, "assignee_id",
                            "'assign' needs assignee_id or department_id");
    if (in->act == TA_ACCEPT && !t->assignee_id)
        *assignee = u->who->user_id;
    if (in->act == TA_SCHEDULE_VISIT && !in->visit_at)
        return sh_err_field(e, SH_INVALID, "visit_at", "'schedule_visit' needs visit_at");
    if ((*assignee || dept) && (rc = set_owner(u, in->id, *assignee, dept, e)))
        return rc;
    return tickets_set_times(u->tx, in->id, in->visit_at, in->promised_arrival_at, e);
}

enum sh_code uc_ticket_action(const struct uc *u, const struct ticket_action_in *in,
                              struct ticket_action_out *out, struct sh_err *e)
{
    struct ticket_row t;
    /* a field the action does not take is refused whatever the ticket's state */
    enum sh_code rc = not_carried(in, e);
    /* review 72 #1: the ticket taken before it is read, so a parallel action (a second
     * send_to_factory, close…) checks the state the first committed */
    if (rc || (rc = tickets_lock(u->tx, in->id, e)) || (rc = uc_ticket_load(u, in->id, &t, e)))
        return rc;
    if (t.merged_into)
        return sh_err_set(e, SH_CONFLICT, "ticket was merged into ticket %" PRId64, t.merged_into);
    if (in->if_match >= 0 && in->if_match != t.version) {
        sh_err_set(e, SH_PRECONDITION, "the ticket was changed by someone else: reload");
        return sh_err_reason(e, "stale", NULL);
    }
    enum ticket_type type;
    enum ticket_state from, to;
    if (!ticket_type_parse(t.type, &type) || !ticket_state_parse(t.status, &from))
        return sh_err_set(e, SH_INTERNAL, "stored ticket has an unknown type or state");
    if ((rc = ticket_transition(type, from, in->act, u->who->roles, &to, e)))
        return rc;
    /* WF-05: the open RMA resolves a ticket at the factory when it closes (docs/rma.md); it is
     * the answer before any other guard (a DOA ticket's `replacement` would say to ship one) */
    if (from == TS_AT_FACTORY && to == TS_RESOLVED && (rc = uc_rma_ticket_guard(u, in->id, e)))
        return rc;
    if ((rc = check_guards(u, &t, type, from, in->act, in->note, e)))
        return rc;
    int64_t assignee, rma = 0;
    const char *vis = in->visibility ? in->visibility : "internal";
    /* WF-20: a cancelled ticket bills nothing: its quotes are withdrawn, the accepted one's
     * charges deleted (409 quote_paid when the customer paid one) */
    if ((in->act == TA_CANCEL && (rc = uc_quote_on_cancel(u, in->id, e))) ||
        (rc = carried(u, in, &t, &assignee, e)) ||
        (rc = uc_ticket_step(u, in->id, in->act, from, to, vis, in->note, assignee, e)) ||
        (rc = uc_work_order_on_ticket(u, &t, in, assignee, e)) ||
        (in->act == TA_SEND_TO_FACTORY && (rc = uc_rma_open(u, in->id, in->note, &rma, e))) ||
        (rc = tickets_search_append(u->tx, u->a, in->id, in->note, ticket_search_note_visible(vis),
                                    e)))
        return rc;
    if (in->act == TA_ASSIGN && assignee && (rc = uc_notify_assigned(u, in->id, assignee, e)))
        return rc;
    /* completed work gets its satisfaction survey, the customer its link */
    if (assignee)
        t.assignee_id = assignee;
    if (to == TS_RESOLVED && from != TS_RESOLVED && (rc = uc_survey_on_resolved(u, &t, e)))
        return rc;
    /* escalation is recorded and the department heads are told */
    if (in->act == TA_ESCALATE) {
        const struct notify_var v[] = {{"number", t.number}, {"note", in->note ? in->note : ""}};
        if ((rc = uc_notify_role(u, "escalation", "dept_head", in->id, v, 2, NULL, e)))
            return rc;
    }
    return uc_ticket_sla_refresh(u, in->id, u->now, &out->view, e);
}

enum sh_code uc_ticket_resolve_by(const struct uc *u, int64_t id, const char *note,
                                  struct sh_err *e)
{
    struct ticket_row t;
    enum ticket_state from;
    enum sh_code rc = tickets_get(u->tx, u->a, id, &t, e);
    if (rc)
        return rc;
    if (!ticket_state_parse(t.status, &from))
        return sh_err_set(e, SH_INTERNAL, "stored ticket has an unknown state");
    if (from == TS_RESOLVED || ticket_state_terminal(from))
        return SH_OK;
    if ((rc = uc_ticket_step(u, id, TA_RESOLVE, from, TS_RESOLVED, "customer", note, 0, e)) ||
        (rc = tickets_get(u->tx, u->a, id, &t, e)) || (rc = uc_survey_on_resolved(u, &t, e)))
        return rc;
    return uc_ticket_sla_refresh(u, id, u->now, NULL, e);
}
