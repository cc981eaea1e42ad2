/* SPDX-License-Identifier: MIT */
/* What a customer following a reported fault sees (the QR status page): a
 * parcel-style line 已受理 → 已派工 → 已出发 → 已到达 → 已完成, each step done when its
 * event happened. An arrival implies the departure; a remote fix leaves the on-site steps
 * open; a booked visit is an appointment, shown until the engineer is there. A second visit
 * booked after an arrival (not fixed the first time) puts the line back before 已出发. */
#ifndef SH_DOMAIN_TICKET_PROGRESS_H
#define SH_DOMAIN_TICKET_PROGRESS_H

#include <stdbool.h>

enum progress_step {
    PROGRESS_RECEIVED,
    PROGRESS_DISPATCHED,
    PROGRESS_ON_THE_WAY,
    PROGRESS_ON_SITE,
    PROGRESS_DONE,
    PROGRESS_STEPS
};

struct progress_in {
    const char *status; /* the ticket's status name */
    bool merged;        /* merged into another ticket (cancelled as a duplicate) */
    /* when each step's event happened (NULL: not yet): received_at, the first assignment
     * or acceptance, the last departure, arrived_at, resolved_at */
    const char *at[PROGRESS_STEPS];
    const char *visit_at; /* the booked visit, or NULL */
};

struct progress {
    bool done[PROGRESS_STEPS];
    const char *at[PROGRESS_STEPS]; /* the done step's time, NULL otherwise or unknown */
    const char *status;             /* the furthest done step's name, or "cancelled" */
    const char *appointment_at;     /* visit_at until the engineer is there or it is fixed */
    bool fixed;                     /* resolved or closed: the resolution may be shown */
};

struct progress progress_of(const struct progress_in *in);
/* "received", "dispatched", "on_the_way", "on_site", "done" */
const char *progress_step_name(enum progress_step s);

#endif
