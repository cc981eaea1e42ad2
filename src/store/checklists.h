/* SPDX-License-Identifier: MIT */
/* SQL of checklists (migration 0014): the template a work order is checked against, its
 * items, the results recorded on the work order and the work order's photos, read into typed
 * rows. No scope checks: the use cases do them. */
#ifndef SH_STORE_CHECKLISTS_H
#define SH_STORE_CHECKLISTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"
#include "domain/checklist.h"
#include "store/db.h"

struct cl_template_row {
    int64_t id;
    const char *code, *name, *name_en;
    int photos_before_min, photos_after_min;
};

struct cl_item_row {
    int64_t id, template_id;
    int position;
    enum cl_kind kind;
    bool required;
    bool active; /* false: switched off after it was answered on this work order */
    struct cl_limit limit;
    const char *label, *label_en, *unit, *source;
};

struct cl_result_row {
    int64_t id, item_id, photo_id, recorded_by, version; /* photo_id, recorded_by: 0 none */
    bool passed, has_value;
    int64_t value; /* hundredths */
    struct cl_limit limit;
    const char *unit, *note, *recorded_at, *recorded_by_name;
};

struct cl_photo_row {
    int64_t id, work_order_id, item_id, created_by, size; /* item_id, created_by: 0 none */
    const char *phase, *sha256, *filename, *mime, *created_at, *created_by_name;
};

/* The template of work order wo: the one fixed by its first answer (*fixed true), otherwise
 * the most specific active one for the unit's model series, product category and the work
 * order's kind. *id 0 when none applies. */
SH_WUR enum sh_code cl_template_of(struct db_tx *tx, struct sh_arena *a, int64_t wo, int64_t *id,
                                   bool *fixed, struct sh_err *e);
SH_WUR enum sh_code cl_template_get(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                    struct cl_template_row *out, struct sh_err *e);
/* Fixes the template of wo (first answer; a no-op when fixed already). */
SH_WUR enum sh_code cl_template_fix(struct db_tx *tx, int64_t wo, int64_t template_id,
                                    const char *now, struct sh_err *e);

/* The items of a template in order (position, id): the active ones, and those switched off
 * since they were answered on work order wo (a recorded result stays shown). */
SH_WUR enum sh_code cl_items_of(struct db_tx *tx, struct sh_arena *a, int64_t template_id,
                                int64_t wo, struct cl_item_row **out, int *n, struct sh_err *e);
SH_WUR enum sh_code cl_results_of(struct db_tx *tx, struct sh_arena *a, int64_t wo,
                                  struct cl_result_row **out, int *n, struct sh_err *e);

/* What is written for one item (the limit and unit are copied from the item). */
struct cl_result_in {
    int64_t work_order_id, photo_id, by; /* photo_id: 0 none */
    const struct cl_item_row *item;
    bool passed, has_value;
    int64_t value;
    const char *note, *now;
};
/* Inserts or replaces the result of the item on the work order (version + 1). */
SH_WUR enum sh_code cl_result_put(struct db_tx *tx, const struct cl_result_in *in,
                                  struct sh_err *e);

/* Photos of wo in upload order. */
SH_WUR enum sh_code cl_photos_of(struct db_tx *tx, struct sh_arena *a, int64_t wo,
                                 struct cl_photo_row **out, int *n, struct sh_err *e);
/* One photo by id; SH_NOT_FOUND when absent. */
SH_WUR enum sh_code cl_photo_get(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                 struct cl_photo_row *out, struct sh_err *e);
/* Inserts a photo row (created_at, created_by set by the caller); *id gets its id. */
SH_WUR enum sh_code cl_photo_insert(struct db_tx *tx, const struct cl_photo_row *p, int64_t *id,
                                    struct sh_err *e);
/* Photos of wo so far (for the per-work-order limit). */
SH_WUR enum sh_code cl_photo_count(struct db_tx *tx, struct sh_arena *a, int64_t wo, int64_t *n,
                                   struct sh_err *e);

#endif
