/* SPDX-License-Identifier: MIT */
/* The checklist and photos of a work order (issue 11 items 3 and 4; docs/openapi.yaml). */
#ifndef SH_API_CHECKLISTS_H
#define SH_API_CHECKLISTS_H

#include "api/api.h"

void h_wo_checklist_get(struct api_ctx *c);  /* GET  /work-orders/{id}/checklist */
void h_wo_checklist_item(struct api_ctx *c); /* PUT|POST .../checklist/items/{item} */
void h_wo_photo_add(struct api_ctx *c);      /* POST /work-orders/{id}/photos */
void h_wo_photos(struct api_ctx *c);         /* GET  /work-orders/{id}/photos */
void h_wo_photo_get(struct api_ctx *c);      /* GET  /work-orders/{id}/photos/{photo} */

#endif
