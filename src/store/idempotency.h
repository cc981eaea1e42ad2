/* SPDX-License-Identifier: MIT */
/* The answers given to requests with an Idempotency-Key (table idempotency_keys). */
#ifndef SH_STORE_IDEMPOTENCY_H
#define SH_STORE_IDEMPOTENCY_H

#include <stdbool.h>

#include "store/db.h"

struct idem_row {
    const char *method, *path, *body;
    const char *request_hash; /* NULL for answers stored before the hash was kept */
    int status;
};

/* The answer stored for user_id's key; *found false when there is none. */
SH_WUR enum sh_code idem_find(struct db_tx *tx, struct sh_arena *a, int64_t user_id,
                              const char *key, struct idem_row *out, bool *found, struct sh_err *e);
/* Stores the answer given for user_id's key at time at. */
SH_WUR enum sh_code idem_insert(struct db_tx *tx, int64_t user_id, const char *key,
                                const struct idem_row *row, const char *at, struct sh_err *e);

#endif
