/* SPDX-License-Identifier: MIT */
/* Hashes, MACs and encodings of the channel signatures. SHA-256 and base64 come from
 * libsodium; SHA-1 (Aliyun's RPC signature v1 needs HMAC-SHA1, which libsodium lacks) is
 * the FIPS 180-4 algorithm, checked against its test vectors in tests/unit/notify. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "notify/notify.h"

static uint32_t rol(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static void sha1_block(uint32_t h[5], const unsigned char *p)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20)
            f = (b & c) | (~b & d), k = 0x5A827999;
        else if (i < 40)
            f = b ^ c ^ d, k = 0x6ED9EBA1;
        else if (i < 60)
            f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
        else
            f = b ^ c ^ d, k = 0xCA62C1D6;
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d, d = c, c = rol(b, 30), b = a, a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

void nt_sha1(const void *data, size_t n, unsigned char out[20])
{
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    const unsigned char *p = data;
    size_t i = 0;
    for (; i + 64 <= n; i += 64)
        sha1_block(h, p + i);
    unsigned char last[128] = {0};
    size_t rest = n - i;
    memcpy(last, p + i, rest);
    last[rest] = 0x80;
    size_t len = rest + 9 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)n * 8;
    for (int k = 0; k < 8; k++)
        last[len - 1 - k] = (unsigned char)(bits >> (8 * k));
    sha1_block(h, last);
    if (len == 128)
        sha1_block(h, last + 64);
    for (int k = 0; k < 5; k++) {
        out[4 * k] = (unsigned char)(h[k] >> 24);
        out[4 * k + 1] = (unsigned char)(h[k] >> 16);
        out[4 * k + 2] = (unsigned char)(h[k] >> 8);
        out[4 * k + 3] = (unsigned char)h[k];
    }
}

void nt_hmac_sha1(const void *key, size_t klen, const void *msg, size_t mlen, unsigned char out[20])
{
    unsigned char k[64] = {0}, ipad[64], opad[64], inner[20];
    if (klen > 64)
        nt_sha1(key, klen, k);
    else
        memcpy(k, key, klen);
    for (int i = 0; i < 64; i++)
        ipad[i] = k[i] ^ 0x36, opad[i] = k[i] ^ 0x5c;
    /* inner = SHA1(ipad || msg): hash in one buffer-free pass would need a streaming API;
     * messages here are small (a query string), so concatenate. */
    unsigned char *buf = malloc(64 + mlen + 1);
    if (!buf) {
        memset(out, 0, 20);
        return;
    }
    memcpy(buf, ipad, 64);
    memcpy(buf + 64, msg, mlen);
    nt_sha1(buf, 64 + mlen, inner);
    free(buf);
    unsigned char o[84];
    memcpy(o, opad, 64);
    memcpy(o + 64, inner, 20);
    nt_sha1(o, 84, out);
}

void nt_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
                    unsigned char out[32])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, klen);
    crypto_auth_hmacsha256_update(&st, msg, mlen);
    crypto_auth_hmacsha256_final(&st, out);
}

char *nt_hex(struct sh_arena *a, const unsigned char *p, size_t n)
{
    char *s = sh_arena_alloc(a, 2 * n + 1);
    if (s)
        sodium_bin2hex(s, 2 * n + 1, p, n);
    return s;
}

char *nt_sha256_hex(struct sh_arena *a, const char *s)
{
    unsigned char h[32];
    crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
    return nt_hex(a, h, 32);
}

char *nt_b64(struct sh_arena *a, const void *p, size_t n)
{
    size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *s = sh_arena_alloc(a, len);
    if (s)
        sodium_bin2base64(s, len, p, n, sodium_base64_VARIANT_ORIGINAL);
    return s;
}

char *nt_pct(struct sh_arena *a, const char *s)
{
    size_t n = strlen(s);
    char *o = sh_arena_alloc(a, 3 * n + 1), *q = o;
    if (!o)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            *q++ = (char)*p;
        } else {
            static const char hx[] = "0123456789ABCDEF";
            *q++ = '%';
            *q++ = hx[*p >> 4];
            *q++ = hx[*p & 15];
        }
    }
    *q = 0;
    return o;
}
