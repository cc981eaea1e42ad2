/* SPDX-License-Identifier: MIT */
/* Ticket lifecycle as one static transition table per type, built from shared row groups so
 * that the same step means the same thing (and needs the same roles) in every workflow. */
#include "domain/ticket.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/roles.h"

struct row {
    enum ticket_state from;
    enum ticket_action action;
    enum ticket_state to;
    unsigned roles;  /* RB() mask */
    unsigned guards; /* TG_* */
};

/* Who does what (R-002 roles, §1.4). After-sales agents run the desk (registration, reply,
 * closing); the technical department (technicians, dept head) diagnoses and repairs;
 * dispatchers book visits; QC owns factory inspection (WF-05 S4, WF-07 S4) and complaint
 * tracking (WF-09 S5). Admin can do anything; the GM is an escalation target and may reopen. */
#define R_DESK    (RB(AGENT) | RB(DEPT_HEAD) | RB(ADMIN))
#define R_ROUTE   (R_DESK | RB(DISPATCHER))
#define R_WORK    (R_DESK | RB(TECHNICIAN))
#define R_PLAN    (R_DESK | RB(DISPATCHER))
#define R_FIELD   (RB(TECHNICIAN) | RB(DEPT_HEAD) | RB(ADMIN))
#define R_FACTORY (RB(TECHNICIAN) | RB(QC) | RB(DEPT_HEAD) | RB(ADMIN))
#define R_QUALITY (R_DESK | RB(QC))
#define R_ESC     (R_WORK | RB(DISPATCHER) | RB(QC) | RB(GM))
#define R_EXT     (RB(CUSTOMER) | RB(DEALER))
#define R_SENIOR  (RB(DEPT_HEAD) | RB(GM) | RB(ADMIN))

/* WF-03 intake, common to every type: route, accept, escalate, pause, cancel, close, reopen.
 * `work` is who handles the ticket once accepted. Escalation is a self-loop: the level is
 * data (sla.h), not a state, so escalating never loses the state the ticket was in. */
#define ROWS_INTAKE(work)                                                                          \
    {TS_NEW, TA_ASSIGN, TS_ASSIGNED, R_ROUTE, 0},                                                  \
        {TS_ASSIGNED, TA_ASSIGN, TS_ASSIGNED, R_ROUTE, 0},                                         \
        {TS_IN_PROGRESS, TA_ASSIGN, TS_ASSIGNED, R_ROUTE, TG_NOTE},                                \
        {TS_ASSIGNED, TA_ACCEPT, TS_IN_PROGRESS, (work), 0},                                       \
        {TS_NEW, TA_ESCALATE, TS_NEW, R_ESC, TG_NOTE},                                             \
        {TS_ASSIGNED, TA_ESCALATE, TS_ASSIGNED, R_ESC, TG_NOTE},                                   \
        {TS_IN_PROGRESS, TA_ESCALATE, TS_IN_PROGRESS, R_ESC, TG_NOTE},                             \
        {TS_IN_PROGRESS, TA_WAIT_CUSTOMER, TS_WAITING_CUSTOMER, (work), TG_NOTE},                  \
        {TS_WAITING_CUSTOMER, TA_RESUME, TS_IN_PROGRESS, (work) | R_EXT, 0},                       \
        {TS_NEW, TA_CANCEL, TS_CANCELLED, R_DESK | R_EXT, TG_NOTE},                                \
        {TS_ASSIGNED, TA_CANCEL, TS_CANCELLED, R_DESK, TG_NOTE},                                   \
        {TS_IN_PROGRESS, TA_CANCEL, TS_CANCELLED, R_DESK, TG_NOTE},                                \
        {TS_WAITING_CUSTOMER, TA_CANCEL, TS_CANCELLED, R_DESK, TG_NOTE},                           \
        {TS_RESOLVED, TA_CLOSE, TS_CLOSED, R_DESK, 0},                                             \
        {TS_RESOLVED, TA_REOPEN, TS_IN_PROGRESS, R_DESK | R_EXT, TG_NOTE},                         \
    {                                                                                              \
        TS_CLOSED, TA_REOPEN, TS_IN_PROGRESS, R_SENIOR, TG_NOTE                                    \
    }

/* R-112 reply: recorded in any open pre-work state; does not move the ticket. Types the
 * customer raises only (a planned visit has nobody to reply to). */
