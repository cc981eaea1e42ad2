/* SPDX-License-Identifier: MIT */
/* The name an uploaded file is stored and served under (review 69 M4). Every upload is typed
 * by its content (JPEG, PNG, GIF, WebP, PDF), and the name the uploader typed is only a
 * label: it keeps no invisible or direction-changing character, and its extension is the
 * detected type's. Pure: no I/O. */
#ifndef SH_DOMAIN_UPLOAD_NAME_H
#define SH_DOMAIN_UPLOAD_NAME_H

#include "base/sh_arena.h"

/* The file extension of a detected type ("image/gif" → "gif"); NULL for another type. */
const char *upload_ext_of_mime(const char *mime);

/* name cleaned for the type whose extension is ext (upload_ext_of_mime):
 * - control characters (C0, DEL, C1) and Unicode format and direction characters are
 *   dropped: U+061C, U+180E, U+200B–U+200F, U+202A–U+202E, U+2060–U+206F, U+FEFF,
 *   U+FFF9–U+FFFB; invalid UTF-8 bytes become '_';
 * - leading spaces and trailing spaces and dots are trimmed (Windows drops those);
 * - the extension after the last '.' is kept when it names the type (case aside; "jpeg" for
 *   a JPEG too), replaced otherwise ("x.bat" → "x.gif"), appended when there is none;
 * - nothing left of the name → "attachment.<ext>" (also for a NULL name).
 * Allocated in a. */
char *upload_name(struct sh_arena *a, const char *name, const char *ext);

#endif
