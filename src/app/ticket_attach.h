/* SPDX-License-Identifier: MIT */
/* Attachments of a ticket: photos and PDFs, typed by content, stored by hash under the data
 * directory (the blob store), each with its timeline event. */
#ifndef SH_APP_TICKET_ATTACH_H
#define SH_APP_TICKET_ATTACH_H

#include <stddef.h>

#include "app/uc.h"

struct ticket_blob {
    int limit; /* refuse when the ticket already has this many attachments; 0: no limit */
    const void *data;
    size_t size;
    const char *filename, *mime, *sha; /* sha: hex SHA-256 of the content */
};

/* Types the content (JPEG, PNG, GIF, WebP, PDF) and checks size and name; out is ready for
 * ticket_blob_store and uc_ticket_attach. */
SH_WUR enum sh_code ticket_blob_check(struct sh_arena *a, const void *data, size_t n,
                                      const char *filename, size_t max, struct ticket_blob *out,
                                      struct sh_err *e);
/* Writes the content under data_dir/attachments/<sha[0..2]>/<sha> (once per content). Done
 * before the row: a row never points at a missing file; an orphan blob is harmless. */
SH_WUR enum sh_code ticket_blob_store(const char *data_dir, const struct ticket_blob *b,
                                      struct sh_err *e);
/* The attachment's row and timeline event on ticket id (in the caller's scope), audited. */
SH_WUR enum sh_code uc_ticket_attach(const struct uc *u, int64_t id, const struct ticket_blob *b,
                                     int64_t *attachment_id, struct sh_err *e);

#endif
