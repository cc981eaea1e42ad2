/* SPDX-License-Identifier: MIT */
/* The UI's language catalogues, read by the server (exports, the CSV import). */
#ifndef SH_APP_I18N_H
#define SH_APP_I18N_H

#include "app/uc.h"

/* The label of key in the catalogue of lang ("zh-CN" default, "en"), else fallback. The
 * catalogues are loaded once from <web_root>/i18n/ and kept for the process. */
const char *i18n_label(const struct app *app, const char *lang, const char *key,
                       const char *fallback);

#endif
