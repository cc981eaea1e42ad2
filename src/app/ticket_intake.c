/* SPDX-License-Identifier: MIT */
#include "app/notify_senders.h"
#include "app/ticket_intake.h"

#include <inttypes.h>
#include <string.h>

#include "app/resources.h"
#include "app/shipments.h"
#include "app/ticket_actions.h"
#include "app/ticket_events.h"
#include "app/ticket_warranty.h"
#include "base/date.h"
#include "store/tickets.h"

static bool given(const char *s)
{
    return s && *s;
}

/* The one answer an external account gets for a unit that is not its own or not there. */
static enum sh_code no_such_unit(struct sh_err *e, const char *field)
{
    sh_err_field(e, SH_INVALID, field, "no such unit among your units");
    return sh_err_reason(e, "unknown_reference", NULL);
}

/* The unit named by id or serial number, and its owner. Issue 10 item 11: an external
 * account learns nothing of units it does not own. */
static enum sh_code find_unit(const struct uc *u, const struct ticket_intake_in *in, int64_t *cust,
                              int64_t *unit, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc;
    bool ext = principal_external(u->who);
    const char *ufield = given(in->serial_no) && !*unit ? "serial_no" : "unit_id";
    if (!*unit && given(in->serial_no)) {
        if ((rc =
                 units_by_serial(u->tx, u->a, in->serial_no, ext ? u->who->customer_id : 0, &r, e)))
            return rc;
        if (r.nrows == 0 && ext)
            return no_such_unit(e, ufield);
        if (r.nrows == 0)
            return sh_err_field(e, SH_INVALID, "serial_no", "no unit with serial number '%s'",
                                in->serial_no);
        if (r.nrows > 1)
            return sh_err_field(e, SH_CONFLICT, "serial_no",
                                "serial number '%s' belongs to several models: send unit_id",
                                in->serial_no);
        *unit = db_get_int(&r, 0, "id", 0);
    }
    if (!*unit)
        return SH_OK;
    bool found;
    int64_t owner = 0;
    if ((rc = units_owner(u->tx, u->a, *unit, &found, &owner, e)))
        return rc;
    if (!found && !ext)
        return sh_err_field(e, SH_INVALID, "unit_id", "no unit %" PRId64, *unit);
    if (ext && owner != u->who->customer_id)
        return no_such_unit(e, ufield);
    if (*cust && owner && owner != *cust)
        return sh_err_field(e, SH_INVALID, "customer_id", "the unit belongs to another customer");
    if (!*cust)
        *cust = owner;
    return SH_OK;
}

/* A first-contact customer through the customer entity's write path (checks, search text,
 * audit). */
static enum sh_code new_customer(const struct uc *u, const char *name, const char *address,
                                 const char *phone, const char *note, int64_t *id, struct sh_err *e)
{
    struct fval *cv = sh_arena_alloc(u->a, sizeof(struct fval) * (size_t)ent_customers.ncols);
    const struct {
        const char *col, *val;
    } set[] = {{"name", name},
               {"type", "individual"},
               {"address", address},
               {"phone", phone},
               {"first_contact_note", note}};
    for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
        int k = ent_colidx(&ent_customers, set[i].col);
        cv[k].present = true;
        cv[k].text = set[i].val;
    }
    return uc_ent_insert(u, &ent_customers, cv, id, NULL, e);
}

/* A first contact (初次往来客户, R-018): name, address and phone are mandatory. */
static enum sh_code first_contact(const struct uc *u, const struct ticket_intake_in *in,
                                  int64_t *cust, struct sh_err *e)
{
    const char *name = in->customer_name ? in->customer_name : in->caller_name;
    if (!given(name))
        return sh_err_field(e, SH_INVALID, "customer_name",
                            "unknown caller: send customer_id, serial_no, a known phone, or "
                            "customer_name with customer_address and caller_phone");
    if (!given(in->customer_address))
        return sh_err_field(e, SH_INVALID, "customer_address",
                            "a first-contact customer needs an address (R-018)");
    if (!given(in->caller_phone))
        return sh_err_field(e, SH_INVALID, "caller_phone",
                            "a first-contact customer needs a phone number (R-018)");
    return new_customer(u, name, in->customer_address, in->caller_phone,
                        sh_arena_printf(u->a, "首次来电登记 (%s)", in->channel), cust, e);
}

/* Who called: the unit's owner, the customer given, one found by phone, or a new one. */
static enum sh_code find_customer(const struct uc *u, const struct ticket_intake_in *in,
                                  int64_t *cust, int64_t *unit, struct sh_err *e)
{
    *cust = in->customer_id;
    *unit = in->unit_id;
    enum sh_code rc = find_unit(u, in, cust, unit, e);
    if (rc)
        return rc;
    if (principal_external(u->who))
        *cust = u->who->customer_id;
    bool found;
    if (*cust) {
        if ((rc = customers_exists(u->tx, u->a, *cust, &found, e)))
            return rc;
        return found ? SH_OK
                     : sh_err_field(e, SH_INVALID, "customer_id", "no customer %" PRId64, *cust);
    }
    /* match by the caller's phone: customers first, then their contacts */
    if (given(in->caller_phone)) {
        if ((rc = customers_by_phone(u->tx, u->a, in->caller_phone, cust, e)))
            return rc;
        if (*cust)
            return SH_OK;
    }
    return first_contact(u, in, cust, e);
}

