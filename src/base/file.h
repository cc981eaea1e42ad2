/* SPDX-License-Identifier: MIT */
/* Files written whole or not at all. */
#ifndef SH_FILE_H
#define SH_FILE_H

#include <stddef.h>

#include "base/sh_err.h"

/* Writes n bytes to path through path.tmp<pid>, synced and renamed over path: a reader sees
 * the old file or the new one, never a part. A full disk is SH_UNAVAILABLE, reason disk_full. */
SH_WUR enum sh_code sh_file_write_atomic(const char *path, const void *p, size_t n,
                                         struct sh_err *e);

#endif
