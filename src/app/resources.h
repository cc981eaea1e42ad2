/* SPDX-License-Identifier: MIT */
/* The master data declared on the entity engine (app/resources.c, R-017…R-022): one
 * declaration per entity, read by the API, /meta, the exports, the CSV import and the
 * demo loader. */
#ifndef SH_APP_RESOURCES_H
#define SH_APP_RESOURCES_H

#include "app/entity.h"

extern const struct entity ent_departments, ent_customers, ent_contacts, ent_sites, ent_models,
    ent_contracts, ent_units, ent_users;

/* The product categories of a model (the enum of product_model.category). */
extern const char *const model_categories[];

#endif
