/* SPDX-License-Identifier: MIT */
/* Comments and call records on a ticket's timeline. */
#ifndef SH_APP_TICKET_NOTES_H
#define SH_APP_TICKET_NOTES_H

#include "app/uc.h"

struct ticket_note_in {
    int64_t id;             /* the ticket */
    bool call;              /* a call record (staff only), else a comment */
    const char *body;       /* the comment, or the call's summary */
    const char *visibility; /* a comment's: internal (NULL) or customer */
    /* a call's */
    const char *direction, *phone, *occurred_at; /* NULL: not given */
    bool has_duration;
    int64_t duration_seconds;
};

/* Records the note (a customer account's comment is always visible to the customer), adds
 * it to the search texts it belongs in, and audits it; *event_id gets the event. */
SH_WUR enum sh_code uc_ticket_note(const struct uc *u, const struct ticket_note_in *in,
                                   int64_t *event_id, struct sh_err *e);

#endif
