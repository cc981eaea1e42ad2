/* SPDX-License-Identifier: MIT */
/* The knowledge base as demo data (issue 18 item 4). */
#ifndef SH_CLI_DEMO_KNOW_H
#define SH_CLI_DEMO_KNOW_H

#include "cli/common.h"

/* Fifteen Chinese articles (published, drafts, archived) on the demo models, the published
 * ones marked as having helped demo tickets, and improvement inputs in every status;
 * nothing when articles exist already. *n gets the articles written. */
SH_WUR enum sh_code demo_know(const struct uc *u, int *n, struct sh_err *e);

#endif
