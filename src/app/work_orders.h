/* SPDX-License-Identifier: MIT */
/* Work orders (派工单, issue 11 items 1, 2 and 8): the use cases behind /api/v1/work-orders.
 * A technician sees the work orders they lead or help on; customer and dealer accounts none;
 * other staff all. Every change writes a ticket timeline event of kind "work_order" and an
 * audit row (entity work_order). */
#ifndef SH_APP_WORK_ORDERS_H
#define SH_APP_WORK_ORDERS_H

#include "app/uc.h"
#include "base/date.h"
#include "domain/work_order.h"
#include "store/work_orders.h"

/* A work order as the caller sees it: the row, its crew, parts, the actions the caller may
 * take and the appointment window. */
struct wo_view {
    struct wo_row row;
    struct wo_helper *helpers;
    int nhelpers;
    struct wo_part *parts;
    int nparts;
    bool crew; /* the caller leads or helps */
    enum wo_action actions[WO_ACTION_COUNT];
    int nactions;
    bool has_window;
    struct wo_window window;
    int64_t precall_from;      /* the pre-arrival call window opens (R-121, setting precall) */
    const char *contract_reqs; /* the contract's service requirements (JSON) or NULL */
    /* the ticket's accepted quote (id, number, total_fen; no row: none) and its part lines
     * (code, name, qty_centi, unit): what to bring and what the customer pays (review M10) */
    struct db_rows quote, quote_parts;
};

#define WO_HELPERS_MAX 10
#define WO_PARTS_MAX   100

struct wo_create_in {
    int64_t ticket_id;
    const char *kind;       /* NULL: from the ticket type */
    int64_t lead_id;        /* 0: the ticket's assignee */
    const int64_t *helpers; /* helper user ids */
    int nhelpers;
    const char *appointment_at; /* canonical UTC; NULL only for a factory repair step */
    int tolerance_min;          /* -1: the company policy */
    int early_target_min;       /* -1: the company policy */
    int duration_min;           /* planned minutes on site; 0: the company policy */
    const char *note;
    const char *override_reason; /* NULL: conflicts refuse the booking (item 8) */
};

/* Books a work order on a ticket: through the ticket's schedule_visit (its roles and guards)
 * when the ticket can take it, otherwise (a factory repair step) on its own. A ticket with an
 * open work order refuses (409, reason duplicate): re-book that one. */
SH_WUR enum sh_code uc_work_order_create(const struct uc *u, const struct wo_create_in *in,
                                         struct wo_view *out, struct sh_err *e);
/* The work order in the caller's scope (SH_NOT_FOUND outside it). */
SH_WUR enum sh_code uc_work_order_load(const struct uc *u, int64_t id, struct wo_view *out,
                                       struct sh_err *e);
/* A record a technician (without other staff roles) writes names, in field, a work order
 * they lead or help on: else 400 unknown_reference, as for one that does not exist (their
 * faulty parts, their waiting on site). Other principals pass; id 0 passes. */
SH_WUR enum sh_code uc_work_order_crew_ref(const struct uc *u, const char *field, int64_t id,
                                           struct sh_err *e);
/* The records of an entity (alias t) whose work_order_id is a work order the user {me} leads
 * or helps on: the entity's tech_scope (app/entity.h), so that a technician reads, changes
 * and deletes only the records of their own work orders (waiting on site, recommendations). */
#define WO_CREW_SCOPE                                                                              \
    "t.work_order_id IN (SELECT w.id FROM work_orders w WHERE w.lead_id = {me} UNION ALL "         \
    "SELECT h.work_order_id FROM work_order_helpers h WHERE h.user_id = {me})"
/* The same for a record written on the entity engine: its work_order_id before and after
 * the write. */
struct ent_write;
SH_WUR enum sh_code uc_work_order_crew_write(const struct ent_write *w, struct sh_err *e);

struct wo_action_in {
    int64_t id;
    enum wo_action act;
    const char *result; /* finish: done | not_fixed | needs_factory */
    const char *note;   /* finish: result note; cancel: the reason (required) */
    const char *eta_at; /* running_late: the new arrival time (required) */
    bool has_position;  /* arrive: where the phone was */
    double lat, lon;
    int64_t if_match; /* -1: no check */
};
SH_WUR enum sh_code uc_work_order_action(const struct uc *u, const struct wo_action_in *in,
                                         struct wo_view *out, struct sh_err *e);

