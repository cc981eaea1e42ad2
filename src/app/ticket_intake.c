/* SPDX-License-Identifier: MIT */
#include "app/notify_senders.h"
#include "app/ticket_intake.h"

#include <inttypes.h>
#include <string.h>

#include "app/notify_events.h"
#include "app/resources.h"
#include "app/shipments.h"
#include "app/ticket_actions.h"
#include "app/ticket_events.h"
#include "app/ticket_warranty.h"
#include "base/date.h"
#include "domain/phone.h"
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

/* A reference to a record that does not exist: the field, reason unknown_reference. */
static enum sh_code unknown_ref(struct sh_err *e, const char *entity)
{
    return sh_err_reason_str1(e, "unknown_reference", "entity", entity);
}

/* The spellings of phone that the lookup by phone compares stored numbers with. */
static const char *const *phone_spellings(const struct uc *u, const char *phone)
{
    char key[PHONE_KEY_MAX], sp[PHONE_SPELLINGS][PHONE_KEY_MAX + 4];
    phone_cn_spellings(phone_cn_key(phone, key), sp);
    const char **out = sh_arena_alloc(u->a, sizeof(*out) * PHONE_SPELLINGS);
    for (int i = 0; i < PHONE_SPELLINGS; i++)
        out[i] = sh_arena_strdup(u->a, sp[i]);
    return out;
}

/* The request's references as the one statement that checks them reads them. */
static struct intake_refs_in refs_in(const struct uc *u, const struct ticket_intake_in *in)
{
    bool ext = principal_external(u->who);
    return (struct intake_refs_in){
        .serial = !in->unit_id && given(in->serial_no) ? in->serial_no : NULL,
        .serial_owner = ext ? u->who->customer_id : 0,
        .unit_id = in->unit_id,
        .customer_id = ext ? u->who->customer_id : in->customer_id,
        /* review 69: a phone typed on the QR page is no proof of who reports */
        .phone = !ext && !in->customer_id && strcmp(in->channel, "qr") && given(in->caller_phone)
                     ? phone_spellings(u, in->caller_phone)
                     : NULL,
        .fault_category = given(in->fault_category) ? in->fault_category : NULL,
        .assignee_id = in->assignee_id,
        .department_id = in->department_id};
}

/* The unit named by id or serial number, and its owner. Issue 10 item 11: an external
 * account learns nothing of units it does not own. */
static enum sh_code find_unit(const struct uc *u, const struct ticket_intake_in *in,
                              const struct intake_refs *k, int64_t *cust, int64_t *unit,
                              struct sh_err *e)
{
    bool ext = principal_external(u->who);
    const char *ufield = given(in->serial_no) && !*unit ? "serial_no" : "unit_id";
    if (!*unit && given(in->serial_no)) {
        if (k->serial_n == 0 && ext)
            return no_such_unit(e, ufield);
        if (k->serial_n == 0) {
            sh_err_field(e, SH_INVALID, "serial_no", "no unit with serial number '%s'",
                         in->serial_no);
            return unknown_ref(e, "unit");
        }
        if (k->serial_n > 1)
            return sh_err_field(e, SH_CONFLICT, "serial_no",
                                "serial number '%s' belongs to several models: send unit_id",
                                in->serial_no);
        *unit = k->unit_id;
    }
    if (!*unit)
        return SH_OK;
    bool found = k->unit_id == *unit;
    int64_t owner = found ? k->unit_owner : 0;
    if (!found && !ext) {
        sh_err_field(e, SH_INVALID, "unit_id", "no unit %" PRId64, *unit);
        return unknown_ref(e, "unit");
    }
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
                                  const struct intake_refs *k, int64_t *cust, int64_t *unit,
                                  struct sh_err *e)
{
    *cust = in->customer_id;
    *unit = in->unit_id;
    enum sh_code rc = find_unit(u, in, k, cust, unit, e);
    if (rc)
        return rc;
    if (principal_external(u->who))
        *cust = u->who->customer_id;
    if (*cust && k->customer_id != *cust) {
        sh_err_field(e, SH_INVALID, "customer_id", "no customer %" PRId64, *cust);
        return unknown_ref(e, "customer");
    }
    /* an anonymous QR report on a unit without an owner: no customer, the agent confirms who
     * it is (an event check_customer says so) */
    if (*cust || !strcmp(in->channel, "qr"))
        return SH_OK;
    /* match by the caller's phone: customers first, then their contacts */
    if (given(in->caller_phone) && k->phone_customer) {
        *cust = k->phone_customer;
        return SH_OK;
    }
    return first_contact(u, in, cust, e);
}

