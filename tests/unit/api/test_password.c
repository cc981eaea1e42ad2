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
    /* the parameter part ("$argon2id$v=19$m=…,t=…,p=1$") is the same as a real hash's */
    size_t n = (size_t)(strrchr(real, '$') - real);
    n = (size_t)((const char *)memrchr(real, '$', n) - real) + 1;
    assert_memory_equal(d, real, n);
    assert_string_equal(pw_dummy_hash(), d);
    bool ok = true;
    assert_int_equal(pw_verify(NULL, "", &ok, &e), SH_OK);
    assert_false(ok);
    assert_int_equal(crypto_pwhash_str_verify(d, "x", 1), -1);
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
        cmocka_unit_test(tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
