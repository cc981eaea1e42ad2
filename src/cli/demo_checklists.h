/* SPDX-License-Identifier: MIT */
/* The checklists of the source documents as demo data (issue 11 item 4). */
#ifndef SH_CLI_DEMO_CHECKLISTS_H
#define SH_CLI_DEMO_CHECKLISTS_H

#include "cli/common.h"

/* Loads the templates and items through the entity engine (validated and audited like an
 * API create); a template whose code exists already is left alone. *n gets the number of
 * templates loaded. */
SH_WUR enum sh_code demo_checklists(const struct uc *u, int *n, struct sh_err *e);

/* The technician's self-check of open work order wo as the principal of u: the photos before
 * and after the template asks for, a photo for every photo item, every other item passed (a
 * measurement within its limit). SH_OK when the gate passes then; u->app->data_dir holds the
 * photos. */
SH_WUR enum sh_code demo_checklist_pass(const struct uc *u, int64_t wo, struct sh_err *e);

#endif
