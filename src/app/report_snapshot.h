/* SPDX-License-Identifier: MIT */
/* The content of a service report (F-09) as one JSON object, built from the work order as it
 * is now: what signing freezes and what the PDF shows.
 *
 *   {"ticket": {number, type, description, fault_category, caller_name, caller_phone,
 *               billing, warranty_status},
 *    "customer": {name, address, phone},
 *    "unit": {serial_no, model, model_code, site_address},
 *    "work_order": {id, number, kind, appointment_at, tolerance_min, arrived_at,
 *                   lateness_min (null before arrival), late_notice, latest_notice_at,
 *                   late_notice_at, findings, work_done, labour_minutes, customer_comment},
 *    "technicians": {lead, helpers: [names]},
 *    "parts": [{name, quantity, unit, note}],
 *    "checklist": {template, passed, items: [{label, kind, required, passed (null: not
 *                  answered), value, unit, limit, note}]}   (absent when no template applies),
 *    "photos": [{phase, filename, sha256, taken_at}],
 *    "charges": []}
 *
 * The work order's status, finish time and result note are not part of it: finishing the
 * work order after the customer signed does not make a new version. */
#ifndef SH_APP_REPORT_SNAPSHOT_H
#define SH_APP_REPORT_SNAPSHOT_H

#include "app/uc.h"
#include "app/work_orders.h"

struct report_snapshot {
    const char *json;         /* in u->a */
    const char *sha256;       /* hex SHA-256 of json: equal content, equal hash */
    const char *public_token; /* the ticket's status token; NULL when it has none yet */
};

/* The snapshot of work order v (loaded in the caller's scope) as it is now. */
SH_WUR enum sh_code report_snapshot_build(const struct uc *u, const struct wo_view *v,
                                          struct report_snapshot *out, struct sh_err *e);

#endif
