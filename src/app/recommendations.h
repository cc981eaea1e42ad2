/* SPDX-License-Identifier: MIT */
/* Recommendations made to the customer during a visit (R-098, R-170; issue 18 item 8;
 * docs/diagnosis.md "Recommendations and leads"): entity recommendation, recorded on a work
 * order by its crew (the ticket and customer copied from it; a customer account sees its
 * own), and entity lead, the sales lead each recommendation hands to sales with a task for
 * the sales role. */
#ifndef SH_APP_RECOMMENDATIONS_H
#define SH_APP_RECOMMENDATIONS_H

#include "app/entity.h"

extern const struct entity ent_recommendations, ent_leads;

#endif
