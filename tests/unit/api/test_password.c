/* SPDX-License-Identifier: MIT */
/* Password hashing (argon2id) and token hashing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "api/api.h"
#include "app/passwords.h"
#include "base/config.h"

static void argon2id_round_trip(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    char hash[128];
    struct sh_err e;
    assert_int_equal(auth_password_hash("correct horse 电池", hash, &e), SH_OK);
    assert_true(!strncmp(hash, "$argon2id$", 10));
    assert_true(auth_password_verify(hash, "correct horse 电池"));
    assert_false(auth_password_verify(hash, "correct horse 电"));
    assert_false(auth_password_verify(hash, ""));
    char hash2[128];
    assert_int_equal(auth_password_hash("correct horse 电池", hash2, &e), SH_OK);
    assert_string_not_equal(hash, hash2); /* salted */
    assert_false(auth_password_verify("not a hash", "x"));
}

/* The "$argon2id$v=19$m=…,t=…,p=1$" part of a hash. */
static void params_of(const char *hash, char *out, size_t cap)
{
    size_t n = (size_t)(strrchr(hash, '$') - hash);
    n = (size_t)((const char *)memrchr(hash, '$', n) - hash) + 1;
    assert_true(n < cap);
    memcpy(out, hash, n);
    out[n] = '\0';
}

/* The dummy an unknown user is checked against is assembled, not hashed: it must still be a
 * valid argon2id string with exactly the parameters of a real hash (same cost to verify),
 * stable across calls, and never match. */
static void dummy_hash(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    const char *d = pw_dummy_hash();
    assert_true(!strncmp(d, "$argon2id$v=19$", 15));
    assert_int_equal(crypto_pwhash_str_needs_rehash(d, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                    crypto_pwhash_MEMLIMIT_INTERACTIVE),
                     0);
    char real[128];
    struct sh_err e;
    assert_int_equal(pw_hash("x", real, &e), SH_OK);
    /* the parameter part is the same as a real hash's */
    char pd[64], pr[64];
    params_of(d, pd, sizeof(pd));
    params_of(real, pr, sizeof(pr));
    assert_string_equal(pd, pr);
    assert_string_equal(pw_dummy_hash(), d);
    bool ok = true;
    assert_int_equal(pw_verify(NULL, "", &ok, &e), SH_OK);
    assert_false(ok);
    assert_int_equal(crypto_pwhash_str_verify(d, "x", 1), -1);
}

/* password_hash_memory_mib: 64 by default (libsodium's INTERACTIVE), at least OWASP's 19;
 * new hashes and the dummy follow it, and a hash made under another setting still verifies. */
static void memory_setting(void **state)
{
    (void)state;
    struct sh_config c;
    struct sh_err e;
    config_defaults(&c);
    assert_int_equal(c.password_hash_memory_mib, 64);
    sh_err_clear(&e);
    assert_int_equal(config_set(&c, "password_hash_memory_mib", "18", &e), SH_INVALID);
    assert_int_equal(config_set(&c, "password_hash_memory_mib", "1025", &e), SH_INVALID);
    assert_int_equal(config_set(&c, "password_hash_memory_mib", "19", &e), SH_OK);
    assert_int_equal(c.password_hash_memory_mib, 19);

    char small[128], big[128], p[64];
    pw_cost_configure(c.password_hash_memory_mib);
    assert_int_equal(pw_hash("电池 horse", small, &e), SH_OK);
    params_of(small, p, sizeof(p));
    assert_string_equal(p, "$argon2id$v=19$m=19456,t=2,p=1$");
    params_of(pw_dummy_hash(), p, sizeof(p));
    assert_string_equal(p, "$argon2id$v=19$m=19456,t=2,p=1$");

    pw_cost_configure(0);
    assert_int_equal(pw_hash("电池 horse", big, &e), SH_OK);
    params_of(big, p, sizeof(p));
    assert_string_equal(p, "$argon2id$v=19$m=65536,t=2,p=1$");
    params_of(pw_dummy_hash(), p, sizeof(p));
    assert_string_equal(p, "$argon2id$v=19$m=65536,t=2,p=1$");
    bool ok = false;
    assert_int_equal(pw_verify(small, "电池 horse", &ok, &e), SH_OK);
    assert_true(ok);
    assert_int_equal(pw_verify(small, "电池 hors", &ok, &e), SH_OK);
    assert_false(ok);
    /* a hash of another cost (or an argon2i one) is made again at sign-in; today's is not */
    assert_true(pw_needs_rehash(small));
    assert_false(pw_needs_rehash(big));
    assert_true(pw_needs_rehash("$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$"
                                "RdescudvJCsgt3ub+b+dWRWJTmaaJObG"));
}

static void tokens(void **state)
{
    (void)state;
    char a[65], b[65], h1[65], h2[65];
    auth_random_hex(a, 32);
    auth_random_hex(b, 32);
    assert_int_equal(strlen(a), 64);
    assert_string_not_equal(a, b);
    auth_token_hash(a, h1);
    auth_token_hash(a, h2);
    assert_string_equal(h1, h2);
    auth_token_hash(b, h2);
    assert_string_not_equal(h1, h2);
    assert_int_equal(strlen(h1), 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(argon2id_round_trip),
        cmocka_unit_test(dummy_hash),
        cmocka_unit_test(memory_setting),
        cmocka_unit_test(tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
