/* SPDX-License-Identifier: MIT */
/* Periodic visit plans declared on the entity engine (app/visit_plan_entities.c): served by
 * the API's CRUD routes and /meta, created by the demo loader, read by the visit job. */
#ifndef SH_APP_VISIT_PLAN_ENTITIES_H
#define SH_APP_VISIT_PLAN_ENTITIES_H

#include "app/entity.h"

extern const struct entity ent_visit_plans;

#endif
