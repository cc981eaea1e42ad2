/* SPDX-License-Identifier: MIT */
/* SQL functions for tools that write an SQLite database directly (bulk loaders):
 * sh_pairs(text) is base/bigram.c's character-pair text, so a loader can fill
 * search_bi with one UPDATE. */
#ifndef SH_SQLITE_FUNCS_H
#define SH_SQLITE_FUNCS_H

#include <sqlite3.h>

/* Registers sh_pairs() on h; returns an SQLite result code. */
int sqlite_register_pairs(sqlite3 *h);

#endif