#define ROWS_REPLY                                                                                 \
    {TS_NEW, TA_REPLY, TS_NEW, R_WORK, TG_NOTE},                                                   \
        {TS_ASSIGNED, TA_REPLY, TS_ASSIGNED, R_WORK, TG_NOTE},                                     \
    {                                                                                              \
        TS_IN_PROGRESS, TA_REPLY, TS_IN_PROGRESS, R_WORK, TG_NOTE                                  \
    }

/* WF-03 S6 / WF-16 S3a: solved by phone, fax or e-mail (R-114 stops the 2 h clock). */
#define ROWS_REMOTE                                                                                \
    {                                                                                              \
        TS_IN_PROGRESS, TA_RESOLVE_REMOTE, TS_RESOLVED, R_WORK, TG_NOTE                            \
    }

/* WF-04 on-site: dispatch (approval + warranty known, T3), re-book, arrive (T7), fix (T8–T9),
 * or book a second visit when the work order ended not fixed (R-061, issue 11).
 * Waiting on the customer after dispatch (site not ready) pauses the clock; resuming goes back
 * to IN_PROGRESS and a new appointment is booked, because the old one has lapsed. */
#define ROWS_VISIT                                                                                 \
    {TS_IN_PROGRESS, TA_SCHEDULE_VISIT, TS_VISIT_SCHEDULED, R_PLAN, TG_APPROVAL | TG_WARRANTY},    \
        {TS_VISIT_SCHEDULED, TA_SCHEDULE_VISIT, TS_VISIT_SCHEDULED, R_PLAN, TG_NOTE},              \
        {TS_VISIT_SCHEDULED, TA_ARRIVE, TS_ON_SITE, R_FIELD, TG_ARRIVAL},                          \
        {TS_VISIT_SCHEDULED, TA_ESCALATE, TS_VISIT_SCHEDULED, R_ESC, TG_NOTE},                     \
        {TS_VISIT_SCHEDULED, TA_WAIT_CUSTOMER, TS_WAITING_CUSTOMER, R_PLAN | R_FIELD, TG_NOTE},    \
        {TS_VISIT_SCHEDULED, TA_CANCEL, TS_CANCELLED, R_DESK, TG_NOTE},                            \
        {TS_ON_SITE, TA_ESCALATE, TS_ON_SITE, R_ESC,                                               \
         TG_NOTE}, /* R-061: not fixed on site → a second visit, a new work order linked to the  \
                      first */                                                                     \
        {TS_ON_SITE, TA_SCHEDULE_VISIT, TS_VISIT_SCHEDULED, R_PLAN, 0},                            \
    {                                                                                              \
        TS_ON_SITE, TA_RESOLVE, TS_RESOLVED, R_FIELD, TG_WORK_ORDER | TG_REPORT                    \
    }

/* WF-05 / WF-07 / WF-08: goods back to the factory, QC inspects, repairs or decides. */
#define ROWS_FACTORY                                                                               \
    {TS_IN_PROGRESS, TA_SEND_TO_FACTORY, TS_AT_FACTORY, R_WORK | RB(QC), TG_NOTE},                 \
        {TS_AT_FACTORY, TA_ESCALATE, TS_AT_FACTORY, R_ESC, TG_NOTE},                               \
    {                                                                                              \
        TS_AT_FACTORY, TA_RESOLVE, TS_RESOLVED, R_FACTORY, TG_NOTE                                 \
    }

/* WF-04 S8e: not fixable on site → return to factory. */
#define ROW_ONSITE_TO_FACTORY                                                                      \
    {                                                                                              \
        TS_ON_SITE, TA_SEND_TO_FACTORY, TS_AT_FACTORY, R_FIELD, TG_NOTE                            \
    }

/* Handled without a visit or factory step (complaint handled, replacement shipped, DOA
 * replacement ordered, consultation routed to a linked workflow ). */
#define ROW_DIRECT(who)                                                                            \
    {                                                                                              \
        TS_IN_PROGRESS, TA_RESOLVE, TS_RESOLVED, (who), TG_NOTE                                    \
    }

static const struct row CONSULTATION[] = {
    ROWS_INTAKE(R_WORK),
    ROWS_REPLY,
    ROWS_REMOTE,
    /* a general question answered at first contact, without routing */
    {TS_NEW, TA_RESOLVE_REMOTE, TS_RESOLVED, R_WORK, TG_NOTE},
    ROW_DIRECT(R_WORK)};