/* phone is one of the numbers in column n of rows (phone_cn_same: however it is typed) */
static bool phone_among(const char *phone, const struct db_rows *r, const char *col)
{
    for (int i = 0; i < r->nrows; i++)
        if (phone_cn_same(phone, db_get(r, i, col)))
            return true;
    return false;
}

/* Review 69 M2: a customer or dealer account's ticket sends its notice to the caller phone
 * it types. One that is not a number of its customer (the customer's or a contact's, compared
 * by phone_cn_key: "139 0000 1234" is 13900001234) is allowed portal_unknown_phones_per_hour
 * times an hour per account (counted from the tickets, so durable); the next is 429 on
 * caller_phone. The numbers and the hour's tickets are few: compared here. */
static enum sh_code unknown_phone_room(const struct uc *u, const struct ticket_intake_in *in,
                                       int64_t cust, struct sh_err *e)
{
    int max = u->app ? u->app->portal_unknown_phones_per_hour : 0;
    if (!principal_external(u->who) || !given(in->caller_phone) || max <= 0)
        return SH_OK;
    char since[21];
    sh_ts_format(u->now - 3600, since);
    struct db_rows known, sent;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT phone FROM customers WHERE id = $1 AND phone <> '' UNION "
                               "ALL SELECT phone FROM contacts WHERE customer_id = $1 AND phone "
                               "<> ''",
                               DB_P(DB_INT(cust)), &known, e);
    if (rc || phone_among(in->caller_phone, &known, "phone"))
        return rc;
    if ((rc = db_query(u->tx, u->a,
                       "SELECT caller_phone FROM tickets WHERE customer_id = $1 AND created_by = "
                       "$2 AND created_at > $3 AND caller_phone <> ''",
                       DB_P(DB_INT(cust), DB_INT(u->who->user_id), DB_TEXT(since)), &sent, e)))
        return rc;
    int n = 0;
    for (int i = 0; i < sent.nrows; i++)
        n += !phone_among(db_get(&sent, i, "caller_phone"), &known, "phone");
    if (n < max)
        return SH_OK;
    sh_err_field(e, SH_THROTTLED, "caller_phone",
                 "at most %d tickets an hour for a phone that is not one of your numbers: "
                 "leave 'caller_phone' empty or use a number on your customer record",
                 max);
    return sh_err_reason(e, "too_many", "{\"max\":%d,\"per\":\"hour\"}", max);
}

/* Fault category, assignee and department named at intake must exist (read with the
 * other references, in the same order as ever). */
static enum sh_code check_refs(const struct ticket_intake_in *in, const struct intake_refs *k,
                               struct sh_err *e)
{
    if (given(in->fault_category) && !k->fault_ok) {
        sh_err_field(e, SH_INVALID, "fault_category", "no fault category '%s'", in->fault_category);
        return unknown_ref(e, "fault_category");
    }
    if (in->assignee_id && !k->assignee_ok) {
        sh_err_field(e, SH_INVALID, "assignee_id", "no such user");
        return unknown_ref(e, "user");
    }
    if (in->department_id && !k->department_ok) {
        sh_err_field(e, SH_INVALID, "department_id", "no such department");
        return unknown_ref(e, "department");
    }
    return SH_OK;
}

/* Chooses the SLA policy (R-117: contract, then customer tier, then ticket type, then
 * default) among the active ones (pols); 0 when none is configured. */
static enum sh_code choose_policy(const struct db_rows *pols, const struct intake_refs *k,
                                  enum ticket_type type, struct sh_arena *a, int64_t *policy,
                                  struct sh_err *e)
{
    struct sla_candidate *cand = sla_candidates_of(a, pols);
    struct sla_subject subj = {.type = type,
                               .contract_id = k->unit_contract_id,
                               .tier = k->customer_key ? SLA_TIER_KEY : SLA_TIER_STANDARD};
    size_t idx;
    struct sh_err se;
    sh_err_clear(&se);
    enum sh_code rc = sla_select(cand, (size_t)pols->nrows, &subj, &idx, &se);
    *policy = rc ? 0 : cand[idx].policy->id;
    if (rc == SH_NOT_FOUND) /* no policy configured: no clocks */
        return SH_OK;
    return rc ? sh_err_set(e, SH_UNPROCESSABLE, "SLA configuration: %s", se.msg) : SH_OK;
}

