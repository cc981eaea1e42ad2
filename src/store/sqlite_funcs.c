/* SPDX-License-Identifier: MIT */
#include "store/sqlite_funcs.h"

#include "base/bigram.h"

static void pairs(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *s = sqlite3_value_text(argv[0]);
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    if (sh_bigrams(s ? (const char *)s : "", &b) != SH_OK) {
        sh_buf_release(&b);
        sqlite3_result_error(ctx, "sh_pairs: text too long", -1);
        return;
    }
    sqlite3_result_text(ctx, b.buf, (int)b.len, SQLITE_TRANSIENT);
    sh_buf_release(&b);
}

int sqlite_register_pairs(sqlite3 *h)
{
    return sqlite3_create_function(h, "sh_pairs", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                   pairs, NULL, NULL);
}
