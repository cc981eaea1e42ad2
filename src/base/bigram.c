/* SPDX-License-Identifier: MIT */
#include "base/bigram.h"

#include <stdint.h>
#include <string.h>

/* Decodes one UTF-8 character at s (valid input: jansson and SQLite give valid UTF-8);
 * returns its length, 0 at the end. */
static size_t next(const char *s, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!p[0])
        return 0;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : 2;
    uint32_t v = p[0] & (0x3Fu >> (n - 1));
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return i;
        }
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    *cp = v;
    return n;
}

static bool word(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c >= 0x2000 && c <= 0x206F) /* general punctuation: —“”… */
        return false;
    if (c >= 0x3000 && c <= 0x303F) /* CJK symbols and punctuation: 、。「」 */
        return false;
    if (c >= 0xFF00 && c <= 0xFF65) /* full-width forms: only digits and letters are words */
        return (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
               (c >= 0xFF41 && c <= 0xFF5A);
    return true;
}

static enum sh_code put(struct sh_buf *out, const char *s, size_t n, uint32_t cp)
{
    if (cp < 0x80) {
        char lc = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        return sh_buf_addc(out, lc);
    }
    return sh_buf_add(out, s, n);
}

enum sh_code sh_bigrams(const char *s, struct sh_buf *out)
{
    const char *prev = NULL;
    size_t prevn = 0;
    uint32_t prevc = 0;
    enum sh_code rc = SH_OK;
    for (;;) {
        uint32_t c = 0;
        size_t n = next(s, &c);
        bool w = n && word(c);
        if (prev && w) {
            /* a pair: previous and this character */
            rc = put(out, prev, prevn, prevc);
            if (!rc)
                rc = put(out, s, n, c);
            if (!rc)
                rc = sh_buf_addc(out, ' ');
        } else if (prev) {
            /* the run's last character alone, for one-character terms */
            rc = put(out, prev, prevn, prevc);
            if (!rc)
                rc = sh_buf_addc(out, ' ');
        }
        if (rc || !n)
            return rc;
        if (w) {
            prev = s;
            prevn = n;
            prevc = c;
        } else {
            prev = NULL;
        }
        s += n;
    }
}

bool sh_bigram_term_ok(const char *term)
{
    uint32_t c;
    size_t n;
    if (!*term)
        return false;
    while ((n = next(term, &c)) > 0) {
        if (!word(c))
            return false;
        term += n;
    }
    return true;
}
