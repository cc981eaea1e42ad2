/* SPDX-License-Identifier: MIT */
/* The checklists of the source documents as demo data (issue 11 item 4). */
#ifndef SH_CLI_DEMO_CHECKLISTS_H
#define SH_CLI_DEMO_CHECKLISTS_H

#include "cli/common.h"

/* Loads the templates and items through the entity engine (validated and audited like an
 * API create); a template whose code exists already is left alone. *n gets the number of
 * templates loaded. */
SH_WUR enum sh_code demo_checklists(struct api_ctx *c, struct db_tx *tx, int *n, struct sh_err *e);

#endif
