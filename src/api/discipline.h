/* SPDX-License-Identifier: MIT */
/* The discipline steps (issue 18 item 7; docs/discipline.md): a corrective action's step, the
 * reply to a suggestion and the conduct complaints per staff member. The records themselves
 * are entity routes (routes.c). */
#ifndef SH_API_DISCIPLINE_H
#define SH_API_DISCIPLINE_H

#include "api/api.h"

void h_corrective_step(struct api_ctx *c);
void h_suggestion_reply(struct api_ctx *c);
void h_report_conduct(struct api_ctx *c);
void h_suggestion_addressees(struct api_ctx *c);

#endif
