/* SPDX-License-Identifier: MIT */
/* Quotes as demo data (issue 13 item 5). */
#ifndef SH_CLI_DEMO_QUOTES_H
#define SH_CLI_DEMO_QUOTES_H

#include "cli/common.h"

/* Seven chargeable repair tickets on demo units with a quote in each state (draft, waiting
 * for the internal approval, sent, accepted by WeChat, rejected on the link, expired, and a
 * superseded one with its revision); nothing when quotes exist already. */
SH_WUR enum sh_code demo_quotes(const struct uc *u, int *n, struct sh_err *e);

#endif