static const struct row INSTALLATION[] = {ROWS_INTAKE(R_WORK), ROWS_REPLY, ROWS_VISIT};

/* RULE R-060: a chargeable repair closes only after the customer was told the charge; the
 * repair table overrides the intake close row's guards through ticket_guards(). */
static const struct row REPAIR[] = {ROWS_INTAKE(R_WORK), ROWS_REPLY,   ROWS_REMOTE,
                                    ROWS_VISIT,          ROWS_FACTORY, ROW_ONSITE_TO_FACTORY};

static const struct row REPLACEMENT[] = {ROWS_INTAKE(R_WORK), ROWS_REPLY, ROWS_VISIT, ROWS_FACTORY,
                                         ROW_DIRECT(R_WORK)};

static const struct row RETURN[] = {ROWS_INTAKE(R_QUALITY), ROWS_REPLY, ROWS_FACTORY};

static const struct row COMPLAINT[] = {ROWS_INTAKE(R_QUALITY), ROWS_REPLY, ROWS_FACTORY,
                                       ROW_DIRECT(R_QUALITY)};

static const struct row DOA[] = {ROWS_INTAKE(R_WORK), ROWS_REPLY, ROWS_FACTORY, ROW_DIRECT(R_WORK)};

static const struct row VISIT[] = {ROWS_INTAKE(R_WORK), ROWS_VISIT};

static const struct row TRAINING[] = {ROWS_INTAKE(R_WORK), ROWS_REPLY, ROWS_REMOTE, ROWS_VISIT};

static const struct row UPGRADE[] = {ROWS_INTAKE(R_WORK), ROWS_REPLY, ROWS_REMOTE, ROWS_VISIT};

#define TABLE(t)                                                                                   \
    {                                                                                              \
        t, sizeof(t) / sizeof(t[0])                                                                \
    }

static const struct {
    const struct row *rows;
    size_t n;
} TABLES[TICKET_TYPE_COUNT] = {
    [TICKET_CONSULTATION] = TABLE(CONSULTATION),
    [TICKET_INSTALLATION] = TABLE(INSTALLATION),
    [TICKET_REPAIR] = TABLE(REPAIR),
    [TICKET_REPLACEMENT] = TABLE(REPLACEMENT),
    [TICKET_RETURN] = TABLE(RETURN),
    [TICKET_COMPLAINT] = TABLE(COMPLAINT),
    [TICKET_DOA] = TABLE(DOA),
    [TICKET_VISIT] = TABLE(VISIT),
    [TICKET_TRAINING] = TABLE(TRAINING),
    [TICKET_UPGRADE] = TABLE(UPGRADE),
};

/* The names of the ticket types, states, channels and priorities: the one declaration the
 * API, its /meta document, the exports and the web UI take them from (NULL-terminated). */
const char *const ticket_type_names[TICKET_TYPE_COUNT + 1] = {
    [TICKET_CONSULTATION] = "consultation",
    [TICKET_INSTALLATION] = "installation",
    [TICKET_REPAIR] = "repair",
    [TICKET_REPLACEMENT] = "replacement",
    [TICKET_RETURN] = "return",
    [TICKET_COMPLAINT] = "complaint",
    [TICKET_DOA] = "doa",
    [TICKET_VISIT] = "visit",
    [TICKET_TRAINING] = "training",
    [TICKET_UPGRADE] = "upgrade",
};

const char *const ticket_state_names[TICKET_STATE_COUNT + 1] = {
    [TS_NEW] = "new",
    [TS_ASSIGNED] = "assigned",
    [TS_IN_PROGRESS] = "in_progress",
    [TS_WAITING_CUSTOMER] = "waiting_customer",
    [TS_VISIT_SCHEDULED] = "visit_scheduled",
    [TS_ON_SITE] = "on_site",
    [TS_AT_FACTORY] = "at_factory",
    [TS_RESOLVED] = "resolved",
    [TS_CLOSED] = "closed",
    [TS_CANCELLED] = "cancelled",
};

const char *const ticket_channel_names[] = {"phone",  "letter", "fax", "email", "walk_in",
                                            "portal", "qr",     "api", NULL};
const char *const ticket_priority_names[] = {"low", "normal", "high", "urgent", NULL};

const char *ticket_type_name(enum ticket_type t)
{
    return (unsigned)t < TICKET_TYPE_COUNT ? ticket_type_names[t] : "?";
}

const char *ticket_state_name(enum ticket_state s)
{
    return (unsigned)s < TICKET_STATE_COUNT ? ticket_state_names[s] : "?";
}

