/* SPDX-License-Identifier: MIT */
/* Quotes as demo data (issue 13 item 5). */
#ifndef SH_CLI_DEMO_QUOTES_H
#define SH_CLI_DEMO_QUOTES_H

#include "cli/common.h"

/* Seven chargeable repair tickets on demo units with a quote in each state (draft, waiting
 * for the internal approval, sent, accepted by WeChat, rejected on the link, expired, and a
 * superseded one with its revision); nothing when quotes exist already. */
SH_WUR enum sh_code demo_quotes(const struct uc *u, int *n, struct sh_err *e);

/* Chargeable ticket tid: a quote sent and accepted by the customer, so that the quote and
 * charge_told guards (on by default) let its visit be booked and the ticket close. Nothing
 * when the ticket is not chargeable or has an accepted quote. */
SH_WUR enum sh_code demo_quote_accepted(const struct uc *u, int64_t tid, struct sh_err *e);

#endif
