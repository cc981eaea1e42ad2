/* SPDX-License-Identifier: MIT */
/* The checks of an uploaded file (tests/fuzz/fuzz_upload.c runs them on any input): every
 * refusal names its field and, on the photo and knowledge routes, its reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "app/kb_attach.h"
#include "app/wo_photos.h"

static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

static void photo_reasons(void **state)
{
    (void)state;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct ticket_blob b;
    struct sh_err e;
    sh_err_clear(&e);
    assert_int_equal(wo_photo_check(&a, png, sizeof(png), "a.png", &b, &e), SH_OK);
    assert_string_equal(b.mime, "image/png");
    assert_string_equal(b.filename, "a.png");

    sh_err_clear(&e);
    assert_int_equal(wo_photo_check(&a, png, sizeof(png), "a\x01.png", &b, &e), SH_INVALID);
    assert_string_equal(e.field, "filename");
    assert_string_equal(e.reason, "invalid_format");

    sh_err_clear(&e);
    assert_int_equal(wo_photo_check(&a, png, 0, NULL, &b, &e), SH_INVALID);
    assert_string_equal(e.field, "file");
    assert_string_equal(e.reason, "required");

    sh_err_clear(&e);
    assert_int_equal(wo_photo_check(&a, "%PDF-1.4", 8, NULL, &b, &e), SH_INVALID);
    assert_string_equal(e.field, "file");
    assert_string_equal(e.reason, "unsupported_media_type");
    sh_arena_release(&a);
}

static void kb_reasons(void **state)
{
    (void)state;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct ticket_blob b;
    struct sh_err e;
    sh_err_clear(&e);
    assert_int_equal(kb_attach_check(&a, "%PDF-1.4", 8, NULL, &b, &e), SH_OK);
    assert_string_equal(b.filename, "attachment.pdf");
    sh_err_clear(&e);
    assert_int_equal(kb_attach_check(&a, png, sizeof(png), "x/y.png", &b, &e), SH_INVALID);
    assert_string_equal(e.field, "filename");
    assert_string_equal(e.reason, "invalid_format");
    sh_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(photo_reasons),
        cmocka_unit_test(kb_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