unsigned ticket_action_carries(enum ticket_action a)
{
    switch (a) {
    case TA_ASSIGN:
        return CARRY_ASSIGNEE | CARRY_DEPARTMENT;
    case TA_SCHEDULE_VISIT:
        return CARRY_ASSIGNEE | CARRY_VISIT_AT | CARRY_PROMISED;
    default:
        return 0;
    }
}

const char *ticket_action_name(enum ticket_action a)
{
    switch (a) {
    case TA_ASSIGN:
        return "assign";
    case TA_ACCEPT:
        return "accept";
    case TA_REPLY:
        return "reply";
    case TA_RESOLVE_REMOTE:
        return "resolve_remote";
    case TA_SCHEDULE_VISIT:
        return "schedule_visit";
    case TA_ARRIVE:
        return "arrive";
    case TA_SEND_TO_FACTORY:
        return "send_to_factory";
    case TA_ESCALATE:
        return "escalate";
    case TA_WAIT_CUSTOMER:
        return "wait_customer";
    case TA_RESUME:
        return "resume";
    case TA_RESOLVE:
        return "resolve";
    case TA_CLOSE:
        return "close";
    case TA_REOPEN:
        return "reopen";
    case TA_CANCEL:
        return "cancel";
    case TICKET_ACTION_COUNT:
        break;
    }
    return "?";
}

bool ticket_type_parse(const char *s, enum ticket_type *out)
{
    for (int i = 0; i < TICKET_TYPE_COUNT; i++)
        if (strcmp(s, ticket_type_name((enum ticket_type)i)) == 0) {
            *out = (enum ticket_type)i;
            return true;
        }
    return false;
}

bool ticket_state_parse(const char *s, enum ticket_state *out)
{
    for (int i = 0; i < TICKET_STATE_COUNT; i++)
        if (strcmp(s, ticket_state_name((enum ticket_state)i)) == 0) {
            *out = (enum ticket_state)i;
            return true;
        }
    return false;
}

bool ticket_action_parse(const char *s, enum ticket_action *out)
{
    for (int i = 0; i < TICKET_ACTION_COUNT; i++)
        if (strcmp(s, ticket_action_name((enum ticket_action)i)) == 0) {
            *out = (enum ticket_action)i;
            return true;
        }
    return false;
}

bool ticket_state_terminal(enum ticket_state s)
{
    switch (s) {
    case TS_NEW:
    case TS_ASSIGNED:
    case TS_IN_PROGRESS:
    case TS_WAITING_CUSTOMER:
    case TS_VISIT_SCHEDULED:
    case TS_ON_SITE:
    case TS_AT_FACTORY:
    case TS_RESOLVED:
        return false;
    case TS_CLOSED:
    case TS_CANCELLED:
    case TICKET_STATE_COUNT:
        return true;
    }
    return true;
}

static bool in_range(enum ticket_type type, enum ticket_state state)
{
    return (unsigned)type < TICKET_TYPE_COUNT && (unsigned)state < TICKET_STATE_COUNT;
}

static const struct row *find(enum ticket_type type, enum ticket_state state,
                              enum ticket_action action)
{
    for (size_t i = 0; i < TABLES[type].n; i++) {
        const struct row *r = &TABLES[type].rows[i];
        if (r->from == state && r->action == action)
            return r;
    }
    return NULL;
}

/* 409 reason illegal_action, as domain/fsm.c answers: the message and params.allowed list the
 * actions the type takes from the state (the UI says "not now" from the reason). */
static enum sh_code illegal(enum ticket_type type, enum ticket_state state,
                            enum ticket_action action, struct sh_err *err)
{
    char list[200] = "", params[200] = "";
    size_t len = 0, plen = 0;
    for (size_t i = 0; i < TABLES[type].n; i++) {
        const struct row *x = &TABLES[type].rows[i];
        if (x->from != state)
            continue;
        const char *n = ticket_action_name(x->action);
        int w = snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "", n);
        int pw = snprintf(params + plen, sizeof(params) - plen, "%s\"%s\"", plen ? "," : "", n);
        if (w < 0 || (size_t)w >= sizeof(list) - len || pw < 0 ||
            (size_t)pw >= sizeof(params) - plen) {
            list[len] = params[plen] = '\0'; /* whole names only */
            break;
        }
        len += (size_t)w;
        plen += (size_t)pw;
    }
    sh_err_set(err, SH_CONFLICT, "a %s ticket in state '%s' cannot '%s'; allowed: %s",
               ticket_type_name(type), ticket_state_name(state), ticket_action_name(action),
               len ? list : "none");
    return sh_err_reason(err, "illegal_action",
                         "{\"status\":\"%s\",\"action\":\"%s\",\"allowed\":[%s]}",
                         ticket_state_name(state), ticket_action_name(action), params);
}

