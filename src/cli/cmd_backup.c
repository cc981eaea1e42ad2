/* SPDX-License-Identifier: MIT */
/* shouhou backup / shouhou restore (store/backup.h, docs/operations.md): one file holding the
 * database — a consistent SQLite snapshot taken while the server writes, or pg_dump's archive —
 * and every attachment under the data directory. Restore refuses a backup from a newer schema
 * and never overwrites a database unless told to (--force). */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "store/backup.h"
#include "store/migrate.h"

static const char usage_backup[] =
    "usage: shouhou backup --out FILE [--db URL] [--data-dir DIR] [--config FILE]\n"
    "  writes the database (a consistent snapshot, safe while the server runs; pg_dump for\n"
    "  PostgreSQL) and every attachment under DIR into FILE\n";
static const char usage_restore[] =
    "usage: shouhou restore --from FILE [--db URL] [--data-dir DIR] [--config FILE] [--force]\n"
    "  restores the database and the attachments of a backup; the server must be stopped;\n"
    "  --force replaces an existing database\n";

struct args {
    const char *db, *config, *data_dir, *file;
    bool force;
};

static int parse(int argc, char **argv, const char *usage, const char *file_opt, struct args *a)
{
    const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"config", required_argument, NULL, 'c'},
        {"data-dir", required_argument, NULL, 'D'},
        {file_opt, required_argument, NULL, 'f'},
        {"force", no_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof(*a));
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'd')
            a->db = optarg;
        else if (ch == 'c')
            a->config = optarg;
        else if (ch == 'D')
            a->data_dir = optarg;
        else if (ch == 'f')
            a->file = optarg;
        else if (ch == 'F')
            a->force = true;
        else if (ch == 'h')
            return fputs(usage, stdout), 0;
        else
            return fputs(usage, stderr), 2;
    }
    if (optind != argc || !a->file)
        return fputs(usage, stderr), 2;
    return -1;
}

/* Configuration with the command line's --db and --data-dir on top. */
static bool config(const struct args *a, struct sh_config *cfg)
{
    struct sh_err e;
    sh_err_clear(&e);
    if (!cli_config(a->config, cfg))
        return false;
    if ((a->db && config_set(cfg, "db", a->db, &e)) ||
        (a->data_dir && config_set(cfg, "data_dir", a->data_dir, &e))) {
        fprintf(stderr, "shouhou: %s\n", e.msg);
        return false;
    }
    return true;
}

static bool is_pg(const char *url)
{
    return !strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11);
}

static const char *sqlite_path(const char *url)
{
    return !strncmp(url, "sqlite:", 7) ? url + 7 : url;
}

struct probe {
    int version, tables;
};

static enum sh_code probe_fn(struct db_tx *tx, void *ctx, struct sh_err *e)
{
    struct probe *p = ctx;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows r;
    const char *sql = db_tx_dialect(tx) == DB_PG
                          ? "SELECT COUNT(*) AS n FROM information_schema.tables "
                            "WHERE table_schema = current_schema()"
                          : "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'";
    enum sh_code rc = db_query(tx, &a, sql, DB_NOP, &r, e);
    if (!rc)
        p->tables = (int)db_get_int(&r, 0, "n", 0);
    if (!rc && p->tables &&
        !(rc = db_query(tx, &a, "SELECT MAX(version) AS v FROM schema_migrations", DB_NOP, &r, e)))
        p->version = (int)db_get_int(&r, 0, "v", 0);
    sh_arena_release(&a);
    return rc;
}

/* The schema version and table count of the database at url, without migrating it. */
static bool probe(const char *url, struct probe *p)
{
    struct db_options o = {.migrate = false};
    struct db *db;
    struct sh_err e;
    sh_err_clear(&e);
    memset(p, 0, sizeof(*p));
    enum sh_code rc = db_open(url, &o, &db, &e);
    if (!rc) {
        rc = db_read(db, probe_fn, p, &e);
        db_close(db);
    }
    if (rc)
        fprintf(stderr, "shouhou: %s\n", e.msg);
    return !rc;
}

