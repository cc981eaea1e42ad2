/* SPDX-License-Identifier: MIT */
/* The service report (售后服务报告单, F-09) as an A4 PDF: cairo + pango with Noto Sans CJK.
 * Pure: it takes the document below, already in the reader's language, and writes PDF bytes;
 * it reads no database, no clock and no catalogue. */
#ifndef SH_DOCS_REPORT_PDF_H
#define SH_DOCS_REPORT_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/sh_buf.h"
#include "base/sh_err.h"

/* A label and its value, drawn in a two-column grid. */
struct rpdf_field {
    const char *label, *value;
};

/* A table: a title, ncols headers with relative widths, rows of ncols cells each (rows
 * wrap their text; a table breaks between rows and repeats its header on the next page),
 * and an optional footer row (totals) drawn in bold. */
#define RPDF_MAX_COLS 8
struct rpdf_table {
    const char *title;
    int ncols;
    const char *head[RPDF_MAX_COLS];
    double width[RPDF_MAX_COLS]; /* relative; 0 = 1 */
    const char *const *cells;    /* nrows * ncols, row-major; NULL cell = "" */
    int nrows;
    const char *empty;               /* shown in one row when nrows == 0; NULL: table skipped */
    const char *foot[RPDF_MAX_COLS]; /* NULL foot[0]: no footer row */
};

/* A titled paragraph (findings, work done, the customer's comment). */
struct rpdf_text {
    const char *title, *body;
};

struct rpdf_doc {
    const char *company;  /* header line */
    const char *title;    /* 售后服务报告单 */
    const char *subtitle; /* e.g. "工单 T-… · 派工单 W-… · 第 2 版" */
    const char *qr_text;  /* URL of the ticket's status page, in the QR code; NULL: none */
    const char *qr_caption;
    const struct rpdf_field *fields;
    int nfields;
    const struct rpdf_text *texts; /* drawn after the fields, before the tables */
    int ntexts;
    const struct rpdf_table *tables;
    int ntables;
    const char *sign_title; /* "客户签字" */
    const void *signature;  /* PNG bytes, or NULL when not signed */
    size_t signature_len;
    const struct rpdf_field *sign_fields; /* signer, time, ... under the image */
    int nsign_fields;
    const char *unsigned_note; /* shown in the signature box when not signed */
    const char *page_label;    /* "第 {page} 页 / 共 {pages} 页" */
    const char *font;          /* pango family; NULL: "Noto Sans CJK SC" */
};

/* Renders the document as PDF bytes appended to out (A4 portrait, 15 mm margins): the header
 * with the QR code on every page's first lines, the fields, the texts, the tables (breaking
 * across pages with their header repeated), the signature box, and "page of pages" at the
 * foot of every page. *pages gets the page count when not NULL. SH_INVALID for a bad
 * signature PNG, SH_TOO_BIG when out is full, SH_INTERNAL when cairo fails, SH_UNAVAILABLE
 * when no render slot came free in time (docs/doc_gate.h). */
SH_WUR enum sh_code rpdf_render(const struct rpdf_doc *d, struct sh_buf *out, int *pages,
                                struct sh_err *e);

/* A PNG's size from its signature and IHDR chunk, without decoding: false when the bytes do
 * not start like a PNG (8-byte signature, then an IHDR of 13 bytes). */
bool rpdf_png_header(const void *p, size_t n, int *width, int *height);
/* Whether the PNG decodes completely (check the size with rpdf_png_header first: this
 * allocates width × height × 4 bytes). */
bool rpdf_png_decodes(const void *p, size_t n);

/* The font PDFs are drawn with: the family fontconfig gives for `family` (NULL: the default,
 * Noto Sans CJK SC) written to found; true when it draws Chinese (has a glyph for 售). */
bool rpdf_font_check(const char *family, char *found, size_t n);

#endif
