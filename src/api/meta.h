/* SPDX-License-Identifier: MIT */
/* The entity declarations as data: GET /api/v1/meta, and the same facts for the
 * OpenAPI schema test. */
#ifndef SH_META_H
#define SH_META_H

#include "api/api.h"

/* The JSON type name of a field kind ("string", "integer", "date-time", ...). */
const char *meta_kind_name(enum field_kind k);
/* The effective maximum length of a string column (0: none). */
int meta_maxlen(const struct col *col);
/* The entities with a list route, in route-table order; returns the count. */
int meta_entities(const struct entity **out, int max);
/* The meta document (built once). */
const char *meta_json(void);
void h_meta(struct api_ctx *c);

#endif