/* Adds data_dir/attachments/xx/<sha> files; *n counts them. */
static enum sh_code add_files(struct backup_file *bf, const char *data_dir, int *n,
                              struct sh_err *e)
{
    char dir[1024], rel[600];
    snprintf(dir, sizeof(dir), "%s/attachments", data_dir);
    DIR *top = opendir(dir);
    if (!top)
        return SH_OK; /* no attachment yet */
    enum sh_code rc = SH_OK;
    for (struct dirent *d; !rc && (d = readdir(top));) {
        char sub[1400];
        snprintf(sub, sizeof(sub), "%s/%s", dir, d->d_name);
        DIR *s = d->d_name[0] != '.' ? opendir(sub) : NULL;
        for (struct dirent *f; s && !rc && (f = readdir(s));) {
            snprintf(rel, sizeof(rel), "attachments/%s/%s", d->d_name, f->d_name);
            if (backup_path_ok(rel) && !(rc = backup_add_file(bf, data_dir, rel, e)))
                ++*n;
        }
        if (s)
            closedir(s);
    }
    closedir(top);
    return rc;
}

int cmd_backup(int argc, char **argv)
{
    struct args a;
    int prc = parse(argc, argv, usage_backup, "out", &a);
    struct sh_config cfg;
    if (prc >= 0)
        return prc;
    if (!config(&a, &cfg))
        return CLI_EXIT_CONFIG;
    struct probe p;
    if (!probe(cfg.db, &p))
        return 1;
    if (!p.version) {
        fprintf(stderr, "shouhou: the database has no Shouhou schema (run 'shouhou init')\n");
        return 1;
    }
    struct sh_err e;
    sh_err_clear(&e);
    struct backup_file *bf;
    int n = 0;
    char now[21];
    sh_ts_format(sh_now(), now);
    enum sh_code rc = is_pg(cfg.db) ? backup_begin_pg(cfg.db, a.file, &bf, &e)
                                    : backup_begin_sqlite(sqlite_path(cfg.db), a.file, &bf, &e);
    if (!rc && (rc = add_files(bf, cfg.data_dir, &n, &e)) != SH_OK)
        backup_abort(bf);
    else if (!rc)
        rc = backup_finish(bf, p.version, now, &e);
    if (rc) {
        fprintf(stderr, "shouhou: %s\n", e.msg);
        return 1;
    }
    printf("backup %s: schema version %d, %d attachment(s)\n", a.file, p.version, n);
    return 0;
}

/* Refuses what restore must not do: a newer schema, another database kind, a database in
 * place without --force. */
static bool restore_allowed(const struct args *a, const struct sh_config *cfg,
                            const struct backup_meta *m)
{
    if (m->schema_version > migrate_latest_version()) {
        fprintf(stderr,
                "shouhou: the backup has schema version %d, newer than this program's %d: "
                "restore it with the newer shouhou that wrote it\n",
                m->schema_version, migrate_latest_version());
        return false;
    }
    bool pg = !strcmp(m->dialect, "pg");
    if (pg != is_pg(cfg->db)) {
        fprintf(stderr, "shouhou: the backup is of a %s database; restore it into one (--db)\n",
                pg ? "PostgreSQL" : "SQLite");
        return false;
    }
    struct probe p = {0};
    bool exists = pg ? probe(cfg->db, &p) && p.tables > 0 : access(sqlite_path(cfg->db), F_OK) == 0;
    if (exists && !a->force) {
        fprintf(stderr, "shouhou: a database is already at the target: stop the server and "
                        "pass --force to replace it\n");
        return false;
    }
    return true;
}

int cmd_restore(int argc, char **argv)
{
    struct args a;
    int prc = parse(argc, argv, usage_restore, "from", &a);
    struct sh_config cfg;
    if (prc >= 0)
        return prc;
    if (!config(&a, &cfg))
        return CLI_EXIT_CONFIG;
    struct sh_err e;
    sh_err_clear(&e);
    struct backup_file *bf;
    struct backup_meta m;
    if (backup_open(a.file, &bf, &m, &e)) {
        fprintf(stderr, "shouhou: %s\n", e.msg);
        return 1;
    }
    int n = 0;
    enum sh_code rc = SH_OK;
    if (!restore_allowed(&a, &cfg, &m))
        rc = SH_CONFLICT;
    else if (!(rc = !strcmp(m.dialect, "pg") ? backup_restore_pg(bf, cfg.db, &e)
                                             : backup_restore_sqlite(bf, sqlite_path(cfg.db), &e)))
        rc = backup_restore_files(bf, cfg.data_dir, &n, &e);
    backup_close(bf);
    if (rc) {
        if (rc != SH_CONFLICT)
            fprintf(stderr, "shouhou: %s\n", e.msg);
        return 1;
    }
    printf("restored %s (taken %s, schema version %d): %d attachment(s)\n", a.file, m.created_at,
           m.schema_version, n);
    return 0;
}
