/* SPDX-License-Identifier: MIT */
/* Password hashing (argon2id, t = 2, p = 1; by default libsodium's INTERACTIVE 64 MiB, ~0.3 s
 * each) through a bounded pool: at most `workers` hashes run at once (default: one per core,
 * at most 3, so that a flood costs at most ~200 MiB of hashing memory on any host), at most
 * `queue_max` callers wait, each for at most `wait_ms`; past that the call fails with
 * SH_UNAVAILABLE (503, Retry-After) instead of reserving more memory. Every check,
 * including the dummy check for an unknown user, goes through the same pool, so known
 * and unknown users take the same time. */
#ifndef SH_APP_PASSWORDS_H
#define SH_APP_PASSWORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/sh_err.h"

#define PW_HASH_MAX 128

/* Sets the pool's size (0 = default for each); call once at start-up. Without it the
 * defaults apply. */
void pw_pool_configure(int workers, int queue_max, int wait_ms);
/* The memory of each new hash, in MiB (the bounds of password_hash_memory_mib, base/config.h;
 * 0 = its default); call once at start-up, before any hash. Verifying reads the parameters
 * from the stored hash, so hashes made with another setting still verify. */
void pw_cost_configure(int memory_mib);
/* Hashes pw (argon2id) into out. */
SH_WUR enum sh_code pw_hash(const char *pw, char out[PW_HASH_MAX], struct sh_err *e);
/* Verifies pw against hash; hash NULL verifies against the dummy hash (*ok false). */
SH_WUR enum sh_code pw_verify(const char *hash, const char *pw, bool *ok, struct sh_err *e);
/* True when hash was not made with the parameters pw_hash uses now (another memory cost, or
 * another argon2 variant): sign-in hashes the password again (app_sign_in). */
bool pw_needs_rehash(const char *hash);
/* The hash an unknown user is verified against: argon2id with the parameters pw_hash uses,
 * a random salt and digest, made once without hashing (nothing verifies against it). */
const char *pw_dummy_hash(void);
/* Seconds a refused caller should wait before retrying. */
int pw_pool_retry_after(void);

/* Random secret: 2*nbytes hex characters into out (size 2*nbytes+1, nbytes <= 64). */
void pw_random_hex(char *out, size_t nbytes);
/* t has the shape pw_random_hex(…, nbytes) gives (2*nbytes of 0-9a-f): a link token worth
 * looking up. */
bool pw_random_hex_ok(const char *t, size_t nbytes);
/* The stored form of a token or session id: hex BLAKE2b-256 (64 characters + NUL). */
void pw_token_hash(const char *token, char out[65]);

#endif
