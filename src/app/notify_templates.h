/* SPDX-License-Identifier: MIT */
/* Message templates per event and locale (issue 15 item 2, R-199): built-in defaults in
 * zh-CN and en, overridden per company; the variables of each event are checked when saved. */
#ifndef SH_APP_NOTIFY_TEMPLATES_H
#define SH_APP_NOTIFY_TEMPLATES_H

#include "app/uc.h"

struct notify_event {
    const char *kind;
    const char *const *vars;          /* NULL-terminated */
    const char *subject[2], *body[2]; /* defaults: [0] zh-CN, [1] en */
};
extern const struct notify_event notify_events[];
extern const int notify_nevents;

struct notify_template {
    const char *kind, *locale, *subject, *body, *updated_at;
    const char *const *vars;
    bool customized;
    int64_t version;
};
struct notify_template_list {
    struct notify_template *items;
    int n;
};
SH_WUR enum sh_code uc_notify_templates(const struct uc *u, struct notify_template_list *out,
                                        struct sh_err *e);
/* Saves one template (400 unknown_reference naming the variable, invalid_format for a stray
 * brace, required, too_long); out gets the stored template. */
SH_WUR enum sh_code uc_notify_template_set(const struct uc *u, const char *kind, const char *locale,
                                           const char *subject, const char *body,
                                           struct notify_template *out, struct sh_err *e);
/* Checks a draft like uc_notify_template_set (the same field errors) and renders it with
 * sample values of the event's variables; nothing is stored. */
SH_WUR enum sh_code uc_notify_template_preview(const struct uc *u, const char *kind,
                                               const char *locale, const char *subject,
                                               const char *body, const char **out_subject,
                                               const char **out_body, struct sh_err *e);
/* A sample value of a variable (the preview's), "" for an unknown name. */
const char *notify_sample(const char *var, const char *locale);
/* The subject and body of an event in a locale with its variables filled in. */
SH_WUR enum sh_code uc_notify_render(const struct uc *u, const char *kind, const char *locale,
                                     const char *const *names, const char *const *values, int n,
                                     const char **subject, const char **body, struct sh_err *e);

#endif
