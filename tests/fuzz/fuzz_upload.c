/* SPDX-License-Identifier: MIT */
/* libFuzzer: file uploads. The server takes no multipart/form-data (a cross-site form cannot
 * post to the API, api/app.c): an upload is the raw request body with ?filename=, typed by its
 * content. This target runs those checks: ticket attachments and public report photos
 * (ticket_blob_check), work-order, RMA and trip photos (wo_photo_check) and knowledge
 * attachments (kb_attach_check). Input: the first byte picks the check, then the filename up
 * to the first '\n' (none when the input has no '\n'), then the body. Must never crash or
 * leak; an accepted file has a known type matching its first bytes, a safe filename and a
 * SHA-256; a refusal names its field and reason. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/kb_attach.h"
#include "app/ticket_attach.h"
#include "app/wo_photos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool magic_ok(const char *mime, const uint8_t *p, size_t n)
{
    if (!strcmp(mime, "image/jpeg"))
        return n >= 3 && p[0] == 0xFF && p[1] == 0xD8;
    if (!strcmp(mime, "image/png"))
        return n >= 8 && p[0] == 0x89 && !memcmp(p + 1, "PNG", 3);
    if (!strcmp(mime, "image/gif"))
        return n >= 6 && !memcmp(p, "GIF8", 4);
    if (!strcmp(mime, "image/webp"))
        return n >= 12 && !memcmp(p + 8, "WEBP", 4);
    if (!strcmp(mime, "application/pdf"))
        return n >= 5 && !memcmp(p, "%PDF", 4);
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 16)
        return 0;
    int which = data[0] % 3;
    const uint8_t *nl = memchr(data + 1, '\n', size - 1);
    char *name = NULL;
    const uint8_t *body = data + 1;
    size_t n = size - 1;
    if (nl) {
        size_t len = (size_t)(nl - (data + 1));
        name = malloc(len + 1);
        memcpy(name, data + 1, len);
        name[len] = '\0';
        body = nl + 1;
        n = size - 1 - len - 1;
    }
    /* the body in its own allocation: a read past its end is caught */
    uint8_t *copy = malloc(n ? n : 1);
    if (n)
        memcpy(copy, body, n);
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct ticket_blob b;
    memset(&b, 0, sizeof(b));
    struct sh_err e;
    sh_err_clear(&e);
    enum sh_code rc;
    if (which == 0)
        rc = ticket_blob_check(&a, copy, n, name, 4096, &b, &e);
    else if (which == 1)
        rc = wo_photo_check(&a, copy, n, name, &b, &e);
    else
        rc = kb_attach_check(&a, copy, n, name, &b, &e);
    if (rc == SH_OK) {
        if (!b.mime || !magic_ok(b.mime, copy, n) || b.size != n || b.data != copy)
            abort();
        if (which == 1 && strncmp(b.mime, "image/", 6))
            abort(); /* work-order photos are images only */
        if (!b.filename || !*b.filename || strpbrk(b.filename, "/\\\"\r\n"))
            abort();
        if (!b.sha || strlen(b.sha) != 64 || strspn(b.sha, "0123456789abcdef") != 64)
            abort();
    } else if (e.code == SH_OK || !e.msg[0] || !e.field[0]) {
        abort(); /* a refusal names its field */
    } else if (which != 0 && !e.reason[0]) {
        abort(); /* and, on the routes with reasons, why */
    }
    sh_arena_release(&a);
    free(copy);
    free(name);
    return 0;
}
