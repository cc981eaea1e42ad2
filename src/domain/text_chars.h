/* SPDX-License-Identifier: MIT */
/* Characters of user text seen one code point at a time: UTF-8 decoding and the characters
 * that change how a text is shown without being seen. Pure: no I/O. Used by upload names
 * (domain/upload_name.h) and part codes (domain/parts.h). */
#ifndef SH_DOMAIN_TEXT_CHARS_H
#define SH_DOMAIN_TEXT_CHARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The length of the UTF-8 sequence at p (its code point in *cp); 0 when it is not valid
 * (overlong, surrogate, beyond U+10FFFF, cut short). p points at a NUL-terminated string. */
size_t text_utf8_next(const unsigned char *p, uint32_t *cp);

/* A control character (C0, DEL, C1) or a Unicode format, direction or zero-width character:
 * U+061C, U+180E, U+200B–U+200F, U+202A–U+202E, U+2060–U+206F, U+FEFF, U+FFF9–U+FFFB. */
bool text_invisible(uint32_t cp);

#endif