enum sh_code ticket_transition(enum ticket_type type, enum ticket_state state,
                               enum ticket_action action, unsigned roles, enum ticket_state *to,
                               struct sh_err *err)
{
    if (!in_range(type, state) || (unsigned)action >= TICKET_ACTION_COUNT)
        return sh_err_set(err, SH_INVALID, "unknown ticket type, state or action");
    const struct row *r = find(type, state, action);
    if (!r)
        return illegal(type, state, action, err);
    if (!(r->roles & roles))
        return sh_err_set(err, SH_FORBIDDEN, "your roles may not '%s' a %s ticket in state '%s'",
                          ticket_action_name(action), ticket_type_name(type),
                          ticket_state_name(state));
    *to = r->to;
    return SH_OK;
}

unsigned ticket_guards(enum ticket_type type, enum ticket_state state, enum ticket_action action)
{
    if (!in_range(type, state) || (unsigned)action >= TICKET_ACTION_COUNT)
        return 0;
    const struct row *r = find(type, state, action);
    if (!r)
        return 0;
    unsigned g = r->guards;
    /* An installation is priced by its project's agreement and the fee rules (WF-02, WF-11),
     * a periodic visit bills nothing (WF-10): neither is quoted to the customer per ticket */
    bool quoted = type != TICKET_INSTALLATION && type != TICKET_VISIT;
    /* RULE R-060: chargeable work closes only once the charge was told (F-14); whether the
     * ticket is chargeable is a fact (its billing) */
    if (action == TA_CLOSE && quoted)
        g |= TG_CHARGE_TOLD;
    /* RULE WF-20, R-106: chargeable on-site work is booked after the customer accepted the
     * quote (a fact: billing chargeable and the company's switch) */
    if (action == TA_SCHEDULE_VISIT && quoted)
        g |= TG_QUOTE;
    /* every type closes after the survey, when the company asks for one */
    if (action == TA_CLOSE)
        g |= TG_SURVEY;
    /* WF-10: a periodic visit (走访, 巡查) bills nothing against a unit: it is booked without a
     * warranty decision (the visit job books visits of customers, not of units), and without
     * a market-support approval: the company planned it (its visit plan), nobody asked for a
     * trip the approval would weigh */
    if (type == TICKET_VISIT && action == TA_SCHEDULE_VISIT)
        g &= ~(unsigned)(TG_WARRANTY | TG_APPROVAL);
    /* WF-08 S3-S5: a dead-on-arrival unit is replaced or taken back before the ticket
     * resolves, directly or at the factory */
    if (type == TICKET_DOA && action == TA_RESOLVE)
        g |= TG_REPLACEMENT;
    /* WF-08: a ticket of any type is not cancelled while its replacement is on its way (the
     * shipment would be left to a cancelled ticket, as a merge would leave it) */
    if (action == TA_CANCEL)
        g |= TG_REPLACEMENT;
    return g;
}

static const struct ticket_guard_info guard_table[] = {
    {TG_NOTE, "note", TGE_ALWAYS},
    {TG_APPROVAL, "approval", TGE_SWITCHED},
    {TG_WARRANTY, "warranty", TGE_ALWAYS},
    {TG_ARRIVAL, "arrival", TGE_ALWAYS},
    {TG_WORK_ORDER, "work_order", TGE_ALWAYS},
    {TG_REPORT, "report", TGE_SWITCHED},
    {TG_CHARGE_TOLD, "charge_told", TGE_SWITCHED},
    {TG_SURVEY, "survey", TGE_SWITCHED},
    {TG_QUOTE, "quote", TGE_SWITCHED},
    {TG_REPLACEMENT, "replacement", TGE_ALWAYS},
};

const struct ticket_guard_info *ticket_guard_table(size_t *n)
{
    *n = sizeof(guard_table) / sizeof(guard_table[0]);
    return guard_table;
}

