/* SPDX-License-Identifier: MIT */
/* The technical department's phone diagnosis and its routing (WF-03 S5–S7, R-058; issue 18
 * item 1; docs/diagnosis.md): which decisions exist, which ticket states take a diagnosis,
 * who may record one, and what each decision opens for each ticket type. Pure: no I/O. */
#ifndef SH_DIAGNOSIS_H
#define SH_DIAGNOSIS_H

#include <stdbool.h>

#include "domain/roles.h"
#include "domain/ticket.h"

enum diag_decision {
    DD_SOLVED_REMOTELY,   /* WF-03 S6: solved by phone, fax or e-mail */
    DD_ONSITE_REPAIR,     /* WF-03 S7 → WF-04 */
    DD_RETURN_TO_FACTORY, /* WF-03 S7 → WF-05 */
    DD_REPLACEMENT,       /* WF-03 S7 → WF-06 */
    DD_ANSWERED,          /* WF-03 S3: a general question answered */
    DD_COUNT
};

/* What a decision opens on the ticket (in the diagnosis's transaction). */
enum diag_effect {
    DE_NONE,           /* refused: the ticket type has no such path (409) */
    DE_RESOLVE_REMOTE, /* the ticket's resolve_remote with the reason as its note */
    DE_WORK_ORDER,     /* a visit work order of the ticket, planned, waiting for its booking */
    DE_RMA,            /* the ticket's send_to_factory: the RMA of its unit */
    DE_REPLACEMENT,    /* send_to_factory (the RMA) and a replacement approval request */
    DE_LINKED_TICKET   /* a new ticket of linked_type, linked; this one resolved remotely */
};

struct diag_route {
    enum diag_effect effect;
    enum ticket_type linked_type; /* DE_LINKED_TICKET only */
};

/* The technical department (INS 四 技术部): technicians, QC, the department head, admin. */
#define DIAG_ROLES (RB(ADMIN) | RB(DEPT_HEAD) | RB(TECHNICIAN) | RB(QC))

extern const char *const diag_decision_names[DD_COUNT + 1];
const char *diag_decision_name(enum diag_decision d);
bool diag_decision_parse(const char *s, enum diag_decision *out);
const char *diag_effect_name(enum diag_effect f);

/* What decision d opens on a ticket of type t (effect DE_NONE: not for this type). */
struct diag_route diag_route_of(enum ticket_type t, enum diag_decision d);
/* Whether a ticket of type t in state s takes a diagnosis: while it is being handled
 * (in_progress, WF-03 S5); a consultation also while new (answered at first contact). */
bool diag_state_allows(enum ticket_type t, enum ticket_state s);

#endif
