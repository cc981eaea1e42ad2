/* SPDX-License-Identifier: MIT */
/* Technicians (issue 5): the skill catalogue and technician resources. The text
 * encodings of skills, shift and leave are pure parsers in domain/tech_text.h. */
#ifndef SH_TECHNICIANS_H
#define SH_TECHNICIANS_H

#include <stdbool.h>

#include "api/api.h"
#include "base/date.h"
#include "domain/tech_text.h"

/* GET /api/v1/dispatch/technicians?q=&skill=&limit=: the technician picker's list. */
void h_technicians_pick(struct api_ctx *c);

#endif