static enum sh_code refuse(struct sh_err *err, enum sh_code code, const char *field,
                           const char *guard, const char *msg, enum ticket_action action)
{
    if (field)
        sh_err_field(err, code, field, "'%s': %s", ticket_action_name(action), msg);
    else
        sh_err_set(err, code, "'%s': %s", ticket_action_name(action), msg);
    return sh_err_reason(err, "guard", "{\"guard\":\"%s\",\"action\":\"%s\"}", guard,
                         ticket_action_name(action));
}

/* The guard `replacement` naming the shipment on its way (action: "resolve" or "merge"). */
static enum sh_code replacement_on_its_way(const char *action, const struct ticket_guard_facts *f,
                                           struct sh_err *err)
{
    sh_err_set(err, SH_CONFLICT,
               "'%s': replacement shipment %s is %s: the customer receives it first (its "
               "'receive' action)",
               action, f->replacement_number, f->replacement_state);
    return sh_err_reason(err, "guard",
                         "{\"guard\":\"replacement\",\"action\":\"%s\",\"shipment_id\":%" PRId64
                         ",\"state\":\"%s\"}",
                         action, f->replacement_id, f->replacement_state);
}

/* RULE WF-08 (S3 replacement ordered, S4 DOA unit returned, S5 closed): a DOA ticket resolves
 * once every replacement shipment of it is received (one on its way is waited for, as the
 * RMA's close waits for its shipment), and at least one was or the DOA unit is back at the
 * factory (an RMA of the ticket received it). */
static enum sh_code check_replacement(enum ticket_action action, const struct ticket_guard_facts *f,
                                      struct sh_err *err)
{
    if (f->replacement_number)
        return replacement_on_its_way(ticket_action_name(action), f, err);
    if (action == TA_CANCEL) /* nothing on its way: a cancel waits for nothing else */
        return SH_OK;
    if (f->replacement_received || f->doa_unit_returned)
        return SH_OK;
    return refuse(err, SH_CONFLICT, NULL, "replacement",
                  "a dead-on-arrival unit is made good first (WF-08): ship a replacement (POST "
                  "/api/v1/shipments with kind replacement) and have the customer receive it, or "
                  "take the unit back to the factory (send_to_factory)",
                  action);
}

/* RULE WF-08: a merge cancels the duplicate, so a ticket whose replacement shipment is on its
 * way is not merged: the shipment would be left to a cancelled ticket (the resolve's wait). */
enum sh_code ticket_merge_check(const struct ticket_guard_facts *f, struct sh_err *err)
{
    return f->replacement_number ? replacement_on_its_way("merge", f, err) : SH_OK;
}

/* One guard: SH_OK when it passes. A guard that waits on other records answers 409 (the
 * ticket's state conflicts with the action: issue 11 asks 409 for the report); a missing note
 * is the request's own fault, 422. The switch has no default so that a new TG_* flag
 * without a case is a compiler warning (-Wswitch via the enum cast below). */
