/* SPDX-License-Identifier: MIT */
/* Character-pair text for searching one- and two-character terms (the trigram indexes
 * need three). "设备漏水 KIT-HD" becomes "设备 备漏 漏水 水 ki it t hd d": every pair of
 * adjacent word characters, and each run's last character alone, lower-cased ASCII.
 * Word characters are ASCII letters and digits and every non-ASCII character outside
 * CJK punctuation and full-width forms punctuation. */
#ifndef SH_BIGRAM_H
#define SH_BIGRAM_H

#include <stdbool.h>

#include "base/sh_buf.h"

/* Appends the pair text of s to out. */
SH_WUR enum sh_code sh_bigrams(const char *s, struct sh_buf *out);
/* True when every character of term is a word character (the pair index can answer it). */
bool sh_bigram_term_ok(const char *term);

#endif
