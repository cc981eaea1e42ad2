/* SPDX-License-Identifier: MIT */
/* Service requests (工单, R-055…R-059): types, the lifecycle state machine per type (WF-03
 * intake, WF-04 on-site repair, WF-09 complaint, WF-16 LED fault SLA), ticket numbers,
 * repeat-repair detection and the warranty billing decision (R-130… ).
 * Pure: no I/O, no clock. docs/tickets.md has the tables in prose. */
#ifndef SH_TICKET_H
#define SH_TICKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/sh_buf.h"
#include "base/sh_err.h"
#include "domain/warranty.h"

/* "fault" in the catalogue is `repair` here; "quality objection" is a complaint. */
enum ticket_type {
    TICKET_CONSULTATION, /* WF-03 */
    TICKET_INSTALLATION, /* WF-02 */
    TICKET_REPAIR,       /* WF-03 → WF-04 / WF-05, WF-16 */
    TICKET_REPLACEMENT,  /* WF-06 */
    TICKET_RETURN,       /* WF-07 */
    TICKET_COMPLAINT,    /* WF-09 */
    TICKET_DOA,          /* WF-08 */
    TICKET_VISIT,        /* WF-10 */
    TICKET_TRAINING,     /* WF-24 */
    TICKET_UPGRADE,      /* WF-17 */
    TICKET_TYPE_COUNT
};

enum ticket_state {
    TS_NEW,              /* received and registered (WF-03 S1–S2) */
    TS_ASSIGNED,         /* routed to an owner, e.g. the technical dept (WF-03 S4) */
    TS_IN_PROGRESS,      /* owner accepted: diagnosis or handling (WF-03 S5, WF-09 S3–S5) */
    TS_WAITING_CUSTOMER, /* waiting on the customer: SLA clocks pause */
    TS_VISIT_SCHEDULED,  /* technician dispatched with an appointment (WF-04 S4–S6) */
    TS_ON_SITE,          /* technician arrived (WF-04 S7): stops the on-site clock */
    TS_AT_FACTORY,       /* unit or sample returned to the factory (WF-05, WF-07, WF-08) */
    TS_RESOLVED,         /* solved (WF-03 S6, WF-04 S8–S9, WF-09 S6, WF-16 S3a/S4a) */
    TS_CLOSED,           /* archived (WF-03 S8, WF-04 S12, WF-09 S7) */
    TS_CANCELLED,        /* withdrawn or raised in error */
    TICKET_STATE_COUNT
};

enum ticket_action {
    TA_ASSIGN,          /* route / transfer to an owner (WF-03 T4 转交技术部) */
    TA_ACCEPT,          /* owner takes it (WF-03 T5) */
    TA_REPLY,           /* first answer to the customer: stops the reply clock */
    TA_RESOLVE_REMOTE,  /* solved by phone / fax / e-mail (WF-03 S6, WF-16 S2→S3a, R-114) */
    TA_SCHEDULE_VISIT,  /* dispatch a technician or re-book the appointment (WF-04 T3) */
    TA_ARRIVE,          /* arrival recorded on site (WF-04 T7, R-113, R-115) */
    TA_SEND_TO_FACTORY, /* return to factory (WF-03 S7 → WF-05, WF-04 S8e) */
    TA_ESCALATE,        /* raise to the next level (WF-09 S3b 重大质量问题, WF-04 S8e) */
    TA_WAIT_CUSTOMER,   /* pause: waiting for the customer's report, access or reply */
    TA_RESUME,          /* customer answered: back to handling */
    TA_RESOLVE,         /* fixed on site, at the factory, or complaint handled */
    TA_CLOSE,           /* archive (WF-04 T11) */
    TA_REOPEN,          /* customer says it is not fixed */
    TA_CANCEL,
    TICKET_ACTION_COUNT
};

/* Conditions the caller (api/) must check before applying an action; the state machine only
 * names them because they depend on stored data. */
