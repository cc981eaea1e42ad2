/* SPDX-License-Identifier: MIT */
/* Lists as files: ?format=csv (UTF-8 with BOM, for Excel) and ?format=xlsx
 * (libxlsxwriter). Headers are each field's own label in the chosen language,
 * enum values their labels, references the referenced record's name, times local
 * (Asia/Shanghai). Rows stream through a temporary file in chunks, so an export
 * of 100,000 rows stays under the request's memory cap; the file is sent from
 * disk. Every text cell that a spreadsheet would read as a formula is neutralised. */
#ifndef SH_EXPORT_H
#define SH_EXPORT_H

#include "api/api.h"
#include "app/i18n.h"

struct export_sink;

/* Starts an export of ent ("csv" or "xlsx") and writes the header row. */
SH_WUR enum sh_code export_begin(struct api_ctx *c, const struct entity *ent, const char *format,
                                 struct export_sink **out, struct sh_err *e);
/* Appends rows (of ent, with the <col>_name columns of expand=all). */
SH_WUR enum sh_code export_add(struct export_sink *s, const struct db_rows *rows, struct sh_err *e);
/* Finishes the file and replies with it (ok) or just releases everything (!ok). */
void export_end(struct export_sink *s, bool ok);
/* The language of the request: ?lang=, else Accept-Language, else zh-CN. */
const char *export_lang(struct api_ctx *c);

#endif
