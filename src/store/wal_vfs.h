/* SPDX-License-Identifier: MIT */
/* A VFS that gathers the WAL frames of a commit into one write (see wal_vfs.c). */
#ifndef SH_WAL_VFS_H
#define SH_WAL_VFS_H

#include <sqlite3.h>

#define SH_WAL_VFS "shouhou-wal"

/* Registers the VFS (not as the default) over the default one; call once, before any
 * connection uses it. Returns an SQLite result code. */
int wal_vfs_register(void);

#endif
