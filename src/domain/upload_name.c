/* SPDX-License-Identifier: MIT */
#include "domain/upload_name.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

const char *upload_ext_of_mime(const char *mime)
{
    static const char *const map[][2] = {{"image/jpeg", "jpg"},
                                         {"image/png", "png"},
                                         {"image/gif", "gif"},
                                         {"image/webp", "webp"},
                                         {"application/pdf", "pdf"}};
    for (size_t i = 0; mime && i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(mime, map[i][0]))
            return map[i][1];
    return NULL;
}

/* Characters that change how a name is shown without being seen (format, direction,
 * zero-width) or that are controls. */
static bool invisible(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x180e ||
           (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

/* The length of the UTF-8 sequence at p (its code point in *cp), 0 when it is not valid. */
static size_t utf8_next(const unsigned char *p, uint32_t *cp)
{
    size_t n;
    uint32_t c, min;
    if (p[0] < 0x80)
        return *cp = p[0], 1;
    if ((p[0] & 0xe0) == 0xc0)
        n = 2, c = p[0] & 0x1f, min = 0x80;
    else if ((p[0] & 0xf0) == 0xe0)
        n = 3, c = p[0] & 0x0f, min = 0x800;
    else if ((p[0] & 0xf8) == 0xf0)
        n = 4, c = p[0] & 0x07, min = 0x10000;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (p[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    return *cp = c, n;
}

static bool ext_names(const char *dot, const char *ext)
{
    if (!strcasecmp(dot, ext))
        return true;
    return !strcmp(ext, "jpg") && !strcasecmp(dot, "jpeg");
}

char *upload_name(struct sh_arena *a, const char *name, const char *ext)
{
    size_t len = name ? strlen(name) : 0;
    char *out = sh_arena_alloc(a, len + strlen(ext) + 16), *q = out;
    for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p;) {
        uint32_t cp;
        size_t n = utf8_next(p, &cp);
        if (!n) {
            *q++ = '_';
            p++;
            continue;
        }
        if (!invisible(cp) && !(q == out && cp == ' ')) {
            memcpy(q, p, n);
            q += n;
        }
        p += n;
    }
    while (q > out && (q[-1] == ' ' || q[-1] == '.'))
        q--;
    *q = '\0';
    char *dot = strrchr(out, '.');
    if (dot && dot > out && ext_names(dot + 1, ext))
        return out;
    if (dot && dot > out)
        q = dot;
    if (q == out) {
        memcpy(out, "attachment", 10);
        q = out + 10;
    }
    *q++ = '.';
    memcpy(q, ext, strlen(ext) + 1);
    return out;
}
