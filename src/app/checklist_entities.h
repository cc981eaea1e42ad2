/* SPDX-License-Identifier: MIT */
/* Checklist templates and their items declared on the entity engine
 * (app/checklist_entities.c): served by the API's CRUD routes and /meta, created by the demo
 * loader; a work order's checklist is instantiated from them (app/checklists.h). */
#ifndef SH_APP_CHECKLIST_ENTITIES_H
#define SH_APP_CHECKLIST_ENTITIES_H

#include "app/entity.h"

extern const struct entity ent_checklist_templates, ent_checklist_items;

#endif
