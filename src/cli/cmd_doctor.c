/* SPDX-License-Identifier: MIT */
/* shouhou doctor (issue 16 item 6): checks what a running server needs — the configuration,
 * the database and its schema version, free disk space, the fonts of the PDFs, the e-mail
 * channel's SMTP server, the clock —
 * and prints one line per check, ok / warn / fail. Exit status 1 when any check fails. It
 * changes nothing: the database is opened without migrating. */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "app/notifications.h"
#include "base/date.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "docs/report_pdf.h"
#include "store/migrate.h"

static const char usage[] = "usage: shouhou doctor [--db URL] [--config FILE]\n"
                            "  checks configuration, database and schema version, disk space,\n"
                            "  PDF fonts, the e-mail server and the clock; one line each:\n"
                            "  ok, warn or fail\n";

enum level { OK, WARN, FAIL };

struct doctor {
    int fails, warns;
};

static void line(struct doctor *d, enum level l, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void line(struct doctor *d, enum level l, const char *what, const char *fmt, ...)
{
    static const char *const tag[] = {"ok  ", "warn", "fail"};
    printf("%s  %-9s ", tag[l], what);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    d->fails += l == FAIL;
    d->warns += l == WARN;
}

struct db_facts {
    int version;
    int64_t server_now; /* PostgreSQL's clock, s; 0 for SQLite */
    bool mail_read, mail_on;
    char mail_config[600], mail_secret[600]; /* the e-mail channel's settings, when read */
};

/* The e-mail channel's settings, read only from a database of this program's schema. */
static enum sh_code mail_facts(struct db_tx *tx, struct sh_arena *a, struct db_facts *f,
                               struct sh_err *e)
{
    struct uc u = {.tx = tx, .a = a};
    struct notify_channel ch[5];
    int n = 0;
    enum sh_code rc = uc_notify_channels(&u, ch, &n, e);
    for (int i = 0; !rc && i < n; i++)
        if (!strcmp(ch[i].channel, "email")) {
            f->mail_read = true;
            f->mail_on = ch[i].enabled;
            snprintf(f->mail_config, sizeof(f->mail_config), "%s",
                     ch[i].config ? ch[i].config : "{}");
            snprintf(f->mail_secret, sizeof(f->mail_secret), "%s",
                     ch[i].secret ? ch[i].secret : "");
        }
    return rc;
}

static enum sh_code facts_fn(struct db_tx *tx, void *ctx, struct sh_err *e)
{
    struct db_facts *f = ctx;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, &a, "SELECT MAX(version) AS v FROM schema_migrations", DB_NOP, &r, e);
    if (!rc)
        f->version = (int)db_get_int(&r, 0, "v", 0);
    if (!rc && db_tx_dialect(tx) == DB_PG &&
        !(rc = db_query(tx, &a, "SELECT FLOOR(EXTRACT(EPOCH FROM clock_timestamp()))::bigint AS t",
                        DB_NOP, &r, e)))
        f->server_now = db_get_int(&r, 0, "t", 0);
    if (!rc && f->version == migrate_latest_version())
        rc = mail_facts(tx, &a, f, e);
    sh_arena_release(&a);
    return rc;
}

static void check_db(struct doctor *d, const char *url, struct db_facts *f)
{
    const char *path = !strncmp(url, "sqlite:", 7) ? url + 7 : url;
    bool pg = !strncmp(url, "postgres", 8);
    if (!pg && access(path, R_OK | W_OK) != 0) {
        line(d, FAIL, "database", "no database at '%s' (run 'shouhou init')", path);
        return;
    }
    struct db_options o = {.migrate = false};
    struct db *db;
    struct sh_err e;
    sh_err_clear(&e);
    if (db_open(url, &o, &db, &e) || db_read(db, facts_fn, f, &e)) {
        line(d, FAIL, "database", "%s", e.msg);
        return;
    }
    db_close(db);
    int latest = migrate_latest_version();
    if (f->version > latest)
        line(d, FAIL, "schema", "version %d is newer than this program's %d: run the newer shouhou",
             f->version, latest);
    else if (f->version < latest)
        line(d, WARN, "schema", "version %d of %d: run 'shouhou migrate' (serve migrates at start)",
             f->version, latest);
    else
        line(d, OK, "schema", "version %d of %d (%s)", f->version, latest,
             pg ? "PostgreSQL" : "SQLite");
}

