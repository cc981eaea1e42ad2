/* SPDX-License-Identifier: MIT */
#include "domain/upload_name.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "domain/text_chars.h"

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
        size_t n = text_utf8_next(p, &cp);
        if (!n) {
            *q++ = '_';
            p++;
            continue;
        }
        if (!text_invisible(cp) && !(q == out && cp == ' ')) {
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
