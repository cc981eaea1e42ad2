/* SPDX-License-Identifier: MIT */
/* The warranty decision of a ticket's unit at its report date (R-130… ). */
#ifndef SH_APP_TICKET_WARRANTY_H
#define SH_APP_TICKET_WARRANTY_H

#include "app/uc.h"
#include "domain/ticket.h"

struct warranty_decision {
    const char *status;  /* in, out, unknown */
    const char *billing; /* warranty, chargeable, contract, negotiated; unknown with status */
    const char *json;    /* the basis as JSON, NULL when there is no unit */
};

/* Decides from the unit's dates, model and contract; no unit or no date gives "unknown". */
SH_WUR enum sh_code uc_warranty_decide(const struct uc *u, int64_t unit_id, struct sh_date report,
                                       enum ticket_cause cause, struct warranty_decision *out,
                                       struct sh_err *e);
/* The ticket's warranty now, from its unit and recorded exclusion (in the caller's scope). */
SH_WUR enum sh_code uc_ticket_warranty(const struct uc *u, int64_t id,
                                       struct warranty_decision *out, struct sh_err *e);
/* Records a warranty exclusion found by the technician (cause: human, force_majeure,
 * third_party, quality) and decides billing again. */
SH_WUR enum sh_code uc_ticket_exclusion(const struct uc *u, int64_t id, const char *cause,
                                        const char *reason, struct warranty_decision *out,
                                        struct sh_err *e);
/* The cause recorded as an exclusion ("human", "force_majeure", …); NULL: unknown. */
enum ticket_cause ticket_cause_of(const char *s);
/* The warranty decision again after a ticket's unit or receipt time changed (ticket_edit.c):
 * the unit's customer (when the ticket had none) and model, billing and warranty. */
SH_WUR enum sh_code uc_ticket_warranty_redecide(const struct uc *u, int64_t id, int64_t unit,
                                                int64_t received, const char *exclusion,
                                                struct sh_err *e);
/* The local (Asia/Shanghai) date of an instant. */
struct sh_date ticket_local_date(int64_t t);

#endif