/* Fault category, assignee and department named at intake must exist. */
static enum sh_code check_refs(const struct uc *u, const struct ticket_intake_in *in,
                               struct sh_err *e)
{
    bool ok = true;
    enum sh_code rc = SH_OK;
    if (given(in->fault_category) &&
        ((rc = fault_category_active(u->tx, u->a, in->fault_category, &ok, e)) || !ok))
        return rc ? rc
                  : sh_err_field(e, SH_INVALID, "fault_category", "no fault category '%s'",
                                 in->fault_category);
    if (in->assignee_id && ((rc = users_active(u->tx, u->a, in->assignee_id, &ok, e)) || !ok))
        return rc ? rc : sh_err_field(e, SH_INVALID, "assignee_id", "no such user");
    if (in->department_id &&
        ((rc = tickets_department(u->tx, u->a, in->department_id, &ok, e)) || !ok))
        return rc ? rc : sh_err_field(e, SH_INVALID, "department_id", "no such department");
    return SH_OK;
}

/* Chooses the SLA policy (R-117: contract, then customer tier, then ticket type, then
 * default); 0 when none is configured. */
static enum sh_code choose_policy(const struct uc *u, int64_t cust, int64_t unit,
                                  enum ticket_type type, int64_t *policy, struct sh_err *e)
{
    struct sla_candidate *cand;
    size_t n;
    struct sla_subject subj = {.type = type};
    enum sh_code rc = sla_policy_candidates(u->tx, u->a, cust, unit, &cand, &n, &subj, e);
    if (rc)
        return rc;
    size_t idx;
    struct sh_err se;
    sh_err_clear(&se);
    rc = sla_select(cand, n, &subj, &idx, &se);
    *policy = rc ? 0 : cand[idx].policy->id;
    if (rc == SH_NOT_FOUND) /* no policy configured: no clocks */
        return SH_OK;
    return rc ? sh_err_set(e, SH_UNPROCESSABLE, "SLA configuration: %s", se.msg) : SH_OK;
}

/* link a repair to the unit's earlier repair of the same fault and tell the heads. */
static enum sh_code detect_repeat(const struct uc *u, int64_t id, int64_t unit, const char *fault,
                                  int64_t received, struct sh_err *e)
{
    if (!unit || !given(fault))
        return SH_OK;
    struct ticket_repair *prev;
    size_t n, idx;
    enum sh_code rc = tickets_resolved_repairs(u->tx, u->a, unit, id, &prev, &n, e);
    if (rc || n == 0)
        return rc;
    struct ticket_repair now = {.ticket_id = id,
                                .unit_id = unit,
                                .fault_code = fault,
                                .reported = ticket_local_date(received)};
    if (!ticket_find_repeat(&now, prev, n, TICKET_REPEAT_WINDOW_DAYS, &idx))
        return SH_OK;
    int64_t repeat = prev[idx].ticket_id;
    if ((rc = tickets_set_repeat(u->tx, id, repeat, e)) ||
        (rc = uc_ticket_event(u, id, "repeat", "internal", "",
                              sh_arena_printf(u->a, "{\"repeat_of\":%" PRId64 "}", repeat), NULL,
                              e)))
        return rc;
    return uc_tell_dept_heads(u, "repeat_repair", id,
                              sh_arena_printf(u->a, "repeat repair of ticket %" PRId64, repeat),
                              fault, sh_arena_printf(u->a, "repeat:%" PRId64, id), e);
}

/* The timeline's first entries, in one statement. */
static enum sh_code first_events(const struct uc *u, const struct ticket_intake_in *in,
                                 const struct ticket_new *t, int64_t id, struct sh_err *e)
{
    struct ticket_ev evs[3];
    int nev = 0;
    evs[nev++] = (struct ticket_ev){
        "created", "customer", t->number,
        sh_arena_printf(u->a, "{\"channel\":\"%s\",\"type\":\"%s\"}", in->channel, t->type)};
    if (!strcmp(in->channel, "phone"))
        evs[nev++] =
            (struct ticket_ev){"call", "internal", t->description, "{\"direction\":\"inbound\"}"};
    if (t->assignee_id)
        evs[nev++] = (struct ticket_ev){
            "assign", "internal", "",
            sh_arena_printf(u->a, "{\"assignee_id\":%" PRId64 "}", t->assignee_id)};
    return uc_ticket_events_add(u, id, evs, nev, NULL, e);
}

