/* SPDX-License-Identifier: MIT */
/* The service report's document: a frozen snapshot (JSON, see report_snapshot.h) and the
 * signature of its version turned into the renderer's struct (docs/report_pdf.h), with the
 * labels of the reader's language. Pure apart from the label lookup. */
#ifndef SH_APP_REPORT_DOC_H
#define SH_APP_REPORT_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"
#include "docs/report_pdf.h"

/* The label of a catalogue key ("report.pdf.title"), else fallback. */
typedef const char *(*report_label_fn)(void *ctx, const char *key, const char *fallback);

struct report_doc_in {
    const char *snapshot; /* JSON object */
    int version;
    bool is_signed;
    const char *signer_name, *signed_at, *comment; /* of the signed version */
    const void *signature;                         /* PNG bytes; NULL when unsigned */
    size_t signature_len;
    const char *company;    /* header line; NULL: the catalogue's report.pdf.company */
    const char *status_url; /* the ticket's public status page, in the QR code; NULL: none */
    report_label_fn label;
    void *label_ctx;
};

/* Fills *out (strings and arrays in a) from the snapshot. SH_INVALID when the snapshot is
 * not a JSON object. */
SH_WUR enum sh_code report_doc_build(struct sh_arena *a, const struct report_doc_in *in,
                                     struct rpdf_doc *out, struct sh_err *e);

/* "2026-12-05T01:12:00Z" as Beijing time "2026-12-05 09:12" (in a); NULL/"" gives "". */
const char *report_local_time(struct sh_arena *a, const char *ts);

#endif
