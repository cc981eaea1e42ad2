/* SPDX-License-Identifier: MIT */
/* Attachments of a knowledge article (issue 18 item 4; docs/knowledge.md): photos and PDF
 * documents of the solved problem, typed by content and stored by hash in the ticket
 * attachments' blob store (app/ticket_attach.h), bounded in size and number, each upload and
 * removal audited on the article. Who reads and writes them is who reads and writes the
 * article (api/routes.c). */
#ifndef SH_APP_KB_ATTACH_H
#define SH_APP_KB_ATTACH_H

#include "app/ticket_attach.h"
#include "app/uc.h"

#define KB_ATTACH_MAX   (20u << 20) /* bytes per file, as a ticket's attachments */
#define KB_ATTACH_LIMIT 20          /* files per article */

/* Checks an upload: a JPEG, PNG, GIF, WebP or PDF (400 field file, reason
 * unsupported_media_type) of at most KB_ATTACH_MAX bytes (413, reason too_large). */
SH_WUR enum sh_code kb_attach_check(struct sh_arena *a, const void *data, size_t n,
                                    const char *filename, struct ticket_blob *out,
                                    struct sh_err *e);

/* Adds a checked and stored blob to article id (404 when absent); at most KB_ATTACH_LIMIT
 * (422, reason too_many). out: the new row (columns as uc_kb_attachments). */
SH_WUR enum sh_code uc_kb_attach_add(const struct uc *u, int64_t id, const struct ticket_blob *b,
                                     struct db_rows *out, struct sh_err *e);
/* The attachments of article id, oldest first: id, article_id, filename, mime, size,
 * sha256, created_at, created_by, created_by_name. */
SH_WUR enum sh_code uc_kb_attachments(const struct uc *u, int64_t id, struct db_rows *out,
                                      struct sh_err *e);
/* One attachment of article id (404 otherwise). */
SH_WUR enum sh_code uc_kb_attachment_get(const struct uc *u, int64_t id, int64_t att_id,
                                         struct db_rows *out, struct sh_err *e);
/* Removes one attachment of article id (404 otherwise); the blob stays (it may be shared). */
SH_WUR enum sh_code uc_kb_attachment_delete(const struct uc *u, int64_t id, int64_t att_id,
                                            struct sh_err *e);

#endif
