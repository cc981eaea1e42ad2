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

/* review 69 M4: the stored name keeps no direction or format character, and its extension
 * is the detected type's */
static void names(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"invoice\xe2\x80\xae"
         "fdp.bat",
         "invoicefdp.png"},
        {"\xe2\x81\xa6"
         "a\xe2\x80\x8f"
         "b.PNG",
         "ab.PNG"},
        {" x.html. ", "x.png"},
        {"noext", "noext.png"},
        {"\xe2\x80\xae", "attachment.png"},
        {"bad\xff"
         "byte.png",
         "bad_byte.png"},
        {"c1\xc2\x85.png", "c1.png"},
    };
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct ticket_blob b;
    struct sh_err e;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sh_err_clear(&e);
        assert_int_equal(kb_attach_check(&a, png, sizeof(png), cases[i][0], &b, &e), SH_OK);
        assert_string_equal(b.filename, cases[i][1]);
    }
    sh_err_clear(&e);
    assert_int_equal(kb_attach_check(&a, "%PDF-1.4", 8, "a.jpg", &b, &e), SH_OK);
    assert_string_equal(b.filename, "a.pdf");
    sh_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(photo_reasons),
        cmocka_unit_test(kb_reasons),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
