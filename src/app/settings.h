/* SPDX-License-Identifier: MIT */
/* Company settings (issue 9 item 5, R-198): the switches of the guards the source documents
 * disagree on, and whatever later issues add. Generic: a key with a typed value. */
#ifndef SH_APP_SETTINGS_H
#define SH_APP_SETTINGS_H

#include "app/uc.h"
#include "store/settings.h"

/* The keys read by the rules. */
#define SETTING_APPROVAL_BEFORE_DISPATCH "approval_before_dispatch"
#define SETTING_SURVEY_BEFORE_CLOSE      "survey_before_close"
#define SETTING_REPORT_BEFORE_RESOLVE    "report_before_resolve"
#define SETTING_WARRANTY_START_EVENT     "warranty_start_event"
#define SETTING_INSTALL_DEADLINE_DAYS    "install_deadline_workdays"
#define SETTING_TRAINING_TOPICS          "training_topics"

/* One change: the key, the JSON type the caller sent ("bool", "int", "text") and the
 * canonical text of the value. */
struct setting_change {
    const char *key, *type, *value;
};

struct settings_update_in {
    const struct setting_change *items;
    int n;
    int64_t if_match; /* the set's version the caller saw; -1: no check */
};

SH_WUR enum sh_code uc_settings_get(const struct uc *u, struct setting_list *out, struct sh_err *e);
/* Validates every change (unknown key: unknown_field; wrong type: invalid_format), stores
 * them, audits before and after; out gets the new list. */
SH_WUR enum sh_code uc_settings_update(const struct uc *u, const struct settings_update_in *in,
                                       struct setting_list *out, struct sh_err *e);
/* The settings as a JSON object {"items": [...], "version": n} in u->a. */
const char *settings_json(struct sh_arena *a, const struct setting_list *s);

#endif
