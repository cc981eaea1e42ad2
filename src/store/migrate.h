/* SPDX-License-Identifier: MIT */
/* Versioned migrations: files NNNN_name.sql under store/migrations/{common,sqlite,pg}/,
 * embedded at build time. Version N applies common/NNNN_* then the dialect's NNNN_*,
 * all pending versions in one transaction. In common files `{{ID}}` expands to the
 * dialect's auto-increment primary key. */
#ifndef SH_MIGRATE_H
#define SH_MIGRATE_H

struct migration_file {
    const char *name; /* e.g. "common/0001_init.sql" */
    const char *sql;
};

extern const struct migration_file migration_files[];

/* The newest version this program knows (its highest NNNN). */
int migrate_latest_version(void);

#endif