static enum sh_code check_one(enum ticket_guard_flags g, enum ticket_action action,
                              const struct ticket_guard_facts *f, struct sh_err *err)
{
    switch (g) {
    case TG_NOTE:
        if (f->note && *f->note)
            return SH_OK;
        return refuse(err, SH_INVALID, "note", "note",
                      "needs a note (the answer, solution or reason)", action);
    case TG_APPROVAL:
        if (!f->approval_required || f->approved)
            return SH_OK;
        return refuse(err, SH_CONFLICT, NULL, "approval",
                      "the market-support approval comes first (R-051): file a request linked "
                      "to the ticket with POST /api/v1/approvals; the approver the company's "
                      "approval matrix names approves it",
                      action);
    case TG_WARRANTY:
        if (f->warranty_decided)
            return SH_OK;
        return refuse(err, SH_CONFLICT, NULL, "warranty",
                      "decide the warranty first: give the ticket's unit an install or ship "
                      "date (or a warranty end date), then try again",
                      action);
    case TG_WORK_ORDER: /* RULE issue 11 item 1: not fixed needs a second visit or the factory */
        if (!f->wo_number)
            return SH_OK;
        sh_err_set(err, SH_CONFLICT,
                   "'%s': work order %s is %s: it must be finished as done first (a not fixed "
                   "visit needs a second visit or the factory)",
                   ticket_action_name(action), f->wo_number, f->wo_status);
        return sh_err_reason(
            err, "guard",
            "{\"guard\":\"work_order\",\"action\":\"%s\",\"work_order_id\":%" PRId64
            ",\"status\":\"%s\"}",
            ticket_action_name(action), f->wo_id, f->wo_status);
    case TG_REPORT: /* RULE R-035: the service report (F-09) is signed before resolving */
        if (!f->report_required || f->report_signed)
            return SH_OK;
        return refuse(err, SH_CONFLICT, NULL, "report",
                      "the customer signs the service report of the current work order first "
                      "(POST /api/v1/work-orders/{id}/signature, after the self-check)",
                      action);
    case TG_SURVEY:
        if (!f->survey_required || f->survey_done)
            return SH_OK;
        return refuse(err, SH_CONFLICT, NULL, "survey",
                      "the satisfaction survey comes first (R-036): the customer answers the "
                      "link, or an agent records the answers given by phone or the refusal "
                      "with POST /api/v1/tickets/{id}/survey",
                      action);
    case TG_CHARGE_TOLD: /* RULE R-060 */
        if (!f->charge_required || f->charge_told)
            return SH_OK;
        return refuse(err, SH_CONFLICT, NULL, "charge_told",
                      "the work is chargeable: tell the customer the charge first (R-060) - an "
                      "accepted quote (POST /api/v1/tickets/{id}/quotes), or record that the "
                      "charge was told with POST /api/v1/tickets/{id}/charge-told",
                      action);
    case TG_QUOTE: /* RULE WF-20 */
        if (!f->quote_required || f->quote_accepted)
            return SH_OK;
        return refuse(err, SH_CONFLICT, NULL, "quote",
                      "the work is chargeable: the customer accepts a quote before the visit "
                      "is booked (POST /api/v1/tickets/{id}/quotes, send it, and the customer "
                      "accepts on the link or the agent records the acceptance)",
                      action);
    case TG_ARRIVAL: /* the arrival time is the instant of the action itself */
        return SH_OK;
    case TG_REPLACEMENT:
        return check_replacement(action, f, err);
    }
    return sh_err_set(err, SH_INTERNAL, "guard 0x%x has no check", (unsigned)g);
}

enum sh_code ticket_guards_check(enum ticket_type type, enum ticket_state state,
                                 enum ticket_action action, const struct ticket_guard_facts *f,
                                 struct sh_err *err)
{
    unsigned g = ticket_guards(type, state, action);
    for (unsigned bit = 1; bit <= TG_ALL; bit <<= 1) {
        if (!(g & bit))
            continue;
        enum sh_code rc = check_one((enum ticket_guard_flags)bit, action, f, err);
        if (rc)
            return rc;
    }
    return SH_OK;
}

size_t ticket_allowed_actions(enum ticket_type type, enum ticket_state state, unsigned roles,
                              enum ticket_action out[TICKET_ACTION_COUNT])
{
    size_t n = 0;
    if (!in_range(type, state))
        return 0;
    for (int a = 0; a < TICKET_ACTION_COUNT; a++) {
        const struct row *r = find(type, state, (enum ticket_action)a);
        if (r && (r->roles & roles))
            out[n++] = (enum ticket_action)a;
    }
    return n;
}

bool ticket_state_used(enum ticket_type type, enum ticket_state state)
{
    if (!in_range(type, state))
        return false;
    if (state == TS_NEW)
        return true;
    for (size_t i = 0; i < TABLES[type].n; i++)
        if (TABLES[type].rows[i].from == state || TABLES[type].rows[i].to == state)
            return true;
    return false;
}

enum sh_code ticket_number_format(struct sh_date day, unsigned seq, char out[TICKET_NUMBER_SIZE],
                                  struct sh_err *err)
{
    if (seq == 0)
        return sh_err_set(err, SH_INVALID, "ticket sequence starts at 1");
    /* four digits normally; a busy day widens the number rather than refusing a call */
    if (seq > 9999999)
        return sh_err_set(err, SH_TOO_BIG, "more than 9999999 tickets on one day");
    if (!sh_date_valid(day.y, day.m, day.d) || day.y < 1000 || day.y > 9999)
        return sh_err_set(err, SH_INVALID, "bad ticket date");
    snprintf(out, TICKET_NUMBER_SIZE, "SH-%04d%02d%02d-%04u", day.y, day.m, day.d, seq);
    return SH_OK;
}

static bool digits(const char *s, size_t n, unsigned *v)
{
    unsigned x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        x = x * 10u + (unsigned)(s[i] - '0');
    }
    *v = x;
    return true;
}

