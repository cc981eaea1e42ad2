/* SPDX-License-Identifier: MIT */
/* csv: an RFC 4180 reader (quoted fields with embedded commas, quotes and line
 * breaks; CRLF or LF line ends; a leading UTF-8 byte-order mark is skipped) and
 * the encoding helpers the CSV import needs (UTF-8 check, iconv conversion).
 *
 *     struct csv r;
 *     csv_init(&r, text, len);
 *     struct csv_row row;
 *     bool done;
 *     while (!(rc = csv_next(&r, a, &row, &done, e)) && !done)
 *         ... row.fields[0 .. row.nfields-1], row.line ...
 */
#ifndef SH_CSV_H
#define SH_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/sh_arena.h"
#include "base/sh_buf.h"
#include "base/sh_err.h"

#define CSV_MAX_FIELDS 512       /* fields in one record */
#define CSV_MAX_FIELD  (1 << 20) /* bytes in one field */

struct csv {
    const char *p, *end;
    int line; /* physical line of p (1-based) */
};

struct csv_row {
    int line; /* physical line the record starts on */
    int nfields;
    const char **fields; /* NUL-terminated copies in the caller's arena */
};

/* Starts reading text[0..len) (not copied: it must outlive the reader). */
void csv_init(struct csv *r, const char *text, size_t len);
/* Reads the next record. *done is set (and row left empty) at the end of the
 * text. Records that are one empty field (blank lines) are skipped. A quote
 * inside an unquoted field is kept as text; a quoted field followed by anything
 * but a comma or line end, or left unterminated, is SH_INVALID naming the line. */
SH_WUR enum sh_code csv_next(struct csv *r, struct sh_arena *a, struct csv_row *row, bool *done,
                             struct sh_err *e);

/* True when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool csv_is_utf8(const char *s, size_t n);
/* Converts s[0..n) from encoding `from` ("utf-8", "gb18030" or "auto": UTF-8
 * when it is valid UTF-8, else GB18030) to UTF-8. *out is malloc'd and
 * NUL-terminated (free() it); *outn its length; *used (may be NULL) names the
 * encoding that was read. Invalid input is SH_INVALID naming the byte offset. */
SH_WUR enum sh_code csv_to_utf8(const char *s, size_t n, const char *from, char **out, size_t *outn,
                                const char **used, struct sh_err *e);

/* True when a spreadsheet could read text v as a formula: it begins with = + - @, a
 * tab or a carriage return, and the whole of it is not a plain number. */
bool csv_formula_risk(const char *v);
/* Appends v as one CSV field: quoted when needed, and prefixed with ' inside the quotes
 * when csv_formula_risk (spreadsheet formula injection). */
SH_WUR enum sh_code csv_write_cell(struct sh_buf *b, const char *v);

#endif
