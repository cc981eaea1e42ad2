/* SPDX-License-Identifier: MIT */
/* SQL of the fee rule sets and their versions (issue 13 item 1). */
#ifndef SH_STORE_FEES_H
#define SH_STORE_FEES_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

struct fee_set_row {
    int64_t id;
    const char *code, *name, *description;
    bool active;
    const char *created_at, *updated_at;
    int64_t row_version;
};

struct fee_version_row {
    int64_t id, rule_set_id, number, created_by;
    const char *effective_from, *definition, *note, *created_at;
};

/* Every rule set by code, each with its newest version (v[i].id 0 when none). */
SH_WUR enum sh_code fee_sets_load(struct db_tx *tx, struct sh_arena *a, struct fee_set_row **sets,
                                  struct fee_version_row **newest, int *n, struct sh_err *e);
/* One rule set by id, or by code when code is not NULL (SH_NOT_FOUND when absent). */
SH_WUR enum sh_code fee_set_load(struct db_tx *tx, struct sh_arena *a, int64_t id, const char *code,
                                 struct fee_set_row *out, struct sh_err *e);
/* The versions of a rule set, newest first. */
SH_WUR enum sh_code fee_versions_load(struct db_tx *tx, struct sh_arena *a, int64_t set_id,
                                      struct fee_version_row **out, int *n, struct sh_err *e);
/* The version in effect on a date: the highest number with effective_from <= on. */
SH_WUR enum sh_code fee_version_on(struct db_tx *tx, struct sh_arena *a, int64_t set_id,
                                   const char *on, struct fee_version_row *out, struct sh_err *e);
SH_WUR enum sh_code fee_set_insert(struct db_tx *tx, const struct fee_set_row *s, int64_t *id,
                                   struct sh_err *e);
/* Inserts the next version (number = highest + 1, set in v->number) and touches the set. */
SH_WUR enum sh_code fee_version_insert(struct db_tx *tx, struct sh_arena *a,
                                       struct fee_version_row *v, struct sh_err *e);

#endif
