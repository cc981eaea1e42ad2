/* SPDX-License-Identifier: MIT */
/* A mainland China phone number, as the QR report's reporter types it (review 69 M2): the
 * number a text message with the status link goes to. Pure: no I/O. */
#ifndef SH_DOMAIN_PHONE_H
#define SH_DOMAIN_PHONE_H

#include <stdbool.h>

/* s is a mobile number 1[3-9]xxxxxxxxx (11 digits) or a landline with its area code
 * (0 and 2–3 digits, then 7–8 digits: 010-69156114, 0571 8888 1234), optionally after +86
 * or 86 (then the area code without its 0: +86 10 69156114); single spaces and hyphens
 * between digits are allowed. Anything else (letters, foreign or
 * premium ranges, short numbers) is not. */
bool phone_cn_valid(const char *s);

#endif