bool ticket_number_parse(const char *s, struct sh_date *day, unsigned *seq)
{
    unsigned y, m, d, n;
    size_t len = strlen(s);
    if (len < 16 || len > TICKET_NUMBER_SIZE - 1 || strncmp(s, "SH-", 3) != 0 || s[11] != '-')
        return false;
    size_t nd = len - 12; /* 4 digits, or more without a leading zero */
    if (nd > 4 && s[12] == '0')
        return false;
    if (!digits(s + 3, 4, &y) || !digits(s + 7, 2, &m) || !digits(s + 9, 2, &d) ||
        !digits(s + 12, nd, &n))
        return false;
    if (n == 0 || !sh_date_valid((int)y, (int)m, (int)d))
        return false;
    *day = (struct sh_date){(int)y, (int)m, (int)d};
    *seq = n;
    return true;
}

static int64_t day_no(struct sh_date d)
{
    return sh_days_from_civil(d.y, d.m, d.d);
}

bool ticket_find_repeat(const struct ticket_repair *now, const struct ticket_repair *prev, size_t n,
                        int window_days, size_t *idx)
{
    bool found = false;
    int64_t best = 0;
    if (!now->fault_code || !now->fault_code[0])
        return false;
    int64_t reported = day_no(now->reported);
    for (size_t i = 0; i < n; i++) {
        const struct ticket_repair *p = &prev[i];
        if (p->unit_id != now->unit_id || p->ticket_id == now->ticket_id || !p->fault_code ||
            strcmp(p->fault_code, now->fault_code) != 0)
            continue;
        int64_t resolved = day_no(p->resolved);
        int64_t age = reported - resolved;
        /* RULE R-159: day 0 … window_days inclusive */
        if (age < 0 || age > window_days)
            continue;
        if (!found || resolved > best) {
            found = true;
            best = resolved;
            *idx = i;
        }
    }
    return found;
}

const char *ticket_billing_name(enum ticket_billing b)
{
    switch (b) {
    case TB_WARRANTY:
        return "warranty";
    case TB_CHARGEABLE:
        return "chargeable";
    case TB_CONTRACT:
        return "contract";
    case TB_NEGOTIATED:
        return "negotiated";
    }
    return "?";
}

const char *ticket_cause_name(enum ticket_cause c)
{
    switch (c) {
    case TC_QUALITY:
        return "quality";
    case TC_UNKNOWN:
        return "unknown";
    case TC_HUMAN:
        return "human";
    case TC_FORCE_MAJEURE:
        return "force_majeure";
    case TC_THIRD_PARTY:
        return "third_party";
    }
    return "?";
}

enum sh_code ticket_billing_decide(const struct ticket_billing_in *in,
                                   struct ticket_billing_out *out, struct sh_err *err)
{
    memset(out, 0, sizeof(*out));
    out->warranty = warranty_compute(&in->unit);
    if (!out->warranty.known)
        return sh_err_set(err, SH_UNPROCESSABLE,
                          "warranty end unknown: the unit has no install or ship date");
    out->in_warranty = warranty_covers(&out->warranty, in->reported);
    if (!out->in_warranty) {
        /* out of warranty a maintenance contract pays, else the customer (WF-20). */
        out->billing = in->service_contract ? TB_CONTRACT : TB_CHARGEABLE;
        out->reason =
            in->service_contract ? "out of warranty, service contract" : "out of warranty";
        return SH_OK;
    }
    switch (in->cause) {
    case TC_QUALITY:
    case TC_UNKNOWN:
        /* RULE R-131: quality causes in warranty are free */
        out->billing = TB_WARRANTY;
        out->reason = "in warranty";
        return SH_OK;
    case TC_HUMAN:
    case TC_FORCE_MAJEURE:
        /* RULE: excluded causes are negotiated unless the policy says charge */
        out->billing = in->exclusions_chargeable ? TB_CHARGEABLE : TB_NEGOTIATED;
        out->reason = in->cause == TC_HUMAN ? "excluded cause: human factors"
                                            : "excluded cause: force majeure";
        return SH_OK;
    case TC_THIRD_PARTY:
        /* RULE R-135: the supplier's own commitment applies, not ours */
        out->billing = in->third_party_chargeable ? TB_CHARGEABLE : TB_NEGOTIATED;
        out->reason = "third-party component: supplier warranty applies";
        return SH_OK;
    }
    return sh_err_set(err, SH_INVALID, "unknown fault cause");
}
