/* SPDX-License-Identifier: MIT */
/* libFuzzer: the CSV import's reading — encoding detection and conversion (UTF-8 or
 * GB18030) then every record. Must never crash or leak; converted text is valid UTF-8 and
 * every field stays within the reader's limits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    char *text = NULL;
    size_t n = 0;
    const char *used = NULL;
    struct sh_err e;
    sh_err_clear(&e);
    if (csv_to_utf8((const char *)data, size, "auto", &text, &n, &used, &e) != SH_OK)
        return 0;
    if (!csv_is_utf8(text, n))
        abort(); /* the conversion's output must be UTF-8 */
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct csv r;
    csv_init(&r, text, n);
    struct csv_row row;
    bool done = false;
    int last = 0;
    while (csv_next(&r, &a, &row, &done, &e) == SH_OK && !done) {
        if (row.nfields < 1 || row.nfields > CSV_MAX_FIELDS || row.line < last)
            abort();
        for (int i = 0; i < row.nfields; i++)
            if (!row.fields[i] || strlen(row.fields[i]) > CSV_MAX_FIELD)
                abort();
        last = row.line;
    }
    sh_arena_release(&a);
    free(text);
    return 0;
}
