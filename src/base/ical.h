/* SPDX-License-Identifier: MIT */
/* Writing iCalendar (RFC 5545) content lines: CRLF endings, lines folded at 75 octets (a
 * CRLF and a space, never inside a UTF-8 sequence), TEXT values escaped (\\ \; \, \n), times
 * in UTC with Z. */
#ifndef SH_BASE_ICAL_H
#define SH_BASE_ICAL_H

#include <stdint.h>

#include "base/sh_buf.h"

/* "NAME:VALUE" as it is (the value already in its form), folded, CRLF. */
SH_WUR enum sh_code ical_line(struct sh_buf *b, const char *name, const char *value);
/* "NAME:TEXT" with text escaped. */
SH_WUR enum sh_code ical_text(struct sh_buf *b, const char *name, const char *text);
/* "NAME:YYYYMMDDTHHMMSSZ" of a unix time. */
SH_WUR enum sh_code ical_time(struct sh_buf *b, const char *name, int64_t t);

#endif
