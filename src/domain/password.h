/* SPDX-License-Identifier: MIT */
/* The password rules: 8 to 200 characters, not one of the most common passwords
 * (an embedded list, src/domain/data/README.md), not equal to nor containing the
 * username. Pure: no I/O. */
#ifndef SH_DOMAIN_PASSWORD_H
#define SH_DOMAIN_PASSWORD_H

#include <stdbool.h>

#include "base/sh_err.h"

#define PASSWORD_MIN 8
#define PASSWORD_MAX 200

/* True when pw, lower-cased, is in the common-password list. */
bool password_is_common(const char *pw);
/* SH_OK or SH_INVALID naming `field`, with reason too_short, too_long or
 * weak_password ({"why":"common"} or {"why":"username"}). username may be NULL. */
SH_WUR enum sh_code password_policy_check(const char *pw, const char *username, const char *field,
                                          struct sh_err *e);

#endif
