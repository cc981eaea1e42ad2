/* SPDX-License-Identifier: MIT */
/* Photos of a work order (issue 11 items 3 and 4): before and after the work, and per
 * checklist item (phase check). Typed by content (JPEG, PNG, GIF, WebP; no documents), bounded
 * in size and number, stored in the attachment blob store (app/ticket_attach.h). */
#ifndef SH_APP_WO_PHOTOS_H
#define SH_APP_WO_PHOTOS_H

#include "app/ticket_attach.h"
#include "app/uc.h"
#include "store/checklists.h"

#define WO_PHOTO_MAX    (10u << 20) /* bytes per photo, as the customer's report photos */
#define WO_PHOTOS_LIMIT 40          /* photos per work order */

/* Checks the content of an upload: an image within WO_PHOTO_MAX (SH_TOO_BIG 413; anything
 * else than an image: SH_INVALID field file, reason unsupported_media_type; an empty body:
 * reason required; a filename with control characters, '/', '\\' or '"': SH_INVALID field
 * filename, reason invalid_format). */
SH_WUR enum sh_code wo_photo_check(struct sh_arena *a, const void *data, size_t n,
                                   const char *filename, struct ticket_blob *out, struct sh_err *e);

struct wo_photo_in {
    int64_t work_order_id;
    const char *phase; /* before | after | check */
    int64_t item_id;   /* phase check: the checklist item (required there, refused elsewhere) */
    const struct ticket_blob *blob; /* checked and stored (ticket_blob_store) by the caller */
};

/* Adds a photo by the crew or a planner while the work order is open (checklist_may_write);
 * at most WO_PHOTOS_LIMIT per work order (422, reason too_many). A photo of a photo item
 * records that item as passed. Audited. */
SH_WUR enum sh_code uc_wo_photo_add(const struct uc *u, const struct wo_photo_in *in,
                                    struct cl_photo_row *out, struct sh_err *e);
/* The photos of a work order in the caller's scope. */
SH_WUR enum sh_code uc_wo_photos(const struct uc *u, int64_t wo, struct cl_photo_row **out, int *n,
                                 struct sh_err *e);
/* One photo of a work order in the caller's scope (SH_NOT_FOUND otherwise). */
SH_WUR enum sh_code uc_wo_photo_get(const struct uc *u, int64_t wo, int64_t photo_id,
                                    struct cl_photo_row *out, struct sh_err *e);

#endif