enum ticket_guard_flags {
    TG_NOTE = 1 << 0,        /* an answer / solution / reason text is recorded */
    TG_APPROVAL = 1 << 1,    /* market-support approval, when the company switches it on (R-051,
 */
    TG_WARRANTY = 1 << 2,    /* warranty status determined (WF-04 T3) */
    TG_ARRIVAL = 1 << 3,     /* arrival time recorded (WF-04 T7) */
    TG_WORK_ORDER = 1 << 4,  /* the ticket's latest work order is finished as done (issue 11
                                item 1); before the report, whose message comes after */
    TG_REPORT = 1 << 5,      /* service report signed by the customer (WF-04 T9, F-09) */
    TG_CHARGE_TOLD = 1 << 6, /* chargeable repair: the customer was told the charge */
    TG_SURVEY = 1 << 7,      /* satisfaction survey done, when the company switches it on
 */
    TG_QUOTE = 1 << 8,       /* chargeable on-site work: an accepted quote before the visit is
                                booked, when the company switches it on (WF-20, R-106) */
    TG_REPLACEMENT = 1 << 9  /* a dead-on-arrival unit is made good before the ticket resolves:
                                its replacement received, or the unit back at the factory
                                (WF-08) */
};
#define TG_ALL ((1u << 10) - 1)

/* How a guard is enforced today (docs/tickets.md "Guards" says the same). */
enum ticket_guard_enforced {
    TGE_ALWAYS,   /* refused whenever the condition fails */
    TGE_SWITCHED, /* refused only when the company setting turns it on */
    TGE_NOT_YET   /* a named slot: passes until the records it checks exist (later issues) */
};

struct ticket_guard_info {
    unsigned flag; /* TG_* */
    const char *name;
    enum ticket_guard_enforced enforced;
};
/* Every guard, in TG_* bit order; *n gets the count. */
const struct ticket_guard_info *ticket_guard_table(size_t *n);

/* What the guards look at, read by the application layer from stored data and settings. */
struct ticket_guard_facts {
    const char *note;       /* the note sent with the action (NULL or "" when none) */
    bool warranty_decided;  /* the ticket's warranty status is in or out, not unknown */
    bool approval_required; /* setting approval_before_dispatch */
    bool approved;          /* a market-support approval is recorded on the ticket */
    bool survey_required;   /* setting survey_before_close */
    bool report_required;   /* setting report_before_resolve, on by default */
    bool report_signed;     /* the ticket's current work order has a signed service report */
    bool survey_done;       /* every survey of the ticket answered (link or phone) or refused, and
                               there is at least one */
    /* setting charge_told_before_close on and the ticket's billing chargeable; told: an
       accepted quote or a recorded "charge told" note */
    bool charge_required, charge_told;
    /* WF-20: setting quote_before_visit on and the ticket's billing chargeable; an accepted
       quote on the ticket */
    bool quote_required, quote_accepted;
    /* the ticket's latest work order when it is not done (wo_number NULL: done, or none) */
    const char *wo_number, *wo_status;
    int64_t wo_id;
    /* WF-08: the DOA ticket's first replacement shipment neither received nor cancelled
       (replacement_number NULL: none), whether one was received, and whether an RMA of the
       ticket received the DOA unit back at the factory */
    const char *replacement_number, *replacement_state;
    int64_t replacement_id;
    bool replacement_received, doa_unit_returned;
};

/* Checks every guard of the transition (ticket_guards) against the facts: SH_OK, or the
 * first guard that refuses, as an error with reason "guard" and params {"guard": name} that
 * says what to do (SH_INVALID naming the field for a missing note, SH_UNPROCESSABLE for the
 * others). Exhaustive: every TG_* flag has its case. */
SH_WUR enum sh_code ticket_guards_check(enum ticket_type type, enum ticket_state state,
                                        enum ticket_action action,
                                        const struct ticket_guard_facts *f, struct sh_err *err);

