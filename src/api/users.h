/* SPDX-License-Identifier: MIT */
/* User accounts over HTTP; the use cases are in app/users.h. */
#ifndef SH_USERS_H
#define SH_USERS_H

#include "api/api.h"
#include "app/users.h"

#endif
