/* SPDX-License-Identifier: MIT */
/* One audit row written by a use case, inside its transaction, at u->now. */
#ifndef SH_APP_AUDIT_ROW_H
#define SH_APP_AUDIT_ROW_H

#include "app/uc.h"

/* before/after are JSON text or NULL. */
SH_WUR enum sh_code uc_audit(const struct uc *u, const char *entity, int64_t id, const char *action,
                             const char *before, const char *after, struct sh_err *e);

#endif
