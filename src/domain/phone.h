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
/* A phone number of any country as staff type it in a record (a contact's, a site's): 5 to 20
 * digits, with only + - ( ) and spaces beside them. The entity engine checks every column
 * declared COL_PHONE with it. */
bool phone_any_valid(const char *s);

/* Phones are stored as typed and compared by this key (review 69): a mainland mobile is its
 * 11 digits, a landline its digits with the area code's 0 (028-42426514 → 02842426514);
 * spaces and hyphens go, and so does a +86, 0086 or (as phone_cn_valid reads it) 86 prefix
 * (+86 10 69156114 → 01069156114). Another country's number keeps its + and digits; text
 * that is no number (letters, brackets) is its own key. Writes into out and returns it. */
#define PHONE_KEY_MAX 48
const char *phone_cn_key(const char *s, char out[PHONE_KEY_MAX]);
/* a and b are the same number (both non-empty, the same key) */
bool phone_cn_same(const char *a, const char *b);
/* The spellings of key (phone_cn_key) without separators that have that key: key, +86,
 * 0086 and 86 before the national number. For SQL over stored numbers: a stored phone with
 * its spaces and hyphens removed is one of them exactly when its key is key. */
#define PHONE_SPELLINGS 4
void phone_cn_spellings(const char *key, char out[PHONE_SPELLINGS][PHONE_KEY_MAX + 4]);

#endif
