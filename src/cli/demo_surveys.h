/* SPDX-License-Identifier: MIT */
/* Demo satisfaction surveys (issue 11 item 6): completed tickets whose surveys are
 * submitted (through the link and by phone, one with a low score and its follow-up task),
 * pending and refused, made through the same use cases as the API. */
#ifndef SH_CLI_DEMO_SURVEYS_H
#define SH_CLI_DEMO_SURVEYS_H

#include "app/uc.h"

/* Needs the demo units and the demo technicians; *n gets the surveys made (0 when the
 * demo users are missing). */
SH_WUR enum sh_code demo_surveys(const struct app *app, struct db_tx *tx, struct sh_arena *a,
                                 int *n, struct sh_err *e);

#endif
