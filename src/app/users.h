/* SPDX-License-Identifier: MIT */
/* User accounts: creation, password changes, disabling, and the end of a user's access.
 * The API (src/api/users.c, the users entity) and the CLI (src/cli/cmd_admin.c) call
 * these; there is no other implementation. */
#ifndef SH_APP_USERS_H
#define SH_APP_USERS_H

#include "app/uc.h"
#include "domain/password.h"

struct user_in {
    const char *username, *display_name, *email, *phone, *roles, *locale;
    int64_t department_id, customer_id; /* 0: none */
    const char *password_hash;          /* argon2id, computed by the caller (pw_hash) */
};

/* 2 to 64 letters, digits or . _ - @ */
bool user_name_ok(const char *username);
/* Roles must parse and fit the customer link; SH_INVALID naming roles or customer_id. */
SH_WUR enum sh_code user_roles_check(const char *roles, int64_t customer_id, struct sh_err *e);
/* Validates and inserts a user with its audit row. */
SH_WUR enum sh_code uc_user_create(const struct uc *u, const struct user_in *in, int64_t *id,
                                   struct sh_err *e);
/* Sets a user's password hash (audited without it) and ends the user's access: every
 * session is deleted and every API token revoked, except the bearer token with which
 * the user changed their own password (u->who->token_hash). */
SH_WUR enum sh_code uc_user_set_password(const struct uc *u, int64_t id, const char *hash,
                                         struct sh_err *e);
/* Enables or disables a user (audited as enable/disable). Disabling ends the user's
 * access; enabling does not bring old sessions or tokens back. Also called by the users
 * entity after a PATCH changed `active` (the row is then already updated). */
SH_WUR enum sh_code uc_user_set_active(const struct uc *u, int64_t id, bool active,
                                       struct sh_err *e);
/* Deletes every session and revokes every API token of a user. */
SH_WUR enum sh_code uc_user_end_access(const struct uc *u, int64_t id, struct sh_err *e);

#endif
