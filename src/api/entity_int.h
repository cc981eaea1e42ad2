/* SPDX-License-Identifier: MIT */
/* Internal to the entity handlers (api/entity.c, entity_list.c, entity_write.c). */
#ifndef SH_ENTITY_INT_H
#define SH_ENTITY_INT_H

#include "api/api.h"

void set_etag(struct api_ctx *c, const char *version);

#endif
