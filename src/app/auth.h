/* SPDX-License-Identifier: MIT */
/* Signing in, the sign-in throttle, sessions and API tokens.
 *
 * The throttle (issue 10 items 3 and 4): every password check is first reserved as a
 * row of login_failures inside a write transaction, and only then hashed; a check that
 * succeeds deletes its row again. At most AUTH_MAX_FAILURES rows per address in
 * AUTH_WINDOW_S refuse further checks from that address (429); within that, each
 * account × address pair waits a growing delay after app->login_delay_after failures,
 * so a guesser is slowed down while the owner signing in from another address is not. */
#ifndef SH_APP_AUTH_H
#define SH_APP_AUTH_H

#include "app/uc.h"

#define AUTH_WINDOW_S     (15 * 60)
#define AUTH_MAX_FAILURES 10

/* The client's address: the peer, or, when the peer is one of `trusted` (addresses
 * separated by commas or spaces), the right-most X-Forwarded-For entry that is not. */
void auth_client_ip(const char *trusted, const char *peer, const char *xff, char out[64]);

/* Inside a write transaction: refuses with SH_THROTTLED (reason throttled, *retry_after
 * seconds) or records a pending attempt for (username, ip) in *attempt_id. */
SH_WUR enum sh_code uc_attempt_reserve(const struct uc *u, const char *username, const char *ip,
                                       int64_t *attempt_id, int *retry_after, struct sh_err *e);
/* Inside a write transaction: a successful (or unchecked) attempt no longer counts. */
SH_WUR enum sh_code uc_attempt_release(const struct uc *u, int64_t attempt_id, struct sh_err *e);

/* A throttled password check (its own transactions and the hashing pool): SH_OK when pw
 * matches hash; SH_UNAUTH when not (hash NULL: an unknown or disabled user, checked
 * against the dummy hash all the same); SH_THROTTLED with *retry_after; SH_UNAVAILABLE
 * when the hashing pool is full (*retry_after too). */
SH_WUR enum sh_code app_password_check(const struct app *app, const char *username, const char *ip,
                                       const char *hash, const char *pw, int *retry_after,
                                       struct sh_err *e);

struct sign_in_in {
    const char *username, *password, *ip;
};
struct sign_in_out {
    struct db_rows user; /* id, username, display_name, roles, customer_id, department_id, locale */
    char cookie[65];     /* the session id (shown once, stored hashed) */
    char csrf[65];
    char expires[21];
    int retry_after; /* SH_THROTTLED, SH_UNAVAILABLE */
};
/* Signs in: the throttled check, then a new session. */
SH_WUR enum sh_code app_sign_in(const struct app *app, struct sh_arena *a,
                                const struct sign_in_in *in, struct sign_in_out *out,
                                struct sh_err *e);

/* Who is calling, from the stored hash of a bearer token or a session id: fills *who
 * (strings in a). SH_UNAUTH for an unknown, revoked or expired token, an expired or
 * ended session, a disabled account; SH_FORBIDDEN for an account without a valid role.
 * Records a token's use and slides a session's idle deadline, at most once a minute
 * (own write transactions; a failure there is only logged). */
SH_WUR enum sh_code app_resolve(const struct app *app, struct sh_arena *a, const char *hash,
                                bool bearer, struct principal *who, struct sh_err *e);
/* Inside a write transaction: signs one session out. */
SH_WUR enum sh_code uc_session_end(const struct uc *u, const char *session_hash, struct sh_err *e);

struct token_in {
    int64_t user_id;
    const char *name;
    const char *expires_at; /* NULL: never; else a timestamp in the future */
};
struct token_out {
    int64_t id;
    char token[64]; /* shown once */
    const char *expires_at;
};
/* Creates an API token for an active user (audited). */
SH_WUR enum sh_code uc_token_create(const struct uc *u, const struct token_in *in,
                                    struct token_out *out, struct sh_err *e);
/* Revokes a token: the principal's own, or any for an admin (audited; revoking a
 * revoked token is a no-op). */
SH_WUR enum sh_code uc_token_revoke(const struct uc *u, int64_t id, struct sh_err *e);
/* The principal's tokens (an admin: everybody's), newest first, at most 500. */
SH_WUR enum sh_code uc_tokens_list(const struct uc *u, struct db_rows *out, struct sh_err *e);

#endif
