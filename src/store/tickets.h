/* SPDX-License-Identifier: MIT */
/* SQL of the ticket aggregate (tickets, their timeline and search texts), read into typed
 * structs for the application layer. */
#ifndef SH_STORE_TICKETS_H
#define SH_STORE_TICKETS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"
#include "domain/sla.h"
#include "domain/ticket.h"
#include "store/db.h"

/* The pair text of a search text (base/bigram.h), cut to the stored limit, in arena a. */
const char *tickets_pairs(struct sh_arena *a, const char *text);

/* Appends text to the staff search texts of ticket id, and to the customer ones when
 * customer_visible (issue 10 item 5). The customer texts are empty while they equal the staff
 * texts (no note the customer may not read yet): intake writes nothing twice. */
SH_WUR enum sh_code tickets_search_append(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                          const char *text, bool customer_visible,
                                          struct sh_err *e);
/* Rebuilds both search texts of ticket id from what is stored (its fields, tickets merged
 * into it, its timeline), as intake and the appends build them (issue 10 item 12). */
SH_WUR enum sh_code tickets_search_rebuild(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                           struct sh_err *e);
/* The same for the tickets of a unit (of_customer false) or of a customer (true), and for the
 * tickets they are merged into: their search texts carry the unit's serial number and the
 * customer's name, which an edit of the unit or the customer changes. */
SH_WUR enum sh_code tickets_search_rebuild_of(struct db_tx *tx, struct sh_arena *a,
                                              bool of_customer, int64_t id, struct sh_err *e);
/* A ticket's region is its customer's (the region, else the province, as intake sets it):
 * sets it again on every ticket of customer id after an edit of the customer. */
SH_WUR enum sh_code tickets_region_refresh(struct db_tx *tx, int64_t customer_id, struct sh_err *e);
/* The same for every ticket (the migration that introduced the customer text). */
SH_WUR enum sh_code tickets_search_rebuild_all(struct db_tx *tx, struct sh_arena *a,
                                               struct sh_err *e);

/* ---- the ticket row ---- */

/* The columns the rules read (strings in the arena; ids 0 when NULL). */
struct ticket_row {
    int64_t id, customer_id, unit_id, assignee_id, department_id, merged_into, version;
    const char *number, *type, *status, *warranty_status, *billing, *received_at, *exclusion;
};

/* SH_NOT_FOUND when there is no such ticket (no scope check: the use case does it). */
SH_WUR enum sh_code tickets_get(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                struct ticket_row *out, struct sh_err *e);
/* Holds the ticket's row until the transaction ends, changing nothing: writers that check
 * the ticket's records before writing (how many attachments, whether a quote is accepted)
 * queue here, and each reads what the one before committed (PostgreSQL runs READ COMMITTED;
 * SQLite has one writer). */
SH_WUR enum sh_code tickets_lock(struct db_tx *tx, int64_t id, struct sh_err *e);
/* Status, version and the SLA event columns an action sets (the first instant is kept). */
SH_WUR enum sh_code tickets_apply_action(struct db_tx *tx, int64_t id, enum ticket_action act,
                                         enum ticket_state to, const char *now, struct sh_err *e);
/* Owner (0: unchanged), appointment and promised arrival (NULL: unchanged). */
SH_WUR enum sh_code tickets_set_owner(struct db_tx *tx, int64_t id, int64_t assignee, int64_t dept,
                                      struct sh_err *e);
SH_WUR enum sh_code tickets_set_times(struct db_tx *tx, int64_t id, const char *visit_at,
                                      const char *promised_arrival_at, struct sh_err *e);
SH_WUR enum sh_code tickets_set_warranty(struct db_tx *tx, int64_t id, const char *billing,
                                         const char *status, const char *json, struct sh_err *e);
/* A warranty exclusion and the billing decided again with it (version + 1). */
SH_WUR enum sh_code tickets_set_exclusion(struct db_tx *tx, int64_t id, const char *cause,
                                          const char *reason, const char *billing,
                                          const char *status, const char *json, struct sh_err *e);
/* Whether the timeline holds an event of this kind (e.g. "approval"). */
SH_WUR enum sh_code tickets_has_event(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                      const char *kind, bool *out, struct sh_err *e);
/* Whether id is an active staff user / an existing department. */
SH_WUR enum sh_code tickets_staff_user(struct db_tx *tx, struct sh_arena *a, int64_t id, bool *out,
                                       struct sh_err *e);
SH_WUR enum sh_code tickets_department(struct db_tx *tx, struct sh_arena *a, int64_t id, bool *out,
                                       struct sh_err *e);

