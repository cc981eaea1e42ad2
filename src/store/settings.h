/* SPDX-License-Identifier: MIT */
/* Company settings (table settings, migration 0010): one typed value per key. */
#ifndef SH_STORE_SETTINGS_H
#define SH_STORE_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"
#include "store/db.h"

struct setting {
    const char *key;
    const char *type;  /* bool, int, text */
    const char *value; /* canonical text: "true"/"false", decimal, text */
    const char *updated_at;
    int64_t updated_by; /* 0: never changed by a user */
    int64_t version;
};

struct setting_list {
    struct setting *items;
    int n;
    int64_t version; /* the set's version (the ETag): grows with every change */
};

/* Every setting, by key. */
SH_WUR enum sh_code settings_load(struct db_tx *tx, struct sh_arena *a, struct setting_list *out,
                                  struct sh_err *e);
/* A bool setting; def when the key is not stored. */
SH_WUR enum sh_code settings_bool(struct db_tx *tx, struct sh_arena *a, const char *key, bool def,
                                  bool *out, struct sh_err *e);
/* An int setting; def when the key is not stored or its value is not a number. */
SH_WUR enum sh_code settings_int(struct db_tx *tx, struct sh_arena *a, const char *key, int64_t def,
                                 int64_t *out, struct sh_err *e);
/* Stores value (canonical text) for an existing key, by user `by` at `at`. */
SH_WUR enum sh_code settings_store(struct db_tx *tx, const char *key, const char *value,
                                   const char *at, int64_t by, struct sh_err *e);

#endif