/* link a repair to the unit's earlier repair of the same fault and tell the heads. */
static enum sh_code detect_repeat(const struct uc *u, int64_t id, int64_t unit, const char *fault,
                                  int64_t received, bool *linked, struct sh_err *e)
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
    *linked = true;
    if ((rc = tickets_set_repeat(u->tx, id, repeat, e)) ||
        (rc = uc_ticket_event(u, id, "repeat", "internal", "",
                              sh_arena_printf(u->a, "{\"repeat_of\":%" PRId64 "}", repeat), NULL,
                              e)))
        return rc;
    struct db_rows nums;
    if ((rc = db_query(u->tx, u->a,
                       "SELECT (SELECT number FROM tickets WHERE id = $1) AS number, (SELECT "
                       "number FROM tickets WHERE id = $2) AS previous",
                       DB_P(DB_INT(id), DB_INT(repeat)), &nums, e)))
        return rc;
    const struct notify_var v[] = {{"number", db_get(&nums, 0, "number")},
                                   {"previous", db_get(&nums, 0, "previous")},
                                   {"fault", fault}};
    return uc_notify_role(u, "repeat_repair", "dept_head", id, v, 3,
                          sh_arena_printf(u->a, "repeat:%" PRId64, id), e);
}

/* The timeline's first entries, in one statement. */
static enum sh_code first_events(const struct uc *u, const struct ticket_intake_in *in,
                                 const struct ticket_new *t, int64_t id, struct sh_err *e)
{
    struct ticket_ev evs[4];
    int nev = 0;
    evs[nev++] = (struct ticket_ev){
        "created", "customer", t->number,
        sh_arena_printf(u->a, "{\"channel\":\"%s\",\"type\":\"%s\"}", in->channel, t->type)};
    if (!t->customer_id)
        evs[nev++] = (struct ticket_ev){"check_customer", "internal", "", "{}"};
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

/* What one intake reads once and uses twice: the references (and what the ticket copies from
 * them), the day's sequence number, the active SLA policies and their calendars, the clocks
 * prepared before the INSERT, the customer the notice goes to, the stored row. */
struct intake_facts {
    struct intake_refs k;
    struct db_rows seq, pols, cals, rcpt, row;
    bool has_seq, has_pols, has_cals;
    struct sla_prepared prep;
};

/* What intake reads whatever the references say, sent ahead of their statement so that one
 * round trip answers all (issue 16 item 1): the day's ticket number (on PostgreSQL a number
 * taken by an intake then refused is a gap, as for any failed intake), the active SLA
 * policies and their calendars. */
static enum sh_code send_ahead(const struct uc *u, const struct ticket_intake_in *in,
                               int64_t received, struct intake_facts *f, struct sh_err *e)
{
    enum sh_code rc;
    if (received <= u->now + 300) { /* else refused after the references */
        char dtext[11];
        sh_date_format(ticket_local_date(received), dtext);
        if ((rc = tickets_next_seq_ahead(u->tx, u->a, dtext, &f->seq, e)))
            return rc;
        f->has_seq = true;
    }
    if (in->planned)
        return SH_OK;
    if ((rc = sla_policies_active_ahead(u->tx, u->a, &f->pols, e)))
        return rc;
    f->has_pols = true;
    if (in->close)
        return SH_OK;
    f->has_cals = true;
    return calendars_of_active_ahead(u->tx, u->a, u->now, &f->cals, e);
}

/* The ticket's number: SH-YYYYMMDD-NNNN per local day of receipt. */
static enum sh_code number_for(const struct uc *u, int64_t received, struct intake_facts *f,
                               char *number, struct sh_err *e)
{
    struct sh_date day = ticket_local_date(received);
    char dtext[11];
    sh_date_format(day, dtext);
    enum sh_code rc;
    if (!f->has_seq &&
        ((rc = tickets_next_seq_ahead(u->tx, u->a, dtext, &f->seq, e)) || (rc = db_wait(u->tx, e))))
        return rc;
    return ticket_number_format(day, tickets_seq_of(&f->seq), number, e);
}

/* The policy of the new ticket and its clocks' summary, stored by the INSERT (a call only
 * registered: a consultation closed at intake refreshes its clocks after its steps). */
static enum sh_code plan_sla(const struct uc *u, const struct ticket_intake_in *in,
                             enum ticket_type type, struct intake_facts *f, struct ticket_new *t,
                             struct sh_err *e)
{
    enum sh_code rc;
    if (in->planned)
        return SH_OK;
    if (!f->has_pols &&
        ((rc = sla_policies_active_ahead(u->tx, u->a, &f->pols, e)) || (rc = db_wait(u->tx, e))))
        return rc;
    f->has_pols = true;
    if ((rc = choose_policy(&f->pols, &f->k, type, u->a, &t->sla_policy_id, e)) || in->close ||
        !t->sla_policy_id)
        return rc;
    char recv[21];
    sh_ts_format(t->received_at, recv);
    const struct sla_new_ticket nt = {.number = t->number,
                                      .status = t->assignee_id ? "assigned" : "new",
                                      .priority = t->priority,
                                      .received_at = recv,
                                      .required_arrival_at = t->required_arrival_at,
                                      .policy_id = t->sla_policy_id,
                                      .assignee_id = t->assignee_id,
                                      .department_id = t->department_id};
    if ((rc = uc_ticket_sla_prepare(u, &nt, &f->pols, f->has_cals ? &f->cals : NULL, u->now,
                                    &f->prep, e)))
        return rc;
    t->sla_state = f->prep.sla_state;
    t->next_due_at = f->prep.next_due_at;
    t->next_check_at = f->prep.next_check_at;
    return SH_OK;
}

/* The row to insert: what the caller said, the number, warranty, policy and search text. */
static enum sh_code compose(const struct uc *u, const struct ticket_intake_in *in,
                            enum ticket_type type, int64_t cust, int64_t unit, int64_t received,
                            struct intake_facts *f, struct ticket_new *t, struct sh_err *e)
{
    char *number = sh_arena_alloc(u->a, TICKET_NUMBER_SIZE);
    struct warranty_decision wd;
    enum sh_code rc;
    /* a first-contact customer was made after the references were read */
    if ((f->k.customer_id != cust || f->k.unit_id != unit) &&
        (rc = tickets_intake_info(u->tx, u->a, cust, unit, &f->k, e)))
        return rc;
    if ((rc = number_for(u, received, f, number, e)) ||
        (rc = uc_warranty_decide(u, unit, ticket_local_date(received), TC_UNKNOWN, &wd, e)))
        return rc;
    t->model_id = f->k.model_id;
    t->region = f->k.region;
    t->customer_name = f->k.customer_name;
    t->serial_no = f->k.serial_no;
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
    /* the status page's token goes in with the row: the notice below links to it */
    t->public_token = in->close ? NULL : uc_public_token_new(u->a);
    return plan_sla(u, in, type, f, t, e);
}

enum sh_code uc_ticket_intake(const struct uc *u, const struct ticket_intake_in *in,
                              struct ticket_intake_out *out, struct sh_err *e)
{
    enum ticket_type type;
    if (!ticket_type_parse(in->type, &type))
        return sh_err_field(e, SH_INVALID, "type", "no ticket type '%s'", in->type);
    int64_t cust = 0, unit = 0;
    struct intake_facts *f = sh_arena_alloc(u->a, sizeof(*f));
    memset(f, 0, sizeof(*f));
    const struct intake_refs_in ri = refs_in(u, in);
    int64_t received = in->has_received ? in->received_at : u->now;
    enum sh_code rc;
    if ((rc = send_ahead(u, in, received, f, e)) ||
        (rc = tickets_intake_refs(u->tx, u->a, &ri, &f->k, e)) ||
        (rc = find_customer(u, in, &f->k, &cust, &unit, e)) || (rc = check_refs(in, &f->k, e)) ||
        (rc = unknown_phone_room(u, in, cust, e)))
        return rc;
    if (received > u->now + 300)
        return sh_err_field(e, SH_INVALID, "received_at", "'received_at' is in the future");
    /* WF-08: a repair soon after the goods were received is dead on arrival */
    int ti = (int)type;
    if ((type == TICKET_DOA && (rc = uc_shipment_doa_check(u, unit, received, e))) ||
        (rc = uc_shipment_doa_classify(u, unit, received, &ti, e)))
        return rc;
    type = (enum ticket_type)ti;
    struct ticket_new t = {0};
    /* the customer the notice goes to rides with the INSERT */
    if ((rc = compose(u, in, type, cust, unit, received, f, &t, e)) ||
        (!in->close &&
         (rc = uc_notify_ticket_received_ahead(u, t.customer_id, t.caller_phone, t.caller_name,
                                               t.assignee_id, &f->rcpt, e))) ||
        (rc = tickets_insert(u->tx, u->a, &t, &out->id, &f->row, e)) ||
        (rc = first_events(u, in, &t, out->id, e)))
        return rc;
    out->number = t.number;
    out->public_token = t.public_token;
    bool changed = in->close; /* the row changed after its INSERT: render reads it */
    if (type == TICKET_REPAIR &&
        (rc = detect_repeat(u, out->id, unit, in->fault_category, received, &changed, e)))
        return rc;
    if (in->close && (rc = close_at_intake(u, in, type, out->id, t.assignee_id != 0, e)))
        return rc;
    /* the customer hears that the request is registered, with its number and status link */
    if (!in->close &&
        (rc = uc_notify_ticket_received_as(u, out->id, t.number, t.public_token, &f->rcpt, e)))
        return rc;
    /* a call only registered has no pauses or stored clocks yet: nothing to read back */
    if (in->close)
        return uc_ticket_sla_refresh(u, out->id, u->now, &out->view, e);
    if ((rc = uc_ticket_sla_start_row(u, &f->row, u->now, &f->prep, &out->view, &changed, e)))
        return rc;
    out->row = changed ? NULL : &f->row;
    return SH_OK;
}