/* PATCH: present fields only. Planners change the booking (appointment, lead, helpers,
 * tolerance, kind, note); the crew and planners the work (findings, work done, labour, parts,
 * customer comment, result note). */
struct wo_update_in {
    int64_t id, if_match;
    const char *kind, *appointment_at, *note, *override_reason;
    bool has_lead;
    int64_t lead_id;
    bool has_helpers;
    const int64_t *helpers;
    int nhelpers;
    int tolerance_min, early_target_min, labour_minutes, duration_min; /* -1: unchanged */
    const char *findings, *work_done, *customer_comment, *result_note;
    bool has_parts;
    const struct wo_part *parts;
    int nparts;
};
SH_WUR enum sh_code uc_work_order_update(const struct uc *u, const struct wo_update_in *in,
                                         struct wo_view *out, struct sh_err *e);

struct wo_list_in {
    struct wo_filter f; /* crew_user is set by the use case for a technician and mine=1 */
    bool mine;
};
struct wo_list_out {
    struct wo_row *rows;
    int n;
    int64_t total;
    bool more;
};
SH_WUR enum sh_code uc_work_order_list(const struct uc *u, const struct wo_list_in *in,
                                       struct wo_list_out *out, struct sh_err *e);

/* ---- item 8: conflicts of a booking ---- */

struct wo_conflict {
    const char *kind;      /* leave, overlap, skill, sla */
    int64_t user_id;       /* the person (leave, overlap, skill); 0 for sla */
    int64_t work_order_id; /* overlap: the other booking */
    const char *detail;    /* overlap: its number; skill: the missing codes; sla: the due time */
};
struct wo_check_in {
    int64_t ticket_id, except_id; /* except_id: the work order being re-booked (0: none) */
    int64_t lead_id;              /* 0: the ticket's assignee */
    const int64_t *helpers;
    int nhelpers;
    const char *appointment_at;
    int duration_min; /* 0: the company policy */
};
struct wo_check_out {
    struct wo_conflict *items;
    int n;
    const char *onsite_due_at; /* NULL: no running on-site clock */
};
/* The conflicts of a booking: a person on leave that day, another booking of theirs whose
 * time on site overlaps, a skill the unit's model requires that the lead lacks (or has
 * expired), an appointment after the ticket's on-site due time. The ticket in the caller's
 * scope. */
SH_WUR enum sh_code uc_work_order_check(const struct uc *u, const struct wo_check_in *in,
                                        struct wo_check_out *out, struct sh_err *e);
/* SH_CONFLICT (409, reason conflict, params {"conflicts": [kinds]}) when c has conflicts and
 * no override reason is given; SH_OK otherwise. */
SH_WUR enum sh_code wo_conflicts_refuse(const struct wo_check_out *c, const char *override_reason,
                                        struct sh_err *e);

/* ---- item 8: the best slots for a ticket (the dispatch slot ranking) ---- */

struct wo_slot {
    int64_t technician_id, user_id;
    const char *name;
    int64_t start, latest_start; /* unix seconds */
    double sla_late_minutes, lateness_risk, extra_travel_km;
};
struct wo_slots_in {
    int64_t ticket_id;
    struct sh_date date; /* local day */
    int duration_min;    /* 0: the company policy */
    int count;           /* 1..10 */
};
struct wo_slots_out {
    struct wo_slot *slots;
    int n;
    const char *reason, *message; /* no slot: why */
    const char *skill;            /* reason unknown_skill: the model's code not in the catalogue */
    const char *onsite_due_at;
    int tolerance_min; /* the window told to the customer around each start */
};
SH_WUR enum sh_code uc_work_order_slots(const struct uc *u, const struct wo_slots_in *in,
                                        struct wo_slots_out *out, struct sh_err *e);

/* The work order as JSON text in u->a (the API's body and the audit's before/after). */
const char *work_order_json(struct sh_arena *a, const struct wo_view *v);
/* A list row as JSON (no helpers or parts). */
const char *work_order_row_json(struct sh_arena *a, const struct wo_row *r);

#endif
