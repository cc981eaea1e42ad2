/* SPDX-License-Identifier: MIT */
/* Lists as files: ?format=csv (UTF-8 with BOM, for Excel) and ?format=xlsx
 * (libxlsxwriter), with column headers from the UI's language catalogue. */
#ifndef SH_EXPORT_H
#define SH_EXPORT_H

#include "api/api.h"

/* Replies with rows of ent as a CSV or XLSX attachment. */
void export_rows(struct api_ctx *c, const struct entity *ent, const struct db_rows *rows,
                 const char *format);
/* The label of a field in the catalogue of lang ("zh-CN" default, "en"). */
const char *i18n_label(struct app *app, const char *lang, const char *key, const char *fallback);

#endif
