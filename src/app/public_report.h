/* SPDX-License-Identifier: MIT */
/* The customer's QR fault report (no sign-in): the QR code on a unit's label opens
 * /r/{serial}. The look-up reveals only what the label shows; a report registers a
 * ticket of channel "qr" (through the intake every channel uses), or joins the open
 * ticket the same phone reported within public_report_merge_hours; the status token of a
 * new ticket follows it like a parcel (domain/ticket_progress.h), while a report joining an
 * open ticket answers its number only and the link goes to the ticket's phone by SMS.
 * Nothing about the customer is revealed. The durable abuse limits (per unit per day, per address
 * per hour) are here; the per-minute in-memory ones are the HTTP layer's. */
#ifndef SH_APP_PUBLIC_REPORT_H
#define SH_APP_PUBLIC_REPORT_H

#include "app/uc.h"
#include "domain/ticket_progress.h"

#define PUBLIC_PHOTOS_MAX  5           /* photos per report */
#define PUBLIC_PHOTO_BYTES (10u << 20) /* bytes per photo */

/* What the label shows. */
struct public_unit {
    int64_t id;
    const char *serial_no, *model_code, *model_name;
    const char *warranty_end;    /* YYYY-MM-DD or NULL */
    const char *warranty_status; /* "in", "out" (on the company's today) or "unknown" */
};
/* 404 when no unit, or more than one, has the serial. */
SH_WUR enum sh_code uc_public_unit(const struct uc *u, const char *serial, struct public_unit *out,
                                   struct sh_err *e);

struct public_report_in {
    const char *serial, *description, *phone;
    const char *name;      /* NULL: not given */
    const char *source_ip; /* the reporter's address, for the per-address limit */
};
struct public_report_out {
    int64_t id;
    const char *number;
    const char *token; /* the new ticket's status token; NULL for a repeat */
    bool repeat;       /* added to the open ticket of the same phone (its link sent by SMS) */
};
/* 429 (throttled) past the durable limits of u->app. */
SH_WUR enum sh_code uc_public_report(const struct uc *u, const struct public_report_in *in,
                                     struct public_report_out *out, struct sh_err *e);

/* A report as its status token shows it. */
struct public_status {
    int64_t id;
    const char *number, *serial_no, *model_name, *engineer;
    int64_t photos;
    struct progress progress;
    const char *resolution; /* what the engineer wrote for the customer, once fixed */
};
/* full: the progress and the resolution too (else only id, number and photos). 404 for an
 * unknown or malformed token. */
SH_WUR enum sh_code uc_public_status(const struct uc *u, const char *token, bool full,
                                     struct public_status *out, struct sh_err *e);

#endif
