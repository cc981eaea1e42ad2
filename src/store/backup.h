/* SPDX-License-Identifier: MIT */
/* Backups (`shouhou backup`, `shouhou restore`, docs/operations.md). A backup is one file,
 * itself a SQLite database, whichever database the server runs on:
 *   shouhou_backup_meta (key, value)          format, dialect, schema_version, created_at
 *   shouhou_backup_files (path, sha256, data) every attachment, path relative to data_dir
 *   shouhou_backup_dump (data)                PostgreSQL only: pg_dump's custom archive
 * For SQLite the file is an online-backup snapshot of the database (one consistent read
 * while the server goes on writing) with those tables added beside the application's. */
#ifndef SH_STORE_BACKUP_H
#define SH_STORE_BACKUP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_err.h"

#define BACKUP_FORMAT 1

struct backup_meta {
    int format;
    char dialect[16]; /* "sqlite" or "pg" */
    int schema_version;
    char created_at[32];
};

struct backup_file; /* an open backup being written or read */

/* Starts OUT (written as OUT.tmp, renamed by backup_finish): from a consistent snapshot of
 * the SQLite database at db_path, or from `pg_dump` of dsn. */
SH_WUR enum sh_code backup_begin_sqlite(const char *db_path, const char *out,
                                        struct backup_file **bf, struct sh_err *e);
SH_WUR enum sh_code backup_begin_pg(const char *dsn, const char *out, struct backup_file **bf,
                                    struct sh_err *e);
/* Adds one attachment file (rel: its path under data_dir). */
SH_WUR enum sh_code backup_add_file(struct backup_file *bf, const char *data_dir, const char *rel,
                                    struct sh_err *e);
/* Writes the meta rows, closes, and renames OUT.tmp to OUT; frees bf either way. */
SH_WUR enum sh_code backup_finish(struct backup_file *bf, int schema_version, const char *now,
                                  struct sh_err *e);
void backup_abort(struct backup_file *bf);

/* Opens a backup for reading and reads its meta rows. */
SH_WUR enum sh_code backup_open(const char *path, struct backup_file **bf, struct backup_meta *m,
                                struct sh_err *e);
/* Restores the database: a SQLite copy at db_path (without the backup tables; db_path must not
 * be in use), or `pg_restore` into dsn. */
SH_WUR enum sh_code backup_restore_sqlite(struct backup_file *bf, const char *db_path,
                                          struct sh_err *e);
SH_WUR enum sh_code backup_restore_pg(struct backup_file *bf, const char *dsn, struct sh_err *e);
/* Writes every attachment under data_dir, each checked against its SHA-256; *n counts them. */
SH_WUR enum sh_code backup_restore_files(struct backup_file *bf, const char *data_dir, int *n,
                                         struct sh_err *e);
void backup_close(struct backup_file *bf);

/* True for the attachment paths a backup holds: attachments/xx/<64 hex>. */
bool backup_path_ok(const char *rel);

#endif
