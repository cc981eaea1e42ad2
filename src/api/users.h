/* SPDX-License-Identifier: MIT */
/* User accounts, shared by the API and the CLI. */
#ifndef SH_USERS_H
#define SH_USERS_H

#include "api/api.h"

struct user_in {
    const char *username, *display_name, *email, *phone, *roles, *locale;
    int64_t department_id, customer_id; /* 0: none */
    const char *password_hash;          /* argon2id, computed by the caller */
};

#define PASSWORD_MIN 8
#define PASSWORD_MAX 200

/* Validates and inserts a user with its audit row. */
SH_WUR enum sh_code users_insert(struct db_tx *tx, struct sh_arena *a, const struct principal *who,
                                 const struct user_in *in, int64_t *id, struct sh_err *e);
/* Sets a user's password hash (audited without the hash). */
SH_WUR enum sh_code users_set_password(struct db_tx *tx, const struct principal *who, int64_t id,
                                       const char *hash, struct sh_err *e);
/* Checks a new password's length; SH_INVALID naming `field`. */
SH_WUR enum sh_code users_password_ok(const char *pw, const char *field, struct sh_err *e);

#endif