/* Whether a ticket may be merged into another (it is cancelled then): SH_OK, or 409 guard
 * `replacement` with params {guard, action: "merge", shipment_id, state} while its replacement
 * shipment (f->replacement_number, uc_shipment_doa_facts) is neither received nor cancelled. */
SH_WUR enum sh_code ticket_merge_check(const struct ticket_guard_facts *f, struct sh_err *err);

/* Every name once (NULL-terminated): types and states indexed by their enums. */
extern const char *const ticket_type_names[TICKET_TYPE_COUNT + 1];
extern const char *const ticket_state_names[TICKET_STATE_COUNT + 1];
extern const char *const ticket_channel_names[];
extern const char *const ticket_priority_names[];
const char *ticket_type_name(enum ticket_type t);
const char *ticket_state_name(enum ticket_state s);
const char *ticket_action_name(enum ticket_action a);
/* Parse the stable names above; false when unknown. */
bool ticket_type_parse(const char *s, enum ticket_type *out);
bool ticket_state_parse(const char *s, enum ticket_state *out);
bool ticket_action_parse(const char *s, enum ticket_action *out);
/* True for TS_CLOSED and TS_CANCELLED. */
bool ticket_state_terminal(enum ticket_state s);

/* What an action's body may carry besides its note (docs/api.md): the owner on `assign`
 * (a person or a department) and on `schedule_visit` (the visit's lead), the appointment and
 * the promised arrival on `schedule_visit`. Any other action carrying one is refused: a
 * customer reopening, a technician escalating, may not move the owner or the times. */
enum ticket_carry {
    CARRY_ASSIGNEE = 1 << 0,
    CARRY_DEPARTMENT = 1 << 1,
    CARRY_VISIT_AT = 1 << 2,
    CARRY_PROMISED = 1 << 3,
};
unsigned ticket_action_carries(enum ticket_action a);

/* The state after `action`. SH_CONFLICT when the type's table has no such transition from
 * `state` (the message lists the actions that are legal there), SH_FORBIDDEN when it exists
 * but none of `roles` (RB() mask, domain/roles.h) may perform it, SH_INVALID on an out-of-range
 * enum. *to is written only on SH_OK. */
SH_WUR enum sh_code ticket_transition(enum ticket_type type, enum ticket_state state,
                                      enum ticket_action action, unsigned roles,
                                      enum ticket_state *to, struct sh_err *err);

/* The TG_* conditions on a legal transition (0 when none or when illegal). */
unsigned ticket_guards(enum ticket_type type, enum ticket_state state, enum ticket_action action);

/* Writes the actions `roles` may perform from `state`, in enum order; returns the count. */
size_t ticket_allowed_actions(enum ticket_type type, enum ticket_state state, unsigned roles,
                              enum ticket_action out[TICKET_ACTION_COUNT]);

/* True when some transition of `type` starts from `state` or ends in it (the type uses it). */
bool ticket_state_used(enum ticket_type type, enum ticket_state state);

/* Ticket number "SH-YYYYMMDD-NNNN": the local date the ticket was received and its sequence
 * that day, 1…9999. SH_TOO_BIG past 9999, SH_INVALID on 0 or an impossible date. */
#define TICKET_NUMBER_SIZE 20 /* "SH-YYYYMMDD-" + 4 to 7 digits + NUL */
SH_WUR enum sh_code ticket_number_format(struct sh_date day, unsigned seq,
                                         char out[TICKET_NUMBER_SIZE], struct sh_err *err);
/* Parses exactly that form; false otherwise. */
bool ticket_number_parse(const char *s, struct sh_date *day, unsigned *seq);

/* ---- search texts (domain/ticket_search.c) ----
 * Staff search everything written on a ticket; a customer or dealer account searches only
 * what it may read (issue 10 item 5). Both texts are the ticket's own fields, then the body
 * of each comment, call record and action note in order; the customer text keeps only the
 * notes visible to the customer. */
