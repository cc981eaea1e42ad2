/* SPDX-License-Identifier: MIT */
/* Notifications in every delivery state as demo data (issue 15 item 1). */
#ifndef SH_CLI_DEMO_NOTIFICATIONS_H
#define SH_CLI_DEMO_NOTIFICATIONS_H

#include "cli/common.h"

/* One outbox message per state (pending, held, failed, dead, skipped, sent) with Chinese
 * texts; a second run adds nothing (dedupe keys). Channels stay disabled: nothing is sent. */
SH_WUR enum sh_code demo_notifications(const struct uc *u, struct sh_err *e);

#endif
