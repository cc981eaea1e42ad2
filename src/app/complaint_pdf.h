/* SPDX-License-Identifier: MIT */
/* The complaint/return notice (F-11) as a PDF (app/complaint_pdf.c; docs/complaints.md). */
#ifndef SH_APP_COMPLAINT_PDF_H
#define SH_APP_COMPLAINT_PDF_H

#include "app/complaints.h"
#include "base/sh_buf.h"

/* The notice's PDF in lang ("zh-CN", "en") appended to out; *number gets the notice's
 * number. The reader's scope is uc_complaint_get's: a customer only its own notices (404
 * otherwise), without the internal analysis and routes. */
SH_WUR enum sh_code uc_complaint_pdf(const struct uc *u, int64_t id, const char *lang,
                                     struct sh_buf *out, const char **number, struct sh_err *e);

#endif