/* Ticket id merged into `into`: its timeline and attachments move, it is cancelled, its
 * open pause ends. */
SH_WUR enum sh_code tickets_merge_into(struct db_tx *tx, int64_t id, int64_t into, const char *now,
                                       struct sh_err *e);

/* ---- intake ---- */

struct ticket_new {
    const char *number, *channel, *type, *priority, *caller_name, *caller_phone, *fault_category,
        *description, *required_arrival_at, *billing, *warranty_status, *warranty_json;
    int64_t customer_id, unit_id, assignee_id, department_id, sla_policy_id, created_by;
    int64_t received_at, created_at;
    /* from the unit and the customer (tickets_intake_refs) */
    const char *model_id, *region, *customer_name, *serial_no;
    /* NULL: none yet (public_token) or the column's default (the SLA summary: "ok", none) */
    const char *public_token, *sla_state, *next_due_at, *next_check_at;
};

/* The day's next ticket sequence number (day "YYYY-MM-DD"), sent ahead (db_query_ahead): its
 * rows give the number (tickets_seq_of) once the transaction waited. */
SH_WUR enum sh_code tickets_next_seq_ahead(struct db_tx *tx, struct sh_arena *a, const char *day,
                                           struct db_rows *out, struct sh_err *e);
unsigned tickets_seq_of(const struct db_rows *r);
/* What intake_refs reads of unit and cust (model, serial, contract; name, region, tier), for a
 * customer made after it (a first contact). */
struct intake_refs;
SH_WUR enum sh_code tickets_intake_info(struct db_tx *tx, struct sh_arena *a, int64_t cust,
                                        int64_t unit, struct intake_refs *out, struct sh_err *e);
/* Inserts the ticket with both search texts (status assigned when it has an assignee); *row
 * gets the stored row (every column). */
SH_WUR enum sh_code tickets_insert(struct db_tx *tx, struct sh_arena *a, const struct ticket_new *t,
                                   int64_t *id, struct db_rows *row, struct sh_err *e);
SH_WUR enum sh_code tickets_set_repeat(struct db_tx *tx, int64_t id, int64_t repeat_of,
                                       struct sh_err *e);
/* The unit's resolved repairs other than ticket id (most recent first, at most 50). */
SH_WUR enum sh_code tickets_resolved_repairs(struct db_tx *tx, struct sh_arena *a, int64_t unit,
                                             int64_t id, struct ticket_repair **out, size_t *n,
                                             struct sh_err *e);

/* Everything intake checks and reads about the records a new ticket names, in one statement
 * (issue 16 item 1): the unit by serial number (serial: looked up when not NULL, among
 * serial_owner's units when not 0) or by id, the customer (customer_id when not 0, else the
 * unit's owner) with what the ticket copies from it, a customer matched by phone (when not
 * NULL), and whether the fault category, the assignee and the department exist. */
struct intake_refs_in {
    /* phone: NULL, or the caller's number's spellings (domain/phone.h phone_cn_spellings),
     * phone[0] its key; a stored number without spaces and hyphens matches one of them */
    const char *serial, *const *phone, *fault_category;
    int64_t serial_owner, unit_id, customer_id, assignee_id, department_id;
};
struct intake_refs {
    int serial_n;                       /* units with that serial number (at most 3) */
    int64_t unit_id, unit_owner;        /* the unit (by id, or the one by serial): 0 none */
    const char *model_id, *serial_no;   /* of that unit */
    int64_t unit_contract_id;           /* of that unit */
    int64_t customer_id;                /* the customer checked, 0 when there is none */
    const char *region, *customer_name; /* of that customer */
    bool customer_key;                  /* a key account */
    int64_t phone_customer;             /* 0: nobody has that phone */
    bool fault_ok, assignee_ok, department_ok;
};
SH_WUR enum sh_code tickets_intake_refs(struct db_tx *tx, struct sh_arena *a,
                                        const struct intake_refs_in *in, struct intake_refs *out,
                                        struct sh_err *e);
/* The active SLA policies, every column, in id order (a policy read once per intake), sent
 * ahead (db_query_ahead). */
SH_WUR enum sh_code sla_policies_active_ahead(struct db_tx *tx, struct sh_arena *a,
                                              struct db_rows *out, struct sh_err *e);
/* The active SLA policies of rows p (sla_policies_active) as selection candidates. */
struct sla_candidate *sla_candidates_of(struct sh_arena *a, const struct db_rows *p);
#endif
