/* SPDX-License-Identifier: MIT */
/* The complaint/return notice (F-11) as a PDF (app/complaint_pdf.c; docs/complaints.md). */
#ifndef SH_APP_COMPLAINT_PDF_H
#define SH_APP_COMPLAINT_PDF_H

#include "app/complaints.h"

struct rpdf_doc;

/* The notice in lang ("zh-CN", "en") as the document to draw (api/pdf.h), built from what
 * uc_complaint_get read for the reader (its scope: a customer only its own notices, 404
 * otherwise, without the internal analysis and routes); reads no database. */
void complaint_pdf_doc(const struct app *app, struct sh_arena *a, const char *lang,
                       const struct complaint_view *v, struct rpdf_doc *d);

#endif
