/* SPDX-License-Identifier: MIT */
/* The UI's language catalogues (web/i18n/<lang>.json) read by the server: labels
 * of exports and of the CSV import's headers. */
#include "app/i18n.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"

static pthread_mutex_t cat_mu = PTHREAD_MUTEX_INITIALIZER;
static json_t *catalogues[2]; /* zh-CN, en: loaded once, kept for the process */

const char *i18n_label(const struct app *app, const char *lang, const char *key,
                       const char *fallback)
{
    int li = lang && !strcmp(lang, "en") ? 1 : 0;
    pthread_mutex_lock(&cat_mu);
    if (!catalogues[li]) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/i18n/%s.json", app->web_root, li ? "en" : "zh-CN");
        json_error_t je;
        catalogues[li] = json_load_file(path, 0, &je);
        if (!catalogues[li]) {
            log_warn("cannot load catalogue %s: %s", path, je.text);
            catalogues[li] = json_object();
        }
    }
    json_t *v = json_object_get(catalogues[li], key);
    pthread_mutex_unlock(&cat_mu);
    return json_is_string(v) ? json_string_value(v) : fallback;
}