/* A consultation answered during the call: registered and closed in one request. */
static enum sh_code close_at_intake(const struct uc *u, const struct ticket_intake_in *in,
                                    enum ticket_type type, int64_t id, bool assigned,
                                    struct sh_err *e)
{
    if (!given(in->answer))
        return sh_err_field(e, SH_INVALID, "answer", "closing at intake needs the 'answer'");
    static const enum ticket_action steps[] = {TA_REPLY, TA_RESOLVE_REMOTE, TA_CLOSE};
    enum ticket_state st = assigned ? TS_ASSIGNED : TS_NEW;
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        enum ticket_state to;
        enum sh_code rc = ticket_transition(type, st, steps[i], u->who->roles, &to, e);
        if (rc || (rc = uc_ticket_step(u, id, steps[i], st, to, "customer",
                                       i == 0 ? in->answer : "", 0, e)))
            return rc;
        st = to;
    }
    return tickets_search_append(u->tx, u->a, id, in->answer, true, e);
}

/* The ticket's number: SH-YYYYMMDD-NNNN per local day of receipt. */
static enum sh_code number_for(const struct uc *u, int64_t received, char *number, struct sh_err *e)
{
    struct sh_date day = ticket_local_date(received);
    char dtext[11];
    sh_date_format(day, dtext);
    unsigned n;
    enum sh_code rc = tickets_next_seq(u->tx, u->a, dtext, &n, e);
    return rc ? rc : ticket_number_format(day, n, number, e);
}

/* The row to insert: what the caller said, the number, warranty, policy and search text. */
static enum sh_code compose(const struct uc *u, const struct ticket_intake_in *in,
                            enum ticket_type type, int64_t cust, int64_t unit, int64_t received,
                            struct ticket_new *t, struct sh_err *e)
{
    char *number = sh_arena_alloc(u->a, TICKET_NUMBER_SIZE);
    struct warranty_decision wd;
    enum sh_code rc;
    if ((rc = number_for(u, received, number, e)) ||
        (rc = uc_warranty_decide(u, unit, ticket_local_date(received), TC_UNKNOWN, &wd, e)) ||
        (!in->planned && (rc = choose_policy(u, cust, unit, type, &t->sla_policy_id, e))) ||
        (rc = tickets_intake_info(u->tx, u->a, cust, unit, t, e)))
        return rc;
    t->number = number;
    t->channel = in->channel;
    t->type = ticket_type_name(type);
    t->priority = in->priority ? in->priority : "normal";
    t->customer_id = cust;
    t->unit_id = unit;
    t->caller_name = in->caller_name;
    t->caller_phone = in->caller_phone;
    t->fault_category = in->fault_category;
    t->description = in->description ? in->description : "";
    t->required_arrival_at = in->required_arrival_at;
    t->received_at = received;
    t->created_at = u->now;
    t->created_by = u->who->user_id;
    t->assignee_id = in->assignee_id;
    t->department_id = in->department_id;
    /* a technician who registers a call (e.g. on site) owns it: it stays in their scope */
    if (!t->assignee_id && principal_technician_only(u->who))
        t->assignee_id = u->who->user_id;
    t->billing = wd.billing;
    t->warranty_status = wd.status;
    t->warranty_json = wd.json;
    return SH_OK;
}

enum sh_code uc_ticket_intake(const struct uc *u, const struct ticket_intake_in *in,
                              struct ticket_intake_out *out, struct sh_err *e)
{
    enum ticket_type type;
    if (!ticket_type_parse(in->type, &type))
        return sh_err_field(e, SH_INVALID, "type", "no ticket type '%s'", in->type);
    int64_t cust = 0, unit = 0;
    enum sh_code rc;
    if ((rc = find_customer(u, in, &cust, &unit, e)) || (rc = check_refs(u, in, e)))
        return rc;
    int64_t received = in->has_received ? in->received_at : u->now;
    if (received > u->now + 300)
        return sh_err_field(e, SH_INVALID, "received_at", "'received_at' is in the future");
    /* WF-08: a repair soon after the goods were received is dead on arrival */
    int ti = (int)type;
    if ((rc = uc_shipment_doa_classify(u, unit, received, &ti, e)))
        return rc;
    type = (enum ticket_type)ti;
    struct ticket_new t = {0};
    if ((rc = compose(u, in, type, cust, unit, received, &t, e)) ||
        (rc = tickets_insert(u->tx, u->a, &t, &out->id, e)) ||
        (rc = first_events(u, in, &t, out->id, e)))
        return rc;
    if (type == TICKET_REPAIR &&
        (rc = detect_repeat(u, out->id, unit, in->fault_category, received, e)))
        return rc;
    if (in->close && (rc = close_at_intake(u, in, type, out->id, t.assignee_id != 0, e)))
        return rc;
    /* the customer hears that the request is registered, with its number and status link */
    if (!in->close && (rc = uc_notify_ticket_received(u, out->id, e)))
        return rc;
    /* a call only registered has no pauses or stored clocks yet: nothing to read back */
    return in->close ? uc_ticket_sla_refresh(u, out->id, u->now, &out->view, e)
                     : uc_ticket_sla_start(u, out->id, u->now, &out->view, e);
}
