/* SPDX-License-Identifier: MIT */
/* Ticket intake from every channel (来电来函登记, R-055…R-059): who called about what,
 * the number, the warranty, the SLA policy, the first timeline entries, repeat repairs
 * and a consultation answered and closed during the call. */
#ifndef SH_APP_TICKET_INTAKE_H
#define SH_APP_TICKET_INTAKE_H

#include "app/sla.h"
#include "app/uc.h"

struct ticket_intake_in {
    const char *channel, *type;   /* valid enum names */
    int64_t customer_id, unit_id; /* 0: not given */
    /* NULL: not given */
    const char *serial_no, *caller_name, *caller_phone, *customer_name, *customer_address,
        *fault_category, *description, *priority, *required_arrival_at, *answer;
    bool has_received;
    int64_t received_at;
    bool close;
    int64_t assignee_id, department_id; /* 0: not given */
    bool planned; /* planned work (a periodic visit, WF-10): nobody is waiting, no SLA clocks */
};

struct ticket_intake_out {
    int64_t id;
    const char *number;
    const char *public_token; /* the status page's token; NULL when closed at intake */
    const struct ticket_sla_view *view;
    /* the ticket as its INSERT stored it, when nothing changed it since (every column); NULL:
     * read it */
    const struct db_rows *row;
};

/* A first-contact customer is created through the customer entity's write path
 * (uc_ent_insert: validation, search text, audit). */
SH_WUR enum sh_code uc_ticket_intake(const struct uc *u, const struct ticket_intake_in *in,
                                     struct ticket_intake_out *out, struct sh_err *e);

#endif
