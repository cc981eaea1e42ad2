/* SPDX-License-Identifier: MIT */
/* Department coordination requests (部门协调单, F-08, WF-22, R-034; issue 12 item 7) on the
 * entity engine: app/coordination.c. */
#ifndef SH_APP_COORDINATION_H
#define SH_APP_COORDINATION_H

#include "app/entity.h"

extern const struct entity ent_coordination;

#endif