/* Free space where dir lives (its parent when it does not exist yet). */
static void check_disk(struct doctor *d, const char *what, const char *dir)
{
    struct statvfs s;
    char parent[1024];
    snprintf(parent, sizeof(parent), "%s", dir);
    while (statvfs(parent, &s) != 0) {
        char *slash = strrchr(parent, '/');
        if (!slash || slash == parent) {
            snprintf(parent, sizeof(parent), "%s", slash ? "/" : ".");
            if (statvfs(parent, &s) != 0) {
                line(d, FAIL, what, "cannot read the file system of '%s'", dir);
                return;
            }
            break;
        }
        *slash = 0;
    }
    uint64_t mb = (uint64_t)s.f_bavail * s.f_frsize >> 20;
    enum level l = mb < 100 ? FAIL : mb < 1024 ? WARN : OK;
    line(d, l, what, "%" PRIu64 " MB free for '%s'%s", mb, dir,
         l == OK ? "" : " (warn below 1024 MB, fail below 100 MB)");
}

static void check_clock(struct doctor *d, const struct db_facts *f)
{
    int64_t now = sh_now();
    char ts[21];
    sh_ts_format(now, ts);
    if (now < 1735689600) { /* 2025-01-01 */
        line(d, FAIL, "clock", "%s is before this program was written", ts);
        return;
    }
    if (!f->server_now) {
        line(d, OK, "clock", "%s UTC (SQLite: no database clock to compare)", ts);
        return;
    }
    int64_t skew = now - f->server_now;
    int64_t abs = skew < 0 ? -skew : skew;
    line(d,
         abs > 60  ? FAIL
         : abs > 5 ? WARN
                   : OK,
         "clock", "%s UTC, %" PRId64 " s from PostgreSQL's clock (warn above 5 s, fail above 60 s)",
         ts, skew);
}

/* The SMTP server of the e-mail channel answers a connection (and its TLS, for tls). */
static void check_mail(struct doctor *d, const struct db_facts *f)
{
    if (!f->mail_read)
        return;
    if (!f->mail_on) {
        line(d, OK, "mail", "the e-mail channel is off: no e-mail is sent");
        return;
    }
    struct notify_channel ch = {
        .channel = "email", .enabled = true, .config = f->mail_config, .secret = f->mail_secret};
    char where[300];
    struct sh_err e;
    sh_err_clear(&e);
    if (notify_mail_probe(&ch, where, sizeof(where), &e))
        line(d, FAIL, "mail", "SMTP %s: %s (e-mails wait in the outbox)", where, e.msg);
    else
        line(d, OK, "mail", "SMTP %s answers", where);
}

int cmd_doctor(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_url = NULL, *config = NULL;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'd')
            db_url = optarg;
        else if (ch == 'c')
            config = optarg;
        else if (ch == 'h')
            return fputs(usage, stdout), 0;
        else
            return fputs(usage, stderr), 2;
    }
    if (optind != argc)
        return fputs(usage, stderr), 2;
    struct doctor d = {0};
    struct sh_config cfg;
    struct sh_err e;
    sh_err_clear(&e);
    if (!cli_config(config, &cfg) || (db_url && config_set(&cfg, "db", db_url, &e))) {
        if (db_url)
            fprintf(stderr, "shouhou: %s\n", e.msg);
        line(&d, FAIL, "config", "%s", config ? config : "(defaults and SHOUHOU_* variables)");
        return 1;
    }
    line(&d, OK, "config", "%s", config ? config : "(defaults and SHOUHOU_* variables)");
    struct db_facts f = {0};
    check_db(&d, cfg.db, &f);
    check_disk(&d, "data_dir", cfg.data_dir);
    char idx[600];
    snprintf(idx, sizeof(idx), "%s/index.html", cfg.web_root);
    line(&d, access(idx, R_OK) == 0 ? OK : FAIL, "web_root", "%s", idx);
    char fam[128];
    bool cjk = rpdf_font_check(NULL, fam, sizeof(fam));
    line(&d, cjk ? OK : FAIL, "fonts", "PDFs drawn with '%s'%s", fam,
         cjk ? "" : ": it has no Chinese glyphs (install fonts-noto-cjk)");
    check_mail(&d, &f);
    check_clock(&d, &f);
    printf("%d failed, %d warning(s)\n", d.fails, d.warns);
    return d.fails ? 1 : 0;
}