#define TICKET_SEARCH_MAX 20000 /* bytes; text past it is not searchable */

struct ticket_search_base {
    const char *number, *caller_name, *caller_phone, *customer_name, *serial_no, *description;
};
struct ticket_search_note {
    const char *kind, *visibility, *body; /* a timeline event */
};
struct ticket_search_in {
    const struct ticket_search_base *base; /* the ticket, then tickets merged into it */
    size_t nbase;
    const struct ticket_search_note *notes;
    size_t nnotes;
};
/* Appends the staff (external = false) or customer search text to out, capped at
 * TICKET_SEARCH_MAX bytes. */
SH_WUR enum sh_code ticket_search_text(const struct ticket_search_in *in, bool external,
                                       struct sh_buf *out);
/* True when a note of this visibility belongs in the customer text. */
bool ticket_search_note_visible(const char *visibility);

/* RULE R-159 repeat repair: same unit, same fault code, reported within N days of the
 * earlier repair's resolution. */
#define TICKET_REPEAT_WINDOW_DAYS 90

struct ticket_repair {
    int64_t ticket_id;
    int64_t unit_id;
    const char *fault_code; /* fault catalogue code; not owned */
    struct sh_date reported;
    struct sh_date resolved; /* previous repairs only */
};

/* Among `prev` (the unit's resolved repairs, any order), finds the most recently resolved one
 * that `now` repeats: same unit, same non-empty fault code, and
 * 0 <= now->reported - resolved <= window_days (day 90 repeats, day 91 does not).
 * Returns true and its index in *idx; false when none. */
bool ticket_find_repeat(const struct ticket_repair *now, const struct ticket_repair *prev, size_t n,
                        int window_days, size_t *idx);

/* Billing of a service (A-08, A-09, R-131…R-135). */
enum ticket_billing {
    TB_WARRANTY,   /* free under warranty */
    TB_CHARGEABLE, /* the customer pays (WF-20) */
    TB_CONTRACT,   /* covered by a service / maintenance contract */
    TB_NEGOTIATED  /* "由双方协调解决": split agreed and recorded */
};

enum ticket_cause {
    TC_QUALITY,       /* design, manufacturing, assembly, material, installation workmanship */
    TC_UNKNOWN,       /* not yet diagnosed: treated as a quality cause until told otherwise */
    TC_HUMAN,         /* 人为因素, incl. unintentional during construction or cleaning */
    TC_FORCE_MAJEURE, /* 不可抗力: flood, fire, earthquake, war */
    TC_THIRD_PARTY    /* a bought-in component under its supplier's warranty */
};

struct ticket_billing_in {
    struct warranty_in unit; /* dates and terms (domain/warranty.h) */
    struct sh_date reported; /* report date: in warranty when <= warranty end */
    enum ticket_cause cause;
    bool service_contract; /* a maintenance contract covers work out of warranty */
    /* What an excluded cause in warranty becomes: false = TB_NEGOTIATED (SLA 1
     * "由双方协调解决", the default), true = TB_CHARGEABLE (GEN/DEN know no negotiation). */
    bool exclusions_chargeable;
    bool third_party_chargeable; /* the same choice for third-party components */
};

struct ticket_billing_out {
    enum ticket_billing billing;
    bool in_warranty;
    struct warranty_out warranty;
    const char *reason; /* static text, e.g. "excluded cause: human factors" */
};

const char *ticket_billing_name(enum ticket_billing b);
const char *ticket_cause_name(enum ticket_cause c);

/* Decides billing. SH_UNPROCESSABLE when the warranty end is unknown (no install date, no ship
 * date and no override): staff must supply one before the ticket is billed. */
SH_WUR enum sh_code ticket_billing_decide(const struct ticket_billing_in *in,
                                          struct ticket_billing_out *out, struct sh_err *err);

#endif
