/* SPDX-License-Identifier: MIT */
/* The survey's JSON, shared by the staff and the public handlers. */
#ifndef SH_API_SURVEYS_H
#define SH_API_SURVEYS_H

#include "api/api.h"
#include "store/surveys.h"

/* One survey as the API shows it to staff; link_state from its status and expiry at now. */
void survey_render(struct jw *w, const struct survey_row *s, int64_t now);

#endif
